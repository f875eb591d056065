package wgml

// Pins of the library workflow's decisions (issue 18, deliverable 0),
// checked by value: the validation rows a seed holds out (the same rows as
// wgml train's, cmd/wgml/pin_test.go), what early stopping keeps, a
// validation loss that is never finite, and the schema ScoreFile and
// DenoiseFile read other files with.

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/internal/safetensors"
)

// pinVal are the validation rows data.Split holds out of 24 rows with
// ValFrac 0.25 and seed 7 (wgml train --val-frac 0.25 --seed 7 holds out
// the same).
var pinVal = []int{6, 5, 21, 8, 14, 10}

// pinRows are 24 rows of three features; huge rows get a 3e38 (a
// non-finite loss in float32).
func pinRows(huge []int) [][]float64 {
	rows := make([][]float64, 24)
	for i := range rows {
		x := float64(i)
		rows[i] = []float64{3 * math.Sin(x), 0.3*x - 2 + math.Cos(2*x), math.Sin(x) * (0.3*x - 2) / 4}
		if slices.Contains(huge, i) {
			rows[i][1] = 3e38
		}
	}
	return rows
}

func pinOptions(epochs int, sel Selection) Options {
	return Options{Layers: []int{2}, Epochs: epochs, Batch: 4, LR: 0.01, Seed: 7, Selection: sel}
}

// TestPinFitValidationRows: Fit with ValFrac 0.25 and seed 7 holds out
// pinVal: the threshold is the quantile of those rows' scores with
// ThresholdOn val, and of the other rows' without.
func TestPinFitValidationRows(t *testing.T) {
	rows := pinRows(nil)
	var val, fit [][]float64
	for i, r := range rows {
		if slices.Contains(pinVal, i) {
			val = append(val, r)
		} else {
			fit = append(fit, r)
		}
	}
	for _, c := range []struct {
		on          string
		right, rest [][]float64
	}{{"val", val, fit}, {"", fit, val}} {
		m, err := Fit(rows, pinOptions(2, Selection{ValFrac: 0.25, ThresholdOn: c.on}))
		if err != nil {
			t.Fatal(err)
		}
		threshold := func(rows [][]float64) float64 {
			s, err := m.Score(rows)
			if err != nil {
				t.Fatal(err)
			}
			th, err := Threshold(s, m.Contamination)
			if err != nil {
				t.Fatal(err)
			}
			return th
		}
		want, wrong := threshold(c.right), threshold(c.rest)
		if math.Abs(want-wrong) <= 1e-3*math.Abs(want) {
			t.Fatalf("threshold on %q: the wrong rows give %v too: the test has no power", c.on, wrong)
		}
		if math.Abs(m.Threshold-want) > 1e-9*math.Abs(want) {
			t.Errorf("threshold on %q: %v, want %v (the quantile of the right rows' scores; the others give %v)", c.on, m.Threshold, want, wrong)
		}
	}
}

// saved writes m to a file and returns its tensors.
func saved(t *testing.T, m *Model) map[string]safetensors.Tensor {
	t.Helper()
	path := filepath.Join(t.TempDir(), "m.safetensors")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	ts, _, err := safetensors.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

// TestPinFitEarlyStopKeepsBest: with a min-delta out of reach only epoch 1
// improves and Patience 2 stops after epoch 3; the model then holds bit for
// bit the weights of a 1-epoch Fit (same split) and its threshold and
// scaler were fitted on them.
func TestPinFitEarlyStopKeepsBest(t *testing.T) {
	rows := pinRows(nil)
	es, err := Fit(rows, pinOptions(10, Selection{ValFrac: 0.25, Patience: 2, MinDelta: 1e9}))
	if err != nil {
		t.Fatal(err)
	}
	one, err := Fit(rows, pinOptions(1, Selection{ValFrac: 0.25}))
	if err != nil {
		t.Fatal(err)
	}
	if es.BestEpoch != 1 || len(es.History) != 3 {
		t.Fatalf("best epoch %d after %d epochs; want 1 after 3", es.BestEpoch, len(es.History))
	}
	a, b := saved(t, es), saved(t, one)
	for name, ta := range a {
		if !bitsEqual(ta.Data, b[name].Data) {
			t.Errorf("tensor %s differs from the 1-epoch Fit's: not the best epoch's weights", name)
		}
	}
	if es.Threshold != one.Threshold || es.Scaler != one.Scaler {
		t.Errorf("threshold %v scaler %+v; the 1-epoch Fit's (same weights, same rows) %v %+v", es.Threshold, es.Scaler, one.Threshold, one.Scaler)
	}
}

// TestPinFitNonFiniteValidation: when every validation loss is +Inf or
// NaN no epoch is the best, and Fit says so.
func TestPinFitNonFiniteValidation(t *testing.T) {
	_, err := Fit(pinRows(pinVal), pinOptions(3, Selection{ValFrac: 0.25, Patience: 1}))
	if err == nil || !strings.Contains(err.Error(), "no epoch had a finite validation loss") {
		t.Errorf("Fit with non-finite validation losses: %v", err)
	}
}

// TestPinScoreFileSchema: ScoreFile and DenoiseFile read a file other
// than the training one with the training schema: its rows, in another
// order (categories first seen in another order) or lacking a category,
// score and de-noise exactly as the same rows of the training file.
func TestPinScoreFileSchema(t *testing.T) {
	dir := t.TempDir()
	colors := []string{"red", "green", "blue"}
	line := func(i int) string {
		x := float64(i)
		return fmt.Sprintf("%g,%s,%g\n", math.Sin(x), colors[i%3], 0.1*x+math.Cos(x))
	}
	write := func(name string, idx []int) string {
		var b strings.Builder
		b.WriteString("x,color,y\n")
		for _, i := range idx {
			b.WriteString(line(i))
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	var all, reversed, noRed []int
	for i := range 30 {
		all = append(all, i)
		reversed = append(reversed, 29-i)
		if i%3 != 0 {
			noRed = append(noRed, 29-i)
		}
	}
	train := write("train.csv", all)
	m, _, err := FitFile(train, data.OpenOptions{}, Options{Layers: []int{2}, Epochs: 2, Batch: 5})
	if err != nil {
		t.Fatal(err)
	}
	want, _, err := m.ScoreFile(train)
	if err != nil {
		t.Fatal(err)
	}
	wantRows, err := m.DenoiseFile(train)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		idx  []int
	}{{"reversed.csv", reversed}, {"nored.csv", noRed}} {
		p := write(c.name, c.idx)
		got, _, err := m.ScoreFile(p)
		if err != nil {
			t.Fatalf("ScoreFile(%s): %v", c.name, err)
		}
		rows, err := m.DenoiseFile(p)
		if err != nil {
			t.Fatalf("DenoiseFile(%s): %v", c.name, err)
		}
		for k, i := range c.idx {
			if got[k] != want[i] {
				t.Errorf("%s row %d (training row %d): score %v, the training file's %v", c.name, k, i, got[k], want[i])
			}
			if !slices.Equal(rows[k], wantRows[i]) {
				t.Errorf("%s row %d (training row %d): de-noised %v, the training file's %v", c.name, k, i, rows[k], wantRows[i])
			}
		}
	}
}

// bitsEqual reports whether a and b hold the same float32 bits.
func bitsEqual(a, b []float32) bool {
	return slices.EqualFunc(a, b, func(x, y float32) bool { return math.Float32bits(x) == math.Float32bits(y) })
}
