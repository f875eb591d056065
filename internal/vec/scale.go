package vec

import "fmt"

// ScaleBytes computes dst[i] = scale·float32(src[i]) (a byte dataset's rows
// as floats) on the named implementation ("avx512" or "generic"; any other,
// or one this CPU lacks, runs as generic). The conversion is exact, so each
// element is one float32 multiplication on every implementation.
func ScaleBytes(impl string, dst []float32, src []uint8, scale float32) {
	if len(src) != len(dst) {
		panic(fmt.Sprintf("vec: ScaleBytes: lengths %d, %d differ", len(dst), len(src)))
	}
	done := scaleBytesSIMD(impl, dst, src, scale)
	scaleBytesGeneric(dst[done:], src[done:], scale)
}

// scaleBytesGeneric is ScaleBytes in plain Go: the reference.
func scaleBytesGeneric(dst []float32, src []uint8, scale float32) {
	src = src[:len(dst)]
	for i, v := range src {
		dst[i] = scale * float32(v)
	}
}
