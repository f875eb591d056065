// ScaleBytes in AVX-512: sixteen bytes zero-extended to int32, converted
// (exactly) to float32 and multiplied by the scale, lane for lane the
// scalar loop of scaleBytesGeneric (scale.go).

#include "textflag.h"

// func scaleBytesAVX512(dst *float32, src *uint8, n int, scale float32)
// n is a multiple of 16; Z0 is the scale.
TEXT ·scaleBytesAVX512(SB), NOSPLIT, $0-28
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	VBROADCASTSS scale+24(FP), Z0
	XORQ BX, BX
scaleBytesAVX512_loop:
	VPMOVZXBD (SI)(BX*1), Z1
	VCVTDQ2PS Z1, Z1
	VMULPS Z1, Z0, Z1
	VMOVUPS Z1, (DI)(BX*4)
	ADDQ $16, BX
	CMPQ BX, CX
	JLT scaleBytesAVX512_loop
	VZEROUPPER
	RET
