package wgml

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/wgml/wgml/card"
	"github.com/wgml/wgml/cpu"
	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/outlier"
)

// Hooks tell Run's caller what happens; every field may be nil.
type Hooks struct {
	// Start is called once the model and trainer are built (a resumed
	// run's state restored), before the first epoch.
	Start func(t *nn.Trainer)
	// Progress, EpochEnd (called before the epoch's files are written)
	// and Stop: see nn.Hooks.
	nn.Hooks
}

// StoppedError is Run's answer when Hooks.Stop or the context stopped
// training at a step boundary; the state was written to Path (a Job's
// folder) to resume from.
type StoppedError struct {
	Epoch, Step int // the epoch it stopped in (1-based), the steps done
	Path        string
}

func (e *StoppedError) Error() string {
	return fmt.Sprintf("stopped in epoch %d at step %d; checkpoint written to %s (continue with --resume)", e.Epoch, e.Step, e.Path)
}

func (e *StoppedError) Unwrap() error { return nn.ErrStopped }

// hookError is an error of an epoch-end hook, passed through Run as is.
type hookError struct{ err error }

func (e hookError) Error() string { return e.err.Error() }

// Trainer is the trainer of the last Run (for its counters), nil before.
func (r *Training) Trainer() *nn.Trainer { return r.trainer }

// Run trains on backend b (nil: Options.Backend, else a new CPU backend):
// nn's one loop (Trainer.Run) with early stopping's best weights restored,
// a Job's files written after every epoch, then the outlier thresholds of
// every score kind fitted on the final model's training (or validation)
// rows, scored in nn.ScoreBatch.
func (r *Training) Run(ctx context.Context, b nn.Backend, h Hooks) (*Model, error) {
	if b == nil {
		b = r.Opt.Backend
	}
	if b == nil {
		b = cpu.New()
	}
	t, err := r.newTrainer(b)
	if err != nil {
		return nil, err
	}
	r.trainer = t
	if h.Start != nil {
		h.Start(t)
	}
	t.Best = r.best
	err = t.Run(ctx, nn.Hooks{Progress: h.Progress, Stop: h.Stop, EpochEnd: r.epochEnd(t, h.EpochEnd)})
	if err != nil {
		return nil, r.runError(t, err)
	}
	if err := r.finish(t); err != nil {
		return nil, err
	}
	return r.model(t), nil
}

// newTrainer builds the model (or the resumed one) on b and its trainer.
func (r *Training) newTrainer(b nn.Backend) (*nn.Trainer, error) {
	var m *nn.Model
	var err error
	if r.Resumed != nil {
		m, err = r.Resumed.Build(b)
	} else {
		m, err = nn.NewModel(b, r.Config, r.Train.Seed)
	}
	if err != nil {
		return nil, err
	}
	t, err := nn.NewTrainer(b, m, r.trainSrc, r.testSrc, r.Train)
	if err != nil {
		return nil, err
	}
	if r.valSrc != nil {
		if err := t.SetValidation(*r.valSrc); err != nil {
			return nil, err
		}
	}
	if r.Resumed != nil {
		if err := r.Resumed.Restore(t); err != nil {
			return nil, fmt.Errorf("resume: %s: %w", r.checkpoint, err)
		}
	}
	return t, nil
}

// epochEnd is the epoch-end hook: the caller's, then a Job's files.
func (r *Training) epochEnd(t *nn.Trainer, caller func(nn.EpochStats) error) func(nn.EpochStats) error {
	return func(st nn.EpochStats) error {
		if caller != nil {
			if err := caller(st); err != nil {
				return hookError{err}
			}
		}
		if r.Job == nil {
			return nil
		}
		if err := r.writeEpoch(t, st); err != nil {
			return hookError{err}
		}
		return nil
	}
}

// writeEpoch writes a Job's files after an epoch: under early stopping
// model.safetensors when the epoch improved and last.safetensors always;
// otherwise model.safetensors, with the thresholds after the final epoch;
// and the loss curve.
func (r *Training) writeEpoch(t *nn.Trainer, st nn.EpochStats) error {
	if t.Early != nil {
		if st.Improved {
			if err := r.Card.Write(t.Best); err != nil {
				return err
			}
			if err := t.Best.Save(r.checkpoint); err != nil {
				return err
			}
		}
		if err := r.save(t, r.lastPath); err != nil {
			return err
		}
	} else {
		if t.Epoch == t.Opt.Epochs { // the final model: its thresholds go into this checkpoint
			if err := r.fitThresholds(t); err != nil {
				return err
			}
		}
		if err := r.save(t, r.checkpoint); err != nil {
			return err
		}
	}
	return writeLossCurve(filepath.Join(r.Job.Out, LossCurveName), t.M.Config, t.History)
}

// runError turns an error of nn's loop into Run's answer: a stop writes
// the state to resume from; a failed epoch says which checkpoint stands.
func (r *Training) runError(t *nn.Trainer, err error) error {
	var he hookError
	var bm *nn.BestMissingError
	switch {
	case errors.As(err, &he):
		return he.err
	case errors.Is(err, nn.ErrNoBestEpoch) || r.Job == nil:
		return err
	case errors.As(err, &bm):
		if r.bestErr != nil {
			return fmt.Errorf("the best epoch's checkpoint: %w", r.bestErr)
		}
		return fmt.Errorf("%s holds epoch %d, but the best epoch is %d: resume from a complete output folder", r.checkpoint, bm.Have, bm.Want)
	case errors.Is(err, nn.ErrStopped):
		path := r.checkpoint
		if t.Early != nil {
			path = r.lastPath
		}
		if serr := r.save(t, path); serr != nil {
			return serr
		}
		return &StoppedError{Epoch: t.Epoch + 1, Step: t.Step, Path: path}
	case t.Early != nil:
		return fmt.Errorf("%w; last good checkpoints kept at %s and %s", err, r.checkpoint, r.lastPath)
	case r.Resumed == nil && t.Epoch == 0:
		return fmt.Errorf("%w; no checkpoint was written yet", err)
	}
	return fmt.Errorf("%w; last good checkpoint kept at %s", err, r.checkpoint)
}

// finish fits the thresholds on the final model where the last epoch did
// not (early stopping's best weights, no epoch left to train, Fit) and
// writes a Job's model.safetensors with them.
func (r *Training) finish(t *nn.Trainer) error {
	if r.thresholdsFitted && t.Early == nil {
		return nil
	}
	if err := r.fitThresholds(t); err != nil {
		return err
	}
	if r.Job == nil {
		return nil
	}
	if t.Early != nil {
		if err := r.Card.Write(t.Best); err != nil {
			return err
		}
		return t.Best.Save(r.checkpoint)
	}
	return r.save(t, r.checkpoint)
}

// fitThresholds scores the trainer's training (or validation) rows,
// resident on the device, in nn.ScoreBatch and records the thresholds of
// every score kind in the card.
func (r *Training) fitThresholds(t *nn.Trainer) error {
	run, fit, rows := t.RunTrain, fitThresholds, "training"
	if r.stream != nil {
		run, fit = r.runTrain(t), fitThresholdsInPlace
	}
	if r.Opt.ThresholdOn == card.OnVal {
		run, fit, rows = t.RunVal, fitThresholds, "validation"
	}
	res, err := run(nn.ScoreBatch, nn.Want{Losses: true})
	if err != nil {
		return fmt.Errorf("scoring the %s rows: %w", rows, err)
	}
	th, err := fit(res, t.M.Config, r.Opt.contamination())
	if err != nil {
		return err
	}
	th.On, th.Score = r.Opt.ThresholdOn, r.scoreKind
	r.Card.Thresholds, r.thresholdsFitted = th, true
	return nil
}

// fitThresholds fits, for every score kind of a model of config c, the
// (1-contamination) quantile of the rows' scores in res and the outlier
// probability Scaler of those scores.
func fitThresholds(res *nn.Results, c nn.Config, contamination float64) (card.Thresholds, error) {
	th := card.Thresholds{ByScore: map[string]float64{}, Scalers: map[string]outlier.Scaler{}, Score: nn.ScoreRecon, Contamination: contamination, Rows: len(res.Recon)}
	for _, kind := range nn.ScoreKinds(c) {
		scores := nn.RowScores(res, kind)
		t, err := outlier.Quantile(scores, contamination)
		if err != nil {
			return th, fmt.Errorf("fitting the %s threshold on the training rows: %w", kind, err)
		}
		th.ByScore[kind] = t
		if th.Scalers[kind], err = outlier.FitScaler(scores); err != nil {
			return th, err
		}
	}
	return th, nil
}

// save writes the checkpoint of t with the card to path, atomically.
func (r *Training) save(t *nn.Trainer, path string) error {
	ck, err := nn.Snapshot(t.B, t.M, t, nil)
	if err != nil {
		return err
	}
	if err := r.Card.Write(ck); err != nil {
		return err
	}
	return ck.Save(path)
}

// model is the trained model with its normalisation and thresholds.
func (r *Training) model(t *nn.Trainer) *Model {
	th, kind := r.Card.Thresholds, r.scoreKind
	m := &Model{Net: t.M, Backend: t.B, Norm: r.norm, Threshold: th.ByScore[kind], Contamination: th.Contamination, ScoreKind: kind,
		Images: r.Card.Images || r.Rows.Bytes != nil, History: t.History, Batch: nn.ScoreBatch, Scaler: th.Scalers[kind], Schema: r.Rows.Schema, card: r.Card}
	if t.Early != nil {
		m.BestEpoch = t.Early.BestEpoch
	}
	return m
}
