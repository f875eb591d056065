package vec

import (
	"math"

	"golang.org/x/sys/cpu"
)

//go:noescape
func adamAVX512(p, grad, m, v *float32, n int, c *AdamConsts, wide bool)

//go:noescape
func adamAVX2(p, grad, m, v *float32, n int, c *AdamConsts)

// Has reports whether this CPU runs the named implementation.
func Has(impl string) bool {
	switch impl {
	case "avx512":
		return cpu.X86.HasAVX512F
	case "avx2":
		return cpu.X86.HasAVX2
	}
	return impl == "generic"
}

// adamSIMD runs Adam on the largest prefix the named implementation takes
// whole vectors of, returning its length.
func adamSIMD(impl string, p, grad, m, v []float32, c *AdamConsts) int {
	var w int
	switch {
	case impl == "avx512" && cpu.X86.HasAVX512F:
		w = len(p) &^ 15
		if w > 0 {
			adamAVX512(&p[0], &grad[0], &m[0], &v[0], w, c, wideTiny)
		}
	case impl == "avx2" && cpu.X86.HasAVX2:
		w = len(p) &^ 7
		if w > 0 {
			adamAVX2(&p[0], &grad[0], &m[0], &v[0], w, c)
		}
	}
	return w
}

//go:noescape
func sigmoidAVX512(x *float32, n int)

//go:noescape
func bceAVX512(z, t, grad *float32, n int, scale float32, out *[32]float32)

// sigmoidSIMD runs Sigmoid on all of x, the tail through a padded vector so
// that every element gets the same result however x is split, returning
// len(x) (0 unless impl is avx512 and this CPU has it).
func sigmoidSIMD(impl string, x []float32) int {
	if impl != "avx512" || !cpu.X86.HasAVX512F {
		return 0
	}
	w := len(x) &^ 15
	if w > 0 {
		sigmoidAVX512(&x[0], w)
	}
	if w < len(x) {
		var tail [16]float32
		copy(tail[:], x[w:])
		sigmoidAVX512(&tail[0], 16)
		copy(x[w:], tail[:])
	}
	return len(x)
}

// bceSIMD runs BCERow on the largest prefix of whole vectors, returning its
// sum and length.
func bceSIMD(impl string, z, t, g []float32, scale float32) (float64, int) {
	if impl != "avx512" || !cpu.X86.HasAVX512F {
		return 0, 0
	}
	w := len(z) &^ 15
	var sum float64
	var out [32]float32
	for lo := 0; lo < w; lo += bceChunk {
		n := min(bceChunk, w-lo)
		var pg *float32
		if g != nil {
			pg = &g[lo]
		}
		bceAVX512(&z[lo], &t[lo], pg, n, scale, &out)
		for i := range 16 {
			sum += float64(out[i]) + math.Log(float64(out[16+i]))
		}
	}
	return sum, w
}

//go:noescape
func reluDerivAVX512(d, y *float32, n int)

// reluDerivSIMD runs ReLUDeriv on the largest prefix of whole vectors,
// returning its length.
func reluDerivSIMD(impl string, d, y []float32) int {
	if impl != "avx512" || !cpu.X86.HasAVX512F {
		return 0
	}
	w := len(d) &^ 15
	if w > 0 {
		reluDerivAVX512(&d[0], &y[0], w)
	}
	return w
}

//go:noescape
func scaleBytesAVX512(dst *float32, src *uint8, n int, scale float32)

// scaleBytesSIMD runs ScaleBytes on the largest prefix of whole vectors,
// returning its length.
func scaleBytesSIMD(impl string, dst []float32, src []uint8, scale float32) int {
	if impl != "avx512" || !cpu.X86.HasAVX512F {
		return 0
	}
	w := len(dst) &^ 15
	if w > 0 {
		scaleBytesAVX512(&dst[0], &src[0], w, scale)
	}
	return w
}

//go:noescape
func sigmoidDerivAVX512(d, y *float32, n int)

// sigmoidDerivSIMD runs SigmoidDeriv on the largest prefix of whole
// vectors, returning its length.
func sigmoidDerivSIMD(impl string, d, y []float32) int {
	if impl != "avx512" || !cpu.X86.HasAVX512F {
		return 0
	}
	w := len(d) &^ 15
	if w > 0 {
		sigmoidDerivAVX512(&d[0], &y[0], w)
	}
	return w
}
