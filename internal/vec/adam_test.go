package vec

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestAdam: every implementation this CPU runs equals adamGeneric bit for
// bit, on lengths that are not multiples of a vector, with weight decay.
func TestAdam(t *testing.T) {
	c := &AdamConsts{B1: 0.9, OneMinusB1: 1 - float32(0.9), B2: 0.999, OneMinusB2: 1 - float32(0.999),
		WD: 1e-4, Step: float32(1e-3 / (1 - math.Pow(0.9, 3))), RBC2: float32(1 / math.Sqrt(1-math.Pow(0.999, 3))), Eps: 1e-8}
	rng := rand.New(rand.NewPCG(5, 6))
	for _, impl := range []string{"avx512", "avx2", "generic"} {
		if !Has(impl) {
			t.Logf("skipping %s: this CPU lacks it", impl)
			continue
		}
		for _, n := range []int{0, 1, 7, 8, 15, 16, 17, 33, 1000} {
			p, g, m, v := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
			for i := range n {
				p[i], g[i], m[i], v[i] = 2*rng.Float32()-1, 2*rng.Float32()-1, 0.1*(2*rng.Float32()-1), 0.01*rng.Float32()
			}
			wp, wm, wv := append([]float32(nil), p...), append([]float32(nil), m...), append([]float32(nil), v...)
			adamGeneric(wp, g, wm, wv, c)
			Adam(impl, p, g, m, v, c)
			for i := range n {
				if p[i] != wp[i] || m[i] != wm[i] || v[i] != wv[i] {
					t.Fatalf("%s n=%d i=%d: p,m,v = %v,%v,%v, want %v,%v,%v", impl, n, i, p[i], m[i], v[i], wp[i], wm[i], wv[i])
				}
			}
		}
	}
}
