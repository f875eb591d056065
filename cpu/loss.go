package cpu

import (
	"github.com/wgml/wgml/internal/pool"
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
	parallelFor(b, max(1, pool.GrainCheap/max(n, 1)), func(lo, hi int) {
		i := lo
		for ; g != nil && i+4 <= hi; i += 4 {
			mse4(loss[i:i+4], g[i*n:(i+4)*n], p[i*n:(i+4)*n], t[i*n:(i+4)*n], n, gradScale)
		}
		for ; i < hi; i++ {
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

// mse4 is MSE's loop on four rows of n at once, with the gradient: each
// row's float64 sum still runs in order (the same bits), but the four
// chains of additions overlap instead of waiting on one another.
// loss is (4), g, p and t are (4,n).
func mse4(loss, g, p, t []float32, n int, gradScale float32) {
	p0, p1, p2, p3 := p[:n], p[n:2*n], p[2*n:3*n], p[3*n:4*n]
	t0, t1, t2, t3 := t[:n], t[n:2*n], t[2*n:3*n], t[3*n:4*n]
	g0, g1, g2, g3 := g[:n], g[n:2*n], g[2*n:3*n], g[3*n:4*n]
	var s0, s1, s2, s3 float64
	for j := range p0 {
		d0, d1, d2, d3 := p0[j]-t0[j], p1[j]-t1[j], p2[j]-t2[j], p3[j]-t3[j]
		s0 += float64(d0) * float64(d0)
		s1 += float64(d1) * float64(d1)
		s2 += float64(d2) * float64(d2)
		s3 += float64(d3) * float64(d3)
		g0[j], g1[j], g2[j], g3[j] = gradScale*2*d0, gradScale*2*d1, gradScale*2*d2, gradScale*2*d3
	}
	loss[0], loss[1], loss[2], loss[3] = float32(s0), float32(s1), float32(s2), float32(s3)
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
	parallelFor(b, max(1, pool.GrainMath/max(n, 1)), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			var gi []float32
			if g != nil {
				gi = g[i*n : (i+1)*n]
			}
			loss[i] = float32(vec.BCERow(impl, z[i*n:(i+1)*n], t[i*n:(i+1)*n], gi, gradScale))
		}
	})
}
