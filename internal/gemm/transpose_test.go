package gemm

import (
	"math/rand/v2"
	"testing"
)

// TestTranspose checks transpose, with its SIMD groups and without, against
// dst[p·ld+r] = src[r·lds+p] on odd shapes with padded strides; dst
// outside the stored elements must stay untouched.
func TestTranspose(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	have := simdTranspose
	defer func() { simdTranspose = have }()
	for _, simd := range []bool{false, true} {
		if simd && !have {
			t.Log("no SIMD transpose on this CPU: plain loops only")
			continue
		}
		simdTranspose = simd
		for _, rows := range []int{1, 3, 4, 7, 8, 9, 16, 17, 32} {
			for _, k := range []int{1, 7, 8, 9, 15, 16, 23, 64} {
				lds, ld := k+3, rows+5
				src := fill(rng, rows*lds)
				dst := fill(rng, k*ld)
				want := append([]float32(nil), dst...)
				for r := range rows {
					for p := range k {
						want[p*ld+r] = src[r*lds+p]
					}
				}
				transpose(dst, ld, src, lds, rows, k)
				for i := range dst {
					if dst[i] != want[i] {
						t.Fatalf("simd=%v rows=%d k=%d: dst[%d] = %g, want %g", simd, rows, k, i, dst[i], want[i])
					}
				}
			}
		}
	}
}
