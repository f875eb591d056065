package wgml

import (
	"context"
	"slices"
	"testing"

	"github.com/wgml/wgml/card"
	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
)

// The rows a training owns are split and normalised in place and given to
// the backend; the rows of the caller (Fit's, FitFile's returned rows) are
// never written.

var ownedOpen = data.OpenOptions{CSV: data.CSVOptions{Missing: data.MissingMask}}

// TestFitLeavesCallersRows: Fit (with a validation split) trains on a copy.
func TestFitLeavesCallersRows(t *testing.T) {
	rows := pinRows(nil)
	before := make([][]float64, len(rows))
	for i, r := range rows {
		before[i] = slices.Clone(r)
	}
	if _, err := Fit(rows, Options{Layers: []int{2}, Epochs: 2, Batch: 4, Selection: Selection{ValFrac: 0.25}}); err != nil {
		t.Fatal(err)
	}
	for i := range rows {
		if !slices.Equal(rows[i], before[i]) {
			t.Fatalf("row %d is %v after Fit, was %v", i, rows[i], before[i])
		}
	}
}

// TestFitFileReturnsDataUnits: the rows FitFile returns are the rows read,
// not the normalised ones it trained on.
func TestFitFileReturnsDataUnits(t *testing.T) {
	_, d, err := FitFile(iris, ownedOpen, Options{Layers: []int{5, 2}, Epochs: 2, Batch: 16, Selection: Selection{ValFrac: 0.2}})
	if err != nil {
		t.Fatal(err)
	}
	want, err := data.ReadFile(iris, ownedOpen)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(d.Floats, want.Floats) || !slices.Equal(d.Mask, want.Mask) {
		t.Error("FitFile's rows differ from the file's: it wrote the caller's rows")
	}
}

// TestPrepareGivenTrainsAsLent: a training that owns its rows (Prepare's)
// splits, normalises and uploads them in place and trains bit for bit as
// one that copies them first (FitFile's), which leaves them as they were.
func TestPrepareGivenTrainsAsLent(t *testing.T) {
	read := func() (train, test *data.Dataset) {
		train, test, err := readSplit(iris, ownedOpen, 0, 0, nil)
		if err != nil {
			t.Fatal(err)
		}
		return train, test
	}
	opt := Options{Layers: []int{5, 2}, Epochs: 2, Batch: 16, Selection: Selection{ValFrac: 0.2}, Seed: 3}
	run := func(own nn.Ownership, train, test *data.Dataset) *Model {
		r, err := opt.prepare(&Training{own: own}, train, test, nil, card.Card{})
		if err != nil {
			t.Fatal(err)
		}
		m, err := r.Run(context.Background(), nil, Hooks{})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	train, test := read()
	lent := run(nn.Lent, train, test)
	wantTrain, wantTest := read()
	if !slices.Equal(train.Floats, wantTrain.Floats) || !slices.Equal(test.Floats, wantTest.Floats) || !slices.Equal(train.Mask, wantTrain.Mask) {
		t.Error("a training of lent rows wrote them")
	}
	given := run(nn.Given, wantTrain, wantTest)
	if slices.Equal(wantTrain.Floats, train.Floats) {
		t.Error("a training of given rows left them in data units: it normalised a copy")
	}
	if !historyEqual(given.History, lent.History) || given.Threshold != lent.Threshold {
		t.Errorf("given rows: history %+v, threshold %v; lent rows: %+v, %v", given.History, given.Threshold, lent.History, lent.Threshold)
	}
}

// historyEqual compares the losses of two histories bit for bit.
func historyEqual(a, b []nn.EpochStats) bool {
	return slices.EqualFunc(a, b, func(x, y nn.EpochStats) bool {
		return x.Loss == y.Loss && x.TestLoss == y.TestLoss && x.ValLoss == y.ValLoss
	})
}
