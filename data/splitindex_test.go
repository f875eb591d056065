package data

import (
	"slices"
	"testing"
)

// TestSplitIndex: SplitIndex names the rows Split takes, in its order.
func TestSplitIndex(t *testing.T) {
	d := &Dataset{Name: "d", Rows: 101, Cols: 2, Floats: make([]float32, 202)}
	for i := range d.Floats {
		d.Floats[i] = float32(i / 2)
	}
	train, test := Split(d, 0.3, 7)
	ti, si := SplitIndex(d.Rows, 0.3, 7)
	if len(si) != test.Rows || len(ti) != train.Rows {
		t.Fatalf("%d and %d rows, Split %d and %d", len(ti), len(si), train.Rows, test.Rows)
	}
	for _, c := range []struct {
		idx []int
		set *Dataset
	}{{ti, train}, {si, test}} {
		got := make([]float32, 0, 2*len(c.idx))
		for _, i := range c.idx {
			got = append(got, float32(i), float32(i))
		}
		if !slices.Equal(got, c.set.Floats) {
			t.Fatalf("rows %v, Split's %v", c.idx[:5], c.set.Floats[:10])
		}
	}
}
