#include "textflag.h"

// func transpose8AVX(dst *float32, ld int, src *float32, lds int, blocks int)
//
// For b < blocks, r < 8, p < 8: dst[(8b+p)·ld+r] = src[r·lds+8b+p]: eight
// rows of src, eight columns at a time, as an 8×8 transpose in registers
// (unpack pairs, shuffle quads, swap 128-bit halves).
TEXT ·transpose8AVX(SB), NOSPLIT, $0-40
	MOVQ dst+0(FP), DI
	MOVQ ld+8(FP), DX
	MOVQ src+16(FP), SI
	MOVQ lds+24(FP), R8
	MOVQ blocks+32(FP), CX
	SHLQ $2, DX
	SHLQ $2, R8
	LEAQ (R8)(R8*2), R9  // 3·lds
	LEAQ (R8)(R8*4), R10 // 5·lds
	LEAQ (R9)(R8*4), R11 // 7·lds
	LEAQ (DX)(DX*2), R12 // 3·ld
	LEAQ (DX)(DX*4), R13 // 5·ld
	LEAQ (R12)(DX*4), R14 // 7·ld
	LEAQ (DX*8), R15     // 8·ld

loop:
	VMOVUPS (SI), Y0
	VMOVUPS (SI)(R8*1), Y1
	VMOVUPS (SI)(R8*2), Y2
	VMOVUPS (SI)(R9*1), Y3
	VMOVUPS (SI)(R8*4), Y4
	VMOVUPS (SI)(R10*1), Y5
	VMOVUPS (SI)(R9*2), Y6
	VMOVUPS (SI)(R11*1), Y7

	// Pairs: Y8 = r0[0] r1[0] r0[1] r1[1] | r0[4] r1[4] r0[5] r1[5], ...
	VUNPCKLPS Y1, Y0, Y8
	VUNPCKHPS Y1, Y0, Y9
	VUNPCKLPS Y3, Y2, Y10
	VUNPCKHPS Y3, Y2, Y11
	VUNPCKLPS Y5, Y4, Y12
	VUNPCKHPS Y5, Y4, Y13
	VUNPCKLPS Y7, Y6, Y14
	VUNPCKHPS Y7, Y6, Y15

	// Quads: Y0 = r0..3[0] | r0..3[4], Y1 = r0..3[1] | r0..3[5], ...
	VSHUFPS $0x44, Y10, Y8, Y0
	VSHUFPS $0xEE, Y10, Y8, Y1
	VSHUFPS $0x44, Y11, Y9, Y2
	VSHUFPS $0xEE, Y11, Y9, Y3
	VSHUFPS $0x44, Y14, Y12, Y4
	VSHUFPS $0xEE, Y14, Y12, Y5
	VSHUFPS $0x44, Y15, Y13, Y6
	VSHUFPS $0xEE, Y15, Y13, Y7

	// Halves: column p of the block is row p of dst.
	VPERM2F128 $0x20, Y4, Y0, Y8
	VPERM2F128 $0x20, Y5, Y1, Y9
	VPERM2F128 $0x20, Y6, Y2, Y10
	VPERM2F128 $0x20, Y7, Y3, Y11
	VPERM2F128 $0x31, Y4, Y0, Y12
	VPERM2F128 $0x31, Y5, Y1, Y13
	VPERM2F128 $0x31, Y6, Y2, Y14
	VPERM2F128 $0x31, Y7, Y3, Y15

	VMOVUPS Y8, (DI)
	VMOVUPS Y9, (DI)(DX*1)
	VMOVUPS Y10, (DI)(DX*2)
	VMOVUPS Y11, (DI)(R12*1)
	VMOVUPS Y12, (DI)(DX*4)
	VMOVUPS Y13, (DI)(R13*1)
	VMOVUPS Y14, (DI)(R12*2)
	VMOVUPS Y15, (DI)(R14*1)

	ADDQ $32, SI
	ADDQ R15, DI
	DECQ CX
	JNZ loop
	VZEROUPPER
	RET

// func copyPanelAVX(dst, src *float32, lds, rows, w8 int)
//
// For p < rows, j < 8·w8: dst[p·8·w8+j] = src[p·lds+j]: a panel of rows of
// 8·w8 floats (w8 >= 1) packed contiguously, a vector at a time.
TEXT ·copyPanelAVX(SB), NOSPLIT, $0-40
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ lds+16(FP), R8
	MOVQ rows+24(FP), CX
	MOVQ w8+32(FP), DX
	SHLQ $2, R8

row:
	MOVQ SI, R9
	MOVQ DX, R10

vector:
	VMOVUPS (R9), Y0
	VMOVUPS Y0, (DI)
	ADDQ $32, R9
	ADDQ $32, DI
	DECQ R10
	JNZ vector
	ADDQ R8, SI
	DECQ CX
	JNZ row
	VZEROUPPER
	RET

// func copyPanelSumsAVX(dst, src *float32, lds, rows, w8 int, sums *float32)
//
// copyPanelAVX for w8 = 1 or 2 that also stores sums[j] = Σ_p src[p·lds+j]
// for j < 8·w8, each sum in a float64 lane of Y4-Y7, p in order (the bits
// of sums8), rounded to float32 at the end.
TEXT ·copyPanelSumsAVX(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ lds+16(FP), R8
	MOVQ rows+24(FP), CX
	MOVQ w8+32(FP), DX
	MOVQ sums+40(FP), R9
	SHLQ $2, R8
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	CMPQ DX, $2
	JEQ loop16

loop8:
	VMOVUPS (SI), Y0
	VMOVUPS Y0, (DI)
	VCVTPS2PD X0, Y1
	VADDPD Y1, Y4, Y4
	VEXTRACTF128 $1, Y0, X2
	VCVTPS2PD X2, Y3
	VADDPD Y3, Y5, Y5
	ADDQ $32, DI
	ADDQ R8, SI
	DECQ CX
	JNZ loop8
	JMP sums

loop16:
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y8
	VMOVUPS Y0, (DI)
	VMOVUPS Y8, 32(DI)
	VCVTPS2PD X0, Y1
	VADDPD Y1, Y4, Y4
	VEXTRACTF128 $1, Y0, X2
	VCVTPS2PD X2, Y3
	VADDPD Y3, Y5, Y5
	VCVTPS2PD X8, Y1
	VADDPD Y1, Y6, Y6
	VEXTRACTF128 $1, Y8, X2
	VCVTPS2PD X2, Y3
	VADDPD Y3, Y7, Y7
	ADDQ $64, DI
	ADDQ R8, SI
	DECQ CX
	JNZ loop16

sums:
	VCVTPD2PSY Y4, X4
	VMOVUPS X4, (R9)
	VCVTPD2PSY Y5, X5
	VMOVUPS X5, 16(R9)
	CMPQ DX, $2
	JNE out
	VCVTPD2PSY Y6, X6
	VMOVUPS X6, 32(R9)
	VCVTPD2PSY Y7, X7
	VMOVUPS X7, 48(R9)

out:
	VZEROUPPER
	RET
