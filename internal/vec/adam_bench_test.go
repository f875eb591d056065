package vec

import (
	"fmt"
	"testing"
)

// BenchmarkAdam times Adam per implementation on a vector that fits L1, one
// that fits L2, and the AE's 437k parameters.
func BenchmarkAdam(b *testing.B) {
	c := &AdamConsts{B1: 0.9, OneMinusB1: 0.1, B2: 0.999, OneMinusB2: 0.001, WD: 0, Step: 1e-3, RBC2: 1, Eps: 1e-8}
	for _, impl := range []string{"avx512", "avx2", "generic"} {
		if !Has(impl) {
			continue
		}
		for _, n := range []int{4096, 65536, 437328} {
			b.Run(fmt.Sprintf("%s/%d", impl, n), func(b *testing.B) {
				p, g, m, v := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
				for i := range n {
					g[i], v[i] = 0.1+float32(i%7)*0.1, 0.01
				}
				b.SetBytes(int64(28 * n))
				for b.Loop() {
					Adam(impl, p, g, m, v, c)
				}
			})
		}
	}
}
