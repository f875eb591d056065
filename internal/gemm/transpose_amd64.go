package gemm

import "golang.org/x/sys/cpu"

// transpose8AVX is transpose of eight rows of src, 8·blocks columns, in
// 8×8 register blocks (transpose_amd64.s; AVX, blocks >= 1).
//
//go:noescape
func transpose8AVX(dst *float32, ld int, src *float32, lds int, blocks int)

// simdPack selects the AVX packing moves (transpose8AVX for transpose's
// whole 8-row groups, copyPanelAVX) (tests turn it off to check the plain
// loops alone).
var simdPack = cpu.X86.HasAVX

// transposeSIMD runs transpose on the first rows&^7 rows when AVX is
// available and k >= 8, returning how many rows it did (0 otherwise).
func transposeSIMD(dst []float32, ld int, src []float32, lds, rows, k int) int {
	if !simdPack || k < 8 {
		return 0
	}
	k8 := k &^ 7
	r := 0
	for ; r+8 <= rows; r += 8 {
		_, _ = src[(r+7)*lds+k-1], dst[(k-1)*ld+r+7]
		transpose8AVX(&dst[r], ld, &src[r*lds], lds, k8/8)
		for i := range 8 {
			for p, v := range src[(r+i)*lds+k8 : (r+i)*lds+k] {
				dst[(k8+p)*ld+r+i] = v
			}
		}
	}
	return r
}

// copyPanelAVX is copyPanel of w8 vectors of 8 floats per row
// (transpose_amd64.s; AVX, rows, w8 >= 1).
//
//go:noescape
func copyPanelAVX(dst, src *float32, lds, rows, w8 int)

// copyPanelSIMD runs copyPanel when AVX is available and w is a multiple
// of 8, reporting whether it did.
func copyPanelSIMD(dst, src []float32, lds, rows, w int) bool {
	if !simdPack || w%8 != 0 || rows == 0 || w == 0 {
		return false
	}
	_, _ = src[(rows-1)*lds+w-1], dst[rows*w-1]
	copyPanelAVX(&dst[0], &src[0], lds, rows, w/8)
	return true
}

// copyPanelSumsAVX is copyPanel of a panel 8·w8 floats wide (w8 = 1 or 2)
// with the sums of its columns, as sums8 computes them (transpose_amd64.s;
// AVX, rows >= 1).
//
//go:noescape
func copyPanelSumsAVX(dst, src *float32, lds, rows, w8 int, sums *float32)

// copyPanelSumsSIMD runs copyPanel(dst, src, lds, rows, w) and stores
// sums[j] = Σ_p src[p·lds+j] (float64, p in order) when AVX is available
// and w is 8 or 16, reporting whether it did.
func copyPanelSumsSIMD(dst, src []float32, lds, rows, w int, sums []float32) bool {
	if !simdPack || (w != 8 && w != 16) || rows == 0 {
		return false
	}
	_, _, _ = src[(rows-1)*lds+w-1], dst[rows*w-1], sums[w-1]
	copyPanelSumsAVX(&dst[0], &src[0], lds, rows, w/8, &sums[0])
	return true
}
