package wgml

import (
	"fmt"
	"math"
	"strconv"

	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/noise"
)

// Denoised is DenoiseData's answer: row-major rows of d.Cols values in the
// model's units (normalised; pixels in [0,1]). DenoisePart's from a
// stream holds its rows in a file instead (Input, Output and Clean nil):
// Error and WriteCSV read them from there; Close removes it.
type Denoised struct {
	Input  []float32 // the rows the model saw: the clean rows corrupted by the noise
	Output []float32 // its reconstructions, the de-noised rows (pixels clipped to [0,1])
	Clean  []float32 // the clean rows
	Noise  noise.Noise
	Seed   uint64 // the noise's seed
	d      *data.Dataset
	mask   []uint8
	m      *Model
	file   *rowFile // a stream's rows: de-noised, clean, mask
	order  []int    // row i is the file's row order[i]
	masked bool     // the rows have masks
	// scratch (de-noised, clean) and scratchMask hold a streamed row read
	// back (row).
	scratch     []float32
	scratchMask []uint8
}

// DenoiseData corrupts the rows of d with nz (seeded by seed; clipped to
// [0,1] for pixels) and de-noises them, batch rows at a time.
func (m *Model) DenoiseData(d *data.Dataset, nz noise.Noise, seed uint64, batch int) (*Denoised, error) {
	if err := checkImageShape(d); err != nil {
		return nil, err
	}
	src, err := m.source(d)
	if err != nil {
		return nil, err
	}
	nz = nz.ForPixels(d.Bytes != nil)
	res, err := m.Net.Run(m.Backend, src, batch, nn.Want{Input: true, Output: true, Noise: nz, Seed: seed})
	if err != nil {
		return nil, err
	}
	out := &Denoised{Input: res.Input, Output: res.Output, Clean: src.Floats, Noise: nz, Seed: seed, d: d, mask: src.Mask, m: m, masked: src.Mask != nil}
	if d.Bytes != nil {
		out.Clean = make([]float32, d.Rows*d.Cols)
		for i := 0; i < d.Rows; i++ {
			d.Row(i, out.Clean[i*d.Cols:(i+1)*d.Cols])
		}
		for i, v := range out.Output {
			out.Output[i] = min(max(v, 0), 1)
		}
	}
	return out, nil
}

// Error measures the de-noised rows (Output), or with noisy the rows the
// model saw (Input), against the clean rows: for images the mean PSNR
// over rows in dB (pixels in [0,1]); for a table the mean squared error
// per value, or, with categorical columns or masked values, the mean of
// data.Schema.Errors over the present values, summed row by row in order.
// what says which.
func (r *Denoised) Error(noisy bool) (v float64, what string, err error) {
	cols := r.d.Cols
	if r.d.Bytes != nil {
		x := r.Output
		if noisy {
			x = r.Input
		}
		v, _, err = MeanPSNR(r.Clean, x, cols, 1)
		return v, "mean PSNR (dB, pixels in [0,1])", err
	}
	s := r.d.Schema
	plain := s == nil || !s.HasCategorical() && !r.masked
	var sum float64
	var n int
	for i := range r.d.Rows {
		x, clean, mask, err := r.row(i, noisy)
		if err != nil {
			return 0, "", err
		}
		if plain {
			sum, n = addSquares(sum, clean, x), n+cols
			continue
		}
		for _, e := range s.Errors(x, clean, mask) {
			if !math.IsNaN(e) {
				sum, n = sum+e, n+1
			}
		}
	}
	if plain {
		return sum / float64(n), "mean squared error per value", nil
	}
	return sum / float64(n), "mean error per present value (squared error, cross-entropy of categorical columns)", nil
}

// row returns row i of the de-noised rows, or with noisy of the rows the
// model saw, with its clean row and mask (nil: every value present), in
// the model's units; a streamed row is read from its file into scratch
// memory, which the next call reuses.
func (r *Denoised) row(i int, noisy bool) (x, clean []float32, mask []uint8, err error) {
	cols := r.d.Cols
	if r.file != nil {
		if r.scratch == nil {
			r.scratch, r.scratchMask = make([]float32, 2*cols), make([]uint8, cols)
		}
		x, clean = r.scratch[:cols], r.scratch[cols:]
		if r.masked {
			mask = r.scratchMask
		}
		return x, clean, mask, r.file.get(r.order[i], mask, x, clean)
	}
	lo, hi := i*cols, (i+1)*cols
	x, clean = r.Output[lo:hi], r.Clean[lo:hi]
	if noisy {
		x = r.Input[lo:hi]
	}
	if r.mask != nil {
		mask = r.mask[lo:hi]
	}
	return x, clean, mask, nil
}

// columns names the de-noised values: a table's original columns, else
// one per model column (the data set's column names, or colJ).
func (r *Denoised) columns() []string {
	d := r.d
	if d.Schema != nil {
		return d.Schema.Names()
	}
	if len(d.Columns) == d.Cols {
		return d.Columns
	}
	h := make([]string, d.Cols)
	for j := range h {
		h[j] = fmt.Sprintf("col%d", j)
		if j < len(d.Columns) {
			h[j] = d.Columns[j]
		}
	}
	return h
}

// appendValues appends a de-noised row x (the model's units) to t in data
// units, as columns names them: the model's normaliser inverted in x,
// then a table's original columns (a categorical column as its most
// likely category, data.Schema.DecodeTo), else each value (FormatF32).
func (r *Denoised) appendValues(t *csvBuf, x []float32) {
	r.m.Norm.Invert(x)
	if s := r.d.Schema; s != nil {
		s.DecodeTo(x, func(v float32) { t.next(); t.b = data.AppendValue(t.b, v) }, t.text)
		return
	}
	for _, v := range x {
		t.next()
		t.b = appendF32(t.b, v)
	}
}

// Images reports whether the rows are images.
func (r *Denoised) Images() bool { return r.d.Bytes != nil }

// Rows is the number of rows de-noised.
func (r *Denoised) Rows() int { return r.d.Rows }

// Close removes the file of a streamed answer's rows.
func (r *Denoised) Close() error {
	if r.file == nil {
		return nil
	}
	return r.file.Close()
}

// checkImageShape refuses image rows whose shape does not fill them.
func checkImageShape(d *data.Dataset) error {
	if d.Bytes != nil && d.Width*d.Height*max(d.Channels, 1) != d.Cols {
		return fmt.Errorf("%s: images of %dx%dx%d values but %d columns", d.Name, d.Width, d.Height, max(d.Channels, 1), d.Cols)
	}
	return nil
}

// FormatF32 writes a float32 value with its 7 significant digits
// (appendF32).
func FormatF32(v float32) string { return string(appendF32(nil, v)) }

// appendF32 appends a float32 value with its 7 significant digits.
func appendF32(b []byte, v float32) []byte { return strconv.AppendFloat(b, float64(v), 'g', 7, 32) }
