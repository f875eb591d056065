//go:build !amd64

package gemm

// simdTranspose is false: no SIMD transpose is built for this platform.
var simdTranspose = false

// transposeSIMD does no rows here: transpose's plain loops do them all.
func transposeSIMD(dst []float32, ld int, src []float32, lds, rows, k int) int { return 0 }
