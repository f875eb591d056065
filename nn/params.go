package nn

import (
	"fmt"
	"strings"
)

// ParamSet holds every trainable tensor of a model in one flat buffer, with
// gradients and the two Adam moments in three more flat buffers of the same
// layout, so one Adam call updates the whole model. Each named tensor is a
// View at an offset aligned to ViewAlign.
type ParamSet struct {
	Names   []string
	Shapes  [][2]int
	Offsets []int
	Total   int // elements per flat buffer, padding included

	Flat, Grad, M, V Tensor   // (1,Total)
	P, G             []Tensor // per-name views of Flat and Grad
}

// ParamSpec names one trainable tensor and its shape.
type ParamSpec struct {
	Name       string
	Rows, Cols int
}

// Shape is the tensor's shape as a PyTorch state_dict holds it: [Out] for
// a bias (kept as (1,Out) in the flat layout), [Rows Cols] otherwise.
func (s ParamSpec) Shape() []int {
	if s.Rows == 1 && strings.HasSuffix(s.Name, ".bias") {
		return []int{s.Cols}
	}
	return []int{s.Rows, s.Cols}
}

// NewParamSet lays out specs and allocates the four flat buffers on b.
func NewParamSet(b Backend, specs []ParamSpec) (*ParamSet, error) {
	ps := &ParamSet{}
	off := 0
	for _, s := range specs {
		ps.Names = append(ps.Names, s.Name)
		ps.Shapes = append(ps.Shapes, [2]int{s.Rows, s.Cols})
		ps.Offsets = append(ps.Offsets, off)
		off += (s.Rows*s.Cols + ViewAlign - 1) / ViewAlign * ViewAlign
	}
	ps.Total = off
	for _, dst := range []*Tensor{&ps.Flat, &ps.Grad, &ps.M, &ps.V} {
		t, err := b.Alloc(1, ps.Total)
		if err != nil {
			return nil, fmt.Errorf("allocating %d parameters: %w", ps.Total, err)
		}
		*dst = t
	}
	for i, s := range ps.Shapes {
		ps.P = append(ps.P, b.View(ps.Flat, ps.Offsets[i], s[0], s[1]))
		ps.G = append(ps.G, b.View(ps.Grad, ps.Offsets[i], s[0], s[1]))
	}
	return ps, nil
}

// Count is the number of trainable scalars (padding excluded).
func (ps *ParamSet) Count() int {
	n := 0
	for _, s := range ps.Shapes {
		n += s[0] * s[1]
	}
	return n
}

// Index returns the position of name, or -1.
func (ps *ParamSet) Index(name string) int {
	for i, n := range ps.Names {
		if n == name {
			return i
		}
	}
	return -1
}

// unpack splits a host copy of a flat buffer into per-name slices.
func (ps *ParamSet) unpack(flat []float32) [][]float32 {
	out := make([][]float32, len(ps.Names))
	for i, s := range ps.Shapes {
		out[i] = flat[ps.Offsets[i] : ps.Offsets[i]+s[0]*s[1]]
	}
	return out
}
