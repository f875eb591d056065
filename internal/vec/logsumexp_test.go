package vec

import (
	"math"
	"testing"
)

// TestLogSumExp checks the shifted form against the plain log Σ exp on
// values where that does not overflow, and that large values do not
// overflow.
func TestLogSumExp(t *testing.T) {
	for _, z := range [][]float32{{0}, {1, 2, 3}, {-4, 0.5, 7, -1, 2}} {
		var s float64
		for _, v := range z {
			s += math.Exp(float64(v))
		}
		want, got := math.Log(s), LogSumExp(z)
		if d := math.Abs(got - want); d > 1e-12*math.Max(1, math.Abs(want)) {
			t.Errorf("LogSumExp(%v) = %v, want %v (maxdiff %g)", z, got, want, d)
		}
	}
	if got, want := LogSumExp([]float32{1000, 1000}), 1000+math.Ln2; math.Abs(got-want) > 1e-9 {
		t.Errorf("LogSumExp(1000, 1000) = %v, want %v", got, want)
	}
}
