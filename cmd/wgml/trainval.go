package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/pflag"
	"github.com/wgml/wgml/card"
	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
)

// Model selection in wgml train: a validation split (--val-frac), early
// stopping on its loss (--patience, --min-delta), the learning-rate
// schedule (--lr-schedule) and the rows thresholds are fitted on
// (--threshold-on).
//
// With early stopping the output folder holds two checkpoints:
// model.safetensors, the weights of the best validation epoch (written when
// an epoch improves; its metadata names best_epoch) with the thresholds
// fitted on them at the end, and last.safetensors, the last epoch's weights,
// Adam state, history and early-stopping state, written every epoch, which
// --resume continues (falling back to model.safetensors where it is
// missing). Without early stopping model.safetensors is both.

// lastName is the early-stopping run's last-epoch checkpoint.
const lastName = "last.safetensors"

func addValidationFlags(fs *pflag.FlagSet, f *trainFlags) {
	o, def := &f.opt, nn.DefaultTrainOptions()
	fs.StringVar(&f.schedule, "lr-schedule", def.Schedule.String(), "learning rate per epoch: constant, cosine (to 0 over --epochs) or step:EVERY:GAMMA (×GAMMA every EVERY epochs), each optionally with ,warmup:EPOCHS (linear warm-up)")
	fs.Float64Var(&o.ValFrac, "val-frac", 0, "hold out this fraction of the training rows (seeded by --seed) as a validation set, evaluated every epoch")
	fs.IntVar(&o.Patience, "patience", 0, "early stopping (needs --val-frac): stop after this many epochs without validation improvement; model.safetensors keeps the best epoch's weights, last.safetensors the last state (--resume reads it)")
	fs.Float64Var(&o.MinDelta, "min-delta", 0, "early stopping: the least decrease of the validation loss that counts as improvement")
	fs.StringVar(&f.thresholdOn, "threshold-on", card.OnTrain, "fit the outlier thresholds on the train rows or the val (validation) rows")
}

// parseValidation reads --lr-schedule and checks --threshold-on (usage
// errors); TrainOptions.Check checks the rest.
func (f *trainFlags) parseValidation(fs *pflag.FlagSet) error {
	if fs.Changed("patience") && f.opt.Patience < 1 {
		return usagef("patience %d: want at least 1 epoch (leave --patience out to train every epoch)", f.opt.Patience)
	}
	s, err := nn.ParseSchedule(f.schedule)
	if err != nil {
		return usageError{err}
	}
	f.opt.Schedule = s
	switch f.thresholdOn {
	case card.OnTrain, card.OnVal:
	default:
		return usagef("threshold-on %q: want train or val", f.thresholdOn)
	}
	return nil
}

// precheck is check before anything is loaded; with --resume it leaves
// out the validation and schedule options, which depend on what the
// checkpoint recorded (epochs, --val-frac): fromCheckpoint checks them.
func (f *trainFlags) precheck() error {
	g := *f
	if f.resume {
		g.opt.ValFrac, g.opt.Patience, g.opt.MinDelta, g.opt.Schedule = 0, 0, 0, nn.Schedule{}
	}
	return g.check()
}

// splitValidation holds out --val-frac of the training rows (data.Split,
// seeded by --seed: a resumed run gets the same rows) as the validation set.
func (r *trainRun) splitValidation() error {
	o := r.f.opt
	if r.f.thresholdOn == card.OnVal && o.ValFrac == 0 {
		return usagef("threshold-on val: there are no validation rows; give --val-frac too")
	}
	if o.ValFrac == 0 {
		return nil
	}
	train, val := validationSplit(r.train, o)
	if val.Rows == 0 || train.Rows == 0 {
		return usagef("val-frac %v: of %d training rows leaves %d for training and %d for validation; want some of each", o.ValFrac, r.train.Rows, train.Rows, val.Rows)
	}
	train.Name, val.Name = r.train.Name, r.train.Name+" validation"
	r.train, r.val = train, val
	return nil
}

// resumePath is the checkpoint --resume continues: last (an early-stopping
// run's last state) where it exists, else model.
func resumePath(model, last string) string {
	if _, err := os.Stat(last); err == nil {
		return last
	}
	return model
}

func valRows(val *data.Dataset) string {
	if val == nil {
		return ""
	}
	return fmt.Sprintf(" (+%d validation rows)", val.Rows)
}

// runEarlyStop is run's epoch loop with early stopping: each epoch writes
// last.safetensors, and model.safetensors when the validation loss
// improved; at the end the best weights are loaded back, the thresholds
// fitted on them and model.safetensors rewritten with them.
func (r *trainRun) runEarlyStop(t *nn.Trainer, out io.Writer, stop *stopper) error {
	epochs := r.f.opt.Epochs
	for t.Epoch < epochs && !t.EarlyStopped() {
		bar := newEpochBar(out, t.Epoch+1, epochs, r.train.Rows)
		t.OnProgress = bar.update
		st, err := t.RunEpoch()
		bar.finish()
		if errors.Is(err, nn.ErrStopped) {
			if serr := r.saveTo(t, r.lastPath); serr != nil {
				return serr
			}
			return exitError{fmt.Errorf("interrupted by %s in epoch %d at step %d; checkpoint written to %s (continue with --resume)", stop.signal(), t.Epoch+1, t.Step, r.lastPath), stop.exitCode()}
		}
		if err != nil {
			return fmt.Errorf("%w; last good checkpoints kept at %s and %s", err, r.ckPath, r.lastPath)
		}
		fmt.Fprintln(out, epochLine(r.cfg, st, epochs))
		if st.Improved {
			if r.best, err = r.snapshot(t); err != nil {
				return err
			}
			if err := r.best.Save(r.ckPath); err != nil {
				return err
			}
		}
		if err := r.saveTo(t, r.lastPath); err != nil {
			return err
		}
		if err := writeLossCurve(r.lossPath, r.cfg, t.History); err != nil {
			return err
		}
	}
	es := t.Early
	if es.BestEpoch == 0 {
		return fmt.Errorf("no epoch had a finite validation loss; no best weights to keep")
	}
	if t.EarlyStopped() {
		fmt.Fprintf(out, "early stop at epoch %d: validation loss has not improved by more than %g for %d epochs; best epoch %d, validation loss %.4f\n",
			t.Epoch, es.MinDelta, es.Patience, es.BestEpoch, es.BestLoss)
	}
	return r.keepBest(t)
}

// keepBest loads the best epoch's weights into t's model (from this
// process's snapshot, or from model.safetensors when another process wrote
// it), fits the thresholds on them and writes model.safetensors with them.
func (r *trainRun) keepBest(t *nn.Trainer) error {
	best := r.best
	if best == nil || best.Epoch != t.Early.BestEpoch {
		var err error
		if best, err = nn.LoadCheckpoint(r.ckPath); err != nil {
			return fmt.Errorf("the best epoch's checkpoint: %w", err)
		}
		if best.Epoch != t.Early.BestEpoch {
			return fmt.Errorf("%s holds epoch %d, but the best epoch is %d: resume from a complete output folder", r.ckPath, best.Epoch, t.Early.BestEpoch)
		}
	}
	best.Apply(t.B, t.M)
	if err := r.fitThresholds(t); err != nil {
		return err
	}
	if err := r.card.Write(best); err != nil {
		return err
	}
	return best.Save(r.ckPath)
}

// snapshot is the checkpoint of t with the run's card.
func (r *trainRun) snapshot(t *nn.Trainer) (*nn.Checkpoint, error) {
	ck, err := nn.Snapshot(t.B, t.M, t, nil)
	if err != nil {
		return nil, err
	}
	return ck, r.card.Write(ck)
}

// saveTo writes the checkpoint of t with the run's card to path, atomically.
func (r *trainRun) saveTo(t *nn.Trainer, path string) error {
	ck, err := r.snapshot(t)
	if err != nil {
		return err
	}
	return ck.Save(path)
}

// validationSplit deals d into the rows trained on and the validation rows
// held out by o.ValFrac (data.Split seeded by o.Seed).
func validationSplit(d *data.Dataset, o nn.TrainOptions) (train, val *data.Dataset) {
	return data.Split(d, o.ValFrac, o.Seed)
}

// thresholdRows are the rows of the training data d that a run trained
// with o fitted its thresholds on (on: card.OnTrain or OnVal): d without
// its validation rows, or those alone.
func thresholdRows(d *data.Dataset, o *nn.TrainOptions, on string) *data.Dataset {
	if o == nil || o.ValFrac == 0 {
		return d
	}
	train, val := validationSplit(d, *o)
	if on == card.OnVal {
		return val
	}
	return train
}
