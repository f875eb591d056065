package vec

import (
	"math/rand/v2"
	"testing"
)

// TestReLUDeriv: every implementation this CPU runs equals reluDerivGeneric
// bit for bit, on lengths that are not multiples of a vector, with NaN, Inf,
// ±0 in y and in d.
func TestReLUDeriv(t *testing.T) {
	signed := func(r *rand.Rand) float32 { return 2*r.Float32() - 1 }
	testDeriv(t, 7, signed, derivSpecial, reluDerivGeneric, ReLUDeriv, false)
}
