package nn

import "fmt"

// ParamSet holds every trainable tensor of a model in one flat buffer, with
// gradients and the two Adam moments in three more flat buffers of the same
// layout, so one Adam call updates the whole model. Each named tensor is a
// View at an offset aligned to ViewAlign.
type ParamSet struct {
	Names   []string
	Shapes  [][2]int
	Offsets []int
	Total   int // elements per flat buffer, padding included

	Flat, Grad, M, V Tensor // (1,Total)
	// P and G are per-name views of Flat and Grad. The view of a tensor
	// that others are Joined to covers them all: (ΣRows, Cols), or
	// (1, ΣCols) for row vectors; a joined tensor has none of its own (nil).
	P, G []Tensor
}

// ParamSpec names one trainable tensor and its shape.
type ParamSpec struct {
	Name       string
	Rows, Cols int
	// Joined places the tensor right after the previous one, without
	// padding, so that the two read as one matrix of their stacked rows,
	// or one longer row vector (the VAE's mu and logvar heads as one
	// layer). Both shapes must match.
	Joined bool
}

// NewParamSet lays out specs and allocates the four flat buffers on b.
func NewParamSet(b Backend, specs []ParamSpec) (*ParamSet, error) {
	ps := &ParamSet{}
	end := 0           // first element after the tensors laid out so far
	runs := [][2]int{} // per spec: the shape of its joined run, zero for a joined one
	for i, s := range specs {
		off := (end + ViewAlign - 1) / ViewAlign * ViewAlign
		runs = append(runs, [2]int{s.Rows, s.Cols})
		if s.Joined {
			if i == 0 || specs[i-1].Rows != s.Rows || specs[i-1].Cols != s.Cols {
				return nil, fmt.Errorf("parameter %s: joined to a tensor of another shape", s.Name)
			}
			off, runs[i] = end, [2]int{}
			j := i - 1
			for runs[j][0] == 0 {
				j--
			}
			if s.Rows == 1 {
				runs[j][1] += s.Cols
			} else {
				runs[j][0] += s.Rows
			}
		}
		ps.Names = append(ps.Names, s.Name)
		ps.Shapes = append(ps.Shapes, [2]int{s.Rows, s.Cols})
		ps.Offsets = append(ps.Offsets, off)
		end = off + s.Rows*s.Cols
	}
	ps.Total = (end + ViewAlign - 1) / ViewAlign * ViewAlign
	for _, dst := range []*Tensor{&ps.Flat, &ps.Grad, &ps.M, &ps.V} {
		t, err := b.Alloc(1, ps.Total)
		if err != nil {
			return nil, fmt.Errorf("allocating %d parameters: %w", ps.Total, err)
		}
		*dst = t
	}
	for i, r := range runs {
		var p, g Tensor
		if r[0] > 0 {
			p = b.View(ps.Flat, ps.Offsets[i], r[0], r[1])
			g = b.View(ps.Grad, ps.Offsets[i], r[0], r[1])
		}
		ps.P, ps.G = append(ps.P, p), append(ps.G, g)
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
