package cpu

import (
	"math"

	"github.com/wgml/wgml/nn"
)

// MSE computes rowLoss[i] = Σ_j (pred-target)² and, when grad is not nil,
// grad = gradScale·2·(pred-target).
// pred is (B,N), target is (B,N), rowLoss is (B,1), grad is (B,N).
func (*Backend) MSE(rowLoss, grad, pred, target nn.Tensor, gradScale float32) {
	b, n := pred.Rows(), pred.Cols()
	p := mat("MSE", "pred", pred, b, n)
	t := mat("MSE", "target", target, b, n)
	loss := mat("MSE", "rowLoss", rowLoss, b, 1)
	var g []float32
	if grad != nil {
		g = mat("MSE", "grad", grad, b, n)
	}
	for i := range b {
		var sum float64
		for j := i * n; j < (i+1)*n; j++ {
			d := p[j] - t[j]
			sum += float64(d) * float64(d)
			if g != nil {
				g[j] = gradScale * 2 * d
			}
		}
		loss[i] = float32(sum)
	}
}

// BCEWithLogits computes the binary cross-entropy of sigmoid(z) against t in
// the stable form rowLoss[i] = Σ_j max(z,0) - z·t + log(1+exp(-|z|)) and, when
// grad is not nil, grad = gradScale·(sigmoid(z)-t).
// logits is (B,N), target is (B,N), rowLoss is (B,1), grad is (B,N).
func (*Backend) BCEWithLogits(rowLoss, grad, logits, target nn.Tensor, gradScale float32) {
	b, n := logits.Rows(), logits.Cols()
	z := mat("BCEWithLogits", "logits", logits, b, n)
	t := mat("BCEWithLogits", "target", target, b, n)
	loss := mat("BCEWithLogits", "rowLoss", rowLoss, b, 1)
	var g []float32
	if grad != nil {
		g = mat("BCEWithLogits", "grad", grad, b, n)
	}
	for i := range b {
		var sum float64
		for j := i * n; j < (i+1)*n; j++ {
			zj, tj := float64(z[j]), float64(t[j])
			sum += max(zj, 0) - zj*tj + math.Log1p(math.Exp(-math.Abs(zj)))
			if g != nil {
				g[j] = gradScale * float32(1/(1+math.Exp(-zj))-tj)
			}
		}
		loss[i] = float32(sum)
	}
}
