package vec

import (
	"fmt"
	"testing"
)

// TestAdamOtherTiny is TestAdam with AVX-512's other choice for vectors
// with tiny operands (wideTiny): wide where this CPU runs them in float32,
// float32 where it runs them wide. Both must equal adamGeneric.
func TestAdamOtherTiny(t *testing.T) {
	defer func(w bool) { wideTiny = w }(wideTiny)
	wideTiny = !wideTiny
	testAdam(t)
}

// TestSubnormalsSlow: the wide path is kept everywhere but on the CPUs
// measured without the assists (AMD family 26 on).
func TestSubnormalsSlow(t *testing.T) {
	for _, tc := range []struct {
		vendor string
		family uint32
		want   bool
	}{{"GenuineIntel", 6, true}, {"AuthenticAMD", 25, true}, {"AuthenticAMD", 26, false}, {"AuthenticAMD", 27, false}, {"HygonGenuine", 24, true}} {
		if got := subnormalsSlow(tc.vendor, tc.family); got != tc.want {
			t.Errorf("subnormalsSlow(%q, %d) = %v, want %v", tc.vendor, tc.family, got, tc.want)
		}
	}
	v, f := vendorFamily()
	t.Logf("this CPU: %s family %d: wide path for tiny operands %v", v, f, wideTiny)
}

// BenchmarkAdamSubnormal times AVX-512 Adam on 64k elements of which 0, 1,
// 4 or 16 in each vector of 16 have a subnormal moment (m is reset each op),
// with such vectors run wide and in float32 (wideTiny): the measurement
// behind subnormalsSlow.
func BenchmarkAdamSubnormal(b *testing.B) {
	if !Has("avx512") {
		b.Skip("this CPU lacks avx512")
	}
	c := &AdamConsts{B1: 0.9, OneMinusB1: 0.1, B2: 0.999, OneMinusB2: 0.001, WD: 0, Step: 1e-3, RBC2: 1, Eps: 1e-8}
	n := 65536
	defer func(w bool) { wideTiny = w }(wideTiny)
	for _, wide := range []bool{true, false} {
		for _, frac := range []int{0, 1, 4, 16} {
			b.Run(fmt.Sprintf("wide=%v/%d", wide, frac), func(b *testing.B) {
				wideTiny = wide
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
}
