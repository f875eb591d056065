package cpu

import (
	"github.com/wgml/wgml/internal/gemm"
	"github.com/wgml/wgml/nn"
)

// LinearGrads computes dw = dzᵀ·x and db = Σ_rows dz, both overwritten.
// On a gemm kernel db is summed (in float64, row by row) while dzᵀ is
// packed for the product; on blas32 it runs the plain composition of
// fused.go, which the conformance suite and fused_test.go compare it with.
// dz is (B,Out), x is (B,In), dw is (Out,In), db is (1,Out).
func (be *Backend) LinearGrads(dw, db, dz, x nn.Tensor) {
	if be.kern == nil || dz.Rows() != x.Rows() {
		be.linearGradsPlain(dw, db, dz, x)
		return
	}
	batch, in, out := x.Rows(), x.Cols(), dz.Cols()
	be.kern.Gemm(nn.Trans, nn.NoTrans, out, in, batch,
		mat("LinearGrads", "dz", dz, batch, out), out, mat("LinearGrads", "x", x, batch, in), in,
		mat("LinearGrads", "dw", dw, out, in), in,
		&gemm.Epilogue{RowSums: mat("LinearGrads", "db", db, 1, out)})
}

// LinearInputGrad computes dx = (dz·w) ⊙ act'(y), act' written in terms of
// the output y (nn.Activation.DerivFromOutput), multiplied into each tile
// of dz·w as the kernel stores it; for nn.Identity dx = dz·w and y is not
// read. On blas32 it runs the plain composition of fused.go.
// dz is (B,Out), w is (Out,In), y is (B,In) or nil for nn.Identity, dx is (B,In).
func (be *Backend) LinearInputGrad(dx, dz, w, y nn.Tensor, act nn.Activation) {
	if be.kern == nil || dz.Cols() != w.Rows() {
		be.linearInputGradPlain(dx, dz, w, y, act)
		return
	}
	batch, in, out := dz.Rows(), w.Cols(), w.Rows()
	ep := &gemm.Epilogue{}
	if act != nn.Identity {
		yd := mat("LinearInputGrad", "y", y, batch, in)
		impl := be.vecImpl()
		ep.Tile = func(c []float32, ldc, i0, j0, rows, cols int) {
			for i := range rows {
				derivSerial(impl, c[i*ldc:i*ldc+cols], yd[(i0+i)*in+j0:(i0+i)*in+j0+cols], act)
			}
		}
	}
	be.kern.Gemm(nn.NoTrans, nn.NoTrans, batch, in, out,
		mat("LinearInputGrad", "dz", dz, batch, out), out, mat("LinearInputGrad", "w", w, out, in), in,
		mat("LinearInputGrad", "dx", dx, batch, in), in, ep)
}
