package wgml

import (
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
	"gonum.org/v1/gonum/stat/distuv"
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

// ManifoldCodes are the k×k codes of a 2-D latent plane spaced by the
// inverse normal CDF, as in Kingma & Welling's figure: rows go down the
// second latent axis, columns along the first.
func ManifoldCodes(k int) []float32 {
	z := make([]float32, 0, k*k*2)
	for i := 0; i < k; i++ {
		for j := 0; j < k; j++ {
			z = append(z, float32(distuv.UnitNormal.Quantile((float64(j)+0.5)/float64(k))),
				float32(distuv.UnitNormal.Quantile(1-(float64(i)+0.5)/float64(k))))
		}
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
	z := make([]float32, 0, steps*L)
	for s := 0; s < steps; s++ {
		t := float32(s) / float32(steps-1)
		for j := 0; j < L; j++ {
			z = append(z, (1-t)*res.Latent[j]+t*res.Latent[L+j])
		}
	}
	return m.Net.Decode(m.Backend, z, steps)
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
