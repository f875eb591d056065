package vec

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestScaleBytes: every implementation this CPU runs equals
// scaleBytesGeneric bit for bit, on lengths that are not multiples of a
// vector, every byte value, and scales that round (1/255) or overflow.
func TestScaleBytes(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, impl := range []string{"avx512", "generic"} {
		if !Has(impl) {
			t.Logf("skipping %s: this CPU lacks it", impl)
			continue
		}
		for _, scale := range []float32{1, 1.0 / 255, -0.3, math.MaxFloat32 / 100} {
			for _, n := range []int{0, 1, 15, 16, 17, 33, 256, 1000} {
				src, got, want := make([]uint8, n), make([]float32, n), make([]float32, n)
				for i := range n {
					src[i] = uint8(rng.IntN(256))
				}
				scaleBytesGeneric(want, src, scale)
				ScaleBytes(impl, got, src, scale)
				for i := range n {
					if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
						t.Fatalf("%s scale=%v n=%d i=%d: byte %d: got %v, want %v", impl, scale, n, i, src[i], got[i], want[i])
					}
				}
			}
		}
	}
}
