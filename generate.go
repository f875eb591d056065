package wgml

import (
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/plot"
)

// PriorCodes draws n latent codes (rows of Latent values) from the prior
// N(0, I), seeded by seed.
func (m *Model) PriorCodes(n int, seed uint64) []float32 {
	rng := rand.New(rand.NewPCG(seed, 0))
	z := make([]float32, n*m.Net.Config.Latent())
	for i := range z {
		z[i] = float32(rng.NormFloat64())
	}
	return z
}

// DecodeCodes decodes n latent codes (rows of Latent values) into n rows
// in the model's units (pixels in [0,1] for an image model).
func (m *Model) DecodeCodes(z []float32, n int) ([]float32, error) {
	return m.Net.Decode(m.Backend, z, n)
}

// Interpolate decodes the straight latent path of steps points (ends
// included) between the codes of rows a and b of src.
func (m *Model) Interpolate(src nn.Source, a, b, steps int) ([]float32, error) {
	In, L := src.Cols, m.Net.Config.Latent()
	pair := nn.Source{Rows: 2, Cols: In, Bytes: pick(src.Bytes, In, a, b), Floats: pick(src.Floats, In, a, b)}
	res, err := m.Net.Run(m.Backend, pair, 2, nn.Want{Latent: true})
	if err != nil {
		return nil, err
	}
	return m.Net.Decode(m.Backend, LatentPath(res.Latent[:L], res.Latent[L:2*L], steps), steps)
}

// pick is rows a and b of a row-major table of width w (nil for nil).
func pick[T any](src []T, w, a, b int) []T {
	if src == nil {
		return nil
	}
	return append(append([]T(nil), src[a*w:(a+1)*w]...), src[b*w:(b+1)*w]...)
}

// FindRow resolves "label:K" (the first row labelled K) or "index:I" to a
// row of d; flag names the option in errors.
func FindRow(d *data.Dataset, spec, flag string) (int, error) {
	kind, arg, ok := strings.Cut(spec, ":")
	v, err := strconv.Atoi(arg)
	if !ok || err != nil || kind != "index" && kind != "label" {
		return 0, optionErr("%s %q: want label:K or index:I", flag, spec)
	}
	if kind == "index" {
		if v < 0 || v >= d.Rows {
			return 0, optionErr("%s %q: index out of range [0, %d)", flag, spec, d.Rows)
		}
		return v, nil
	}
	for i, lab := range d.Labels {
		if lab == v {
			return i, nil
		}
	}
	return 0, optionErr("%s %q: no row of %s has label %d", flag, spec, d.Name, v)
}

// ImageRow is row i of d as floats (pixels in [0,1]).
func ImageRow(d *data.Dataset, i int) []float32 {
	row := make([]float32, d.Cols)
	d.Row(i, row)
	return row
}

// PathStrip is a picture row of the decoded path (rows of d.Cols values,
// Interpolate's) from row a to row b of d, with both inputs at its ends.
func PathStrip(d *data.Dataset, path []float32, a, b int) [][]float32 {
	return append(append([][]float32{ImageRow(d, a)}, split32(path, d.Cols)...), ImageRow(d, b))
}

// DecodeGrid decodes n latent codes (rows of Latent values) into images
// and writes them to path as a PNG grid, cols a row, each pixel scale×
// scale.
func (m *Model) DecodeGrid(path string, z []float32, n, cols, scale int) error {
	img, err := m.DecodeCodes(z, n)
	if err != nil {
		return err
	}
	d := m.card.Data
	return plot.ImageGrid(path, split32(img, m.Net.Config.Input()), d.Width, d.Height, max(d.Channels, 1), cols, scale)
}

// DrawRows writes rows of images of the model's shape (rows of pixels in
// [0,1]) to path as a PNG, each pixel scale×scale.
func (m *Model) DrawRows(path string, rows [][][]float32, scale int) error {
	d := m.card.Data
	return plot.ImageRows(path, rows, d.Width, d.Height, max(d.Channels, 1), scale)
}

// Reconstruct returns the first n rows of d and their reconstructions,
// row by row in the model's units (pixels in [0,1]).
func (m *Model) Reconstruct(d *data.Dataset, n int) (inputs, outputs [][]float32, err error) {
	n = min(n, d.Rows)
	src, err := m.source(d.Limit(n))
	if err != nil {
		return nil, nil, err
	}
	res, err := m.Net.Run(m.Backend, src, n, nn.Want{Output: true})
	if err != nil {
		return nil, nil, err
	}
	for i := 0; i < n; i++ {
		inputs = append(inputs, ImageRow(d, i))
		outputs = append(outputs, res.Output[i*d.Cols:(i+1)*d.Cols])
	}
	return inputs, outputs, nil
}

// WriteSamples writes to path a PNG grid, cols images a row, each pixel
// scale×scale, of n samples: codes drawn by SampleCodes (over codes,
// seeded by seed) and decoded. It says where they were drawn.
func (m *Model) WriteSamples(path string, codes []float32, n int, seed uint64, cols, scale int) (string, error) {
	z, how, err := m.SampleCodes(codes, n, seed)
	if err != nil {
		return "", err
	}
	return how, m.DecodeGrid(path, z, n, cols, scale)
}

// WritePlane writes to path the k×k grid of the model's latent plane
// (LatentPlane over codes) decoded, and returns the plane.
func (m *Model) WritePlane(path string, codes []float32, k int) (Plane, error) {
	plane, err := m.LatentPlane(codes, k)
	if err != nil {
		return Plane{}, err
	}
	return plane, m.DecodeGrid(path, plane.Codes(), k*k, k, 1)
}

// WritePath writes to path the decoded latent path of steps points
// (Interpolate) from row a to row b of d, with both inputs at its ends
// (PathStrip), each pixel scale×scale.
func (m *Model) WritePath(path string, d *data.Dataset, a, b, steps, scale int) error {
	src, err := m.source(d)
	if err != nil {
		return err
	}
	z, err := m.Interpolate(src, a, b, steps)
	if err != nil {
		return err
	}
	return m.DrawRows(path, [][][]float32{PathStrip(d, z, a, b)}, scale)
}

// WriteReconstructions writes to path the first n rows of d above their
// reconstructions (Reconstruct), each pixel scale×scale, and returns how
// many rows it drew.
func (m *Model) WriteReconstructions(path string, d *data.Dataset, n, scale int) (int, error) {
	ins, outs, err := m.Reconstruct(d, n)
	if err != nil {
		return 0, err
	}
	return len(ins), m.DrawRows(path, [][][]float32{ins, outs}, scale)
}
