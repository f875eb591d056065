package cpu

import (
	"fmt"
	"math"

	"github.com/wgml/wgml/internal/pool"
	"github.com/wgml/wgml/internal/vec"
	"github.com/wgml/wgml/nn"
)

// TableLoss computes the table reconstruction loss of nn.TableLayout's doc:
// per row, squared errors of numeric columns and softmax cross-entropies of
// categorical groups, over the present features, scaled by F/P (features
// over present features); with grad, grad = gradScale·∂rowLoss/∂pred.
// pred, target, mask are (B,N) (mask nil: all present), layout holds N
// entries, rowLoss is (B,1), grad is (B,N).
func (*Backend) TableLoss(rowLoss, grad, pred, target, mask, layout nn.Tensor, gradScale float32) {
	b, n := pred.Rows(), pred.Cols()
	p := mat("TableLoss", "pred", pred, b, n)
	t := mat("TableLoss", "target", target, b, n)
	loss := mat("TableLoss", "rowLoss", rowLoss, b, 1)
	var m, g []float32
	if mask != nil {
		m = mat("TableLoss", "mask", mask, b, n)
	}
	if grad != nil {
		g = mat("TableLoss", "grad", grad, b, n)
	}
	lay := tensor("TableLoss", "layout", layout).i32
	if len(lay) != n {
		panic(fmt.Sprintf("cpu: TableLoss: layout has %d entries, want %d", len(lay), n))
	}
	parallelFor(b, max(1, pool.GrainMath/max(n, 1)), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			loss[i] = tableRow(p[i*n:(i+1)*n], t[i*n:(i+1)*n], rowOf(m, i, n), rowOf(g, i, n), lay, gradScale)
		}
	})
}

// rowOf returns row i of the (·,n) matrix s, or nil when s is nil.
func rowOf(s []float32, i, n int) []float32 {
	if s == nil {
		return nil
	}
	return s[i*n : (i+1)*n]
}

// tableRow returns one row's TableLoss and writes its gradient into g
// (when not nil); m nil means every value is present. Sums are float64.
func tableRow(p, t, m, g []float32, layout []int32, gradScale float32) float32 {
	var sum float64
	var features, present int
	for j := 0; j < len(layout); j++ {
		k := layout[j]
		if k == nn.TableMember {
			continue
		}
		features++
		if m != nil && m[j] == 0 {
			continue
		}
		present++
		if k == nn.TableNumeric {
			d := float64(p[j]) - float64(t[j])
			sum += d * d
			continue
		}
		grp, tg := p[j:j+int(k)], t[j:j+int(k)]
		lse := vec.LogSumExp(grp)
		for c, v := range grp {
			sum += float64(tg[c]) * (lse - float64(v))
		}
	}
	if present == 0 {
		if g != nil {
			clear(g)
		}
		return 0
	}
	scale := float64(features) / float64(present)
	if g != nil {
		tableGrad(p, t, m, g, layout, float32(scale)*gradScale)
	}
	return float32(scale * sum)
}

// tableGrad writes g = s·∂(Σ_f m_f·e_f)/∂p for one row (see tableRow).
func tableGrad(p, t, m, g []float32, layout []int32, s float32) {
	for j := 0; j < len(layout); j++ {
		k := layout[j]
		switch {
		case k == nn.TableMember:
			continue
		case m != nil && m[j] == 0:
			width := max(int(k), 1)
			clear(g[j : j+width])
		case k == nn.TableNumeric:
			g[j] = s * 2 * (p[j] - t[j])
		default:
			grp, tg := p[j:j+int(k)], t[j:j+int(k)]
			lse, tsum := vec.LogSumExp(grp), 0.0
			for _, v := range tg {
				tsum += float64(v)
			}
			for c, v := range grp {
				g[j+c] = s * float32(tsum*math.Exp(float64(v)-lse)-float64(tg[c]))
			}
		}
	}
}
