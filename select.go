package wgml

import (
	"fmt"

	"github.com/wgml/wgml/card"
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
	case "", card.OnTrain, card.OnVal:
	default:
		return fmt.Errorf("threshold-on %q: want train or val", s.ThresholdOn)
	}
	return nil
}
