package data

import (
	"slices"
	"testing"
)

func TestSplit(t *testing.T) {
	d := &Dataset{Name: "t", Rows: 10, Cols: 1, Floats: make([]float32, 10), Labels: make([]int, 10)}
	for i := range 10 {
		d.Floats[i] = float32(i)
		d.Labels[i] = i
	}
	train, test := Split(d, 0.25, 9)
	if train.Rows != 7 || test.Rows != 3 || train.Name != "t train" || test.Name != "t test" {
		t.Fatalf("split into %d (%s) and %d (%s) rows, want 7 and 3", train.Rows, train.Name, test.Rows, test.Name)
	}
	all := append(slices.Clone(train.Labels), test.Labels...)
	for i, l := range all {
		if float32(l) != append(slices.Clone(train.Floats), test.Floats...)[i] {
			t.Fatal("rows and labels were separated")
		}
	}
	slices.Sort(all)
	if !slices.Equal(all, d.Labels) {
		t.Errorf("train ∪ test = %v, want every row once", all)
	}
	again, _ := Split(d, 0.25, 9)
	if !slices.Equal(again.Labels, train.Labels) {
		t.Error("Split is not deterministic")
	}
	if other, _ := Split(d, 0.25, 10); slices.Equal(other.Labels, train.Labels) {
		t.Error("seeds 9 and 10 split alike")
	}
	if tr, te := Split(d, 2, 0); tr.Rows != 0 || te.Rows != 10 {
		t.Errorf("testFrac 2 split %d/%d, want 0/10", tr.Rows, te.Rows)
	}
}
