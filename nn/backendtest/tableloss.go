package backendtest

import (
	"fmt"
	"math"
	"testing"

	"github.com/wgml/wgml/nn"
)

// tableCases are the TableLoss tests: B rows of features whose sizes are 0
// (numeric) or a categorical group size, as nn.TableLayout takes them.
var tableCases = []struct {
	rows  int
	sizes []int
}{
	{1, []int{0}},
	{1, []int{1}},
	{3, []int{1, 1, 0, 1}},
	{7, []int{0, 3, 0, 0, 2, 5, 0, 1}},
	{65, []int{4, 0, 0, 0, 0, 0, 0, 9, 0, 0, 2, 0, 17, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}},
	{257, []int{300, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 2}}, // a group wider than a workgroup
}

func testTableLoss(t *testing.T, b nn.Backend) {
	for _, c := range tableCases {
		layout, err := nn.TableLayout(c.sizes)
		if err != nil {
			t.Fatal(err)
		}
		n := len(layout)
		for _, masked := range []bool{true, false} {
			for _, withGrad := range []bool{true, false} {
				t.Run(fmt.Sprintf("%dx%d/%d features/mask=%v/grad=%v", c.rows, n, len(c.sizes), masked, withGrad), func(t *testing.T) {
					f := newFixture(t, b)
					rows := c.rows
					pd, td, md := f.tableData(rows, c.sizes, masked)
					pred, target := f.input("pred", rows, n, pd), f.input("target", rows, n, td)
					var mask nn.Tensor
					if masked {
						mask = f.input("mask", rows, n, md)
					} else {
						md = nil
					}
					index, err := b.AllocIndex(n)
					if err != nil {
						t.Fatalf("AllocIndex: %v", err)
					}
					b.UploadIndex(index, layout)
					rowLoss, _ := f.output(rows, 1)
					var grad nn.Tensor
					if withGrad {
						grad, _ = f.output(rows, n)
					}
					const scale = 0.37
					b.TableLoss(rowLoss, grad, pred, target, mask, index, scale)
					loss, g := tableReference(pd, td, md, c.sizes, rows, scale)
					checkClose(t, "rowLoss", f.read(rowLoss), f32(loss), atol, rtol)
					if withGrad {
						checkClose(t, "grad", f.read(grad), f32(g), atol, rtol)
					}
					f.check()
				})
			}
		}
	}
}

// tableData returns predictions, targets and a mask for rows of features
// sized as in nn.TableLayout: numeric targets in [-1, 1), one-hot group
// targets (every fifth group all zero, an unseen category), logits in
// [-6, 6) with an extreme one, about a third of the features missing, and
// rows 0 and 2 all missing.
func (f *fixture) tableData(rows int, sizes []int, masked bool) (pred, target, mask []float32) {
	var n int
	for _, k := range sizes {
		n += max(k, 1)
	}
	pred, target, mask = f.uniform(rows*n, -6, 6), make([]float32, rows*n), make([]float32, rows*n)
	for i := range rows {
		j := i * n
		for fi, k := range sizes {
			present := float32(0)
			if i != 0 && i != 2 && f.rng.IntN(3) > 0 {
				present = 1
			}
			w := max(k, 1)
			for c := range w {
				mask[j+c] = present
			}
			switch {
			case k == 0:
				target[j] = float32(2*f.rng.Float64() - 1)
				pred[j] /= 6
			case (i+fi)%5 != 4:
				target[j+f.rng.IntN(k)] = 1
			}
			if k > 1 && (i+fi)%7 == 3 {
				pred[j+f.rng.IntN(k)] = 90 // exp overflows float32 unless shifted
			}
			j += w
		}
	}
	return pred, target, mask
}

// tableReference is TableLoss in plain float64 loops (nn.TableLayout's doc).
func tableReference(pred, target, mask []float32, sizes []int, rows int, scale float64) (loss, grad []float64) {
	n := len(pred) / rows
	loss, grad = make([]float64, rows), make([]float64, rows*n)
	for i := range rows {
		var sum float64
		present := 0
		j := i * n
		for _, k := range sizes {
			w := max(k, 1)
			if mask == nil || mask[j] == 1 {
				present++
				if k == 0 {
					d := float64(pred[j]) - float64(target[j])
					sum += d * d
					grad[j] = 2 * d
				} else {
					hi := math.Inf(-1)
					for c := range k {
						hi = math.Max(hi, float64(pred[j+c]))
					}
					var se, ts float64
					for c := range k {
						se += math.Exp(float64(pred[j+c]) - hi)
						ts += float64(target[j+c])
					}
					lse := hi + math.Log(se)
					for c := range k {
						sum -= float64(target[j+c]) * (float64(pred[j+c]) - lse)
						grad[j+c] = ts*math.Exp(float64(pred[j+c])-lse) - float64(target[j+c])
					}
				}
			}
			j += w
		}
		s := 0.0
		if present > 0 {
			s = float64(len(sizes)) / float64(present)
		}
		loss[i] = s * sum
		for j := i * n; j < (i+1)*n; j++ {
			grad[j] *= s * scale
		}
	}
	return loss, grad
}
