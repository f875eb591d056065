package gpu

import (
	"fmt"
	"math"

	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/shaders"
)

// wg is the workgroup size of the one-dimensional kernels (WG in WGSL).
const wg = 256

// elementwise records kernel k over the n elements of same-shaped tensors.
func (b *Backend) elementwise(op string, k kernel, dyn dynamic, st static, ts ...nn.Tensor) {
	gs := make([]*Tensor, len(ts))
	for i, t := range ts {
		gs[i] = b.tensor(t)
		if gs[i].rows != gs[0].rows || gs[i].cols != gs[0].cols {
			panic(fmt.Sprintf("gpu: %s: tensor %d is (%d,%d), tensor 0 (%d,%d)", op, i, gs[i].rows, gs[i].cols, gs[0].rows, gs[0].cols))
		}
	}
	n := nn.Len(gs[0])
	st[0] = uint32(n)
	b.run(k, b.groups1D((n+wg-1)/wg), dyn, st, gs...)
}

// Activate computes y = act(x) elementwise.
// x is (R,N), y is (R,N).
func (b *Backend) Activate(y, x nn.Tensor, act nn.Activation) {
	b.elementwise("Activate", kernel{kActivate, shaders.Variant{Act: uint32(act)}}, dynamic{}, static{}, x, y)
}

// ActivateBackward computes dx = dy ⊙ act'(·) from the forward output y.
// dy is (R,N), y is (R,N), dx is (R,N).
func (b *Backend) ActivateBackward(dx, dy, y nn.Tensor, act nn.Activation) {
	b.elementwise("ActivateBackward", kernel{kActivateBackward, shaders.Variant{Act: uint32(act)}}, dynamic{}, static{}, dy, y, dx)
}

// Reparameterize computes z = mu + exp(½·logvar)·eps.
// mu, logvar, eps, z are (B,L).
func (b *Backend) Reparameterize(z, mu, logvar, eps nn.Tensor) {
	b.elementwise("Reparameterize", kernel{id: kReparameterize}, dynamic{}, static{}, mu, logvar, eps, z)
}

// ReparameterizeBackward computes dMu = dz and
// dLogvar = dz·eps·½·exp(½·logvar).
// dz, logvar, eps, dMu, dLogvar are (B,L).
func (b *Backend) ReparameterizeBackward(dMu, dLogvar, dz, logvar, eps nn.Tensor) {
	b.elementwise("ReparameterizeBackward", kernel{id: kReparameterizeBackward}, dynamic{}, static{}, dz, logvar, eps, dMu, dLogvar)
}

// Copy copies src into dst.
// src is (R,N), dst is (R,N).
func (b *Backend) Copy(dst, src nn.Tensor) {
	b.elementwise("Copy", kernel{id: kCopy}, dynamic{}, static{}, src, dst)
}

// Adam applies one Adam step (nn.AdamParams) to param in place, updating
// m and v. The bias corrections 1-β^step are computed here in float64 and
// are the dispatch's per-step values.
// param, grad, m, v are (R,N).
func (b *Backend) Adam(param, grad, m, v nn.Tensor, h nn.AdamParams) {
	if h.Step < 1 {
		panic(fmt.Sprintf("gpu: Adam: Step is %d, want >= 1", h.Step))
	}
	bc1 := float32(1 - math.Pow(float64(h.Beta1), float64(h.Step)))
	bc2 := float32(1 - math.Pow(float64(h.Beta2), float64(h.Step)))
	dyn := dynamic{math.Float32bits(bc1), math.Float32bits(bc2)}
	st := static{0, f32(h.LR), f32(h.Beta1), f32(h.Beta2), f32(h.Eps), f32(h.WeightDecay)}
	b.elementwise("Adam", kernel{id: kAdam}, dyn, st, param, grad, m, v)
}

// f32 is the bit pattern of x as a Params word.
func f32(x float32) uint32 { return math.Float32bits(x) }
