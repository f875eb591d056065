package data

import (
	"slices"
	"testing"
)

// tiny returns a 4×2 byte dataset with labels 0, 1, 0, 2.
func tiny() *Dataset {
	return &Dataset{Name: "tiny", Rows: 4, Cols: 2, Width: 2, Height: 1,
		Bytes: []uint8{0, 255, 1, 2, 3, 4, 51, 102}, Labels: []int{0, 1, 0, 2}}
}

func TestRow(t *testing.T) {
	dst := make([]float32, 3)
	tiny().Row(3, dst)
	if want := []float32{51 * inv255, 102 * inv255, 0}; !slices.Equal(dst, want) {
		t.Errorf("bytes row = %v, want %v", dst, want)
	}
	f := &Dataset{Rows: 2, Cols: 2, Floats: []float32{1, 2, 3, 4}}
	f.Row(1, dst)
	if dst[0] != 3 || dst[1] != 4 {
		t.Errorf("float row = %v", dst)
	}
}

func TestSubsetLimitFilter(t *testing.T) {
	d := tiny()
	s := d.Subset([]int{3, 0, 3})
	if s.Rows != 3 || !slices.Equal(s.Bytes, []uint8{51, 102, 0, 255, 51, 102}) || !slices.Equal(s.Labels, []int{2, 0, 2}) || s.Width != 2 {
		t.Errorf("Subset = %+v", s)
	}
	s.Bytes[0] = 9
	if d.Bytes[6] != 51 {
		t.Error("Subset shares memory with its source")
	}

	l := d.Limit(2)
	if l.Rows != 2 || !slices.Equal(l.Bytes, []uint8{0, 255, 1, 2}) || !slices.Equal(l.Labels, []int{0, 1}) {
		t.Errorf("Limit(2) = %+v", l)
	}
	if d.Limit(10) != d || d.Limit(-1) != d {
		t.Error("Limit beyond Rows is not the dataset itself")
	}

	z := d.FilterLabel(0)
	if z.Rows != 2 || !slices.Equal(z.Bytes, []uint8{0, 255, 3, 4}) || !slices.Equal(z.Labels, []int{0, 0}) {
		t.Errorf("FilterLabel(0) = %+v", z)
	}
	f := &Dataset{Rows: 2, Cols: 1, Floats: []float32{1, 2}}
	if e := f.FilterLabel(0); e.Rows != 0 || len(e.Floats) != 0 {
		t.Errorf("FilterLabel without labels = %+v", e)
	}
	if g := f.Subset([]int{1}); !slices.Equal(g.Floats, []float32{2}) || g.Labels != nil {
		t.Errorf("float Subset = %+v", g)
	}
}
