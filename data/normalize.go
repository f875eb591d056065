package data

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat"
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
// standard deviation (gonum's stat.MeanStdDev); minmax its minimum and
// range. A constant column gets scale 1. Values d.Mask marks missing are
// left out; the one-hot columns of d.Schema's categorical groups keep
// offset 0 and scale 1.
func FitNormalizer(kind string, d *Dataset) (Normalizer, error) {
	if err := checkNormalizerKind(kind); err != nil {
		return Normalizer{}, err
	}
	n := Normalizer{Kind: kind}
	if kind == "none" {
		return n, nil
	}
	if d.Rows == 0 {
		return Normalizer{}, fmt.Errorf("%s: no rows to fit a normaliser on", d.Name)
	}
	var oneHot []bool
	if d.Schema != nil {
		oneHot = d.Schema.categorical()
	}
	n.Offset = make([]float32, d.Cols)
	n.Scale = make([]float32, d.Cols)
	col := make([]float64, 0, d.Rows)
	for j := range d.Cols {
		n.Scale[j] = 1
		if oneHot != nil && oneHot[j] {
			continue
		}
		col = col[:0]
		for i := range d.Rows {
			if d.Mask == nil || d.Mask[i*d.Cols+j] != 0 {
				col = append(col, float64(d.at(i, j)))
			}
		}
		if len(col) == 0 {
			continue
		}
		var offset, spread float64
		if kind == "zscore" {
			offset, spread = stat.MeanStdDev(col, nil)
		} else {
			lo, hi := col[0], col[0]
			for _, v := range col {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
			offset, spread = lo, hi-lo
		}
		n.Offset[j] = float32(offset)
		if spread > 0 { // false for 0 and for the NaN std of one row
			n.Scale[j] = float32(1 / spread)
		}
	}
	return n, nil
}

// at returns element (i, j) of d as float32, scaled as Row scales it.
func (d *Dataset) at(i, j int) float32 {
	if d.Bytes != nil {
		return float32(d.Bytes[i*d.Cols+j]) * inv255
	}
	return d.Floats[i*d.Cols+j]
}

// Apply returns a float copy of d with every row normalised:
// x' = (x-Offset)·Scale ("none" copies). Labels, classes and names are
// shared with d. The zero Normalizer (Kind "") acts as "none". It fails when the normaliser was fitted to another number
// of columns.
func (n Normalizer) Apply(d *Dataset) (*Dataset, error) {
	if n.Kind != "none" && n.Kind != "" && (len(n.Offset) != d.Cols || len(n.Scale) != d.Cols) {
		return nil, fmt.Errorf("%s: %d columns, but the %s normaliser was fitted to %d", d.Name, d.Cols, n.Kind, len(n.Offset))
	}
	out := *d
	out.Bytes = nil
	out.Floats = make([]float32, d.Rows*d.Cols)
	for i := range d.Rows {
		row := out.Floats[i*d.Cols : (i+1)*d.Cols]
		d.Row(i, row)
		for j := range n.Offset {
			// in float64: x-Offset can overflow float32 where the result does not
			row[j] = float32((float64(row[j]) - float64(n.Offset[j])) * float64(n.Scale[j]))
		}
	}
	return &out, nil
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
