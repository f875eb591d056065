package wgml

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// Fit with a validation split fits the threshold on the rows asked for,
// early stopping keeps a best epoch, and Save/Load keep it with the scaler.
func TestFitSelection(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	rows := make([][]float64, 200)
	for i := range rows {
		a := rng.NormFloat64()
		rows[i] = []float64{a, 2 * a, -a, a + 0.1*rng.NormFloat64()}
	}
	opt := Options{Layers: []int{3, 1}, Epochs: 300, Batch: 16, LR: 0.01, Selection: Selection{ValFrac: 0.25, Patience: 3, ThresholdOn: "val"}}
	m, err := Fit(rows, opt)
	if err != nil {
		t.Fatal(err)
	}
	last := m.History[len(m.History)-1]
	if m.BestEpoch == 0 || last.Epoch != m.BestEpoch+3 || last.Epoch >= 300 {
		t.Fatalf("best epoch %d, last %d: want an early stop 3 epochs after the best", m.BestEpoch, last.Epoch)
	}
	if m.Scaler.Max <= m.Scaler.Min {
		t.Errorf("scaler %+v", m.Scaler)
	}
	back := saveLoad(t, m)
	if back.Scaler != m.Scaler || back.Threshold != m.Threshold {
		t.Errorf("loaded scaler %+v threshold %v, saved %+v %v", back.Scaler, back.Threshold, m.Scaler, m.Threshold)
	}
	for _, c := range []struct {
		sel  Selection
		want string
	}{
		{Selection{ValFrac: 1.5}, "val-frac 1.5"},
		{Selection{Patience: 2}, "give --val-frac too"},
		{Selection{ThresholdOn: "val"}, "threshold-on val: there are no validation rows"},
		{Selection{LRSchedule: "linear"}, `lr-schedule "linear"`},
	} {
		o := opt
		o.Selection = c.sel
		if _, err := Fit(rows, o); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Selection %+v: %v, want %q", c.sel, err, c.want)
		}
	}
	if _, err := m.FitThreshold("max-f1", rows, nil); err == nil || !strings.Contains(err.Error(), "needs a label per row") {
		t.Errorf("max-f1 without labels: %v", err)
	}
}
