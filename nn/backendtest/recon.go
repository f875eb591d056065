package backendtest

import (
	"fmt"
	"math"
	"testing"

	"github.com/wgml/wgml/nn"
)

func testReconLossGrad(t *testing.T, b nn.Backend) {
	cases := []struct {
		loss string
		act  nn.Activation
	}{{nn.LossMSE, nn.Identity}, {nn.LossMSE, nn.Sigmoid}, {nn.LossMSE, nn.ReLU}, {nn.LossMSE, nn.Tanh}, {nn.LossBCE, nn.Identity}}
	for _, s := range lossShapes {
		for _, c := range cases {
			t.Run(fmt.Sprintf("%dx%d/%s/%s", s[0], s[1], c.loss, c.act), func(t *testing.T) {
				f := newFixture(t, b)
				rows, n := s[0], s[1]
				od, td := f.uniform(rows*n, -4, 4), f.uniform(rows*n, 0, 1)
				if c.loss == nn.LossMSE { // an output act can give
					for i, v := range od {
						od[i] = c.act.Apply(v)
					}
				}
				out, target := f.input("out", rows, n, od), f.input("target", rows, n, td)
				rowLoss, _ := f.output(rows, 1)
				dz, _ := f.output(rows, n)
				const scale = 0.37
				b.ReconLossGrad(rowLoss, dz, out, target, c.loss, c.act, scale)
				loss, g := make([]float64, rows), make([]float64, rows*n)
				for i := range rows {
					for j := i * n; j < (i+1)*n; j++ {
						o, tt := float64(od[j]), float64(td[j])
						if c.loss == nn.LossMSE {
							loss[i] += (o - tt) * (o - tt)
							g[j] = scale * 2 * (o - tt) * float64(c.act.DerivFromOutput(od[j]))
						} else {
							loss[i] += tt*softplus(-o) + (1-tt)*softplus(o)
							g[j] = scale * (1/(1+math.Exp(-o)) - tt)
						}
					}
				}
				checkClose(t, "rowLoss", f.read(rowLoss), f32(loss), atol, rtol)
				checkClose(t, "dz", f.read(dz), f32(g), atol, rtol)
				f.check()
			})
		}
	}
}
