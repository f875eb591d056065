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
// model's units (normalised; pixels in [0,1]).
type Denoised struct {
	Input  []float32 // the rows the model saw: the clean rows corrupted by the noise
	Output []float32 // its reconstructions, the de-noised rows (pixels clipped to [0,1])
	Clean  []float32 // the clean rows
	Noise  noise.Noise
	Seed   uint64 // the noise's seed
	d      *data.Dataset
	mask   []uint8
	m      *Model
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
	out := &Denoised{Input: res.Input, Output: res.Output, Clean: src.Floats, Noise: nz, Seed: seed, d: d, mask: src.Mask, m: m}
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

// Error measures rows x (Input or Output) against the clean rows: for
// images the mean PSNR over rows in dB (pixels in [0,1]); for a table the
// mean squared error per value, or, with categorical columns or masked
// values, the mean of data.Schema.Errors over the present values. what
// says which.
func (r *Denoised) Error(x []float32) (v float64, what string, err error) {
	cols := r.d.Cols
	if r.d.Bytes != nil {
		v, _, err = MeanPSNR(r.Clean, x, cols, 1)
		return v, "mean PSNR (dB, pixels in [0,1])", err
	}
	s := r.d.Schema
	if s == nil || !s.HasCategorical() && r.mask == nil {
		return MSE(r.Clean, x), "mean squared error per value", nil
	}
	var sum float64
	var n int
	for i := 0; i < len(x)/cols; i++ {
		var m []uint8
		if r.mask != nil {
			m = r.mask[i*cols : (i+1)*cols]
		}
		for _, e := range s.Errors(x[i*cols:(i+1)*cols], r.Clean[i*cols:(i+1)*cols], m) {
			if !math.IsNaN(e) {
				sum, n = sum+e, n+1
			}
		}
	}
	return sum / float64(n), "mean error per present value (squared error, cross-entropy of categorical columns)", nil
}

// Records are the de-noised rows of a table in data units, as text: a
// table's original columns (a categorical column as its most likely
// category, data.Schema.Decode), else one field per model column, with
// the header. The model's normaliser is inverted in Output.
func (r *Denoised) Records(m *Model) (header []string, rows [][]string) {
	cols, d := r.d.Cols, r.d
	header = d.Columns
	if d.Schema != nil {
		header = d.Schema.Names()
	}
	if len(header) != cols && d.Schema == nil {
		header = make([]string, cols)
		for j := range header {
			header[j] = fmt.Sprintf("col%d", j)
			if j < len(d.Columns) {
				header[j] = d.Columns[j]
			}
		}
	}
	rows = make([][]string, d.Rows)
	for i := range rows {
		row := r.Output[i*cols : (i+1)*cols]
		m.Norm.Invert(row)
		if d.Schema != nil {
			rows[i] = d.Schema.Decode(row)
			continue
		}
		for _, v := range row {
			rows[i] = append(rows[i], FormatF32(v))
		}
	}
	return header, rows
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
