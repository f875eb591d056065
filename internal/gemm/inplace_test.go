package gemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/wgml/wgml/internal/op"
)

// TestGemmInPlaceB: reading whole panels of a row-major op(b) in place
// (microB, rowsB) gives the packed path's bits on every kernel, shape and
// epilogue of TestGemm with op(b) row-major (the same products in the same
// order), and a row's result does not depend on the batch around it: rows
// r0.. of an m-row product equal the same rows computed alone.
func TestGemmInPlaceB(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(3))
	defer func(v bool) { inPlaceB = v }(inPlaceB)
	rng := rand.New(rand.NewPCG(3, 4))
	for _, kn := range kernels(t) {
		for _, s := range shapes {
			m, k, n := s[0], s[1], s[2]
			for _, transA := range []op.Transpose{op.NoTrans, op.Trans} {
				for _, mode := range []string{"plain", "acc", "bias+relu"} {
					name := fmt.Sprintf("%s/%dx%dx%d/tA=%v/%s", kn.Name, m, k, n, transA, mode)
					ar, ac := transA.Dims(m, k)
					lda, ldb, ldc := ac+1, n+2, n+3
					a, b, c0 := fill(rng, max(ar*lda, 1)), fill(rng, max(k*ldb, 1)), fill(rng, m*ldc)
					var bias []float32
					if mode == "bias+relu" {
						bias = fill(rng, n)
					}
					run := func(inPlace bool, rows, r0 int) []float32 {
						inPlaceB = inPlace
						ep := &Epilogue{Accumulate: mode == "acc", Bias: bias, ReLU: bias != nil}
						c := append([]float32(nil), c0[r0*ldc:]...)
						ai := r0 * lda
						if transA == op.Trans {
							ai = r0
						}
						kn.Gemm(transA, op.NoTrans, rows, n, k, a[ai:], lda, b, ldb, c, ldc, ep)
						return c
					}
					packed, inPlace := run(false, m, 0), run(true, m, 0)
					sameBits(t, name+" in place vs packed", inPlace, packed, m, n, ldc)
					if r0 := m / 3; m > 1 {
						alone := run(true, m-r0-m/4, r0)
						sameBits(t, fmt.Sprintf("%s rows %d.. alone", name, r0), alone, inPlace[r0*ldc:], m-r0-m/4, n, ldc)
					}
				}
			}
		}
	}
}

// sameBits fails unless the rows×cols elements of got and want (stride ld)
// are equal bit for bit.
func sameBits(t *testing.T, name string, got, want []float32, rows, cols, ld int) {
	t.Helper()
	for i := range rows {
		for j := range cols {
			if g, w := got[i*ld+j], want[i*ld+j]; math.Float32bits(g) != math.Float32bits(w) {
				t.Fatalf("%s: c[%d,%d] = %v, want %v", name, i, j, g, w)
			}
		}
	}
}
