package cpu_test

import (
	"testing"

	"github.com/wgml/wgml/nn"
)

// TestGradFusedLinear checks LinearGrads and LinearInputGrad by finite
// differences through two stacked dense layers, as an MLP's backward pass
// uses them: x -> h = act1(x·w1ᵀ+b1) -> y = act2(h·w2ᵀ+b2), L = Σ r ⊙ y.
// dz2 = ActivateBackward(r, y); LinearGrads(dw2, db2, dz2, h);
// dz1 = LinearInputGrad(dz2, w2, h, act1); LinearGrads(dw1, db1, dz1, x);
// dx = LinearInputGrad(dz1, w1, nil, Identity).
func TestGradFusedLinear(t *testing.T) {
	const batch, in, hid, out = 3, 4, 5, 2
	for _, act1 := range []nn.Activation{nn.Identity, nn.Tanh, nn.Sigmoid} {
		t.Run(act1.String(), func(t *testing.T) {
			const act2 = nn.Sigmoid
			g := newGradCheck(t)
			xd := g.uniform(batch*in, -1, 1)
			w1d, b1d := g.uniform(hid*in, -1, 1), g.uniform(hid, -1, 1)
			w2d, b2d := g.uniform(out*hid, -1, 1), g.uniform(out, -1, 1)
			x := g.tensor(batch, in, xd)
			w1, b1 := g.tensor(hid, in, w1d), g.tensor(1, hid, b1d)
			w2, b2 := g.tensor(out, hid, w2d), g.tensor(1, out, b2d)
			h := g.tensor(batch, hid, make([]float32, batch*hid))
			y := g.tensor(batch, out, make([]float32, batch*out))
			r := g.uniform(batch*out, -1, 1)
			loss := func() float64 {
				g.b.Linear(h, x, w1, b1, act1)
				g.b.Linear(y, h, w2, b2, act2)
				return dot(r, g.read(y))
			}
			loss()
			zeros := func(rows, cols int) nn.Tensor { return g.tensor(rows, cols, make([]float32, rows*cols)) }
			dz2, dz1, dx := zeros(batch, out), zeros(batch, hid), zeros(batch, in)
			dw1, db1, dw2, db2 := zeros(hid, in), zeros(1, hid), zeros(out, hid), zeros(1, out)
			g.b.ActivateBackward(dz2, g.tensor(batch, out, r), y, act2)
			g.b.LinearGrads(dw2, db2, dz2, h)
			g.b.LinearInputGrad(dz1, dz2, w2, h, act1)
			g.b.LinearGrads(dw1, db1, dz1, x)
			g.b.LinearInputGrad(dx, dz1, w1, nil, nn.Identity)
			g.check("dx", g.read(dx), g.numeric(x, xd, loss))
			g.check("dW1", g.read(dw1), g.numeric(w1, w1d, loss))
			g.check("db1", g.read(db1), g.numeric(b1, b1d, loss))
			g.check("dW2", g.read(dw2), g.numeric(w2, w2d, loss))
			g.check("db2", g.read(db2), g.numeric(b2, b2d, loss))
		})
	}
}
