package nn

import (
	"context"
	"errors"
	"fmt"
)

// Hooks are what Run tells its caller while it trains. Every field may be
// nil.
type Hooks struct {
	// Progress is called every Opt.LogEvery steps with the running loss.
	Progress func(Progress)
	// EpochEnd is called after every finished epoch, with the trainer in
	// its end-of-epoch state (Best already taken when st.Improved): the
	// place to write checkpoints and pictures. An error ends Run.
	EpochEnd func(st EpochStats) error
	// Stop is polled before every step (as Trainer.Stop); true ends Run
	// at that step boundary with ErrStopped.
	Stop func() bool
}

// ErrNoBestEpoch is Run's answer when early stopping saw no finite
// validation loss, so there are no best weights to keep.
var ErrNoBestEpoch = errors.New("no epoch had a finite validation loss; no best weights to keep")

// BestMissingError is Run's answer when early stopping ends with Best
// holding another epoch than the best one (a resumed run whose best
// checkpoint is not that epoch's).
type BestMissingError struct{ Have, Want int }

func (e *BestMissingError) Error() string {
	return fmt.Sprintf("the best weights at hand are epoch %d's, but the best epoch is %d", e.Have, e.Want)
}

// Run is the one training loop: it runs epochs until Opt.Epochs are done
// or early stopping ends the run, calling h's hooks. With early stopping
// it keeps the best epoch's weights in Best (a Snapshot with the trainer's
// state, taken when an epoch improves) and, at the end, loads them back
// into M. A caller resuming a run sets Best to the best epoch's checkpoint
// first. Cancelling ctx stops as Stop does, with ErrStopped; the trainer is
// then at a step boundary and can be checkpointed.
func (t *Trainer) Run(ctx context.Context, h Hooks) error {
	stop, progress := t.Stop, t.OnProgress
	defer func() { t.Stop, t.OnProgress = stop, progress }()
	t.Stop = func() bool { return ctx.Err() != nil || h.Stop != nil && h.Stop() }
	t.OnProgress = h.Progress
	for t.Epoch < t.Opt.Epochs && !t.EarlyStopped() {
		st, err := t.RunEpoch()
		if err != nil {
			return err
		}
		if st.Improved {
			if t.Best, err = Snapshot(t.B, t.M, t, nil); err != nil {
				return err
			}
		}
		if h.EpochEnd != nil {
			if err := h.EpochEnd(st); err != nil {
				return err
			}
		}
	}
	return t.restoreBest()
}

// restoreBest loads the best epoch's weights back into M under early
// stopping.
func (t *Trainer) restoreBest() error {
	if t.Early == nil {
		return nil
	}
	if t.Early.BestEpoch == 0 {
		return ErrNoBestEpoch
	}
	if t.Best == nil {
		return &BestMissingError{Want: t.Early.BestEpoch}
	}
	if t.Best.Epoch != t.Early.BestEpoch {
		return &BestMissingError{Have: t.Best.Epoch, Want: t.Early.BestEpoch}
	}
	t.Best.Apply(t.B, t.M)
	return nil
}
