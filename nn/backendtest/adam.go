package backendtest

import (
	"fmt"
	"math"
	"testing"

	"github.com/wgml/wgml/nn"
)

// adamRef applies one step of nn.AdamParams' formula in float64 to p, m and
// v, rounding what it stores to float32 as a backend does.
func adamRef(p, g, m, v []float32, h nn.AdamParams) {
	b1, b2 := float64(h.Beta1), float64(h.Beta2)
	for i := range p {
		gi := float64(g[i]) + float64(h.WeightDecay)*float64(p[i])
		mi := b1*float64(m[i]) + (1-b1)*gi
		vi := b2*float64(v[i]) + (1-b2)*gi*gi
		mHat := mi / (1 - math.Pow(b1, float64(h.Step)))
		vHat := vi / (1 - math.Pow(b2, float64(h.Step)))
		p[i] = float32(float64(p[i]) - float64(h.LR)*mHat/(math.Sqrt(vHat)+float64(h.Eps)))
		m[i], v[i] = float32(mi), float32(vi)
	}
}

func testAdam(t *testing.T, b nn.Backend) {
	for _, s := range [][2]int{{1, 1}, {7, 13}, {65, 129}} {
		for _, wd := range []float32{0, 0.1} {
			t.Run(fmt.Sprintf("%dx%d/wd=%v", s[0], s[1], wd), func(t *testing.T) {
				f := newFixture(t, b)
				rows, cols := s[0], s[1]
				n := rows * cols
				pd := f.uniform(n, -1, 1)
				md, vd := make([]float32, n), make([]float32, n)
				param := f.tensor(rows, cols, pd)
				m, v := f.tensor(rows, cols, md), f.tensor(rows, cols, vd)
				for step := 1; step <= 4; step++ {
					// Gradients shrink from step to step, so that the moments
					// and bias corrections matter.
					gd := f.uniform(n, -1/float64(step), 1/float64(step))
					grad := f.input(fmt.Sprintf("grad of step %d", step), rows, cols, gd)
					h := nn.AdamParams{LR: 0.05, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: wd, Step: step}
					b.Adam(param, grad, m, v, h)
					adamRef(pd, gd, md, vd, h)
					checkClose(t, fmt.Sprintf("param after step %d", step), f.read(param), pd, 1e-6, 1e-5)
					checkClose(t, fmt.Sprintf("m after step %d", step), f.read(m), md, 1e-7, 1e-5)
					checkClose(t, fmt.Sprintf("v after step %d", step), f.read(v), vd, 1e-9, 1e-5)
				}
				f.check()
			})
		}
	}
}
