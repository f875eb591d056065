package vec

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSigmoidDeriv: every implementation this CPU runs equals
// sigmoidDerivGeneric bit for bit (NaN for NaN), on lengths that are not
// multiples of a vector, with NaN, Inf, ±0 and subnormals in y and in d.
func TestSigmoidDeriv(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	special := []float32{0, float32(math.Copysign(0, -1)), float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), 1e-45, 1}
	for _, impl := range []string{"avx512", "generic"} {
		if !Has(impl) {
			t.Logf("skipping %s: this CPU lacks it", impl)
			continue
		}
		for _, n := range []int{0, 1, 15, 16, 17, 33, 1000} {
			d, y := make([]float32, n), make([]float32, n)
			for i := range n {
				d[i], y[i] = 2*rng.Float32()-1, rng.Float32()
				if rng.IntN(8) == 0 {
					y[i] = special[rng.IntN(len(special))]
				}
				if rng.IntN(8) == 0 {
					d[i] = special[rng.IntN(len(special))]
				}
			}
			want := append([]float32(nil), d...)
			sigmoidDerivGeneric(want, y)
			SigmoidDeriv(impl, d, y)
			for i := range n {
				g, w := d[i], want[i]
				if math.Float32bits(g) != math.Float32bits(w) && !(g != g && w != w) {
					t.Fatalf("%s n=%d i=%d: y=%v: d = %v, want %v", impl, n, i, y[i], g, w)
				}
			}
		}
	}
}
