package gemm

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkGemm times each kernel on the products of a 784-400 layer at
// batch 128 (nt forward, tn weight gradient with the bias gradient's row
// sums, nn input gradient), the AE's 256-64 layer, 1024³, and the narrow
// products of the AE's 64-16 layer and the VAE's heads and decoder input.
func BenchmarkGemm(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, kn := range kernels(&testing.T{}) {
		for _, s := range []struct {
			m, k, n        int
			transA, transB bool
		}{{128, 784, 400, false, true}, {400, 128, 784, true, false}, {128, 400, 784, false, false},
			{128, 256, 64, false, true}, {64, 128, 256, true, false}, {128, 64, 256, false, false}, {1024, 1024, 1024, false, false},
			{128, 64, 16, false, true}, {64, 128, 16, true, false}, {128, 64, 16, false, false}, {128, 16, 64, false, false}, {128, 400, 20, false, false}, {128, 400, 40, false, true}} {
			name := fmt.Sprintf("%s/%dx%dx%d", kn.Name, s.m, s.k, s.n)
			if s.transA {
				name += "tn"
			} else if s.transB {
				name += "nt"
			}
			a, bm, c := fill(rng, s.m*s.k), fill(rng, s.k*s.n), fill(rng, s.m*s.n)
			lda, ldb := s.k, s.n
			if s.transA {
				lda = s.m
			}
			if s.transB {
				ldb = s.k
			}
			var ep *Epilogue
			if s.transA {
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
