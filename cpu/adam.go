package cpu

import (
	"fmt"
	"math"

	"github.com/wgml/wgml/nn"
)

// Adam applies one step of PyTorch's Adam with L2 weight decay (see
// nn.AdamParams) to param in place, updating the moments m and v. Like
// PyTorch's, it computes each element in float32, as
//
//	p -= (LR/(1-Beta1^Step)) · m / (sqrt(v)·(1/sqrt(1-Beta2^Step)) + Eps)
//
// with the two bias corrections computed once, in float64: one square root
// and one division per element. (In float64 the element loop took a third
// of a training step, waiting on the divider.)
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
	b1, b2, eps, wd := h.Beta1, h.Beta2, h.Eps, h.WeightDecay
	step := float32(float64(h.LR) / (1 - math.Pow(float64(b1), float64(h.Step))))
	rbc2 := float32(1 / math.Sqrt(1-math.Pow(float64(b2), float64(h.Step))))
	parallelFor(len(p), grainCheap, func(lo, hi int) {
		p := p[lo:hi]
		g, md, vd := g[lo:hi][:len(p)], md[lo:hi][:len(p)], vd[lo:hi][:len(p)]
		for i := range p {
			gi := g[i] + wd*p[i]
			mi := b1*md[i] + (1-b1)*gi
			vi := b2*vd[i] + (1-b2)*gi*gi
			p[i] -= step * mi / (float32(math.Sqrt(float64(vi)))*rbc2 + eps)
			md[i], vd[i] = mi, vi
		}
	})
}
