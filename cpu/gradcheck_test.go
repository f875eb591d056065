package cpu_test

// Finite-difference checks of every backward operation: for a scalar
// objective L of a forward op's output, the analytic gradient the backward
// op computes must match a numeric derivative taken element by element,
// with L summed in float64. The ops run in float32 only, so the numeric
// derivative is Richardson's extrapolation of two central differences,
// accurate to a few 1e-6 here: the tolerance (fdAtol + fdRtol·|numeric|)
// then fails a gradient that is 1% off.

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/wgml/wgml/cpu"
	"github.com/wgml/wgml/nn"
)

// fdStep is the larger step h of the two central differences
// D(h) = (L(x+h) - L(x-h)) / 2h = L' + c·h² + O(h⁴) that numeric combines
// as (4·D(h/2) - D(h)) / 3, cancelling the h² term. A large step keeps the
// float32 rounding of L (about 1e-7) divided by h near 1e-6, and the h⁴
// term is smaller still for these smooth functions.
const fdStep = 4e-2

// fdAtol and fdRtol are the gradient checks' tolerance. The largest
// disagreement observed is 6.7e-6 (TestGradLosses/BCEWithLogits: the
// float32 rounding of a row loss near 3.5, 2.4e-7, over the 0.04 step);
// every other is under 4.1e-6, and under 1.1e-4 relative where the
// gradient exceeds 1e-3. A gradient 1% off exceeds the tolerance on every
// element larger than 2.2e-3.
const fdAtol, fdRtol = 2e-5, 1e-3

// gradCheck is a cpu backend with a seeded random source.
type gradCheck struct {
	t   *testing.T
	b   *cpu.Backend
	rng *rand.Rand
}

func newGradCheck(t *testing.T) *gradCheck {
	return &gradCheck{t: t, b: cpu.New(), rng: rand.New(rand.NewPCG(3, 4))}
}

// uniform returns n values drawn uniformly from [lo, hi).
func (g *gradCheck) uniform(n int, lo, hi float64) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(lo + (hi-lo)*g.rng.Float64())
	}
	return s
}

// tensor allocates a (rows, cols) tensor holding data.
func (g *gradCheck) tensor(rows, cols int, data []float32) nn.Tensor {
	x, err := g.b.Alloc(rows, cols)
	if err != nil {
		g.t.Fatal(err)
	}
	g.b.Upload(x, data)
	return x
}

// read returns the contents of x.
func (g *gradCheck) read(x nn.Tensor) []float32 {
	s := make([]float32, nn.Len(x))
	if err := g.b.Read(x, s); err != nil {
		g.t.Fatal(err)
	}
	return s
}

// numeric returns dL/dx by Richardson-extrapolated central differences
// (see fdStep), where x holds data and loss evaluates L from the current
// contents of x.
func (g *gradCheck) numeric(x nn.Tensor, data []float32, loss func() float64) []float64 {
	d := make([]float64, len(data))
	for i := range data {
		d[i] = (4*g.central(x, data, i, fdStep/2, loss) - g.central(x, data, i, fdStep, loss)) / 3
	}
	return d
}

// central returns (L(x+h) - L(x-h)) / (x+h - (x-h)) for element i of x,
// dividing by the float32 steps actually taken, and restores x.
func (g *gradCheck) central(x nn.Tensor, data []float32, i int, h float32, loss func() float64) float64 {
	v := data[i]
	hi, lo := v+h, v-h
	data[i] = hi
	g.b.Upload(x, data)
	lHi := loss()
	data[i] = lo
	g.b.Upload(x, data)
	lLo := loss()
	data[i] = v
	g.b.Upload(x, data)
	return (lHi - lLo) / (float64(hi) - float64(lo))
}

// check reports an error where the analytic gradient differs from the
// numeric one by more than fdAtol + fdRtol·|numeric|, and logs the largest
// differences.
func (g *gradCheck) check(name string, analytic []float32, numeric []float64) {
	g.t.Helper()
	var maxAbs, maxRel float64
	bad := 0
	for i, n := range numeric {
		a := float64(analytic[i])
		d := math.Abs(a - n)
		maxAbs, maxRel = max(maxAbs, d), max(maxRel, d/max(math.Abs(n), 1e-3))
		if !(d <= fdAtol+fdRtol*math.Abs(n)) {
			if bad++; bad <= 5 {
				g.t.Errorf("%s[%d]: analytic %g, numeric %g (diff %.3g)", name, i, a, n, d)
			}
		}
	}
	if bad > 0 {
		g.t.Errorf("%s: %d of %d elements differ (atol %g, rtol %g)", name, bad, len(numeric), fdAtol, fdRtol)
	}
	g.t.Logf("%s: maxdiff %.3g, max relative %.3g", name, maxAbs, maxRel)
}

// dot returns Σ r ⊙ x in float64.
func dot(r, x []float32) float64 {
	var s float64
	for i := range r {
		s += float64(r[i]) * float64(x[i])
	}
	return s
}

// sum returns Σ x in float64.
func sum(x []float32) float64 {
	var s float64
	for _, v := range x {
		s += float64(v)
	}
	return s
}

// TestGradLinear checks a dense layer's backward pass as a model builds it:
// dz = ActivateBackward(dy, y), dx = dz·w, dW = dzᵀ·x, db = SumRows(dz).
func TestGradLinear(t *testing.T) {
	const batch, in, out = 3, 4, 5
	for _, act := range []nn.Activation{nn.Identity, nn.Tanh, nn.Sigmoid} {
		t.Run(act.String(), func(t *testing.T) {
			g := newGradCheck(t)
			xd, wd, bd := g.uniform(batch*in, -1, 1), g.uniform(out*in, -1, 1), g.uniform(out, -1, 1)
			x, w, bias := g.tensor(batch, in, xd), g.tensor(out, in, wd), g.tensor(1, out, bd)
			r := g.uniform(batch*out, -1, 1)
			y := g.tensor(batch, out, make([]float32, batch*out))
			loss := func() float64 {
				g.b.Linear(y, x, w, bias, act)
				return dot(r, g.read(y))
			}
			loss()
			dz := g.tensor(batch, out, make([]float32, batch*out))
			dx := g.tensor(batch, in, make([]float32, batch*in))
			dw := g.tensor(out, in, make([]float32, out*in))
			db := g.tensor(1, out, make([]float32, out))
			g.b.ActivateBackward(dz, g.tensor(batch, out, r), y, act)
			g.b.MatMul(dx, dz, w, nn.NoTrans, nn.NoTrans, nn.Overwrite)
			g.b.MatMul(dw, dz, x, nn.Trans, nn.NoTrans, nn.Overwrite)
			g.b.SumRows(db, dz, nn.Overwrite)
			g.check("dx", g.read(dx), g.numeric(x, xd, loss))
			g.check("dW", g.read(dw), g.numeric(w, wd, loss))
			g.check("db", g.read(db), g.numeric(bias, bd, loss))
		})
	}
}

func TestGradActivateBackward(t *testing.T) {
	const rows, cols = 4, 5
	for _, act := range []nn.Activation{nn.Identity, nn.ReLU, nn.LeakyReLU, nn.Tanh, nn.Sigmoid} {
		t.Run(act.String(), func(t *testing.T) {
			g := newGradCheck(t)
			xd := g.uniform(rows*cols, -3, 3)
			for i, v := range xd {
				if math.Abs(float64(v)) < 3*fdStep { // away from the relu kink
					xd[i] += float32(math.Copysign(3*fdStep, float64(v)))
				}
			}
			x, r := g.tensor(rows, cols, xd), g.uniform(rows*cols, -1, 1)
			y := g.tensor(rows, cols, make([]float32, rows*cols))
			loss := func() float64 {
				g.b.Activate(y, x, act)
				return dot(r, g.read(y))
			}
			loss()
			dx := g.tensor(rows, cols, make([]float32, rows*cols))
			g.b.ActivateBackward(dx, g.tensor(rows, cols, r), y, act)
			g.check("dx", g.read(dx), g.numeric(x, xd, loss))
		})
	}
}

// TestGradLosses checks that each loss's grad is gradScale·∂(Σ rowLoss)/∂pred.
func TestGradLosses(t *testing.T) {
	const rows, cols, scale = 3, 5, 0.37
	for _, tc := range []struct {
		name   string
		lo, hi float64 // range of the predictions
		loss   func(b *cpu.Backend, rowLoss, grad, pred, target nn.Tensor, gradScale float32)
	}{
		{"MSE", -1, 1, (*cpu.Backend).MSE},
		{"BCEWithLogits", -4, 4, (*cpu.Backend).BCEWithLogits},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := newGradCheck(t)
			pd := g.uniform(rows*cols, tc.lo, tc.hi)
			pred, target := g.tensor(rows, cols, pd), g.tensor(rows, cols, g.uniform(rows*cols, 0, 1))
			rowLoss := g.tensor(rows, 1, make([]float32, rows))
			grad := g.tensor(rows, cols, make([]float32, rows*cols))
			tc.loss(g.b, rowLoss, grad, pred, target, scale)
			analytic := g.read(grad)
			g.check("grad", analytic, g.numeric(pred, pd, func() float64 {
				tc.loss(g.b, rowLoss, nil, pred, target, scale)
				return scale * sum(g.read(rowLoss))
			}))
		})
	}
}
