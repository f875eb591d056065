package data

import (
	"fmt"
	"math"
)

// Normalizer maps each feature x to (x-Offset)·Scale. It is fitted on
// training rows and stored with a model, so that the same map applies to
// every later input. Image data needs none: bytes are scaled by 1/255 when
// batches are gathered.
type Normalizer struct {
	// Kind is "none", "minmax" (to [0, 1]) or "zscore" (to mean 0, std 1).
	Kind string `json:"kind"`
	// Offset and Scale hold one value per feature; nil for "none".
	Offset []float32 `json:"offset,omitempty"`
	Scale  []float32 `json:"scale,omitempty"`
}

// FitNormalizer fits a normaliser of the given kind ("none", "minmax",
// "zscore") to the rows of d. zscore uses each column's mean and sample
// standard deviation, minmax its minimum and range, both from one pass of
// Stats (Welford), as a stream of chunks would give them. A constant
// column gets scale 1. Values d.Mask marks missing are left out; the
// one-hot columns of d.Schema's categorical groups keep offset 0 and scale
// 1.
func FitNormalizer(kind string, d *Dataset) (Normalizer, error) {
	if err := checkNormalizerKind(kind); err != nil {
		return Normalizer{}, err
	}
	if kind == "none" {
		return Normalizer{Kind: kind}, nil
	}
	if d.Rows == 0 {
		return Normalizer{}, fmt.Errorf("%s: no rows to fit a normaliser on", d.Name)
	}
	s := NewStats(d.Cols)
	if d.Floats != nil {
		s.Add(d.Floats, d.Mask)
	} else {
		row := make([]float32, d.Cols)
		for i := range d.Rows {
			d.Row(i, row)
			s.Add(row, nil)
		}
	}
	var oneHot []bool
	if d.Schema != nil {
		oneHot = d.Schema.categorical()
	}
	return s.Normalizer(kind, oneHot), nil
}

// Stats accumulates per-column statistics of rows streamed in chunks, in
// one pass: count, mean and M2 = Σ(x-mean)² by Welford's update
//
//	n += 1; δ = x - mean; mean += δ/n; M2 += δ·(x - mean)
//
// (sample variance M2/(n-1)), minimum and maximum. Chunked any way, the
// same rows give the same statistics.
type Stats struct {
	N        []int64
	Mean, M2 []float64
	Min, Max []float64
	cols     int
}

// NewStats returns empty statistics of cols columns.
func NewStats(cols int) *Stats {
	s := &Stats{N: make([]int64, cols), Mean: make([]float64, cols), M2: make([]float64, cols),
		Min: make([]float64, cols), Max: make([]float64, cols), cols: cols}
	for j := range cols {
		s.Min[j], s.Max[j] = math.Inf(1), math.Inf(-1)
	}
	return s
}

// Add adds the rows of a row-major chunk (a multiple of the columns);
// mask, when not nil, marks the values to count (1) and to skip (0).
func (s *Stats) Add(rows []float32, mask []uint8) {
	for at := 0; at < len(rows); at += s.cols {
		end := min(at+s.cols, len(rows))
		var m []uint8
		if mask != nil {
			m = mask[at:end]
		}
		s.addRow(rows[at:end], m)
	}
}

// addRow is Add of one row (mask: nil or the row's). math.Min and
// math.Max (exact for zeros of either sign and NaN) are called only where
// x is not strictly inside [Min, Max]: the same values, faster.
func (s *Stats) addRow(row []float32, mask []uint8) {
	n, mean, m2, lo, hi := s.N[:len(row)], s.Mean[:len(row)], s.M2[:len(row)], s.Min[:len(row)], s.Max[:len(row)]
	for j, v := range row {
		if mask != nil && mask[j] == 0 {
			continue
		}
		x := float64(v)
		n[j]++
		d := x - mean[j]
		mean[j] += d / float64(n[j])
		m2[j] += d * (x - mean[j])
		if !(x > lo[j]) {
			lo[j] = math.Min(lo[j], x)
		}
		if !(x < hi[j]) {
			hi[j] = math.Max(hi[j], x)
		}
	}
}

// Normalizer returns the normaliser of the given kind ("minmax" or
// "zscore") of the statistics; columns oneHot marks, and columns without
// values, keep offset 0 and scale 1.
func (s *Stats) Normalizer(kind string, oneHot []bool) Normalizer {
	n := Normalizer{Kind: kind, Offset: make([]float32, s.cols), Scale: make([]float32, s.cols)}
	for j := range s.cols {
		n.Scale[j] = 1
		if oneHot != nil && oneHot[j] || s.N[j] == 0 {
			continue
		}
		offset, spread := s.Min[j], s.Max[j]-s.Min[j]
		if kind == "zscore" {
			offset, spread = s.Mean[j], math.Sqrt(s.M2[j]/float64(s.N[j]-1))
		}
		n.Offset[j] = float32(offset)
		if spread > 0 { // false for 0 and for the NaN std of one row
			n.Scale[j] = float32(1 / spread)
		}
	}
	return n
}

// Apply returns a float copy of d with every row normalised:
// x' = (x-Offset)·Scale ("none" copies). Labels, classes and names are
// shared with d. The zero Normalizer (Kind "") acts as "none". It fails
// when the normaliser was fitted to another number of columns.
func (n Normalizer) Apply(d *Dataset) (*Dataset, error) {
	if err := n.fits(d); err != nil {
		return nil, err
	}
	out := *d
	out.Bytes = nil
	out.Floats = make([]float32, d.Rows*d.Cols)
	for i := range d.Rows {
		row := out.Floats[i*d.Cols : (i+1)*d.Cols]
		d.Row(i, row)
		n.apply(row)
	}
	return &out, nil
}

// ApplyInPlace is Apply without the copy, for a float data set whose
// values in data units are not needed afterwards: it normalises d.Floats
// where they lie (a table of N rows then costs N rows of memory, not 2N).
func (n Normalizer) ApplyInPlace(d *Dataset) error {
	if d.Floats == nil {
		return fmt.Errorf("%s: normalising in place needs float data", d.Name)
	}
	if err := n.fits(d); err != nil {
		return err
	}
	for i := range d.Rows {
		n.apply(d.Floats[i*d.Cols : (i+1)*d.Cols])
	}
	return nil
}

// fits checks that n was fitted to d's number of columns.
func (n Normalizer) fits(d *Dataset) error {
	if n.Kind != "none" && n.Kind != "" && (len(n.Offset) != d.Cols || len(n.Scale) != d.Cols) {
		return fmt.Errorf("%s: %d columns, but the %s normaliser was fitted to %d", d.Name, d.Cols, n.Kind, len(n.Offset))
	}
	return nil
}

// apply normalises one row in place.
func (n Normalizer) apply(row []float32) {
	for j := range n.Offset {
		// in float64: x-Offset can overflow float32 where the result does not
		row[j] = float32((float64(row[j]) - float64(n.Offset[j])) * float64(n.Scale[j]))
	}
}

// Invert maps a normalised row back to data units in place:
// x = x'/Scale + Offset. row must have one value per fitted feature.
func (n Normalizer) Invert(row []float32) {
	for j := range n.Offset {
		row[j] = row[j]/n.Scale[j] + n.Offset[j]
	}
}

// checkNormalizerKind returns an error naming kind unless it is one of the
// normalisers FitNormalizer fits: none, minmax or zscore.
func checkNormalizerKind(kind string) error {
	switch kind {
	case "none", "minmax", "zscore":
		return nil
	}
	return fmt.Errorf("normaliser %q: want none, minmax or zscore", kind)
}
