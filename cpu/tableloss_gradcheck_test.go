package cpu_test

import (
	"testing"

	"github.com/wgml/wgml/nn"
)

// TestGradTableLoss checks TableLoss's gradient against central differences
// of L = Σ_i rowLoss[i], for numeric columns, groups of size 1 to 5, a
// missing value and an all-missing row, with and without a mask.
func TestGradTableLoss(t *testing.T) {
	sizes := []int{0, 3, 1, 0, 5, 2}
	layout, err := nn.TableLayout(sizes)
	if err != nil {
		t.Fatal(err)
	}
	const rows, scale = 3, 0.7
	n := len(layout)
	for _, masked := range []bool{false, true} {
		g := newGradCheck(t)
		pd := g.uniform(rows*n, -2, 2)
		td := make([]float32, rows*n)
		md := make([]float32, rows*n)
		for i := range rows {
			j := i * n
			for f, k := range sizes {
				w := max(k, 1)
				if k == 0 {
					td[j] = g.uniform(1, -1, 1)[0]
				} else if f != 4 || i != 1 { // row 1's 5-group is unseen: all zero
					td[j+g.rng.IntN(k)] = 1
				}
				for c := range w {
					md[j+c] = 1
					if i == 2 || i == 1 && f == 1 { // row 2 all missing, row 1 one group
						md[j+c] = 0
					}
				}
				j += w
			}
		}
		pred, target := g.tensor(rows, n, pd), g.tensor(rows, n, td)
		var mask nn.Tensor
		if masked {
			mask = g.tensor(rows, n, md)
		}
		index, err := g.b.AllocIndex(n)
		if err != nil {
			t.Fatal(err)
		}
		g.b.UploadIndex(index, layout)
		rowLoss := g.tensor(rows, 1, make([]float32, rows))
		grad := g.tensor(rows, n, make([]float32, rows*n))
		g.b.TableLoss(rowLoss, grad, pred, target, mask, index, scale)
		analytic := g.read(grad)
		numeric := g.numeric(pred, pd, func() float64 {
			g.b.TableLoss(rowLoss, nil, pred, target, mask, index, 0)
			return scale * sum(g.read(rowLoss))
		})
		name := "dpred"
		if masked {
			name = "dpred (masked)"
		}
		g.check(name, analytic, numeric)
	}
}
