package cpu

import (
	"fmt"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"

	"github.com/wgml/wgml/internal/gemm"
	"github.com/wgml/wgml/internal/pool"
	"github.com/wgml/wgml/nn"
)

// MatMul computes c = op(a)·op(b), or c += op(a)·op(b) with nn.Accumulate,
// where op(x) is x or xᵀ as transA and transB say.
// op(a) is (M,K), op(b) is (K,N), c is (M,N).
func (be *Backend) MatMul(c, a, b nn.Tensor, transA, transB nn.Transpose, mode nn.Write) {
	m, k := transA.Dims(a.Rows(), a.Cols())
	kb, n := transB.Dims(b.Rows(), b.Cols())
	if k != kb {
		panic(fmt.Sprintf("cpu: MatMul: op(a) is (%d,%d) but op(b) is (%d,%d)", m, k, kb, n))
	}
	ad, bd := mat("MatMul", "a", a, a.Rows(), a.Cols()), mat("MatMul", "b", b, b.Rows(), b.Cols())
	cd := mat("MatMul", "c", c, m, n)
	if be.kern != nil {
		be.kern.Gemm(transA, transB, m, n, k, ad, a.Cols(), bd, b.Cols(), cd, n, &gemm.Epilogue{Accumulate: mode == nn.Accumulate})
		return
	}
	var beta float32
	if mode == nn.Accumulate {
		beta = 1
	}
	blasGemm(blasTranspose(transA), blasTranspose(transB), 1,
		general("MatMul", "a", a), general("MatMul", "b", b),
		beta, blas32.General{Rows: m, Cols: n, Stride: n, Data: cd})
}

// Linear computes y = act(x·wᵀ + bias), with the bias and the activation
// applied to each output tile as the kernel stores it.
// x is (B,In), w is (Out,In), bias is (1,Out), y is (B,Out).
func (be *Backend) Linear(y, x, w, bias nn.Tensor, act nn.Activation) {
	batch, in, out := x.Rows(), x.Cols(), w.Rows()
	if in != w.Cols() {
		panic(fmt.Sprintf("cpu: Linear: x is (%d,%d) but w is (%d,%d)", batch, in, out, w.Cols()))
	}
	yd := mat("Linear", "y", y, batch, out)
	bd := mat("Linear", "bias", bias, 1, out)
	if be.kern != nil {
		ep := &gemm.Epilogue{Bias: bd, ReLU: act == nn.ReLU}
		if act != nn.ReLU && act != nn.Identity {
			impl := be.vecImpl()
			ep.Tile = func(c []float32, ldc, _, _, rows, cols int) {
				for i := range rows {
					row := c[i*ldc : i*ldc+cols]
					activateSerial(impl, row, row, act)
				}
			}
		}
		be.kern.Gemm(nn.NoTrans, nn.Trans, batch, out, in, mat("Linear", "x", x, batch, in), in, mat("Linear", "w", w, out, in), in, yd, out, ep)
		return
	}
	parallelFor(batch, max(1, pool.GrainStream/max(out, 1)), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			copy(yd[i*out:(i+1)*out], bd)
		}
	})
	blasGemm(blas.NoTrans, blas.Trans, 1,
		general("Linear", "x", x), general("Linear", "w", w),
		1, blas32.General{Rows: batch, Cols: out, Stride: out, Data: yd})
	be.activate(yd, yd, act)
}

// sumBlock is the number of columns SumRows sums at once: their float64
// sums stay in registers and cache while it walks down the rows.
const sumBlock = 64

// SumRows computes dst = Σ_i src[i,:], or dst += Σ_i src[i,:] with
// nn.Accumulate; the sums run in float64, row by row in order.
// src is (R,N), dst is (1,N).
func (*Backend) SumRows(dst, src nn.Tensor, mode nn.Write) {
	r, n := src.Rows(), src.Cols()
	s := mat("SumRows", "src", src, r, n)
	d := mat("SumRows", "dst", dst, 1, n)
	blocks := (n + sumBlock - 1) / sumBlock
	parallelFor(blocks, max(1, pool.GrainCheap/max(r*sumBlock, 1)), func(lo, hi int) {
		for j0 := lo * sumBlock; j0 < min(hi*sumBlock, n); j0 += sumBlock {
			w := min(sumBlock, n-j0)
			var sum [sumBlock]float64
			if mode == nn.Accumulate {
				for j := range w {
					sum[j] = float64(d[j0+j])
				}
			}
			for i := range r {
				for j, v := range s[i*n+j0 : i*n+j0+w] {
					sum[j] += float64(v)
				}
			}
			for j := range w {
				d[j0+j] = float32(sum[j])
			}
		}
	})
}

// general wraps the float32 tensor t as a blas32 matrix.
func general(op, name string, t nn.Tensor) blas32.General {
	return blas32.General{Rows: t.Rows(), Cols: t.Cols(), Stride: t.Cols(), Data: mat(op, name, t, t.Rows(), t.Cols())}
}

// blasTranspose is t's BLAS form.
func blasTranspose(t nn.Transpose) blas.Transpose {
	if t == nn.Trans {
		return blas.Trans
	}
	return blas.NoTrans
}
