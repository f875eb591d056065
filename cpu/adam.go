package cpu

import (
	"fmt"
	"math"

	"github.com/wgml/wgml/nn"
)

// Adam applies one step of PyTorch's Adam with L2 weight decay (see
// nn.AdamParams) to param in place, updating the moments m and v; each
// element is computed in float64.
// param, grad, m, v are (R,N).
func (*Backend) Adam(param, grad, m, v nn.Tensor, h nn.AdamParams) {
	if h.Step < 1 {
		panic(fmt.Sprintf("cpu: Adam: Step is %d, want >= 1", h.Step))
	}
	r, n := param.Rows(), param.Cols()
	p := mat("Adam", "param", param, r, n)
	g := mat("Adam", "grad", grad, r, n)
	md := mat("Adam", "m", m, r, n)
	vd := mat("Adam", "v", v, r, n)
	lr, b1, b2 := float64(h.LR), float64(h.Beta1), float64(h.Beta2)
	eps, wd := float64(h.Eps), float64(h.WeightDecay)
	// lr·(m/bc1)/(sqrt(v/bc2)+eps) = step·m/(sqrt(v)·rbc2+eps): one
	// division and one square root per element.
	step := lr / (1 - math.Pow(b1, float64(h.Step)))
	rbc2 := 1 / math.Sqrt(1-math.Pow(b2, float64(h.Step)))
	parallelFor(len(p), grainCheap, func(lo, hi int) {
		p := p[lo:hi]
		g, md, vd := g[lo:hi][:len(p)], md[lo:hi][:len(p)], vd[lo:hi][:len(p)]
		for i := range p {
			gi := float64(g[i]) + wd*float64(p[i])
			mi := b1*float64(md[i]) + (1-b1)*gi
			vi := b2*float64(vd[i]) + (1-b2)*gi*gi
			p[i] = float32(float64(p[i]) - step*mi/(math.Sqrt(vi)*rbc2+eps))
			md[i], vd[i] = float32(mi), float32(vi)
		}
	})
}
