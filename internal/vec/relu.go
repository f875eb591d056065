package vec

import "fmt"

// ReLUDeriv computes d[i] *= 0 wherever !(y[i] > 0), the ReLU derivative
// from the forward output y (a multiplication, not a store of 0: a NaN or
// Inf gradient stays NaN), on the named implementation ("avx512" or
// "generic"; any other, or one this CPU lacks, runs as generic).
func ReLUDeriv(impl string, d, y []float32) {
	if len(y) != len(d) {
		panic(fmt.Sprintf("vec: ReLUDeriv: lengths %d, %d differ", len(d), len(y)))
	}
	done := reluDerivSIMD(impl, d, y)
	reluDerivGeneric(d[done:], y[done:])
}

// reluDerivGeneric is ReLUDeriv in plain Go: the reference.
func reluDerivGeneric(d, y []float32) {
	y = y[:len(d)]
	for i, v := range y {
		if !(v > 0) {
			d[i] *= 0
		}
	}
}
