package vec

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestAdam: every implementation this CPU runs equals adamGeneric bit for
// bit, on lengths that are not multiples of a vector, with weight decay,
// with elements whose second moment stays 0 (where Eps decides), and on
// tiny and subnormal operands (TestAdamOtherTiny runs AVX-512's other
// choice of path for those).
func TestAdam(t *testing.T) { testAdam(t) }

func testAdam(t *testing.T) {
	c := &AdamConsts{B1: 0.9, OneMinusB1: 1 - float32(0.9), B2: 0.999, OneMinusB2: 1 - float32(0.999),
		WD: 1e-4, Step: float32(1e-3 / (1 - math.Pow(0.9, 3))), RBC2: float32(1 / math.Sqrt(1-math.Pow(0.999, 3))), Eps: 1e-8}
	rng := rand.New(rand.NewPCG(5, 6))
	for _, impl := range []string{"avx512", "avx2", "generic"} {
		if !Has(impl) {
			t.Logf("skipping %s: this CPU lacks it", impl)
			continue
		}
		for _, tc := range []struct {
			n      int
			tinies bool
		}{{0, false}, {1, false}, {7, false}, {8, false}, {15, false}, {16, false}, {17, false}, {33, false}, {1000, false}, {33, true}, {1000, true}, {100000, true}} {
			n, tinies := tc.n, tc.tinies
			p, g, m, v := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
			for i := range n {
				p[i], g[i], m[i], v[i] = 2*rng.Float32()-1, 2*rng.Float32()-1, 0.1*(2*rng.Float32()-1), 0.01*rng.Float32()
				if i%7 == 3 { // v stays 0: the denominator is Eps alone
					g[i], v[i] = -float32(c.WD)*p[i], 0
				}
			}
			if tinies {
				// Tiny and subnormal operands and results, and zeros,
				// in some vectors (the AVX-512 loop runs those wide).
				for i := range n {
					if (i/16)%3 != 0 {
						continue
					}
					e := -float32(rng.IntN(60) + 90)
					sc := float32(math.Pow(2, float64(e)))
					p[i], g[i], m[i], v[i] = p[i]*sc, g[i]*float32(math.Pow(2, -float64(rng.IntN(100)))), m[i]*sc, v[i]*sc
					if rng.IntN(4) == 0 {
						g[i] = 0
					}
				}
			}
			wp, wm, wv := append([]float32(nil), p...), append([]float32(nil), m...), append([]float32(nil), v...)
			adamGeneric(wp, g, wm, wv, c)
			Adam(impl, p, g, m, v, c)
			for i := range n {
				if p[i] != wp[i] || m[i] != wm[i] || v[i] != wv[i] {
					t.Fatalf("%s n=%d tinies=%v i=%d: p,m,v = %v,%v,%v, want %v,%v,%v", impl, n, tinies, i, p[i], m[i], v[i], wp[i], wm[i], wv[i])
				}
			}
		}
	}
}
