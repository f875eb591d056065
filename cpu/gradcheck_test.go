package cpu_test

// Finite-difference checks of every backward operation: for a scalar
// objective L of a forward op's output, the analytic gradient the backward
// op computes must match central differences (L(x+ε) - L(x-ε)) / 2ε taken
// element by element, with L summed in float64.

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/wgml/wgml/cpu"
	"github.com/wgml/wgml/nn"
)

// fdEps is the finite-difference step; with float32 forward passes, smaller
// steps drown in rounding.
const fdEps = 1e-2

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

// numeric returns dL/dx by central differences, where x holds data and
// loss evaluates L from the current contents of x.
func (g *gradCheck) numeric(x nn.Tensor, data []float32, loss func() float64) []float64 {
	d := make([]float64, len(data))
	for i, v := range data {
		hi, lo := v+fdEps, v-fdEps
		data[i] = hi
		g.b.Upload(x, data)
		lHi := loss()
		data[i] = lo
		g.b.Upload(x, data)
		lLo := loss()
		d[i] = (lHi - lLo) / (float64(hi) - float64(lo))
		data[i] = v
		g.b.Upload(x, data)
	}
	return d
}

// check reports an error where the analytic gradient differs from the
// numeric one by more than 1e-3 + 1e-2·|numeric|.
func (g *gradCheck) check(name string, analytic []float32, numeric []float64) {
	g.t.Helper()
	for i, n := range numeric {
		if a := float64(analytic[i]); !(math.Abs(a-n) <= 1e-3+1e-2*math.Abs(n)) {
			g.t.Errorf("%s[%d]: analytic %g, numeric %g", name, i, a, n)
		}
	}
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
			g.b.MatMul(dx, dz, w, false, false, false)
			g.b.MatMul(dw, dz, x, true, false, false)
			g.b.SumRows(db, dz, false)
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
				if math.Abs(float64(v)) < 10*fdEps { // away from the relu kink
					xd[i] += float32(math.Copysign(10*fdEps, float64(v)))
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
