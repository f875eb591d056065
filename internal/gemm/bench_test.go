package gemm

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/wgml/wgml/internal/op"
)

// BenchmarkGemm times each kernel on the products of a 784-400 layer at
// batch 128 (nt forward, tn weight gradient with the bias gradient's row
// sums, nn input gradient), the AE's 256-64 layer, 1024³, and the narrow
// products of the AE's 64-16 layer and the VAE's heads and decoder input.
func BenchmarkGemm(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	no, tr := op.NoTrans, op.Trans // the table's transposes
	for _, kn := range kernels(&testing.T{}) {
		for _, s := range []struct {
			m, k, n        int
			transA, transB op.Transpose
		}{{128, 784, 400, no, tr}, {400, 128, 784, tr, no}, {128, 400, 784, no, no},
			{128, 256, 64, no, tr}, {64, 128, 256, tr, no}, {128, 64, 256, no, no}, {1024, 1024, 1024, no, no},
			{128, 64, 16, no, tr}, {64, 128, 16, tr, no}, {128, 64, 16, no, no}, {128, 16, 64, no, no}, {128, 400, 20, no, no}, {128, 400, 40, no, tr}} {
			name := fmt.Sprintf("%s/%dx%dx%d", kn.Name, s.m, s.k, s.n)
			if s.transA == tr {
				name += "tn"
			} else if s.transB == tr {
				name += "nt"
			}
			a, bm, c := fill(rng, s.m*s.k), fill(rng, s.k*s.n), fill(rng, s.m*s.n)
			lda, ldb := s.k, s.n
			if s.transA == tr {
				lda = s.m
			}
			if s.transB == tr {
				ldb = s.k
			}
			var ep *Epilogue
			if s.transA == tr {
				ep = &Epilogue{RowSums: make([]float32, s.m)}
			}
			b.Run(name, func(b *testing.B) {
				for b.Loop() {
					kn.Gemm(s.transA, s.transB, s.m, s.n, s.k, a, lda, bm, ldb, c, s.n, ep)
				}
				b.ReportMetric(2*float64(s.m*s.n*s.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}
