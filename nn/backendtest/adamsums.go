package backendtest

import (
	"fmt"
	"testing"

	"github.com/wgml/wgml/nn"
)

// testAdamSums runs AdamSums over steps that jump (as a resumed run's do)
// and checks Adam's result and the sums it adds to.
func testAdamSums(t *testing.T, b nn.Backend) {
	for _, s := range [][3]int{{1, 1, 1}, {7, 13, 2}, {65, 129, 1}, {3, 5, 2}} {
		t.Run(fmt.Sprintf("%dx%d/rows=%d", s[0], s[1], s[2]), func(t *testing.T) {
			f := newFixture(t, b)
			rows, cols, k := s[0], s[1], s[2]
			n, width := rows*cols, 257
			pd := f.uniform(n, -1, 1)
			md, vd := make([]float32, n), make([]float32, n)
			param := f.tensor(rows, cols, pd)
			m, v := f.tensor(rows, cols, md), f.tensor(rows, cols, vd)
			sums, sd := f.output(k, 3)
			want := make([]float64, len(sd))
			for i, x := range sd {
				want[i] = float64(x)
			}
			for _, step := range []int{1, 2, 9, 10} {
				gd := f.uniform(n, -1/float64(step), 1/float64(step))
				grad := f.input(fmt.Sprintf("grad of step %d", step), rows, cols, gd)
				rd := f.uniform(k*width, 0, 10)
				lossRows := f.input(fmt.Sprintf("rows of step %d", step), k, width, rd)
				h := nn.AdamParams{LR: 0.05, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: 0.1, Step: step}
				b.AdamSums(param, grad, m, v, h, sums, lossRows)
				adamRef(pd, gd, md, vd, h)
				for i := range k {
					for _, x := range rd[i*width : (i+1)*width] {
						want[3*i] += float64(x)
					}
				}
				checkClose(t, fmt.Sprintf("param after step %d", step), f.read(param), pd, 1e-6, 1e-5)
				checkClose(t, fmt.Sprintf("m after step %d", step), f.read(m), md, 1e-7, 1e-5)
				checkClose(t, fmt.Sprintf("v after step %d", step), f.read(v), vd, 1e-9, 1e-5)
				checkClose(t, fmt.Sprintf("sums after step %d (column 0 adds, the rest stay)", step), f.read(sums), f32(want), 1e-5, 1e-5)
			}
			f.check()
		})
	}
}
