package gemm

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/wgml/wgml/internal/op"
	"github.com/wgml/wgml/internal/pool"
)

// product is one matrix product of a training or scoring step: op(a) is
// (M,K), op(b) is (K,N).
type product struct {
	m, k, n        int
	transA, transB op.Transpose
}

func (p product) String() string {
	s := fmt.Sprintf("%dx%dx%d", p.m, p.k, p.n)
	switch {
	case p.transA == op.Trans:
		s += "tn"
	case p.transB == op.Trans:
		s += "nt"
	}
	return s
}

// stepProducts lists, once each, the products of the default AE (in, 256,
// 64, 16) and VAE (in, 400, 20; heads of 40) for 32, 100 and 784 input
// columns: at batch 128 the training step's forward (nt), weight gradient
// (tn, with the bias gradient's row sums) and input gradient (nn, all but
// the first layer), at nn.ScoreBatch (500) rows the forward of scoring.
func stepProducts() []product {
	var ps []product
	add := func(p product) {
		if !slices.Contains(ps, p) {
			ps = append(ps, p)
		}
	}
	for _, in := range []int{32, 100, 784} {
		for _, widths := range [][]int{{in, 256, 64, 16, 64, 256, in}, {in, 400, 40}, {20, 400, in}} {
			for i := range len(widths) - 1 {
				fi, fo := widths[i], widths[i+1]
				add(product{128, fi, fo, op.NoTrans, op.Trans})
				add(product{fo, 128, fi, op.Trans, op.NoTrans})
				if i > 0 {
					add(product{128, fo, fi, op.NoTrans, op.NoTrans})
				}
				add(product{500, fi, fo, op.NoTrans, op.Trans})
			}
		}
	}
	return ps
}

// BenchmarkGemmSplit times each product of stepProducts on the best
// kernel on the caller alone (serial) and split over the workers of
// internal/pool (parallel): the measurements behind pool.GrainFlops, the
// break-even being where parallel's time drops below serial's. As in a
// step, the caller writes op(a) before each product (the op before it) and
// reads c after it (the op after), one float per cache line, so a split
// pays for moving them between the cores' caches; both modes time that. Run with GOMAXPROCS >= 2;
// MFLOP is the product's work.
func BenchmarkGemmSplit(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	kn := Best()
	for _, p := range stepProducts() {
		_, lda := p.transA.Dims(p.m, p.k) // the stored widths
		_, ldb := p.transB.Dims(p.k, p.n)
		a, bm, c := fill(rng, p.m*p.k), fill(rng, p.k*p.n), fill(rng, p.m*p.n)
		var ep *Epilogue
		if p.transA == op.Trans {
			ep = &Epilogue{RowSums: make([]float32, p.m)}
		}
		for _, mode := range []struct {
			name string
			p    pool.Policy
		}{{"serial", pool.Serial}, {"parallel", pool.Parallel}} {
			b.Run(p.String()+"/"+mode.name, func(b *testing.B) {
				defer pool.SetPolicy(pool.SetPolicy(mode.p))
				var sink float32
				for b.Loop() {
					for i := 0; i < len(a); i += 16 { // one float per cache line
						a[i] = -a[i]
					}
					kn.Gemm(p.transA, p.transB, p.m, p.n, p.k, a, lda, bm, ldb, c, p.n, ep)
					for i := 0; i < len(c); i += 16 {
						sink += c[i]
					}
				}
				if sink == 1 { // keeps the reads of c
					b.Log(sink)
				}
				b.ReportMetric(2*float64(p.m*p.n*p.k)/1e6, "MFLOP")
			})
		}
	}
}
