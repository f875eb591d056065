//go:build openblas && cgo

package cpu

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// TestOpenBLASSgemm compares the cgo Sgemm with gonum's on every transpose
// pair, padded strides, k = 0 and beta ≠ 0.
func TestOpenBLASSgemm(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	fill := func(n int) []float32 {
		s := make([]float32, n)
		for i := range s {
			s[i] = 2*rng.Float32() - 1
		}
		return s
	}
	trans := []blas.Transpose{blas.NoTrans, blas.Trans}
	for _, d := range [][3]int{{1, 1, 1}, {7, 13, 5}, {33, 17, 0}, {3, 0, 4}, {64, 65, 66}} {
		m, n, k := d[0], d[1], d[2]
		for _, tA := range trans {
			for _, tB := range trans {
				ar, ac := m, k
				if tA == blas.Trans {
					ar, ac = k, m
				}
				br, bc := k, n
				if tB == blas.Trans {
					br, bc = n, k
				}
				lda, ldb, ldc := ac+3, bc+1, n+2
				a, b := fill(max(ar*lda, 1)), fill(max(br*ldb, 1))
				c := fill(m * ldc)
				want := append([]float32(nil), c...)
				openBLAS{}.Sgemm(tA, tB, m, n, k, 0.7, a, lda, b, ldb, 0.3, c, ldc)
				gonum.Implementation{}.Sgemm(tA, tB, m, n, k, 0.7, a, lda, b, ldb, 0.3, want, ldc)
				for i := range c {
					if math.Abs(float64(c[i]-want[i])) > 1e-5*(1+float64(k)) {
						t.Fatalf("%dx%dx%d %c%c: c[%d] = %g, gonum %g", m, k, n, tA, tB, i, c[i], want[i])
					}
				}
			}
		}
	}
}

// TestOpenBLASSgemmChecks: bad arguments panic before reaching C.
func TestOpenBLASSgemmChecks(t *testing.T) {
	a, b, c := make([]float32, 6), make([]float32, 6), make([]float32, 4)
	for name, call := range map[string]func(){
		"short a":   func() { openBLAS{}.Sgemm(blas.NoTrans, blas.NoTrans, 2, 2, 3, 1, a[:5], 3, b, 2, 0, c, 2) },
		"short b":   func() { openBLAS{}.Sgemm(blas.NoTrans, blas.NoTrans, 2, 2, 3, 1, a, 3, b[:5], 2, 0, c, 2) },
		"short c":   func() { openBLAS{}.Sgemm(blas.NoTrans, blas.NoTrans, 2, 2, 3, 1, a, 3, b, 2, 0, c[:3], 2) },
		"bad lda":   func() { openBLAS{}.Sgemm(blas.NoTrans, blas.NoTrans, 2, 2, 3, 1, a, 2, b, 2, 0, c, 2) },
		"negative":  func() { openBLAS{}.Sgemm(blas.NoTrans, blas.NoTrans, -1, 2, 3, 1, a, 3, b, 2, 0, c, 2) },
		"transpose": func() { openBLAS{}.Sgemm('x', blas.NoTrans, 2, 2, 3, 1, a, 3, b, 2, 0, c, 2) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			call()
		}()
	}
}
