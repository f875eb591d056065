package cpu

import (
	"github.com/wgml/wgml/internal/vec"
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
	parallelFor(b, max(1, grainCheap/max(n, 1)), func(lo, hi int) {
		for i := lo; i < hi; i++ {
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
	})
}

// BCEWithLogits computes the binary cross-entropy of sigmoid(z) against t in
// the stable form rowLoss[i] = Σ_j max(z,0) - z·t + log(1+exp(-|z|)) and, when
// grad is not nil, grad = gradScale·(sigmoid(z)-t), row by row through
// internal/vec's BCERow: one exp per element serves the loss and the
// gradient, and the log(1+e) terms are summed as the log of their product
// (in float64 with one log per 512 terms on generic; in float32 with one log
// per lane and 1024 terms on AVX-512).
// logits is (B,N), target is (B,N), rowLoss is (B,1), grad is (B,N).
func (be *Backend) BCEWithLogits(rowLoss, grad, logits, target nn.Tensor, gradScale float32) {
	b, n := logits.Rows(), logits.Cols()
	z := mat("BCEWithLogits", "logits", logits, b, n)
	t := mat("BCEWithLogits", "target", target, b, n)
	loss := mat("BCEWithLogits", "rowLoss", rowLoss, b, 1)
	var g []float32
	if grad != nil {
		g = mat("BCEWithLogits", "grad", grad, b, n)
	}
	impl := be.vecImpl()
	parallelFor(b, max(1, grainMath/max(n, 1)), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			var gi []float32
			if g != nil {
				gi = g[i*n : (i+1)*n]
			}
			loss[i] = float32(vec.BCERow(impl, z[i*n:(i+1)*n], t[i*n:(i+1)*n], gi, gradScale))
		}
	})
}
