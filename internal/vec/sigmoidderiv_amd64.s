// SigmoidDeriv in AVX-512: d *= y·(1-y) as three vector operations, lane
// for lane the scalar loop of sigmoidDerivGeneric (sigmoidderiv.go).

#include "textflag.h"

// func sigmoidDerivAVX512(d, y *float32, n int)
// n is a multiple of 16; Z0 is 1.
TEXT ·sigmoidDerivAVX512(SB), NOSPLIT, $0-24
	MOVQ d+0(FP), DI
	MOVQ y+8(FP), SI
	MOVQ n+16(FP), CX
	MOVL $0x3f800000, AX
	VPBROADCASTD AX, Z0
	XORQ BX, BX
sigmoidDerivAVX512_loop:
	VMOVUPS (SI)(BX*4), Z1
	VSUBPS Z1, Z0, Z2
	VMULPS Z2, Z1, Z2
	VMULPS (DI)(BX*4), Z2, Z2
	VMOVUPS Z2, (DI)(BX*4)
	ADDQ $16, BX
	CMPQ BX, CX
	JLT sigmoidDerivAVX512_loop
	VZEROUPPER
	RET
