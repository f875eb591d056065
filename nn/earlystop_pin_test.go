package nn

import (
	"math"
	"testing"
)

// TestEarlyStopNonFiniteFirst: a first validation loss of +Inf or NaN is
// no best epoch (BestEpoch stays 0 and BestLoss finite, as a checkpoint's
// Check wants), and the first finite loss after it improves whatever the
// min-delta.
func TestEarlyStopNonFiniteFirst(t *testing.T) {
	for _, first := range []float64{math.Inf(1), math.NaN(), math.Inf(-1)} {
		s, err := NewEarlyStop(2, 1e9)
		if err != nil {
			t.Fatal(err)
		}
		if improved, stop := s.Observe(1, first); improved || stop || s.BestEpoch != 0 {
			t.Errorf("first loss %v: improved %v, stop %v, best epoch %d; want no best epoch", first, improved, stop, s.BestEpoch)
		}
		if err := s.Check(); err != nil {
			t.Errorf("first loss %v: state %+v: %v", first, s, err)
		}
		if improved, stop := s.Observe(2, 5); !improved || stop || s.BestEpoch != 2 || s.BestLoss != 5 {
			t.Errorf("first loss %v, then 5: improved %v, stop %v, best epoch %d loss %v; want epoch 2 the best", first, improved, stop, s.BestEpoch, s.BestLoss)
		}
	}
}
