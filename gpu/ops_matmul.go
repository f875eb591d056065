package gpu

import (
	"fmt"

	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/shaders"
)

// matmulTile is the side of the block of c one matmul workgroup computes.
const matmulTile = 64

// MatMul computes c = op(a)·op(b), or c += op(a)·op(b) with accumulate,
// where op(x) is xᵀ if its flag is set: one tiled kernel, transposes read
// in place.
// op(a) is (M,K), op(b) is (K,N), c is (M,N).
func (b *Backend) MatMul(c, a, bm nn.Tensor, transA, transB, accumulate bool) {
	m, k := a.Rows(), a.Cols()
	if transA {
		m, k = k, m
	}
	kb, n := bm.Rows(), bm.Cols()
	if transB {
		kb, n = n, kb
	}
	if k != kb || c.Rows() != m || c.Cols() != n {
		panic(fmt.Sprintf("gpu: MatMul: op(a) is (%d,%d), op(b) (%d,%d), c (%d,%d)", m, k, kb, n, c.Rows(), c.Cols()))
	}
	v := shaders.Variant{TransA: transA, TransB: transB, Accumulate: accumulate}
	b.matmul(v, m, k, n, b.tensor(a), b.tensor(bm), nil, b.tensor(c))
}

// Linear computes y = act(x·wᵀ + bias) in one kernel: the matmul with w
// read transposed and bias and activation applied as its epilogue.
// x is (B,In), w is (Out,In), bias is (1,Out), y is (B,Out).
func (b *Backend) Linear(y, x, w, bias nn.Tensor, act nn.Activation) {
	batch, in, out := x.Rows(), x.Cols(), w.Rows()
	if w.Cols() != in || nn.Len(bias) != out || y.Rows() != batch || y.Cols() != out {
		panic(fmt.Sprintf("gpu: Linear: x (%d,%d), w (%d,%d), bias (%d,%d), y (%d,%d)",
			batch, in, w.Rows(), w.Cols(), bias.Rows(), bias.Cols(), y.Rows(), y.Cols()))
	}
	v := shaders.Variant{TransB: true, HasBias: true, Act: uint32(act)}
	b.matmul(v, batch, in, out, b.tensor(x), b.tensor(w), b.tensor(bias), b.tensor(y))
}

// matmul records the matmul kernel variant v for an (m,k)·(k,n) product.
func (b *Backend) matmul(v shaders.Variant, m, k, n int, a, bm, bias, c *Tensor) {
	gx, gy := (n+matmulTile-1)/matmulTile, (m+matmulTile-1)/matmulTile
	if lim := int(b.limits.MaxComputeWorkgroupsPerDimension); gx > lim || gy > lim {
		panic(fmt.Sprintf("gpu: MatMul: (%d,%d) result exceeds the adapter's grid", m, n))
	}
	b.run(kernel{kMatMul, v}, grid{uint32(gx), uint32(gy)}, dynamic{},
		static{uint32(m), uint32(k), uint32(n)}, a, bm, bias, c)
}

// SumRows computes dst = Σ_i src[i,:], or dst += with accumulate, as a
// fixed-order reduction (the same bits every run).
// src is (R,N), dst is (1,N).
func (b *Backend) SumRows(dst, src nn.Tensor, accumulate bool) {
	r, n := src.Rows(), src.Cols()
	if nn.Len(dst) != n {
		panic(fmt.Sprintf("gpu: SumRows: src (%d,%d), dst (%d,%d)", r, n, dst.Rows(), dst.Cols()))
	}
	b.run(kernel{kSumRows, shaders.Variant{Accumulate: accumulate}}, b.groups1D((n+15)/16), dynamic{},
		static{uint32(r), uint32(n)}, b.tensor(src), b.tensor(dst))
}
