package cpu

import (
	"fmt"
	"math"

	"github.com/wgml/wgml/internal/gemm"
	"github.com/wgml/wgml/internal/pool"
	"github.com/wgml/wgml/internal/vec"
	"github.com/wgml/wgml/nn"
)

// Adam applies one step of PyTorch's Adam with L2 weight decay (see
// nn.AdamParams) to param in place, updating the moments m and v. Like
// PyTorch's, it computes each element in float32, as
//
//	p -= (LR/(1-Beta1^Step)) · m / (sqrt(v)·(1/sqrt(1-Beta2^Step)) + Eps)
//
// with the two bias corrections computed once, in float64: one square root
// and one division per element, 16 (AVX-512) or 8 (AVX2) at a time through
// internal/vec, whose assembly equals its plain Go loop bit for bit.
// param, grad, m, v are (R,N).
func (be *Backend) Adam(param, grad, m, v nn.Tensor, h nn.AdamParams) {
	if h.Step < 1 {
		panic(fmt.Sprintf("cpu: Adam: Step is %d, want >= 1", h.Step))
	}
	r, n := param.Rows(), param.Cols()
	p := mat("Adam", "param", param, r, n)
	g := mat("Adam", "grad", grad, r, n)
	md := mat("Adam", "m", m, r, n)
	vd := mat("Adam", "v", v, r, n)
	b1, b2 := h.Beta1, h.Beta2
	c := &vec.AdamConsts{B1: b1, OneMinusB1: 1 - b1, B2: b2, OneMinusB2: 1 - b2, WD: h.WeightDecay, Eps: h.Eps,
		Step: float32(float64(h.LR) / (1 - math.Pow(float64(b1), float64(h.Step)))),
		RBC2: float32(1 / math.Sqrt(1-math.Pow(float64(b2), float64(h.Step))))}
	impl := be.vecImpl()
	parallelFor(len(p), pool.GrainStream, func(lo, hi int) {
		vec.Adam(impl, p[lo:hi], g[lo:hi], md[lo:hi], vd[lo:hi], c)
	})
}

// vecImpl names the internal/vec implementation of b's elementwise kernels:
// its gemm kernel's instruction set, or the best there is beside blas32.
func (b *Backend) vecImpl() string {
	name := gemm.Best().Name
	if b.kern != nil {
		name = b.kern.Name
	}
	return name
}

// AdamPerLayer reports that the trainer should run Adam on each layer right
// after its gradients (nn.LayerAdam): its weight gradient is then still in
// cache, and each Adam call is one layer's.
func (*Backend) AdamPerLayer() bool { return true }
