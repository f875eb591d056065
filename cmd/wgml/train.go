package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/noise"
)

// trainFlags are the flags of wgml train.
type trainFlags struct {
	model, layers, hiddenAct, latentAct, outputAct, loss, init, noise string
	beta                                                              float32
	klWarmup, epochs, batch, logEvery, stepsPerSubmit                 int
	lr, beta1, beta2, eps, weightDecay                                float32
	seed                                                              uint64
	out                                                               string
	resume, stats                                                     bool
	contamination                                                     float64 // outlier threshold: (1-contamination) quantile of the training rows' scores
	normalClass                                                       string  // train on the rows of this label only (one-class)
}

func cmdTrain(args []string, out, errOut io.Writer) error {
	fs := newFlags("train", "train [flags]", out)
	f := &trainFlags{}
	fs.StringVar(&f.model, "model", "ae", "model kind: ae or vae")
	fs.StringVar(&f.layers, "layers", "", "encoder widths from input to latent, e.g. 784,256,64,16 (default: ae 784,256,64,16, vae 784,400,20; the first width is the data's)")
	fs.StringVar(&f.hiddenAct, "hidden-act", "relu", "hidden activation: relu, leakyrelu, tanh, sigmoid or identity")
	fs.StringVar(&f.latentAct, "latent-act", "identity", "activation of the AE's latent layer")
	fs.StringVar(&f.outputAct, "output-act", "auto", "output activation (auto: sigmoid for images, identity for tables)")
	fs.StringVar(&f.loss, "loss", "auto", "reconstruction loss summed per row: mse or bce (auto: ae mse, vae bce on images, mse otherwise)")
	fs.Float32Var(&f.beta, "beta", 1, "VAE: weight of the KL term")
	fs.IntVar(&f.klWarmup, "kl-warmup", 0, "VAE: epochs over which the KL weight ramps linearly from 0 to --beta")
	fs.StringVar(&f.init, "init", "torch", "weight initialisation: torch (PyTorch nn.Linear default), he or xavier")
	fs.IntVar(&f.epochs, "epochs", 10, "total epochs to train (with --resume: until this many are done)")
	fs.IntVar(&f.batch, "batch", 128, "rows per mini-batch")
	fs.Float32Var(&f.lr, "lr", 1e-3, "Adam learning rate")
	fs.Float32Var(&f.beta1, "beta1", 0.9, "Adam beta1")
	fs.Float32Var(&f.beta2, "beta2", 0.999, "Adam beta2")
	fs.Float32Var(&f.eps, "adam-eps", 1e-8, "Adam epsilon")
	fs.Float32Var(&f.weightDecay, "weight-decay", 0, "Adam L2 weight decay")
	fs.Uint64Var(&f.seed, "seed", 1, "random seed: initial weights, data order, VAE sampling, noise")
	fs.StringVar(&f.noise, "noise", "none", "corrupt inputs for a de-noising AE: gaussian:SIGMA, mask:P or saltpepper:P (targets stay clean)")
	fs.StringVar(&f.out, "out", "", "output directory (default runs/MODEL-DATA)")
	fs.BoolVar(&f.resume, "resume", false, "continue from the checkpoint in --out")
	fs.IntVar(&f.logEvery, "log-every", 20, "steps between progress updates")
	fs.IntVar(&f.stepsPerSubmit, "steps-per-submit", 0, "training steps recorded per GPU queue submit (0: by adapter, 8 on hardware, 1 on software)")
	fs.BoolVar(&f.stats, "stats", false, "print the backend's work counters per training step at the end")
	fs.Float64Var(&f.contamination, "contamination", 0.1, "expected fraction of outliers: the outlier threshold stored in the checkpoint is the (1-C) quantile of the training rows' scores")
	fs.StringVar(&f.normalClass, "normal-class", "", "one-class training: keep only the training rows with this label (a number or class name); the test set stays whole")
	backend := addBackendFlag(fs)
	df := addDataFlags(fs, "mnist")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := f.check(); err != nil {
		return err
	}
	noise, err := noise.Parse(f.noise)
	if err != nil {
		return usageError{err}
	}
	train, test, err := df.load(f.seed)
	if err != nil {
		return err
	}
	if f.normalClass != "" {
		if train, err = keepClass(train, f.normalClass); err != nil {
			return err
		}
	}
	if f.out == "" {
		f.out = filepath.Join("runs", f.model+"-"+dataName(df.spec))
	}
	ckPath := filepath.Join(f.out, "model.safetensors")

	var ck *nn.Checkpoint
	var cfg nn.Config
	var norm data.Normalizer
	if f.resume {
		if ck, err = nn.LoadCheckpoint(ckPath); err != nil {
			return fmt.Errorf("resume: %w", err)
		}
		if err := f.fromCheckpoint(fs, ck, ckPath, train, &noise); err != nil {
			return err
		}
		if nc := ck.Meta[metaNormalClass]; nc != f.normalClass {
			return usagef("normal-class %q: %s was trained with --normal-class %q; resume with the same (\"\": every class)", f.normalClass, ckPath, nc)
		}
		cfg = ck.Config
		dm, err := checkpointData(ck, ckPath)
		if err != nil {
			return err
		}
		norm = dm.Normalizer
	} else {
		if cfg, err = f.config(train); err != nil {
			return err
		}
		if norm, err = df.normalizer(train); err != nil {
			return err
		}
	}
	if cfg.Input() != train.Cols {
		return usagef("layers %v: the first width must be the data's %d columns", cfg.Layers, train.Cols)
	}
	noise = noise.ForPixels(train.Bytes != nil)
	if err := checkWritableDir(f.out); err != nil {
		return err
	}
	if err := checkOutputs(ckPath, filepath.Join(f.out, "loss.png")); err != nil {
		return err
	}
	removeStaleTemps(f.out)
	trainSrc, err := source(train, norm)
	if err != nil {
		return err
	}
	if f.batch > trainSrc.Rows {
		return usagef("batch %d: larger than the training set (%d rows)", f.batch, trainSrc.Rows)
	}
	var testSrc *nn.Source
	if test != nil {
		s, err := source(test, norm)
		if err != nil {
			return err
		}
		testSrc = &s
	}

	b, err := openBackend(*backend, errOut)
	if err != nil {
		return err
	}
	defer b.Release()
	var m *nn.Model
	if ck != nil {
		m, err = ck.Build(b)
	} else {
		m, err = nn.NewModel(b, cfg, f.seed)
	}
	if err != nil {
		return err
	}
	opt := nn.TrainOptions{Epochs: f.epochs, Batch: f.batch, Seed: f.seed, Noise: noise, KLWarmup: f.klWarmup, LogEvery: f.logEvery, StepsPerSubmit: f.stepsPerSubmit,
		Adam: nn.AdamParams{LR: f.lr, Beta1: f.beta1, Beta2: f.beta2, Eps: f.eps, WeightDecay: f.weightDecay}}
	t, err := nn.NewTrainer(b, m, trainSrc, testSrc, opt)
	if err != nil {
		return err // the options were checked: this is the backend's answer
	}
	if ck != nil {
		if err := ck.Restore(t); err != nil {
			return fmt.Errorf("resume: %s: %w", ckPath, err)
		}
	}
	meta := map[string]string{"data": newDataMeta(df, train, norm, f.seed).encode(), "train": f.encode(noise)}
	if f.normalClass != "" {
		meta[metaNormalClass] = f.normalClass
	}

	fmt.Fprintf(out, "training %s %v (%d parameters) on %s: %d train rows, %d test rows, backend %s [%s]\n",
		cfg.Kind, cfg.Layers, m.Params.Count(), df.spec, train.Rows, rowsOf(test), b.Name(), b.Device())
	stop := onSignal()
	defer stop.release()
	t.Stop = stop.requested
	for t.Epoch < f.epochs {
		bar := newEpochBar(out, t.Epoch+1, f.epochs, train.Rows)
		t.OnProgress = bar.update
		st, err := t.RunEpoch()
		bar.finish()
		if errors.Is(err, nn.ErrStopped) {
			if serr := save(b, m, t, meta, ckPath); serr != nil {
				return serr
			}
			return exitError{fmt.Errorf("interrupted by %s in epoch %d at step %d; checkpoint written to %s (continue with --resume)", stop.signal(), t.Epoch+1, t.Step, ckPath), stop.exitCode()}
		}
		if err != nil {
			if ck == nil && t.Epoch == 0 {
				return fmt.Errorf("%w; no checkpoint was written yet", err)
			}
			return fmt.Errorf("%w; last good checkpoint kept at %s", err, ckPath)
		}
		fmt.Fprintln(out, epochLine(cfg, st, f.epochs))
		if t.Epoch == f.epochs { // the final model: its thresholds go into this checkpoint
			if err := fitThresholds(t, thresholdBatch, f.contamination, meta); err != nil {
				return err
			}
		}
		if err := save(b, m, t, meta, ckPath); err != nil {
			return err
		}
		if err := writeLossCurve(filepath.Join(f.out, "loss.png"), cfg, t.History); err != nil {
			return err
		}
	}
	if _, fitted := meta[thresholdKey(scoreRecon)]; !fitted { // no epoch left to train: refit the checkpoint's model
		if err := fitThresholds(t, thresholdBatch, f.contamination, meta); err != nil {
			return err
		}
		if err := save(b, m, t, meta, ckPath); err != nil {
			return err
		}
	}
	fmt.Fprintf(out, "outlier threshold: %s (recon score; the %g quantile of %d training rows' scores)\n", meta[thresholdKey(scoreRecon)], 1-f.contamination, trainSrc.Rows)
	if len(t.History) > 0 {
		last := t.History[len(t.History)-1]
		fmt.Fprintf(out, "test loss: %.4f\n", last.TestLoss)
	}
	fmt.Fprintf(out, "wrote %s and %s\n", ckPath, filepath.Join(f.out, "loss.png"))
	if f.stats {
		printStats(out, t)
	}
	return nil
}

// check validates the numeric flags (usage errors).
func (f *trainFlags) check() error {
	switch {
	case f.epochs <= 0:
		return usagef("epochs %d: want at least 1", f.epochs)
	case f.batch <= 0:
		return usagef("batch %d: want a positive batch size", f.batch)
	case f.stepsPerSubmit < 0:
		return usagef("steps-per-submit %d: want a positive number, or 0 for the adapter's default", f.stepsPerSubmit)
	case !(f.lr > 0) || math.IsInf(float64(f.lr), 0):
		return usagef("lr %v: want a positive learning rate", f.lr)
	case !(f.eps >= 0) || math.IsInf(float64(f.eps), 0):
		return usagef("adam-eps %v: want a small non-negative number", f.eps)
	case !(f.weightDecay >= 0) || math.IsInf(float64(f.weightDecay), 0):
		return usagef("weight-decay %v: want a non-negative number", f.weightDecay)
	case f.beta1 < 0 || f.beta1 >= 1 || f.beta2 < 0 || f.beta2 >= 1:
		return usagef("beta1 %v, beta2 %v: want values in [0, 1)", f.beta1, f.beta2)
	case f.klWarmup < 0:
		return usagef("kl-warmup %d: want a non-negative epoch count", f.klWarmup)
	}
	if err := checkContamination(f.contamination); err != nil {
		return err
	}
	return nil
}

// config builds the model configuration from the flags and the data.
func (f *trainFlags) config(train *data.Dataset) (nn.Config, error) {
	c := nn.Config{Kind: strings.ToLower(f.model), Beta: f.beta, Init: f.init}
	if c.Kind != nn.KindAE && c.Kind != nn.KindVAE {
		return c, usagef("model %q: want ae or vae", f.model)
	}
	var err error
	if f.layers == "" {
		c.Layers = []int{train.Cols, 256, 64, 16}
		if c.Kind == nn.KindVAE {
			c.Layers = []int{train.Cols, 400, 20}
		}
	} else if c.Layers, err = parseInts(f.layers); err != nil {
		return c, usagef("layers %q: %v", f.layers, err)
	}
	for _, a := range []struct {
		dst  *nn.Activation
		flag string
		val  string
	}{{&c.HiddenAct, "hidden-act", f.hiddenAct}, {&c.LatentAct, "latent-act", f.latentAct}, {&c.OutputAct, "output-act", f.outputAct}} {
		v := a.val
		if v == "auto" {
			v = "identity"
			if train.Bytes != nil {
				v = "sigmoid"
			}
		}
		if *a.dst, err = nn.ParseActivation(v); err != nil {
			return c, usagef("%s: %v", a.flag, err)
		}
	}
	c.Loss = strings.ToLower(f.loss)
	if c.Loss == "auto" {
		c.Loss = nn.LossMSE
		if c.Kind == nn.KindVAE && c.OutputAct == nn.Sigmoid {
			c.Loss = nn.LossBCE
		}
	}
	if err := c.Validate(); err != nil {
		return c, usageError{err}
	}
	return c, nil
}

// encode records the training flags in the checkpoint.
func (f *trainFlags) encode(noise noise.Noise) string {
	return fmt.Sprintf(`{"epochs":%d,"batch":%d,"lr":%g,"seed":%d,"noise":%q,"kl_warmup":%d,"beta1":%g,"beta2":%g,"adam_eps":%g,"weight_decay":%g}`,
		f.epochs, f.batch, f.lr, f.seed, noise.String(), f.klWarmup, f.beta1, f.beta2, f.eps, f.weightDecay)
}

func parseInts(s string) ([]int, error) {
	var out []int
	for _, p := range strings.Split(s, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil {
			return nil, fmt.Errorf("%q is not an integer", p)
		}
		out = append(out, v)
	}
	return out, nil
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

// save writes the checkpoint atomically.
func save(b nn.Backend, m *nn.Model, t *nn.Trainer, meta map[string]string, path string) error {
	ck, err := nn.Snapshot(b, m, t, meta)
	if err != nil {
		return err
	}
	return ck.Save(path)
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
