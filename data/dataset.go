// Package data loads the data sets wgml trains on: IDX image files (MNIST,
// Fashion-MNIST), folders of PNG and JPEG images, NumPy .npy arrays, CSV
// tables (any delimiter, missing values, categorical columns), their
// normalisation and train/test splits.
//
// Loaders return errors that name the file, the line or field and what was
// expected; nothing in this package panics on bad input.
package data

import "slices"

// inv255 scales a byte to [0, 1]. Row multiplies by it (instead of dividing
// by 255) because that is what the backends' Gather does with scale 1/255,
// so host and device see the same float32 for every pixel.
const inv255 = float32(1.0 / 255)

// Dataset is a table of Rows samples with Cols features each, held once in
// host memory. Exactly one of Bytes and Floats holds the values.
type Dataset struct {
	// Name is a short human label, e.g. "mnist train".
	Name string
	// Rows and Cols are the number of samples and of features per sample.
	Rows, Cols int
	// Bytes holds u8 images row-major (Rows×Cols), nil for float data.
	Bytes []uint8
	// Floats holds float data row-major (Rows×Cols), nil for u8 data.
	Floats []float32
	// Labels holds one label per row, nil when labels are unknown.
	Labels []int
	// Classes names the labels of a CSV whose label column holds class
	// names: label k is Classes[k]. Nil when labels are plain integers.
	Classes []string
	// Width and Height are the image shape (Width×Height×max(Channels,1)
	// = Cols), 0 for tables.
	Width, Height int
	// Channels is 3 for RGB images, stored pixel by pixel (R, G, B of a
	// pixel together, rows top to bottom), and 0 or 1 for grayscale.
	Channels int
	// Columns names the model columns of a CSV table (see
	// Schema.ModelColumns), nil for images.
	Columns []string
	// Schema describes a CSV table's original columns; nil for images and
	// arrays.
	Schema *Schema
	// Mask marks each value (Rows×Cols) present (1) or missing (0) under
	// CSVOptions.Missing = MissingMask; nil when every value counts. A
	// missing value holds its column's imputed mean in Floats.
	Mask []uint8
	// Warnings are problems the reader reported and survived, one line
	// each (categories unseen in training, images skipped).
	Warnings []string
}

// Row writes row i as float32 into dst[:d.Cols]; bytes become
// float32(b)·float32(1/255). dst must hold at least d.Cols values.
func (d *Dataset) Row(i int, dst []float32) {
	if d.Bytes != nil {
		for j, b := range d.Bytes[i*d.Cols : (i+1)*d.Cols] {
			dst[j] = float32(b) * inv255
		}
		return
	}
	copy(dst[:d.Cols], d.Floats[i*d.Cols:(i+1)*d.Cols])
}

// Subset returns a new dataset holding copies of the rows idx (in that
// order, repeats allowed) with their labels. Every index must lie in
// [0, d.Rows).
func (d *Dataset) Subset(idx []int) *Dataset {
	s := d.withRows(len(idx))
	for k, i := range idx {
		if d.Bytes != nil {
			copy(s.Bytes[k*d.Cols:(k+1)*d.Cols], d.Bytes[i*d.Cols:])
		} else {
			copy(s.Floats[k*d.Cols:(k+1)*d.Cols], d.Floats[i*d.Cols:])
		}
		if d.Labels != nil {
			s.Labels[k] = d.Labels[i]
		}
		if d.Mask != nil {
			copy(s.Mask[k*d.Cols:(k+1)*d.Cols], d.Mask[i*d.Cols:])
		}
	}
	return s
}

// Clone returns a copy of d whose rows (values, mask and labels) are its
// own; the descriptions (schema, columns, classes, warnings) are shared.
func (d *Dataset) Clone() *Dataset {
	c := *d
	c.Bytes, c.Floats, c.Mask, c.Labels = slices.Clone(d.Bytes), slices.Clone(d.Floats), slices.Clone(d.Mask), slices.Clone(d.Labels)
	return &c
}

// Limit returns the first n rows of d (all of d when n < 0 or n ≥ d.Rows).
// The result shares its memory with d.
func (d *Dataset) Limit(n int) *Dataset {
	if n < 0 || n >= d.Rows {
		return d
	}
	s := *d
	s.Rows = n
	if d.Bytes != nil {
		s.Bytes = d.Bytes[: n*d.Cols : n*d.Cols]
	} else {
		s.Floats = d.Floats[: n*d.Cols : n*d.Cols]
	}
	if d.Labels != nil {
		s.Labels = d.Labels[:n:n]
	}
	if d.Mask != nil {
		s.Mask = d.Mask[: n*d.Cols : n*d.Cols]
	}
	return &s
}

// rows returns the rows [lo, hi) of d, sharing d's memory.
func (d *Dataset) rows(lo, hi int) *Dataset {
	s := *d
	s.Rows = hi - lo
	a, b := lo*d.Cols, hi*d.Cols
	if d.Bytes != nil {
		s.Bytes = d.Bytes[a:b:b]
	} else {
		s.Floats = d.Floats[a:b:b]
	}
	if d.Labels != nil {
		s.Labels = d.Labels[lo:hi:hi]
	}
	if d.Mask != nil {
		s.Mask = d.Mask[a:b:b]
	}
	return &s
}

// FilterLabel returns a copy of the rows whose label is k, in order. It has
// no rows when d has no labels.
func (d *Dataset) FilterLabel(k int) *Dataset {
	var idx []int
	for i, l := range d.Labels {
		if l == k {
			idx = append(idx, i)
		}
	}
	return d.Subset(idx)
}

// withRows returns an empty dataset shaped like d with n zeroed rows (and
// labels when d has them).
func (d *Dataset) withRows(n int) *Dataset {
	s := *d
	s.Rows = n
	if d.Bytes != nil {
		s.Bytes = make([]uint8, n*d.Cols)
	} else {
		s.Floats = make([]float32, n*d.Cols)
	}
	if d.Labels != nil {
		s.Labels = make([]int, n)
	}
	if d.Mask != nil {
		s.Mask = make([]uint8, n*d.Cols)
	}
	return &s
}
