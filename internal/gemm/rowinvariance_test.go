package gemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/wgml/wgml/internal/op"
	"github.com/wgml/wgml/internal/pool"
)

// TestRowsIndependentOfM: each row of a product over M rows is bit-equal
// to that row computed alone (M = 1), for every kernel, both transposes of
// op(a) and op(b), the epilogues and shapes that cross the tiles, the
// K-blocks, the narrow/wide choice and the split over the workers: a row's
// output must not depend on the batch it is scored in nor on its place
// there (its M-panel, read in place or packed, full or an edge tile).
func TestRowsIndependentOfM(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(3))
	defer pool.SetPolicy(pool.SetPolicy(pool.Auto))
	rng := rand.New(rand.NewPCG(5, 6))
	// (M,K,N): edge panels in M and N, K past kcMax, N on both sides of
	// narrowMax; each on the caller alone (Auto: all are below the grain)
	// and split over the workers (Parallel).
	shapes := [][3]int{{37, 8, 8}, {130, 13, 3}, {33, 321, 70}, {17, 700, 17}, {100, 9, 100}, {259, 129, 65}}
	for _, pol := range []pool.Policy{pool.Auto, pool.Parallel} {
		pool.SetPolicy(pol)
		for _, kn := range kernels(t) {
			for _, s := range shapes {
				for _, tr := range transposes {
					for _, mode := range []string{"plain", "bias+relu", "acc"} {
						name := fmt.Sprintf("policy%d/%s/%dx%dx%d/tA=%v/tB=%v/%s", pol, kn.Name, s[0], s[1], s[2], tr[0], tr[1], mode)
						rowsAlone(t, rng, kn, name, s[0], s[1], s[2], tr[0], tr[1], mode)
					}
				}
			}
		}
	}
}

// rowsAlone runs one case of TestRowsIndependentOfM.
func rowsAlone(t *testing.T, rng *rand.Rand, kn *Kernel, name string, m, k, n int, transA, transB op.Transpose, mode string) {
	t.Helper()
	ar, ac := transA.Dims(m, k)
	br, bc := transB.Dims(k, n)
	lda, ldb, ldc := ac+1, bc+2, n+3 // padded strides
	a, b, c0 := fill(rng, ar*lda), fill(rng, br*ldb), fill(rng, m*ldc)
	ep := Epilogue{}
	switch mode {
	case "bias+relu":
		ep.Bias, ep.ReLU = fill(rng, n), true
	case "acc":
		ep.Accumulate = true
	}
	c := append([]float32(nil), c0...)
	e := ep
	kn.Gemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, &e)
	for i := range m {
		ai := a[i:] // row i of op(a): a column of a (stride lda), or a row
		if transA == op.NoTrans {
			ai = a[i*lda:]
		}
		ci := append([]float32(nil), c0[i*ldc:i*ldc+n]...)
		e := ep
		kn.Gemm(transA, transB, 1, n, k, ai, lda, b, ldb, ci, n, &e)
		for j, v := range ci {
			if w := c[i*ldc+j]; math.Float32bits(v) != math.Float32bits(w) {
				t.Fatalf("%s: c[%d,%d] = %v in the product of %d rows, %v alone", name, i, j, w, m, v)
			}
		}
	}
}
