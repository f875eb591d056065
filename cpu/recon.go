package cpu

import (
	"fmt"

	"github.com/wgml/wgml/nn"
)

// ReconLossGrad writes each row's reconstruction loss into rowLoss and dz,
// the gradient at the pre-activation of out, scaled by gradScale: MSE then
// ActivateBackward through act, or BCEWithLogits of logits out.
// out and target are (B,N), rowLoss is (B,1), dz is (B,N).
func (be *Backend) ReconLossGrad(rowLoss, dz, out, target nn.Tensor, loss string, act nn.Activation, gradScale float32) {
	switch {
	case loss == nn.LossMSE:
		be.MSE(rowLoss, dz, out, target, gradScale)
		if act != nn.Identity {
			be.ActivateBackward(dz, dz, out, act)
		}
	case loss == nn.LossBCE && act == nn.Identity:
		be.BCEWithLogits(rowLoss, dz, out, target, gradScale)
	default:
		panic(fmt.Sprintf("cpu: ReconLossGrad: loss %q with activation %s", loss, act))
	}
}
