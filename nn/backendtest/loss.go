package backendtest

import (
	"fmt"
	"math"
	"testing"

	"github.com/wgml/wgml/nn"
)

// lossShapes are the (B,N) of the loss tests.
var lossShapes = [][2]int{{1, 1}, {7, 13}, {65, 129}, {257, 30}}

// softplus is log(1+exp(x)), computed without overflow.
func softplus(x float64) float64 { return max(x, 0) + math.Log1p(math.Exp(-math.Abs(x))) }

func testMSE(t *testing.T, b nn.Backend) {
	for _, s := range lossShapes {
		for _, withGrad := range []bool{true, false} {
			t.Run(fmt.Sprintf("%dx%d/grad=%v", s[0], s[1], withGrad), func(t *testing.T) {
				f := newFixture(t, b)
				rows, n := s[0], s[1]
				pd, td := f.uniform(rows*n, -1, 1), f.uniform(rows*n, -1, 1)
				pred, target := f.input("pred", rows, n, pd), f.input("target", rows, n, td)
				rowLoss, _ := f.output(rows, 1)
				var grad nn.Tensor
				if withGrad {
					grad, _ = f.output(rows, n)
				}
				const scale = 0.37
				b.MSE(rowLoss, grad, pred, target, scale)
				loss, g := make([]float64, rows), make([]float64, rows*n)
				for i := range rows {
					for j := i * n; j < (i+1)*n; j++ {
						d := float64(pd[j]) - float64(td[j])
						loss[i] += d * d
						g[j] = scale * 2 * d
					}
				}
				checkClose(t, "rowLoss", f.read(rowLoss), f32(loss), atol, rtol)
				if withGrad {
					checkClose(t, "grad", f.read(grad), f32(g), atol, rtol)
				}
				f.check()
			})
		}
	}
}

func testBCEWithLogits(t *testing.T, b nn.Backend) {
	for _, s := range lossShapes {
		for _, withGrad := range []bool{true, false} {
			t.Run(fmt.Sprintf("%dx%d/grad=%v", s[0], s[1], withGrad), func(t *testing.T) {
				f := newFixture(t, b)
				rows, n := s[0], s[1]
				zd, td := f.uniform(rows*n, -8, 8), f.uniform(rows*n, 0, 1)
				// Extreme logits, where a naive log(sigmoid(z)) overflows,
				// and hard 0/1 targets.
				for i, z := range []float32{100, -100, 30, -30, 0} {
					if k := 3*i + 1; k < len(zd) {
						zd[k] = z
					}
				}
				for i := 0; i < len(td); i += 5 {
					td[i] = float32(i / 5 % 2)
				}
				logits, target := f.input("logits", rows, n, zd), f.input("target", rows, n, td)
				rowLoss, _ := f.output(rows, 1)
				var grad nn.Tensor
				if withGrad {
					grad, _ = f.output(rows, n)
				}
				const scale = 0.37
				b.BCEWithLogits(rowLoss, grad, logits, target, scale)
				loss, g := make([]float64, rows), make([]float64, rows*n)
				for i := range rows {
					for j := i * n; j < (i+1)*n; j++ {
						z, tt := float64(zd[j]), float64(td[j])
						// -t·log σ(z) - (1-t)·log(1-σ(z))
						loss[i] += tt*softplus(-z) + (1-tt)*softplus(z)
						g[j] = scale * (1/(1+math.Exp(-z)) - tt)
					}
				}
				checkClose(t, "rowLoss", f.read(rowLoss), f32(loss), atol, rtol)
				if withGrad {
					checkClose(t, "grad", f.read(grad), f32(g), atol, rtol)
				}
				f.check()
			})
		}
	}
}
