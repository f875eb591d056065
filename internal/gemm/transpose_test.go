package gemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/wgml/wgml/internal/op"
)

// eachPackPath runs f with the packing's SIMD paths off and, where the
// CPU has them, on (simdPack), restoring the setting after.
func eachPackPath(t *testing.T, f func(simd bool)) {
	t.Helper()
	have := simdPack
	defer func() { simdPack = have }()
	for _, simd := range []bool{false, true} {
		if simd && !have {
			t.Log("no SIMD packing on this CPU: plain loops only")
			continue
		}
		simdPack = simd
		f(simd)
	}
}

// TestTranspose checks transpose, with its SIMD groups and without, against
// dst[p·ld+r] = src[r·lds+p] on odd shapes with padded strides; dst
// outside the stored elements must stay untouched.
func TestTranspose(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	eachPackPath(t, func(simd bool) {
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
	})
}

// TestCopyPanel checks copyPanel, with its SIMD moves and without, against
// dst[p·w+j] = src[p·lds+j] on widths that are and are not multiples of 8;
// dst past rows·w must stay untouched.
func TestCopyPanel(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	eachPackPath(t, func(simd bool) {
		for _, rows := range []int{1, 2, 7, 128} {
			for _, w := range []int{1, 5, 8, 16, 24, 32} {
				lds := w + 3
				src := fill(rng, rows*lds)
				dst := fill(rng, rows*w+9)
				want := append([]float32(nil), dst...)
				for p := range rows {
					for j := range w {
						want[p*w+j] = src[p*lds+j]
					}
				}
				copyPanel(dst, src, lds, rows, w)
				for i := range dst {
					if dst[i] != want[i] {
						t.Fatalf("simd=%v rows=%d w=%d: dst[%d] = %g, want %g", simd, rows, w, i, dst[i], want[i])
					}
				}
			}
		}
	})
}

// BenchmarkTranspose times packB's transpose of a 32-column panel of a
// 784-wide weight (one K-block of 320, and the AE's 256), plain and SIMD.
func BenchmarkTranspose(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	have := simdPack
	defer func() { simdPack = have }()
	for _, simd := range []bool{false, true} {
		if simd && !have {
			continue
		}
		name := "plain"
		if simd {
			name = "simd"
		}
		for _, k := range []int{320, 256} {
			src, dst := fill(rng, 32*784), make([]float32, k*32)
			b.Run(fmt.Sprintf("%s/32x%d", name, k), func(b *testing.B) {
				simdPack = simd
				for b.Loop() {
					transpose(dst, 32, src, 784, 32, k)
				}
				b.ReportMetric(float64(32*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "Gfloat/s")
			})
		}
	}
}

// TestPackASums checks packA of whole transposed panels with row sums, with
// the SIMD copy-and-sum and without, against the panel and sums8's float64
// sums in order, bit for bit.
func TestPackASums(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	eachPackPath(t, func(simd bool) {
		for _, mr := range []int{8, 16} {
			for _, k := range []int{1, 3, 128} {
				const i0 = 3
				lda := i0 + mr + 5
				a := fill(rng, k*lda)
				for p := range a { // exponents far apart: the order of a sum shows in its bits
					a[p] *= float32(int(1) << (p % 23))
				}
				dst, sums := make([]float32, k*mr), make([]float32, i0+mr+1)
				packA(op.Trans, a, lda, i0, mr, mr, k, dst, sums)
				for i := range mr {
					var s float64
					for p := range k {
						if v := a[p*lda+i0+i]; dst[p*mr+i] != v {
							t.Fatalf("simd=%v mr=%d k=%d: dst[%d] = %g, want %g", simd, mr, k, p*mr+i, dst[p*mr+i], v)
						}
						s += float64(a[p*lda+i0+i])
					}
					if math.Float32bits(sums[i0+i]) != math.Float32bits(float32(s)) {
						t.Fatalf("simd=%v mr=%d k=%d: sums[%d] = %g, want %g", simd, mr, k, i0+i, sums[i0+i], float32(s))
					}
				}
				if sums[0] != 0 || sums[i0+mr] != 0 {
					t.Fatalf("simd=%v mr=%d k=%d: sums written outside rows %d..%d: %v", simd, mr, k, i0, i0+mr, sums)
				}
			}
		}
	})
}
