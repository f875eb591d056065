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
	// With e = exp(-|z|) in (0, 1], sigmoid(z) is 1/(1+e) for z ≥ 0 and
	// e/(1+e) otherwise: one exp serves the loss and the gradient. The
	// log(1+e) terms are summed as the log of their product, one log per
	// bceRun elements: each factor lies in (1, 2], so the product stays
	// below 2^bceRun, far from overflow, and its float64 rounding (about
	// bceRun·1.1e-16 relative) adds under 1e-13 to the row's loss. Logs
	// were two thirds of this function's time.
	parallelFor(b, max(1, grainMath/max(n, 1)), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			var sum float64
			for j0 := i * n; j0 < (i+1)*n; j0 += bceRun {
				prod := 1.0
				for j := j0; j < min(j0+bceRun, (i+1)*n); j++ {
					zj, tj := float64(z[j]), float64(t[j])
					e := math.Exp(-math.Abs(zj))
					sum += max(zj, 0) - zj*tj
					prod *= 1 + e
					if g != nil {
						sig := 1 / (1 + e)
						if zj < 0 {
							sig = e / (1 + e)
						}
						g[j] = gradScale * float32(sig-tj)
					}
				}
				sum += math.Log(prod)
			}
			loss[i] = float32(sum)
		}
	})
}

// bceRun is the number of log(1+e) terms BCEWithLogits sums with one log.
const bceRun = 512
