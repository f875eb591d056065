package vec

import (
	"math"
	"math/rand/v2"
	"testing"
)

// derivSpecial are the values mixed into y and d: ±0, NaN, ±Inf and the
// smallest subnormal.
var derivSpecial = []float32{0, float32(math.Copysign(0, -1)), float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), 1e-45}

// testDeriv checks a derivative kernel d *= f'(y) (kernel, by
// implementation) against its generic loop: every implementation this CPU
// runs, bit for bit (any NaN for NaN where anyNaN), on lengths that are not
// multiples of a vector, y drawn by drawY, d in [-1, 1), and one value in 8
// of each replaced by one of special.
func testDeriv(t *testing.T, seed uint64, drawY func(*rand.Rand) float32, special []float32, generic func(d, y []float32), kernel func(impl string, d, y []float32), anyNaN bool) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, seed+1))
	for _, impl := range []string{"avx512", "generic"} {
		if !Has(impl) {
			t.Logf("skipping %s: this CPU lacks it", impl)
			continue
		}
		for _, n := range []int{0, 1, 15, 16, 17, 33, 1000} {
			d, y := make([]float32, n), make([]float32, n)
			for i := range n {
				d[i], y[i] = 2*rng.Float32()-1, drawY(rng)
				if rng.IntN(8) == 0 {
					y[i] = special[rng.IntN(len(special))]
				}
				if rng.IntN(8) == 0 {
					d[i] = special[rng.IntN(len(special))]
				}
			}
			want := append([]float32(nil), d...)
			generic(want, y)
			kernel(impl, d, y)
			for i := range n {
				g, w := d[i], want[i]
				if math.Float32bits(g) != math.Float32bits(w) && !(anyNaN && g != g && w != w) {
					t.Fatalf("%s n=%d i=%d: y=%v: d = %v, want %v", impl, n, i, y[i], g, w)
				}
			}
		}
	}
}
