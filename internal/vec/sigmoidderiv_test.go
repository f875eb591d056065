package vec

import (
	"math/rand/v2"
	"testing"
)

// TestSigmoidDeriv: every implementation this CPU runs equals
// sigmoidDerivGeneric bit for bit (NaN for NaN), on lengths that are not
// multiples of a vector, with NaN, Inf, ±0 and subnormals in y and in d.
func TestSigmoidDeriv(t *testing.T) {
	unit := func(r *rand.Rand) float32 { return r.Float32() }
	testDeriv(t, 11, unit, append(derivSpecial, 1), sigmoidDerivGeneric, SigmoidDeriv, true)
}
