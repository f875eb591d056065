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

// BenchmarkAdamSubnormal times AVX-512 Adam on 64k elements of which 0, 1,
// 4 or 16 in each vector of 16 have a subnormal moment (m is reset each op).
func BenchmarkAdamSubnormal(b *testing.B) {
	if !Has("avx512") {
		b.Skip("this CPU lacks avx512")
	}
	c := &AdamConsts{B1: 0.9, OneMinusB1: 0.1, B2: 0.999, OneMinusB2: 0.001, WD: 0, Step: 1e-3, RBC2: 1, Eps: 1e-8}
	n := 65536
	for _, frac := range []int{0, 1, 4, 16} {
		b.Run(fmt.Sprint(frac), func(b *testing.B) {
			p, g, m, v, m0 := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
			for i := range n {
				g[i], v[i], m0[i] = 0.1, 0.01, 0.01
				if frac > 0 && i%16 < frac {
					g[i], m0[i] = 0, 1e-39
				}
			}
			for b.Loop() {
				copy(m, m0)
				Adam("avx512", p, g, m, v, c)
			}
		})
	}
}
