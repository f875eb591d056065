package cpu_test

// Finite-difference checks of the fused training ops: ReparameterizeBackward
// (reparameterisation and KL in one op) and ReconLossGrad (loss, its
// gradient and the output activation's derivative in one op).

import (
	"testing"

	"github.com/wgml/wgml/nn"
)

// TestGradReparameterizeKL checks dStats of L = Σ r⊙z + klScale·Σ rowKL,
// z = Reparameterize(stats) with eps fixed by its stream.
func TestGradReparameterizeKL(t *testing.T) {
	const rows, l, klScale = 3, 4, 0.37
	const seed, stream = 5, 9
	g := newGradCheck(t)
	sd := g.uniform(rows*2*l, -2, 2)
	stats := g.tensor(rows, 2*l, sd)
	r := g.uniform(rows*l, -1, 1)
	z, eps := g.tensor(rows, l, make([]float32, rows*l)), g.tensor(rows, l, make([]float32, rows*l))
	rowKL := g.tensor(rows, 1, make([]float32, rows))
	loss := func() float64 {
		g.b.Reparameterize(z, eps, stats, seed, stream)
		g.b.KL(rowKL, stats)
		return dot(r, g.read(z)) + klScale*sum(g.read(rowKL))
	}
	loss() // draws eps
	dStats := g.tensor(rows, 2*l, make([]float32, rows*2*l))
	acc := g.tensor(rows, 1, make([]float32, rows))
	g.b.ReparameterizeBackward(dStats, acc, g.tensor(rows, l, r), stats, eps, klScale)
	g.check("dStats", g.read(dStats), g.numeric(stats, sd, loss))
}

// TestGradReconLoss checks dz of L = gradScale·Σ rowLoss(act(p)) against p,
// the pre-activation, for each loss and output activation.
func TestGradReconLoss(t *testing.T) {
	const rows, cols, scale = 3, 5, 0.37
	for _, c := range []struct {
		loss string
		act  nn.Activation
	}{{nn.LossMSE, nn.Identity}, {nn.LossMSE, nn.Sigmoid}, {nn.LossMSE, nn.Tanh}, {nn.LossBCE, nn.Identity}} {
		t.Run(c.loss+"/"+c.act.String(), func(t *testing.T) {
			g := newGradCheck(t)
			pd, td := g.uniform(rows*cols, -2, 2), g.uniform(rows*cols, 0, 1)
			p, target := g.tensor(rows, cols, pd), g.tensor(rows, cols, td)
			out := g.tensor(rows, cols, make([]float32, rows*cols))
			dz := g.tensor(rows, cols, make([]float32, rows*cols))
			rowLoss := g.tensor(rows, 1, make([]float32, rows))
			loss := func() float64 {
				g.b.Activate(out, p, c.act)
				g.b.ReconLossGrad(rowLoss, dz, out, target, c.loss, c.act, scale)
				return scale * sum(g.read(rowLoss))
			}
			loss()
			analytic := g.read(dz)
			g.check("dz", analytic, g.numeric(p, pd, loss))
		})
	}
}
