package nn

import (
	"fmt"
	"math"
)

// Model selection during training: a validation set held out of the
// training rows, evaluated at each epoch end as the test set is; early
// stopping on its loss (Opt.Patience, Opt.MinDelta: see EarlyStop); and the
// learning-rate schedule (Opt.Schedule).
//
// The schedule is stepped once per epoch, as PyTorch's epoch schedulers
// (CosineAnnealingLR, StepLR) are when scheduler.step() is called after
// each epoch: epoch e (1-based) of a run of E epochs trains every step at
//
//	lr_e = Adam.LR · Schedule.Factor(e-1, 1, E)
//
// so cosine anneals to 0 over E epochs and a warm-up counts epochs. The LR
// changes at most once per epoch, so a GPU backend writes one Params word
// per epoch and a step still uploads nothing. It depends on the epoch
// alone, so a resumed run continues it exactly given the same Schedule (and,
// for cosine, the same E: CheckResume refuses others).

// checkValidation checks the validation and schedule options.
func (o TrainOptions) checkValidation() error {
	switch {
	case o.ValFrac != 0 && !(o.ValFrac > 0 && o.ValFrac < 1):
		return fmt.Errorf("val-frac %v: want a fraction of the training rows in (0, 1)", o.ValFrac)
	case o.Patience < 0:
		return fmt.Errorf("patience %d: want at least 1 epoch", o.Patience)
	case o.Patience > 0 && o.ValFrac == 0:
		return fmt.Errorf("patience %d: early stopping watches the validation loss; give --val-frac too", o.Patience)
	case !(o.MinDelta >= 0) || math.IsInf(o.MinDelta, 0):
		return fmt.Errorf("min-delta %v: want a finite number >= 0", o.MinDelta)
	}
	return o.Schedule.Check(o.Epochs)
}

// setEpochLR sets the learning rate of epoch (1-based).
func (t *Trainer) setEpochLR(epoch int) {
	t.lr = t.Opt.Adam.LR * float32(t.Opt.Schedule.Factor(epoch-1, 1, t.Opt.Epochs))
}

// SetValidation uploads the validation rows, evaluated at every epoch end
// into EpochStats.Val*; early stopping (Early) watches their loss.
func (t *Trainer) SetValidation(val Source) error {
	if val.Rows == 0 {
		return fmt.Errorf("validation set: no rows")
	}
	if val.Cols != t.M.Config.Input() {
		return fmt.Errorf("validation set has %d columns, the model %d", val.Cols, t.M.Config.Input())
	}
	var err error
	t.val, t.valIndex, t.valWS, err = t.uploadEval(val)
	return err
}

// endEpochValidation evaluates the validation set into st and, with early
// stopping, observes its loss.
func (t *Trainer) endEpochValidation(st *EpochStats) error {
	st.ValLoss, st.ValRecon, st.ValKL = math.NaN(), math.NaN(), math.NaN()
	if t.val == nil {
		return nil
	}
	var err error
	if st.ValRecon, st.ValKL, err = t.evaluate(t.val, t.valIndex, t.valWS); err != nil {
		return err
	}
	st.ValLoss = st.ValRecon + float64(t.M.Config.Beta)*st.ValKL
	if t.Early != nil {
		st.Improved, _ = t.Early.Observe(st.Epoch, st.ValLoss)
	}
	return nil
}

// EarlyStopped reports whether early stopping has ended the run.
func (t *Trainer) EarlyStopped() bool { return t.Early != nil && t.Early.Stopped() }

// RunVal is Model.Run over the validation rows, which are on the device.
func (t *Trainer) RunVal(batch int, w Want) (*Results, error) {
	if t.val == nil {
		return nil, fmt.Errorf("no validation set")
	}
	return t.M.run(t.B, t.val.rows, batch, w, t.val.mask != nil, func(ws *workspace, first, _ int) {
		t.val.gather(t.B, ws, t.valIndex, first)
	})
}
