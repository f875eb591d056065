package wgml

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/plot"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Plane is a rectangle on a 2-D slice of the latent space: the codes
// Origin + u·Axes[0] + v·Axes[1] for u in U and v in V. Its grid (Codes) is
// what sample's latent-plane picture and Compare decode.
type Plane struct {
	Origin []float32    // (L) the point at u = v = 0
	Axes   [2][]float32 // (L) each: orthonormal directions
	U, V   []float64    // (k) grid positions along each axis, increasing
	// How says in one line which plane and which spacing.
	How string
}

// PlaneSpan is the share of the codes a CodesPlane spans on each axis:
// from their PlaneSpan quantile to their 1-PlaneSpan quantile.
const PlaneSpan = 0.01

// Codes are the len(V)×len(U) latent codes of the plane's grid, row-major
// as an image is read: rows go down V (largest first), columns along U.
func (p Plane) Codes() []float32 {
	L := len(p.Origin)
	z := make([]float32, 0, len(p.U)*len(p.V)*L)
	for i := range p.V {
		v := p.V[len(p.V)-1-i]
		for _, u := range p.U {
			for d := range L {
				z = append(z, p.Origin[d]+float32(u)*p.Axes[0][d]+float32(v)*p.Axes[1][d])
			}
		}
	}
	return z
}

// Project returns the plane coordinates (u, v) of codes (rows of L
// values): (z - Origin)·Axes[0] and (z - Origin)·Axes[1].
func (p Plane) Project(codes []float32) [][2]float64 {
	L := len(p.Origin)
	out := make([][2]float64, len(codes)/L)
	for i := range out {
		for d, z := range codes[i*L : (i+1)*L] {
			off := float64(z - p.Origin[d])
			out[i][0] += off * float64(p.Axes[0][d])
			out[i][1] += off * float64(p.Axes[1][d])
		}
	}
	return out
}

// PriorPlane is a VAE's latent plane: latent dimensions 1 and 2 through
// the prior's mean 0, k points on each spaced by the inverse normal CDF,
// Φ⁻¹((j+½)/k), as in Kingma & Welling's figure.
func PriorPlane(L, k int) (Plane, error) {
	if L < 2 || k < 1 {
		return Plane{}, optionErr("latent plane: a latent of width %d with %d points a side: want width at least 2 and a positive grid", L, k)
	}
	p := Plane{Origin: make([]float32, L), Axes: [2][]float32{unit(L, 0), unit(L, 1)},
		How: "the prior's plane: latent dims 1-2, spaced by the inverse normal CDF"}
	for j := range k {
		p.U = append(p.U, distuv.UnitNormal.Quantile((float64(j)+0.5)/float64(k)))
	}
	p.V = slices.Clone(p.U)
	if L > 2 {
		p.How += ", the other dims at the prior's mean 0"
	}
	return p, nil
}

// CodesPlane is the latent plane the codes (rows of L values) fill: for
// L = 2 the two latent dimensions, for L > 2 the plane of the codes' first
// two principal components through their mean; k points on each axis,
// evenly spaced from the codes' PlaneSpan to their 1-PlaneSpan quantile
// there (the middle 98%), so it covers the data and not empty space.
func CodesPlane(codes []float32, L, k int) (Plane, error) {
	if L < 2 || k < 2 || len(codes) < L || len(codes)%L != 0 {
		return Plane{}, optionErr("latent plane: %d values as codes of width %d with %d points a side: want width at least 2, whole codes and at least 2 points", len(codes), L, k)
	}
	p := Plane{Origin: make([]float32, L), Axes: [2][]float32{unit(L, 0), unit(L, 1)}, How: "latent dims 1-2"}
	if L > 2 {
		if err := p.principal(codes); err != nil {
			return Plane{}, err
		}
	}
	uv := p.Project(codes)
	for a, pos := range []*[]float64{&p.U, &p.V} {
		x := make([]float64, len(uv))
		for i := range uv {
			x[i] = uv[i][a]
		}
		slices.Sort(x)
		lo, hi := stat.Quantile(PlaneSpan, stat.Empirical, x, nil), stat.Quantile(1-PlaneSpan, stat.Empirical, x, nil)
		if hi <= lo { // the codes do not spread on this axis
			lo, hi = lo-1, hi+1
		}
		for j := range k {
			*pos = append(*pos, lo+(hi-lo)*float64(j)/float64(k-1))
		}
	}
	p.How = fmt.Sprintf("the codes' plane: %s, evenly spaced over the middle %.0f%% of %d codes", p.How, 100*(1-2*PlaneSpan), len(uv))
	return p, nil
}

// principal sets p's origin to the mean of the codes and its axes to
// their first two principal components (plot.PrincipalAxes).
func (p *Plane) principal(codes []float32) error {
	L := len(p.Origin)
	n := len(codes) / L
	x := mat.NewDense(n, L, nil)
	for i := range n {
		for d := range L {
			x.Set(i, d, float64(codes[i*L+d]))
		}
	}
	var means []float64
	var vecs *mat.Dense
	ok := false
	if n >= 2 {
		means, vecs, ok = plot.PrincipalAxes(x, 2)
	}
	if !ok {
		return optionErr("latent plane: the principal components of %d codes of width %d: want at least 2 codes that vary", n, L)
	}
	for d := range L {
		p.Origin[d] = float32(means[d])
		p.Axes[0][d], p.Axes[1][d] = float32(vecs.At(d, 0)), float32(vecs.At(d, 1))
	}
	p.How = "the first two principal components through the codes' mean"
	return nil
}

// unit is the L-wide unit vector along dimension d.
func unit(L, d int) []float32 {
	e := make([]float32, L)
	e[d] = 1
	return e
}

// LatentPlane is the plane to decode for a picture of the latent space
// with k points a side: a VAE's prior plane (PriorPlane), an AE's codes'
// plane (CodesPlane over codes, e.g. its training codes; an AE has no
// prior, and N(0, I) would show only the middle of its codes).
func (m *Model) LatentPlane(codes []float32, k int) (Plane, error) {
	L := m.Net.Config.Latent()
	if m.Net.Config.Kind == nn.KindVAE {
		return PriorPlane(L, k)
	}
	return CodesPlane(codes, L, k)
}

// Codes returns the latent codes (a VAE's mean) of every row of d, rows
// of Latent values.
func (m *Model) Codes(d *data.Dataset) ([]float32, error) {
	src, err := m.source(d)
	if err != nil {
		return nil, err
	}
	res, err := m.Net.Run(m.Backend, src, m.Batch, nn.Want{Latent: true})
	if err != nil {
		return nil, err
	}
	return res.Latent, nil
}

// TrainingCodes are the codes SampleCodes and LatentPlane take for the
// model: an AE's codes of its training rows (read by train), nil for a
// VAE, which has a prior.
func (m *Model) TrainingCodes(train func() (*data.Dataset, error)) ([]float32, error) {
	if m.Net.Config.Kind == nn.KindVAE {
		return nil, nil
	}
	d, err := train()
	if err != nil {
		return nil, err
	}
	return m.Codes(d)
}

// SampleCodes draws n latent codes, seeded by seed, from where the model's
// data lives, and says so in one line: a VAE's prior N(0, I)
// (PriorCodes); for an AE, which has no prior, the Gaussian N(μ, Σ) with
// the mean and covariance of codes (e.g. its training codes), z = μ + C·ε
// with Σ = C·Cᵀ (Cholesky) and ε ~ N(0, I).
func (m *Model) SampleCodes(codes []float32, n int, seed uint64) ([]float32, string, error) {
	if m.Net.Config.Kind == nn.KindVAE {
		return m.PriorCodes(n, seed), "drawn from the prior N(0, I)", nil
	}
	L := m.Net.Config.Latent()
	mu, c, err := fitGaussian(codes, L)
	if err != nil {
		return nil, "", err
	}
	rng := rand.New(rand.NewPCG(seed, 0))
	z := make([]float32, 0, n*L)
	eps := make([]float64, L)
	for range n {
		for d := range eps {
			eps[d] = rng.NormFloat64()
		}
		for d := range L {
			v := mu[d]
			for e := 0; e <= d; e++ {
				v += c.At(d, e) * eps[e]
			}
			z = append(z, float32(v))
		}
	}
	how := fmt.Sprintf("an AE has no prior: drawn from N(μ, Σ) fitted to its %d training codes", len(codes)/L)
	return z, how, nil
}

// fitGaussian returns the mean μ (L) of codes (rows of L values) and the
// lower Cholesky factor C (L×L) of their covariance Σ = C·Cᵀ, its
// diagonal raised by 1e-6 so that flat codes still factor.
func fitGaussian(codes []float32, L int) ([]float64, *mat.TriDense, error) {
	rows := len(codes) / L
	if rows < 2 || len(codes)%L != 0 {
		return nil, nil, optionErr("samples of an AE: %d values as codes of width %d: want at least 2 whole codes to fit a Gaussian to", len(codes), L)
	}
	x := mat.NewDense(rows, L, nil)
	for i := range rows {
		for d := range L {
			x.Set(i, d, float64(codes[i*L+d]))
		}
	}
	var cov mat.SymDense
	stat.CovarianceMatrix(&cov, x, nil)
	for d := range L {
		cov.SetSym(d, d, cov.At(d, d)+1e-6)
	}
	var chol mat.Cholesky
	if !chol.Factorize(&cov) {
		return nil, nil, optionErr("samples of an AE: the covariance of %d codes is not positive definite", rows)
	}
	var c mat.TriDense
	chol.LTo(&c)
	mu := make([]float64, L)
	for d := range L {
		mu[d] = stat.Mean(mat.Col(nil, d, x), nil)
	}
	return mu, &c, nil
}

// LatentPath is the straight latent path of steps points (ends included)
// from code za to code zb: (1-t)·za + t·zb for t = s/(steps-1).
func LatentPath(za, zb []float32, steps int) []float32 {
	z := make([]float32, 0, steps*len(za))
	for s := range steps {
		t := float32(s) / float32(max(steps-1, 1))
		for j := range za {
			z = append(z, (1-t)*za[j]+t*zb[j])
		}
	}
	return z
}

// WriteLatentScatter plots the latent codes of the rows of d (rows of
// Latent values, as Codes gives them) to path as a PNG coloured by label:
// the first two dimensions when there are two, PCA to 2-D beyond.
func (m *Model) WriteLatentScatter(path string, d *data.Dataset, latent []float32) error {
	L := m.Net.Config.Latent()
	pts, err := plot.PCA2(split32(latent, L))
	if err != nil {
		return err
	}
	how := "latent dims 1-2"
	if L > 2 {
		how = "PCA of the latent"
	}
	title := fmt.Sprintf("%s %v: %s (%s, %d rows)", m.Net.Config.Kind, m.Net.Config.Layers, how, d.Name, d.Rows)
	return plot.LatentScatter(path, title, pts, d.Labels, m.card.Data.Classes)
}
