package cpu_test

import (
	"testing"

	"github.com/wgml/wgml/cpu"
	"github.com/wgml/wgml/nn"
)

// TestUploadCopiesAdoptKeeps: a data set from UploadFloats or UploadBytes
// is a copy (a later write to src does not reach Gather), one from
// AdoptFloats or AdoptBytes is src itself (nn.HostAdopter: no second copy
// of the rows); both refuse a src of the wrong length.
func TestUploadCopiesAdoptKeeps(t *testing.T) {
	b := cpu.New()
	var _ nn.HostAdopter = b
	index, err := b.AllocIndex(1)
	if err != nil {
		t.Fatal(err)
	}
	b.UploadIndex(index, []int32{1})
	gather := func(data nn.Tensor) []float32 { // row 1 of data at scale 1
		dst, err := b.Alloc(1, 2)
		if err != nil {
			t.Fatal(err)
		}
		b.Gather(dst, data, index, 0, 1)
		got := make([]float32, 2)
		if err := b.Read(dst, got); err != nil {
			t.Fatal(err)
		}
		return got
	}
	floats, bytes := []float32{1, 2, 3, 4}, []uint8{1, 2, 3, 4}
	ups := []struct {
		name string
		up   func() (nn.Tensor, error)
		want float32 // row 1's first value after src's is set to 9
	}{
		{"UploadFloats", func() (nn.Tensor, error) { return b.UploadFloats(2, 2, floats) }, 3},
		{"UploadBytes", func() (nn.Tensor, error) { return b.UploadBytes(2, 2, bytes) }, 3},
		{"AdoptFloats", func() (nn.Tensor, error) { return b.AdoptFloats(2, 2, floats) }, 9},
		{"AdoptBytes", func() (nn.Tensor, error) { return b.AdoptBytes(2, 2, bytes) }, 9},
	}
	for _, u := range ups {
		floats[2], bytes[2] = 3, 3
		data, err := u.up()
		if err != nil {
			t.Fatal(err)
		}
		floats[2], bytes[2] = 9, 9
		if got := gather(data); got[0] != u.want || got[1] != 4 {
			t.Errorf("%s, then src[2] = 9: row 1 gathers %v, want [%v 4]", u.name, got, u.want)
		}
	}
	if _, err := b.AdoptFloats(2, 3, floats); err == nil {
		t.Error("AdoptFloats(2, 3) of 4 values: no error")
	}
	if _, err := b.AdoptBytes(3, 2, bytes); err == nil {
		t.Error("AdoptBytes(3, 2) of 4 values: no error")
	}
}
