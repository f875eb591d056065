package gpu

import (
	"fmt"
	"math"

	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/shaders"
)

// wg is the workgroup size of the one-dimensional kernels (WG in WGSL).
const wg = 256

// same returns ts as tensors of b, panicking unless they have one shape, and
// their number of elements.
func (b *Backend) same(op string, ts ...nn.Tensor) ([]*Tensor, int) {
	gs := make([]*Tensor, len(ts))
	for i, t := range ts {
		gs[i] = b.tensor(t)
		if gs[i].rows != gs[0].rows || gs[i].cols != gs[0].cols {
			panic(fmt.Sprintf("gpu: %s: tensor %d is (%d,%d), tensor 0 (%d,%d)", op, i, gs[i].rows, gs[i].cols, gs[0].rows, gs[0].cols))
		}
	}
	return gs, nn.Len(gs[0])
}

// groupsOf is the one-dimensional grid over n elements.
func (b *Backend) groupsOf(n int) grid { return b.groups1D((n + wg - 1) / wg) }

// Activate computes y = act(x) elementwise.
// x is (R,N), y is (R,N).
func (b *Backend) Activate(y, x nn.Tensor, act nn.Activation) {
	gs, n := b.same("Activate", x, y)
	dyn, st := pack(actParams{N: uint32(n)})
	b.run(kernel{id: kActivate, v: shaders.Variant{Act: uint32(act)}}, b.groupsOf(n), dyn, st, gs...)
}

// ActivateBackward computes dx = dy ⊙ act'(·) from the forward output y.
// dy is (R,N), y is (R,N), dx is (R,N).
func (b *Backend) ActivateBackward(dx, dy, y nn.Tensor, act nn.Activation) {
	gs, n := b.same("ActivateBackward", dy, y, dx)
	dyn, st := pack(actParams{N: uint32(n)})
	b.run(kernel{id: kActivateBackward, v: shaders.Variant{Act: uint32(act)}}, b.groupsOf(n), dyn, st, gs...)
}

// Copy copies src into dst.
// src is (R,N), dst is (R,N).
func (b *Backend) Copy(dst, src nn.Tensor) {
	gs, n := b.same("Copy", src, dst)
	dyn, st := pack(copyParams{N: uint32(n)})
	b.run(kernel{id: kCopy}, b.groupsOf(n), dyn, st, gs...)
}

// Adam applies one Adam step (nn.AdamParams) to param in place, updating
// m and v, with the step taken from the device's clock (see clock.go).
// param, grad, m, v are (R,N).
func (b *Backend) Adam(param, grad, m, v nn.Tensor, h nn.AdamParams) {
	b.adam("Adam", param, grad, m, v, h, nil, nil)
}

// AdamSums is Adam and, in an extra workgroup of the same dispatch,
// sums[k,0] += Σ_j rows[k,j] as a fixed-order tree.
// param, grad, m, v are (R,N), rows is (K,N'), sums is (K,M).
func (b *Backend) AdamSums(param, grad, m, v nn.Tensor, h nn.AdamParams, sums, rows nn.Tensor) {
	if sums.Rows() != rows.Rows() {
		panic(fmt.Sprintf("gpu: AdamSums: rows is (%d,%d), sums (%d,%d)", rows.Rows(), rows.Cols(), sums.Rows(), sums.Cols()))
	}
	b.adam("AdamSums", param, grad, m, v, h, b.tensor(sums), b.tensor(rows))
}

// adam records the adam kernel: ⌈n/WG⌉ workgroups for the elements, one
// more for the sums when rows is not nil. The host computes ln β in
// float64; the kernel takes the step t relative to the clock, which it
// advances (so a run's steps share one base and write no Params).
func (b *Backend) adam(op string, param, grad, m, v nn.Tensor, h nn.AdamParams, sums, rows *Tensor) {
	if h.Step < 1 {
		panic(fmt.Sprintf("gpu: %s: Step is %d, want >= 1", op, h.Step))
	}
	gs, n := b.same(op, param, grad, m, v)
	p := adamParams{
		StepBase: uint32(h.Step) - b.clk, Beta1: h.Beta1, Beta2: h.Beta2, Eps: h.Eps, N: uint32(n),
		LR: h.LR, WeightDecay: h.WeightDecay,
		LnBeta1: float32(math.Log(float64(h.Beta1))), LnBeta2: float32(math.Log(float64(h.Beta2))),
		Bank: b.bank,
	}
	groups := (n + wg - 1) / wg
	if rows != nil {
		p.Width, p.SumsStride = uint32(rows.cols), uint32(sums.cols)
		groups++
	}
	dyn, st := pack(p)
	b.run(kernel{id: kAdam}, b.groups1D(groups), dyn, st, gs[0], gs[1], gs[2], gs[3], rows, sums, b.clock)
	b.tick()
}
