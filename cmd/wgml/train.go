package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
	"github.com/wgml/wgml/card"
	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/noise"
	"github.com/wgml/wgml/outlier"
)

// trainFlags are the flags of wgml train.
type trainFlags struct {
	model, hiddenAct, latentAct, outputAct, loss, init, noise string
	layers                                                    []int
	beta                                                      float32
	opt                                                       nn.TrainOptions // epochs, batch, Adam, seed, KL warm-up, log-every
	out                                                       string
	resume, overwrite, stats                                  bool
	contamination                                             float64 // outlier threshold: (1-contamination) quantile of the training rows' scores
	normalClass                                               string  // train on the rows of this label only (one-class)
	schedule, thresholdOn                                     string  // --lr-schedule; --threshold-on train|val
}

func addTrainFlags(fs *pflag.FlagSet) *trainFlags {
	f := &trainFlags{opt: nn.DefaultTrainOptions()}
	o, def := &f.opt, nn.DefaultTrainOptions()
	model, _ := card.DefaultConfig(nn.KindAE, 1, false) // the defaults of the model flags
	fs.StringVar(&f.model, "model", model.Kind, "model kind: ae or vae")
	fs.IntSliceVar(&f.layers, "layers", nil, fmt.Sprintf("encoder widths from input to latent, e.g. 784,256,64,16 (default: ae IN,%s, vae IN,%s; the first width is the data's)",
		joinInts(card.DefaultHidden(nn.KindAE)), joinInts(card.DefaultHidden(nn.KindVAE))))
	fs.StringVar(&f.hiddenAct, "hidden-act", model.HiddenAct.String(), "hidden activation: relu, leakyrelu, tanh, sigmoid or identity")
	fs.StringVar(&f.latentAct, "latent-act", model.LatentAct.String(), "activation of the AE's latent layer")
	fs.StringVar(&f.outputAct, "output-act", "auto", "output activation (auto: sigmoid for images, identity for tables)")
	fs.StringVar(&f.loss, "loss", "auto", "reconstruction loss summed per row: mse, bce or table (auto: table for a CSV with categorical columns or --missing mask, vae bce with a sigmoid output, mse otherwise)")
	fs.Float32Var(&f.beta, "beta", model.Beta, "VAE: weight of the KL term")
	fs.IntVar(&o.KLWarmup, "kl-warmup", def.KLWarmup, "VAE: epochs over which the KL weight ramps linearly from 0 to --beta")
	fs.StringVar(&f.init, "init", model.Init, "weight initialisation: torch (PyTorch nn.Linear default), he or xavier")
	fs.IntVar(&o.Epochs, "epochs", def.Epochs, "total epochs to train (with --resume: until this many are done)")
	fs.IntVar(&o.Batch, "batch", def.Batch, "rows per mini-batch")
	fs.Float32Var(&o.Adam.LR, "lr", def.Adam.LR, "Adam learning rate")
	fs.Float32Var(&o.Adam.Beta1, "beta1", def.Adam.Beta1, "Adam beta1")
	fs.Float32Var(&o.Adam.Beta2, "beta2", def.Adam.Beta2, "Adam beta2")
	fs.Float32Var(&o.Adam.Eps, "adam-eps", def.Adam.Eps, "Adam epsilon")
	fs.Float32Var(&o.Adam.WeightDecay, "weight-decay", def.Adam.WeightDecay, "Adam L2 weight decay")
	fs.Uint64Var(&o.Seed, "seed", def.Seed, "random seed: initial weights, data order, VAE sampling, noise")
	fs.StringVar(&f.noise, "noise", "none", "corrupt inputs for a de-noising AE: gaussian:SIGMA, mask:P or saltpepper:P (targets stay clean)")
	fs.StringVar(&f.out, "out", "", "output directory (default runs/MODEL-DATA)")
	fs.BoolVar(&f.resume, "resume", false, "continue the run whose checkpoint is in --out")
	fs.BoolVar(&f.overwrite, "overwrite", false, "start over in an --out that holds another run's checkpoint, replacing it")
	fs.IntVar(&o.LogEvery, "log-every", 20, "steps between progress updates")
	fs.IntVar(&o.StepsPerSubmit, "steps-per-submit", def.StepsPerSubmit, "training steps recorded per GPU queue submit (0: by adapter, 8 on hardware, 1 on software)")
	fs.BoolVar(&f.stats, "stats", false, "print the backend's work counters per training step at the end")
	fs.Float64Var(&f.contamination, "contamination", outlier.DefaultContamination, "expected fraction of outliers: the outlier threshold stored in the checkpoint is the (1-C) quantile of the training rows' scores")
	fs.StringVar(&f.normalClass, "normal-class", "", "one-class training: keep only the training rows with this label (a number or class name); the test set stays whole")
	addValidationFlags(fs, f)
	return f
}

// trainRun is a prepared training: everything checked and loaded, nothing
// written yet but the lock.
type trainRun struct {
	f           *trainFlags
	df          *dataFlags
	backend     string
	train, test *data.Dataset
	val         *data.Dataset // --val-frac: the rows held out of train
	trainSrc    nn.Source
	testSrc     *nn.Source
	valSrc      *nn.Source
	cfg         nn.Config
	card        card.Card
	ck          *nn.Checkpoint // the checkpoint resumed, nil for a new run
	ckPath      string
	lastPath    string         // early stopping: the last epoch's checkpoint (model.safetensors holds the best)
	best        *nn.Checkpoint // early stopping: the best epoch's checkpoint written by this process
	lossPath    string
	unlock      func()
}

func cmdTrain(args []string, out, errOut io.Writer) error {
	r, err := prepareTrain(args, out, errOut)
	if err != nil || r == nil {
		return err
	}
	defer r.unlock()
	b, err := openBackend(r.backend, errOut)
	if err != nil {
		return err
	}
	defer b.Release()
	t, err := r.run(b, out)
	if err != nil {
		return err
	}
	r.report(out, t)
	return nil
}

// prepareTrain parses and checks the command line, takes the output
// folder's lock (and refuses a folder holding another run), loads the data
// and, with --resume, the checkpoint.
func prepareTrain(args []string, out, errOut io.Writer) (r *trainRun, err error) {
	fs := newFlags("train", "train [flags]", out)
	f := addTrainFlags(fs)
	backend := addBackendFlag(fs)
	df := addDataFlags(fs, "mnist")
	if err := parse(fs, args); err != nil {
		return nil, err
	}
	df.warn = errOut
	dataOpt, err := df.options(f.opt.Seed)
	if err != nil {
		return nil, err
	}
	if f.resume && f.overwrite {
		return nil, usagef("resume and overwrite: give one of them")
	}
	if err := f.parseValidation(fs); err != nil {
		return nil, err
	}
	if err := f.precheck(); err != nil {
		return nil, err
	}
	if f.opt.Noise, err = noise.Parse(f.noise); err != nil {
		return nil, usageError{err}
	}
	r = &trainRun{f: f, df: df, backend: *backend}
	if f.out == "" {
		f.out = filepath.Join("runs", f.model+"-"+dataName(df.spec))
	}
	r.ckPath, r.lossPath = filepath.Join(f.out, "model.safetensors"), filepath.Join(f.out, "loss.png")
	r.lastPath = filepath.Join(f.out, lastName)
	_, statErr := os.Stat(f.out)
	created := errors.Is(statErr, os.ErrNotExist)
	if err := checkWritableDir(f.out); err != nil {
		return nil, err
	}
	unlock, err := lockDir(f.out)
	if err != nil {
		return nil, err
	}
	r.unlock = unlock
	defer func() {
		if err != nil {
			unlock()
			if created {
				os.Remove(f.out) // the folder this run made, if still empty
			}
		}
	}()
	if !f.resume {
		for _, p := range []string{r.ckPath, r.lastPath} {
			if err := refuseOtherRun(p, f.overwrite); err != nil {
				return nil, err
			}
		}
	}
	var c card.Card
	if f.resume {
		if r.ck, err = nn.LoadCheckpoint(resumePath(r.ckPath, r.lastPath)); err != nil {
			return nil, fmt.Errorf("resume: %w", err)
		}
		if c, err = card.Read(r.ck, r.ckPath); err != nil {
			return nil, err
		}
		resumeData(&dataOpt, fs, r.ck, c)
	}
	if r.train, r.test, err = df.open(dataOpt); err != nil {
		return nil, err
	}
	if f.normalClass != "" {
		if r.train, err = keepClass(r.train, f.normalClass); err != nil {
			return nil, err
		}
	}
	var norm data.Normalizer
	if f.resume {
		if err := f.fromCheckpoint(fs, r.ck, c, r.ckPath, r.train); err != nil {
			return nil, err
		}
		if err := r.splitValidation(); err != nil {
			return nil, err
		}
		r.cfg, norm = r.ck.Config, c.Data.Normalizer
	} else {
		if err := r.splitValidation(); err != nil { // before the normaliser is fitted on the rows trained on
			return nil, err
		}
		if r.cfg, err = f.config(r.train); err != nil {
			return nil, err
		}
		if norm, err = df.normalizer(r.train); err != nil {
			return nil, err
		}
	}
	if r.cfg.Input() != r.train.Cols {
		return nil, usagef("layers %v: the first width must be the data's %d columns", r.cfg.Layers, r.train.Cols)
	}
	f.opt.Noise = f.opt.Noise.ForPixels(r.train.Bytes != nil)
	if err := checkOutputs(r.ckPath, r.lossPath, r.lastPath); err != nil {
		return nil, err
	}
	removeStaleTemps(f.out)
	if r.trainSrc, err = source(r.train, norm); err != nil {
		return nil, err
	}
	if f.opt.Batch > r.trainSrc.Rows {
		return nil, usagef("batch %d: larger than the training set (%d rows)", f.opt.Batch, r.trainSrc.Rows)
	}
	if r.test != nil {
		s, err := source(r.test, norm)
		if err != nil {
			return nil, err
		}
		r.testSrc = &s
	}
	if r.val != nil {
		s, err := source(r.val, norm)
		if err != nil {
			return nil, err
		}
		r.valSrc = &s
	}
	if !f.resume { // a replaced run's last state must not be resumed later
		if err := os.Remove(r.lastPath); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("output directory %s: %w", f.out, err)
		}
	}
	dataOpt.Seed = f.opt.Seed
	// Every checkpoint records --threshold-on, so that --resume keeps it.
	r.card = card.Card{Data: df.card(r.train, dataOpt, norm), NormalClass: f.normalClass, Thresholds: card.Thresholds{On: f.thresholdOn}}
	return r, nil
}

// refuseOtherRun stops a new run from replacing, without --overwrite, the
// checkpoint (model or last) of another run in its output folder.
func refuseOtherRun(ckPath string, overwrite bool) error {
	if overwrite {
		return nil
	}
	if st, err := os.Stat(ckPath); errors.Is(err, os.ErrNotExist) || err == nil && st.IsDir() {
		return nil // nothing there, or a folder: checkOutputs says so
	}
	ck, err := nn.LoadCheckpoint(ckPath)
	if err != nil {
		return usagef("%s exists and does not load (%v); start over with --overwrite", ckPath, err)
	}
	of := ""
	if ck.Train != nil {
		of = fmt.Sprintf(" of %d", ck.Train.Epochs)
	}
	return usagef("%s holds another run (%s %v, epoch %d%s); continue it with --resume or start over with --overwrite",
		ckPath, ck.Config.Kind, ck.Config.Layers, ck.Epoch, of)
}

// run builds the model (or the resumed one) on b and trains it, writing the
// checkpoint and loss curve after every epoch and the thresholds with the
// final one.
func (r *trainRun) run(b nn.Backend, out io.Writer) (*nn.Trainer, error) {
	f := r.f
	var m *nn.Model
	var err error
	if r.ck != nil {
		m, err = r.ck.Build(b)
	} else {
		m, err = nn.NewModel(b, r.cfg, f.opt.Seed)
	}
	if err != nil {
		return nil, err
	}
	t, err := nn.NewTrainer(b, m, r.trainSrc, r.testSrc, f.opt)
	if err != nil {
		return nil, err // the options were checked: this is the backend's answer
	}
	if r.valSrc != nil {
		if err := t.SetValidation(*r.valSrc); err != nil {
			return nil, err
		}
	}
	if r.ck != nil {
		if err := r.ck.Restore(t); err != nil {
			return nil, fmt.Errorf("resume: %s: %w", r.ckPath, err)
		}
	}
	fmt.Fprintf(out, "training %s %v (%d parameters) on %s: %d train rows%s, %d test rows, backend %s [%s]\n",
		r.cfg.Kind, r.cfg.Layers, m.Params.Count(), r.df.spec, r.train.Rows, valRows(r.val), rowsOf(r.test), b.Name(), b.Device())
	stop := onSignal()
	defer stop.release()
	t.Stop = stop.requested
	if t.Early != nil {
		return t, r.runEarlyStop(t, out, stop)
	}
	epochs := f.opt.Epochs
	for t.Epoch < epochs {
		bar := newEpochBar(out, t.Epoch+1, epochs, r.train.Rows)
		t.OnProgress = bar.update
		st, err := t.RunEpoch()
		bar.finish()
		if errors.Is(err, nn.ErrStopped) {
			if serr := r.save(t); serr != nil {
				return nil, serr
			}
			return nil, exitError{fmt.Errorf("interrupted by %s in epoch %d at step %d; checkpoint written to %s (continue with --resume)", stop.signal(), t.Epoch+1, t.Step, r.ckPath), stop.exitCode()}
		}
		if err != nil {
			if r.ck == nil && t.Epoch == 0 {
				return nil, fmt.Errorf("%w; no checkpoint was written yet", err)
			}
			return nil, fmt.Errorf("%w; last good checkpoint kept at %s", err, r.ckPath)
		}
		fmt.Fprintln(out, epochLine(r.cfg, st, epochs))
		if t.Epoch == epochs { // the final model: its thresholds go into this checkpoint
			if err := r.fitThresholds(t); err != nil {
				return nil, err
			}
		}
		if err := r.save(t); err != nil {
			return nil, err
		}
		if err := writeLossCurve(r.lossPath, r.cfg, t.History); err != nil {
			return nil, err
		}
	}
	if r.card.Thresholds.ByScore == nil { // no epoch left to train: refit the checkpoint's model
		if err := r.fitThresholds(t); err != nil {
			return nil, err
		}
		if err := r.save(t); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// report prints what the run ended with.
func (r *trainRun) report(out io.Writer, t *nn.Trainer) {
	th := r.card.Thresholds
	fmt.Fprintf(out, "outlier threshold: %s (recon score; the %g quantile of %d %s rows' scores)\n",
		strconv.FormatFloat(th.ByScore[card.ScoreRecon], 'g', -1, 64), 1-th.Contamination, th.Rows, th.RowsName())
	if len(t.History) > 0 {
		fmt.Fprintf(out, "test loss: %.4f\n", t.History[len(t.History)-1].TestLoss)
	}
	if t.Early != nil {
		fmt.Fprintf(out, "wrote %s (epoch %d, the best), %s (epoch %d, to resume) and %s\n", r.ckPath, t.Early.BestEpoch, r.lastPath, t.Epoch, r.lossPath)
	} else {
		fmt.Fprintf(out, "wrote %s and %s\n", r.ckPath, r.lossPath)
	}
	if r.f.stats {
		printStats(out, t)
	}
}

// fitThresholds scores the trainer's training rows (resident on the device)
// in card.ScoreBatch and records the thresholds of every score kind.
func (r *trainRun) fitThresholds(t *nn.Trainer) error {
	run, rows := t.RunTrain, "training"
	if r.f.thresholdOn == card.OnVal {
		run, rows = t.RunVal, "validation"
	}
	res, err := run(card.ScoreBatch, nn.Want{Losses: true})
	if err != nil {
		return fmt.Errorf("scoring the %s rows: %w", rows, err)
	}
	r.card.Thresholds, err = card.FitThresholds(res, t.M.Config, r.f.contamination)
	r.card.Thresholds.On = r.f.thresholdOn
	return err
}

// save writes the checkpoint of t with the run's card, atomically.
func (r *trainRun) save(t *nn.Trainer) error { return r.saveTo(t, r.ckPath) }

// check validates the numeric flags (usage errors).
func (f *trainFlags) check() error {
	if err := f.opt.Check(); err != nil {
		return usageError{err}
	}
	if err := outlier.CheckContamination(f.contamination); err != nil {
		return usageError{err}
	}
	return nil
}

// config builds the model configuration from the flags and the data.
func (f *trainFlags) config(train *data.Dataset) (nn.Config, error) {
	images := train.Bytes != nil
	c, err := card.DefaultConfig(strings.ToLower(f.model), train.Cols, images)
	if err != nil {
		return c, usageError{err}
	}
	c.Beta, c.Init = f.beta, f.init
	if f.layers != nil {
		c.Layers = f.layers
	}
	for _, a := range []struct {
		dst  *nn.Activation
		flag string
		val  string
	}{{&c.HiddenAct, "hidden-act", f.hiddenAct}, {&c.LatentAct, "latent-act", f.latentAct}, {&c.OutputAct, "output-act", f.outputAct}} {
		if a.flag == "output-act" && a.val == "auto" {
			continue // the default config's: sigmoid for images, identity for tables
		}
		if *a.dst, err = nn.ParseActivation(a.val); err != nil {
			return c, usagef("%s: %v", a.flag, err)
		}
	}
	c.Loss = strings.ToLower(f.loss)
	if c.Loss == "auto" {
		c.Loss = card.DefaultLoss(c.Kind, c.OutputAct)
	}
	tableLoss(&c, train, strings.ToLower(f.loss))
	if err := c.Validate(); err != nil {
		return c, usageError{err}
	}
	return c, nil
}

// resumeData makes the data options of train --resume read the data as the
// run did: split by its seed (unless --seed is given) and a table encoded
// with its schema.
func resumeData(opt *data.OpenOptions, fs *pflag.FlagSet, ck *nn.Checkpoint, c card.Card) {
	if ck.Train != nil && !fs.Changed("seed") {
		opt.Seed = ck.Train.Seed
	}
	opt.CSV.Schema = c.Data.Schema
}

// tableLoss makes c a table-loss model of train (nn.LossTable) when the
// loss flag is table, or auto for a table with categorical columns or
// masked missing values.
func tableLoss(c *nn.Config, train *data.Dataset, flag string) {
	if flag == nn.LossTable || flag == "auto" && card.NeedsTableLoss(train) {
		c.Loss, c.TableGroups = nn.LossTable, card.TableGroups(train)
	}
}

// joinInts writes v as a flag value: 1,2,3.
func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ",")
}

// dataName is a short name of a data spec for default output folders.
func dataName(spec string) string {
	base := filepath.Base(strings.TrimRight(spec, "/"))
	return strings.TrimSuffix(base, filepath.Ext(base))
}

func rowsOf(d *data.Dataset) int {
	if d == nil {
		return 0
	}
	return d.Rows
}

// checkWritableDir creates dir and proves a file can be written there.
func checkWritableDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("output directory %s: %w", dir, errors.Unwrap(err))
	}
	f, err := os.CreateTemp(dir, ".wgml-write-test-*")
	if err != nil {
		return fmt.Errorf("output directory %s: not writable: %w", dir, errors.Unwrap(err))
	}
	f.Close()
	return os.Remove(f.Name())
}
