// Package vec holds the elementwise kernels of the cpu backend that pay for
// SIMD, each in assembly beside the plain Go loop it is tested against:
// Adam's update in AVX-512 and AVX2, equal to its loop bit for bit (same
// float32 operations in the same order, no fused multiply-adds; AVX-512
// runs vectors with tiny operands in float64 where the CPU takes assists
// on float32 subnormals, see adamTiny in adam_amd64.s and subnormalsSlow);
// sigmoid and BCE-with-logits rows on a float32 exp in AVX-512 (exp.go);
// in AVX-512 too, the ReLU derivative as a masked multiply (relu.go), the
// sigmoid derivative (sigmoidderiv.go) and byte rows scaled to floats
// (scale.go).
package vec

import "fmt"

// AdamConsts are one Adam step's scalars, computed once per step:
// B1, B2 the moment decays, OneMinusB1 = 1-B1 and OneMinusB2 = 1-B2 (in
// float32), WD the L2 weight decay, Step = LR/(1-B1^t), RBC2 =
// 1/sqrt(1-B2^t), Eps.
type AdamConsts struct {
	B1, OneMinusB1, B2, OneMinusB2, WD, Step, RBC2, Eps float32
}

// Adam updates, for every i,
//
//	g = grad[i] + WD·p[i]
//	m[i] = B1·m[i] + (1-B1)·g
//	v[i] = B2·v[i] + (1-B2)·g·g
//	p[i] -= Step·m[i] / (sqrt(v[i])·RBC2 + Eps)
//
// in float32 on the named implementation ("avx512", "avx2" or "generic";
// one this CPU lacks runs as generic: see Has).
func Adam(impl string, p, grad, m, v []float32, c *AdamConsts) {
	n := len(p)
	if len(grad) != n || len(m) != n || len(v) != n {
		panic(fmt.Sprintf("vec: Adam: lengths %d, %d, %d, %d differ", n, len(grad), len(m), len(v)))
	}
	done := adamSIMD(impl, p, grad, m, v, c)
	adamGeneric(p[done:], grad[done:], m[done:], v[done:], c)
}

// adamGeneric is Adam in plain Go: the reference the assembly reproduces.
func adamGeneric(p, grad, m, v []float32, c *AdamConsts) {
	grad, m, v = grad[:len(p)], m[:len(p)], v[:len(p)]
	// Each product is rounded by a conversion, which the Go spec does not
	// let the compiler fuse into the next addition.
	for i := range p {
		gi := grad[i] + float32(c.WD*p[i])
		mi := float32(c.B1*m[i]) + float32(c.OneMinusB1*gi)
		vi := float32(c.B2*v[i]) + float32(float32(c.OneMinusB2*gi)*gi)
		den := float32(sqrt32(vi)*c.RBC2) + c.Eps
		p[i] -= float32(c.Step*mi) / den
		m[i], v[i] = mi, vi
	}
}
