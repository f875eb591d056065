package vec

import "math"

// LogSumExp returns log Σ exp(z) in float64, shifted by max(z) so that it
// never overflows: max(z) + log Σ exp(z_i − max(z)). z is not empty.
func LogSumExp(z []float32) float64 {
	hi := float64(z[0])
	for _, v := range z {
		hi = math.Max(hi, float64(v))
	}
	var s float64
	for _, v := range z {
		s += math.Exp(float64(v) - hi)
	}
	return hi + math.Log(s)
}
