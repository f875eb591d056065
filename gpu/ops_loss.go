package gpu

import (
	"fmt"

	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/shaders"
)

// rowReduce records a loss kernel that gives each of the B rows of its
// (B,N) inputs one workgroup; ts are bound in order.
func (b *Backend) rowReduce(op string, id kernelID, withGrad bool, rows, cols int, gradScale float32, ts ...*Tensor) {
	for _, t := range ts {
		if t != nil && t.rows != rows {
			panic(fmt.Sprintf("gpu: %s: a (%d,%d) tensor where %d rows are expected", op, t.rows, t.cols, rows))
		}
	}
	b.run(kernel{id, shaders.Variant{HasGrad: withGrad}}, b.groups1D(rows), dynamic{},
		static{uint32(rows), uint32(cols), f32(gradScale)}, ts...)
}

// MSE computes rowLoss[i] = Σ_j (pred-target)² and, when grad is not nil,
// grad = gradScale·2·(pred-target), in one kernel.
// pred is (B,N), target is (B,N), rowLoss is (B,1), grad is (B,N).
func (b *Backend) MSE(rowLoss, grad, pred, target nn.Tensor, gradScale float32) {
	b.rowReduce("MSE", kMSE, grad != nil, pred.Rows(), pred.Cols(), gradScale,
		b.tensor(pred), b.tensor(target), b.tensor(rowLoss), b.tensor(grad))
}

// BCEWithLogits computes rowLoss[i] = Σ_j max(z,0) - z·t + log(1+exp(-|z|))
// and, when grad is not nil, grad = gradScale·(sigmoid(z)-t), in one kernel.
// logits is (B,N), target is (B,N), rowLoss is (B,1), grad is (B,N).
func (b *Backend) BCEWithLogits(rowLoss, grad, logits, target nn.Tensor, gradScale float32) {
	b.rowReduce("BCEWithLogits", kBCE, grad != nil, logits.Rows(), logits.Cols(), gradScale,
		b.tensor(logits), b.tensor(target), b.tensor(rowLoss), b.tensor(grad))
}

// KL computes rowLoss[i] = -½ Σ_j (1 + logvar - mu² - exp(logvar)) and, when
// dMu is not nil, adds its gradient: dMu += gradScale·mu,
// dLogvar += gradScale·½(exp(logvar)-1).
// mu, logvar, dMu, dLogvar are (B,L), rowLoss is (B,1).
func (b *Backend) KL(rowLoss, dMu, dLogvar, mu, logvar nn.Tensor, gradScale float32) {
	if (dMu == nil) != (dLogvar == nil) {
		panic("gpu: KL: dMu and dLogvar must both be set or both be nil")
	}
	b.rowReduce("KL", kKL, dMu != nil, mu.Rows(), mu.Cols(), gradScale,
		b.tensor(mu), b.tensor(logvar), b.tensor(rowLoss), b.tensor(dMu), b.tensor(dLogvar))
}
