package gpu

import (
	"fmt"

	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/shaders"
)

// rowReduce records a loss kernel that gives each of the B rows of its
// (B,N) inputs one workgroup; ts are bound in order.
func (b *Backend) rowReduce(op string, id kernelID, v shaders.Variant, rows, cols int, gradScale float32, ts ...*Tensor) {
	for _, t := range ts {
		if t != nil && t.rows != rows {
			panic(fmt.Sprintf("gpu: %s: a (%d,%d) tensor where %d rows are expected", op, t.rows, t.cols, rows))
		}
	}
	dyn, st := pack(lossParams{Rows: uint32(rows), Cols: uint32(cols), GradScale: gradScale})
	b.run(kernel{id: id, v: v}, b.groups1D(rows), dyn, st, ts...)
}

// MSE computes rowLoss[i] = Σ_j (pred-target)² and, when grad is not nil,
// grad = gradScale·2·(pred-target), in one kernel.
// pred is (B,N), target is (B,N), rowLoss is (B,1), grad is (B,N).
func (b *Backend) MSE(rowLoss, grad, pred, target nn.Tensor, gradScale float32) {
	b.rowReduce("MSE", kMSE, shaders.Variant{HasGrad: grad != nil}, pred.Rows(), pred.Cols(), gradScale,
		b.tensor(pred), b.tensor(target), b.tensor(rowLoss), b.tensor(grad))
}

// BCEWithLogits computes rowLoss[i] = Σ_j max(z,0) - z·t + log(1+exp(-|z|))
// and, when grad is not nil, grad = gradScale·(sigmoid(z)-t), in one kernel.
// logits is (B,N), target is (B,N), rowLoss is (B,1), grad is (B,N).
func (b *Backend) BCEWithLogits(rowLoss, grad, logits, target nn.Tensor, gradScale float32) {
	b.rowReduce("BCEWithLogits", kBCE, shaders.Variant{HasGrad: grad != nil}, logits.Rows(), logits.Cols(), gradScale,
		b.tensor(logits), b.tensor(target), b.tensor(rowLoss), b.tensor(grad))
}

// ReconLossGrad writes rowLoss and dz, the loss gradient at the
// pre-activation of out, in one kernel: the MSE kernel with act' applied to
// its gradient, or the BCE kernel on logits.
// out and target are (B,N), rowLoss is (B,1), dz is (B,N).
func (b *Backend) ReconLossGrad(rowLoss, dz, out, target nn.Tensor, loss string, act nn.Activation, gradScale float32) {
	id := kMSE
	switch {
	case loss == nn.LossMSE:
	case loss == nn.LossBCE && act == nn.Identity:
		id = kBCE
	default:
		panic(fmt.Sprintf("gpu: ReconLossGrad: loss %q with activation %s", loss, act))
	}
	b.rowReduce("ReconLossGrad", id, shaders.Variant{HasGrad: true, Act: uint32(act)}, out.Rows(), out.Cols(), gradScale,
		b.tensor(out), b.tensor(target), b.tensor(rowLoss), b.tensor(dz))
}
