package nn

import (
	"fmt"
	"math"
)

// EarlyStop is the state of early stopping on the validation loss, as
// Keras' EarlyStopping(monitor='val_loss', mode='min') keeps it: an epoch
// improves when its loss is below BestLoss − MinDelta; training stops once
// Patience epochs in a row have not improved. It is plain data, so the
// checkpoint stores it as JSON and a resumed run continues it.
type EarlyStop struct {
	Patience  int     `json:"patience"`   // epochs without improvement that stop training, >= 1
	MinDelta  float64 `json:"min_delta"`  // the least decrease that counts as improvement, >= 0
	BestEpoch int     `json:"best_epoch"` // the epoch of BestLoss; 0 before the first improvement
	BestLoss  float64 `json:"best_loss"`  // the lowest validation loss seen (0 while BestEpoch is 0)
	Epoch     int     `json:"epoch"`      // the last epoch observed
	Waited    int     `json:"waited"`     // epochs since BestEpoch (or the start) without improvement
}

// NewEarlyStop returns the state before any epoch.
func NewEarlyStop(patience int, minDelta float64) (EarlyStop, error) {
	s := EarlyStop{Patience: patience, MinDelta: minDelta}
	return s, s.Check()
}

// Check reports state that Observe cannot continue from (a checkpoint's
// early-stopping record that was edited or damaged).
func (s EarlyStop) Check() error {
	switch {
	case s.Patience < 1:
		return fmt.Errorf("patience %d: want at least 1 epoch", s.Patience)
	case !(s.MinDelta >= 0) || math.IsInf(s.MinDelta, 0):
		return fmt.Errorf("min-delta %v: want a finite number >= 0", s.MinDelta)
	case s.BestEpoch < 0 || s.BestEpoch > s.Epoch || s.Waited < 0 || s.Waited > s.Epoch-s.BestEpoch:
		return fmt.Errorf("early stopping state best epoch %d, last epoch %d, waited %d: inconsistent", s.BestEpoch, s.Epoch, s.Waited)
	case math.IsNaN(s.BestLoss) || math.IsInf(s.BestLoss, 0):
		return fmt.Errorf("early stopping best loss %v: want a finite number", s.BestLoss)
	}
	return nil
}

// Observe records epoch's validation loss (epochs in increasing order) and
// reports whether it improved on the best (save these weights as the best)
// and whether training should stop now. A NaN loss never improves.
func (s *EarlyStop) Observe(epoch int, valLoss float64) (improved, stop bool) {
	if epoch <= s.Epoch {
		panic(fmt.Sprintf("nn: EarlyStop.Observe: epoch %d after epoch %d", epoch, s.Epoch))
	}
	s.Epoch = epoch
	if !math.IsNaN(valLoss) && !math.IsInf(valLoss, 0) && (s.BestEpoch == 0 || valLoss < s.BestLoss-s.MinDelta) {
		s.BestEpoch, s.BestLoss, s.Waited = epoch, valLoss, 0
		return true, false
	}
	s.Waited++
	return false, s.Stopped()
}

// Stopped reports whether Patience epochs in a row have not improved.
func (s EarlyStop) Stopped() bool { return s.Waited >= s.Patience }
