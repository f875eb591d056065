package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/pflag"
	lib "github.com/wgml/wgml"
	"github.com/wgml/wgml/card"
	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/outlier"
)

// trainCmd is the command line of wgml train: its flags fill a lib.Job.
type trainCmd struct {
	fs                       *pflag.FlagSet
	job                      lib.Job
	layers                   []int
	hidden, latent           nn.Activation
	schedule                 nn.Schedule
	resume, overwrite, stats bool
	backend                  *string
	data                     *dataFlags
}

// addTrainFlags registers train's flags, with the library's defaults.
func addTrainFlags(fs *pflag.FlagSet) *trainCmd {
	c := &trainCmd{fs: fs}
	o, def := &c.job.Options, nn.DefaultTrainOptions()
	model, _ := nn.DefaultConfig(nn.KindAE, 1, false)
	fs.StringVar(&o.Model, "kind", model.Kind, "model kind: ae or vae (--model before; --model names a checkpoint in every command)")
	alias(fs, "model", "kind")
	fs.IntSliceVar(&c.layers, "layers", nil, fmt.Sprintf("encoder widths from input to latent, e.g. 784,256,64,16 (default: ae IN,%s, vae IN,%s; the first width is the data's)",
		lib.JoinInts(nn.DefaultHidden(nn.KindAE)), lib.JoinInts(nn.DefaultHidden(nn.KindVAE))))
	textVar(fs, &c.hidden, "hidden-act", model.HiddenAct, "hidden activation: relu, leakyrelu, tanh, sigmoid or identity")
	textVar(fs, &c.latent, "latent-act", model.LatentAct, "activation of the AE's latent layer")
	fs.StringVar(&o.OutputAct, "output-act", "auto", "output activation (auto: sigmoid for images, identity for tables)")
	fs.StringVar(&o.Loss, "loss", "auto", "reconstruction loss summed per row: mse, bce or table (auto: table for a CSV with categorical columns or --missing mask, vae bce with a sigmoid output, mse otherwise)")
	fs.Float32Var(&o.Beta, "beta", model.Beta, "VAE: weight of the KL term")
	fs.IntVar(&o.KLWarmup, "kl-warmup", def.KLWarmup, "VAE: epochs over which the KL weight ramps linearly from 0 to --beta")
	fs.StringVar(&o.Init, "init", model.Init, "weight initialisation: torch (PyTorch nn.Linear default), he or xavier")
	fs.IntVar(&o.Epochs, "epochs", def.Epochs, "total epochs to train (with --resume: until this many are done)")
	fs.IntVar(&o.Batch, "batch", def.Batch, "rows per mini-batch")
	fs.Float32Var(&o.LR, "lr", def.Adam.LR, "Adam learning rate")
	fs.Float32Var(&o.Beta1, "beta1", def.Adam.Beta1, "Adam beta1")
	fs.Float32Var(&o.Beta2, "beta2", def.Adam.Beta2, "Adam beta2")
	fs.Float32Var(&o.AdamEps, "adam-eps", def.Adam.Eps, "Adam epsilon")
	fs.Float32Var(&o.WeightDecay, "weight-decay", def.Adam.WeightDecay, "Adam L2 weight decay")
	fs.Uint64Var(&o.Seed, "seed", def.Seed, "random seed: initial weights, data order, VAE sampling, noise, splits")
	fs.StringVar(&o.Noise, "noise", "none", "corrupt inputs for a de-noising AE: gaussian:SIGMA, mask:P or saltpepper:P (targets stay clean)")
	fs.StringVar(&c.job.Out, "out", "", "output directory (default runs/KIND-DATA)")
	fs.BoolVar(&c.resume, "resume", false, "continue the run whose checkpoint is in --out")
	fs.BoolVar(&c.overwrite, "overwrite", false, "start over in an --out that holds another run's checkpoint, replacing it")
	fs.IntVar(&o.LogEvery, "log-every", lib.DefaultLogEvery, "steps between progress updates")
	fs.IntVar(&o.StepsPerSubmit, "steps-per-submit", def.StepsPerSubmit, "training steps recorded per GPU queue submit (0: by adapter, 8 on hardware, 1 on software)")
	fs.BoolVar(&c.stats, "stats", false, "print the backend's work counters per training step at the end")
	fs.Float64Var(&o.Contamination, "contamination", outlier.DefaultContamination, "expected fraction of outliers: the outlier threshold stored in the checkpoint is the (1-C) quantile of the training rows' scores")
	fs.StringVar(&o.NormalClass, "normal-class", "", "one-class training: keep only the training rows with this label (a number or class name); the test set stays whole")
	textVar(fs, &c.schedule, "lr-schedule", def.Schedule, "learning rate per epoch: constant, cosine (to 0 over --epochs) or step:EVERY:GAMMA (×GAMMA every EVERY epochs), each optionally with ,warmup:EPOCHS (linear warm-up)")
	fs.Float64Var(&o.ValFrac, "val-frac", 0, "hold out this fraction of the training rows (seeded by --seed) as a validation set, evaluated every epoch")
	fs.IntVar(&o.Patience, "patience", 0, "early stopping (needs --val-frac): stop after this many epochs without validation improvement; model.safetensors keeps the best epoch's weights, last.safetensors the last state (--resume reads it)")
	fs.Float64Var(&o.MinDelta, "min-delta", 0, "early stopping: the least decrease of the validation loss that counts as improvement")
	fs.StringVar(&o.ThresholdOn, "threshold-on", card.OnTrain, "fit the outlier thresholds on the train rows or the val (validation) rows")
	textVar(fs, &o.Stream, "stream", lib.StreamAuto, "stream the training set from disk in chunks instead of holding it in memory: on, off or auto (a .npy, .csv or .parquet file larger than half the available memory); a bare --stream is on")
	fs.Lookup("stream").NoOptDefVal = "on"
	fs.IntVar(&o.StreamChunk, "stream-chunk", def.Stream.Chunk, "rows per chunk read from disk when streaming (0: 16 MiB of rows)")
	fs.IntVar(&o.StreamWindow, "stream-window", def.Stream.Window, fmt.Sprintf("chunks in the shuffle buffer when streaming (0: %d)", nn.DefaultStreamWindow))
	c.backend = addBackendFlag(fs)
	c.data = addDataFlags(fs, "mnist")
	return c
}

// parseTrain parses train's command line into its Job.
func parseTrain(args []string, out, errOut io.Writer) (*trainCmd, error) {
	fs := newFlags("train", "train [flags]", out, errOut)
	c := addTrainFlags(fs)
	if err := parse(fs, args); err != nil {
		return nil, err
	}
	if c.resume && c.overwrite {
		return nil, usagef("resume and overwrite: give one of them")
	}
	j, o := &c.job, &c.job.Options
	var err error
	if j.Open, err = c.data.options(); err != nil {
		return nil, err
	}
	j.Data, j.Limit, j.TestLimit, j.Warn, o.Normalize = c.data.spec, c.data.limit, c.data.testLimit, errOut, c.data.normalize
	j.Start = map[[2]bool]lib.Start{{true, false}: lib.StartResume, {false, true}: lib.StartOver}[[2]bool{c.resume, c.overwrite}]
	if len(c.layers) > 0 {
		o.InputWidth, o.Layers = c.layers[0], c.layers[1:]
	}
	o.HiddenAct, o.LatentAct, o.LRSchedule = c.hidden.String(), c.latent.String(), c.schedule.String()
	o.Given = func(name string) bool { return fs.Changed(name) || name == "model" && fs.Changed("kind") }
	if j.Out == "" {
		j.Out = lib.DefaultOut(o.Model, j.Data)
	}
	return c, nil
}

func cmdTrain(args []string, out, errOut io.Writer) error {
	c, err := parseTrain(args, out, errOut)
	if err != nil {
		return err
	}
	unlock, err := lockOut(c.job.Out)
	if err != nil {
		return err
	}
	tr, err := lib.Prepare(c.job)
	if err != nil {
		unlock(true)
		return err
	}
	defer unlock(false)
	defer tr.Close()
	b, err := openBackend(*c.backend, errOut)
	if err != nil {
		return err
	}
	defer b.Release()
	m, err := c.run(tr, b, out)
	if err != nil {
		return err
	}
	tr.WriteReport(out, m)
	if c.stats {
		lib.WriteStepWork(out, tr.Trainer())
	}
	return nil
}

// run trains tr on b, showing progress and each epoch's line, and turns
// an interruption into the conventional exit status.
func (c *trainCmd) run(tr *lib.Training, b nn.Backend, out io.Writer) (*lib.Model, error) {
	stop := onSignal()
	defer stop.release()
	bar := &epochBar{out: out, epochs: tr.Train.Epochs, rows: tr.Rows.Rows}
	defer bar.finish()
	m, err := tr.Run(context.Background(), b, lib.Hooks{
		Start: func(t *nn.Trainer) { tr.WriteHeader(out, t) },
		Hooks: nn.Hooks{Progress: bar.update, Stop: stop.requested, EpochEnd: func(st nn.EpochStats) error {
			bar.finish()
			fmt.Fprintln(out, lib.EpochLine(tr.Config, st, tr.Train.Epochs))
			return nil
		}},
	})
	var stopped *lib.StoppedError
	if errors.As(err, &stopped) {
		return nil, exitError{fmt.Errorf("interrupted by %s in epoch %d at step %d; checkpoint written to %s (continue with --resume)", stop.signal(), stopped.Epoch, stopped.Step, stopped.Path), stop.exitCode()}
	}
	return m, err
}

// lockOut makes the output folder, proves it writable and takes its lock;
// unlock(failed) releases it, removing the folder this run made if it is
// still empty after a failure.
func lockOut(dir string) (unlock func(failed bool), err error) {
	_, statErr := os.Stat(dir)
	created := errors.Is(statErr, os.ErrNotExist)
	if err := lib.CheckWritableDir(dir); err != nil {
		return nil, err
	}
	release, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	return func(failed bool) {
		release()
		if failed && created {
			os.Remove(dir)
		}
	}, nil
}
