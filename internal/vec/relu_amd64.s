// ReLUDeriv in AVX-512: a masked multiplication by 0, lane for lane the
// scalar d *= 0 of reluDerivGeneric (relu.go).

#include "textflag.h"

// func reluDerivAVX512(d, y *float32, n int)
// n is a multiple of 16; Z0 is 0, K1 the lanes where !(y > 0).
TEXT ·reluDerivAVX512(SB), NOSPLIT, $0-24
	MOVQ d+0(FP), DI
	MOVQ y+8(FP), SI
	MOVQ n+16(FP), CX
	VPXORD Z0, Z0, Z0
	XORQ BX, BX
reluDerivAVX512_loop:
	VMOVUPS (SI)(BX*4), Z1
	VCMPPS $0x0a, Z0, Z1, K1 // NGT_US: !(y > 0), NaN included
	VMOVUPS (DI)(BX*4), Z2
	VMULPS Z0, Z2, K1, Z2
	VMOVUPS Z2, (DI)(BX*4)
	ADDQ $16, BX
	CMPQ BX, CX
	JLT reluDerivAVX512_loop
	VZEROUPPER
	RET
