package gpu

import (
	"github.com/wgml/wgml/nn"
)

// LinearGrads computes dw = dzᵀ·x and db = Σ_rows dz, both overwritten.
// dz is (B,Out), x is (B,In), dw is (Out,In), db is (1,Out).
func (b *Backend) LinearGrads(dw, db, dz, x nn.Tensor) {
	b.MatMul(dw, dz, x, true, false, false)
	b.SumRows(db, dz, false)
}

// LinearInputGrad computes dx = (dz·w) ⊙ act'(y); y is unread for nn.Identity.
// dz is (B,Out), w is (Out,In), y is (B,In), dx is (B,In).
func (b *Backend) LinearInputGrad(dx, dz, w, y nn.Tensor, act nn.Activation) {
	b.MatMul(dx, dz, w, false, false, false)
	if act != nn.Identity {
		b.ActivateBackward(dx, dx, y, act)
	}
}
