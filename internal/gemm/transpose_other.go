//go:build !amd64

package gemm

// simdPack is false: no SIMD packing is built for this platform.
var simdPack = false

// transposeSIMD does no rows here: transpose's plain loops do them all.
func transposeSIMD(dst []float32, ld int, src []float32, lds, rows, k int) int { return 0 }

// copyPanelSIMD does nothing here: copyPanel's plain loop does it all.
func copyPanelSIMD(dst, src []float32, lds, rows, w int) bool { return false }

// copyPanelSumsSIMD does nothing here: packA's copyPanel and sums8 do it.
func copyPanelSumsSIMD(dst, src []float32, lds, rows, w int, sums []float32) bool { return false }
