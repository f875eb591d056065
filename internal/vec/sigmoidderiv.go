package vec

import "fmt"

// SigmoidDeriv computes d[i] *= y[i]·(1-y[i]), the sigmoid derivative from
// the forward output y (nn.Activation.DerivFromOutput), each element the
// same three float32 operations in the same order on the named
// implementation ("avx512" or "generic"; any other, or one this CPU lacks,
// runs as generic).
func SigmoidDeriv(impl string, d, y []float32) {
	if len(y) != len(d) {
		panic(fmt.Sprintf("vec: SigmoidDeriv: lengths %d, %d differ", len(d), len(y)))
	}
	done := sigmoidDerivSIMD(impl, d, y)
	sigmoidDerivGeneric(d[done:], y[done:])
}

// sigmoidDerivGeneric is SigmoidDeriv in plain Go: the reference. The
// conversion rounds the product, which the Go spec then keeps out of any
// fused multiply-add.
func sigmoidDerivGeneric(d, y []float32) {
	y = y[:len(d)]
	for i, v := range y {
		d[i] *= float32(v * (1 - v))
	}
}
