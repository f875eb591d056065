package cpu

import (
	"fmt"

	"github.com/wgml/wgml/nn"
)

// LinearGrads computes dw = dzᵀ·x and db = Σ_rows dz, both overwritten.
// dz is (B,Out), x is (B,In), dw is (Out,In), db is (1,Out).
func (be *Backend) linearGradsPlain(dw, db, dz, x nn.Tensor) {
	if dz.Rows() != x.Rows() {
		panic(fmt.Sprintf("cpu: LinearGrads: dz is (%d,%d) but x is (%d,%d)", dz.Rows(), dz.Cols(), x.Rows(), x.Cols()))
	}
	be.MatMul(dw, dz, x, nn.Trans, nn.NoTrans, nn.Overwrite)
	be.SumRows(db, dz, nn.Overwrite)
}

// LinearInputGrad computes dx = (dz·w) ⊙ act'(y), with act' written in
// terms of the output y (nn.Activation.DerivFromOutput); for nn.Identity
// dx = dz·w and y is not read.
// dz is (B,Out), w is (Out,In), y is (B,In) or nil for nn.Identity, dx is (B,In).
func (be *Backend) linearInputGradPlain(dx, dz, w, y nn.Tensor, act nn.Activation) {
	be.MatMul(dx, dz, w, nn.NoTrans, nn.NoTrans, nn.Overwrite)
	if act != nn.Identity {
		be.ActivateBackward(dx, dx, y, act)
	}
}
