package vec

import "math"

// Sigmoid sets x[i] = 1/(1+exp(-x[i])) on the named implementation: a
// float32 exp in AVX-512 (see exp_amd64.s), or sigmoidGeneric.
func Sigmoid(impl string, x []float32) {
	done := sigmoidSIMD(impl, x)
	sigmoidGeneric(x[done:])
}

// sigmoidGeneric is Sigmoid in plain Go, through float64 (nn.Sigmoid.Apply).
func sigmoidGeneric(x []float32) {
	for i, v := range x {
		x[i] = float32(1 / (1 + math.Exp(-float64(v))))
	}
}

// bceChunk is the most elements one bceAVX512 call takes: its 16 lane
// products of factors in (1, 2] stay below 2^64, far from overflow.
const bceChunk = 1024

// BCERow returns the binary cross-entropy of sigmoid(z) against t summed
// over one row, Σ_j max(z,0) - z·t + log(1+exp(-|z|)), and, unless g is
// nil, sets g = scale·(sigmoid(z)-t); on AVX-512 in float32 with the logs
// taken once per lane and chunk (log of the product), else as BCERowGeneric.
func BCERow(impl string, z, t, g []float32, scale float32) float64 {
	t = t[:len(z)]
	if g != nil {
		g = g[:len(z)]
	}
	sum, done := bceSIMD(impl, z, t, g, scale)
	var gt []float32
	if g != nil {
		gt = g[done:]
	}
	return sum + BCERowGeneric(z[done:], t[done:], gt, scale)
}

// BCERowGeneric is BCERow in plain Go, in float64, one log per row.
func BCERowGeneric(z, t, g []float32, scale float32) float64 {
	var sum float64
	prod := 1.0
	for j, zv := range z {
		zj, tj := float64(zv), float64(t[j])
		e := math.Exp(-math.Abs(zj))
		sum += max(zj, 0) - zj*tj
		prod *= 1 + e
		if g != nil {
			sig := 1 / (1 + e)
			if zj < 0 {
				sig = e / (1 + e)
			}
			g[j] = scale * float32(sig-tj)
		}
		if j%bceRun == bceRun-1 { // factors in (1, 2]: fold before 2^bceRun
			sum += math.Log(prod)
			prod = 1
		}
	}
	return sum + math.Log(prod)
}

// bceRun is how many log(1+e) terms BCERowGeneric folds into one log.
const bceRun = 512
