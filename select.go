package wgml

import (
	"fmt"

	"github.com/wgml/wgml/card"
	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
)

// Selection are the model-selection options of Fit, those of wgml train's
// --val-frac, --patience, --min-delta, --lr-schedule and --threshold-on.
type Selection struct {
	// ValFrac in (0, 1) holds out that fraction of the rows (seeded by
	// Seed) as a validation set, evaluated every epoch (History's
	// ValLoss); the normalisation is fitted on the other rows.
	ValFrac float64
	// Patience >= 1 (needs ValFrac) stops training once the validation loss
	// has not improved by more than MinDelta for that many epochs, and
	// keeps the best epoch's weights (Keras' EarlyStopping with
	// restore_best_weights); Model.BestEpoch names it.
	Patience int
	MinDelta float64
	// LRSchedule scales LR once per epoch: "constant" (default), "cosine",
	// "step:EVERY:GAMMA", each optionally with ",warmup:EPOCHS" (see
	// nn.Schedule).
	LRSchedule string
	// ThresholdOn is the rows Threshold and Scaler are fitted on: "train"
	// (default, the rows trained on) or "val" (the validation rows).
	ThresholdOn string
}

// apply sets the training options of s.
func (s Selection) apply(to *nn.TrainOptions) error {
	var err error
	if to.Schedule, err = nn.ParseSchedule(s.LRSchedule); err != nil {
		return err
	}
	to.ValFrac, to.Patience, to.MinDelta = s.ValFrac, s.Patience, s.MinDelta
	switch s.ThresholdOn {
	case "", card.OnTrain:
	case card.OnVal:
		if s.ValFrac == 0 {
			return fmt.Errorf("threshold-on val: there are no validation rows; set ValFrac too")
		}
	default:
		return fmt.Errorf("threshold-on %q: want train or val", s.ThresholdOn)
	}
	return nil
}

// splitValidation holds out to.ValFrac of d's rows as wgml train does
// (data.Split seeded by to.Seed); val is nil without ValFrac.
func splitValidation(d *data.Dataset, to nn.TrainOptions) (train, val *data.Dataset) {
	if to.ValFrac == 0 {
		return d, nil
	}
	return data.Split(d, to.ValFrac, to.Seed)
}

// validationSource normalises the validation rows (nil: none).
func (m *Model) validationSource(val *data.Dataset) (*nn.Source, error) {
	if val == nil {
		return nil, nil
	}
	if val.Rows == 0 {
		return nil, fmt.Errorf("val-frac: leaves no validation rows")
	}
	s, err := m.source(val)
	return &s, err
}

// train runs t's epochs, with val as its validation set (nil: none) and, if
// t has early stopping, until it stops, then loads back the best epoch's
// weights.
func (m *Model) train(t *nn.Trainer, val *nn.Source) error {
	if val != nil {
		if err := t.SetValidation(*val); err != nil {
			return err
		}
	}
	var best *nn.Checkpoint
	for t.Epoch < t.Opt.Epochs && !t.EarlyStopped() {
		st, err := t.RunEpoch()
		if err != nil {
			return err
		}
		if st.Improved {
			if best, err = nn.Snapshot(t.B, t.M, nil, nil); err != nil {
				return err
			}
			m.BestEpoch = st.Epoch
		}
	}
	if t.Early != nil {
		if best == nil {
			return fmt.Errorf("no epoch had a finite validation loss; no best weights to keep")
		}
		best.Apply(t.B, t.M)
	}
	return nil
}
