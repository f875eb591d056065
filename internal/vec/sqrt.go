package vec

import "math"

// sqrt32 is the correctly rounded float32 square root (as VSQRTPS computes
// it: the float64 root of a float32 rounds to the float32 root).
func sqrt32(x float32) float32 { return float32(math.Sqrt(float64(x))) }
