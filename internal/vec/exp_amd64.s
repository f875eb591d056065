// Sigmoid and BCE-with-logits in AVX-512F, written by hand around one
// float32 exp: exp(x) = 2^n · p(r), n = round(x·log2e), r = x - n·ln2 (in
// two parts), p Cephes' degree-7 expf polynomial, 2^n applied by VSCALEFPS;
// x clamped to [-87, 88] with the operands in the order that lets NaN
// through (MAXPS returns its second source when either is NaN). Relative
// error about 2 ulp.

#include "textflag.h"

DATA expc<>+0(SB)/4, $0x3fb8aa3b  // log2e
DATA expc<>+4(SB)/4, $0x3f318000  // ln2 high part
DATA expc<>+8(SB)/4, $0xb95e8083  // ln2 low part
DATA expc<>+12(SB)/4, $0x39506967 // p0
DATA expc<>+16(SB)/4, $0x3ab743ce // p1
DATA expc<>+20(SB)/4, $0x3c088908 // p2
DATA expc<>+24(SB)/4, $0x3d2aa9c1 // p3
DATA expc<>+28(SB)/4, $0x3e2aaaaa // p4
DATA expc<>+32(SB)/4, $0x3f000000 // p5 = 0.5
DATA expc<>+36(SB)/4, $0x3f800000 // 1
DATA expc<>+40(SB)/4, $0xc2ae0000 // -87
DATA expc<>+44(SB)/4, $0x42b00000 // 88
DATA expc<>+48(SB)/4, $0x7fffffff // |x| mask
GLOBL expc<>(SB), RODATA|NOPTR, $52

// LOADC loads the constants: Z16 log2e, Z17-Z18 ln2, Z19-Z24 p0-p5,
// Z25 one, Z26 -87, Z27 88, Z28 zero, Z29 the |x| mask.
#define LOADC \
	VBROADCASTSS expc<>+0(SB), Z16 \
	VBROADCASTSS expc<>+4(SB), Z17 \
	VBROADCASTSS expc<>+8(SB), Z18 \
	VBROADCASTSS expc<>+12(SB), Z19 \
	VBROADCASTSS expc<>+16(SB), Z20 \
	VBROADCASTSS expc<>+20(SB), Z21 \
	VBROADCASTSS expc<>+24(SB), Z22 \
	VBROADCASTSS expc<>+28(SB), Z23 \
	VBROADCASTSS expc<>+32(SB), Z24 \
	VBROADCASTSS expc<>+36(SB), Z25 \
	VBROADCASTSS expc<>+40(SB), Z26 \
	VBROADCASTSS expc<>+44(SB), Z27 \
	VPXORD Z28, Z28, Z28 \
	VPBROADCASTD expc<>+48(SB), Z29

// EXP sets out = exp(x), clobbering x, n and r2.
#define EXP(x, out, n, r2) \
	VMAXPS x, Z26, x \
	VMINPS x, Z27, x \
	VMULPS Z16, x, n \
	VRNDSCALEPS $0, n, n \
	VFNMADD231PS Z17, n, x \
	VFNMADD231PS Z18, n, x \
	VMOVAPS Z19, out \
	VFMADD213PS Z20, x, out \
	VFMADD213PS Z21, x, out \
	VFMADD213PS Z22, x, out \
	VFMADD213PS Z23, x, out \
	VFMADD213PS Z24, x, out \
	VMULPS x, x, r2 \
	VFMADD213PS x, r2, out \
	VADDPS Z25, out, out \
	VSCALEFPS n, out, out

// func sigmoidAVX512(x *float32, n int)
// x[i] = 1/(1+exp(-x[i])) in place; n is a multiple of 16.
TEXT ·sigmoidAVX512(SB), NOSPLIT, $0-16
	MOVQ x+0(FP), DI
	MOVQ n+8(FP), CX
	LOADC
	XORQ BX, BX
sigmoid_loop:
	VMOVUPS (DI)(BX*4), Z0
	VSUBPS Z0, Z28, Z0
	EXP(Z0, Z1, Z2, Z3)
	VADDPS Z25, Z1, Z1
	VDIVPS Z1, Z25, Z1
	VMOVUPS Z1, (DI)(BX*4)
	ADDQ $16, BX
	CMPQ BX, CX
	JLT sigmoid_loop
	VZEROUPPER
	RET

// func bceAVX512(z, t, grad *float32, n int, scale float32, out *[32]float32)
// Over n elements (a multiple of 16, at most 1024): out[0:16] the lane
// sums of max(z,0) - z·t, out[16:32] the lane products of 1+exp(-|z|);
// and, unless grad is nil, grad = scale·(sigmoid(z) - t).
TEXT ·bceAVX512(SB), NOSPLIT, $0-48
	MOVQ z+0(FP), SI
	MOVQ t+8(FP), R8
	MOVQ grad+16(FP), DI
	MOVQ n+24(FP), CX
	VBROADCASTSS scale+32(FP), Z15
	MOVQ out+40(FP), DX
	LOADC
	// lane sums
	VPXORD Z10, Z10, Z10
	// lane products
	VMOVAPS Z25, Z11
	XORQ BX, BX
bce_loop:
	VMOVUPS (SI)(BX*4), Z0
	VMOVUPS (R8)(BX*4), Z1
	VPANDD Z29, Z0, Z2
	// -|z|
	VSUBPS Z2, Z28, Z2
	// e = exp(-|z|)
	EXP(Z2, Z4, Z3, Z5)
	// 1+e
	VADDPS Z25, Z4, Z5
	VMULPS Z5, Z11, Z11
	VMAXPS Z28, Z0, Z6
	// max(z,0) - z·t
	VFNMADD231PS Z1, Z0, Z6
	VADDPS Z6, Z10, Z10
	TESTQ DI, DI
	JZ bce_next
	// z >= 0
	VCMPPS $13, Z28, Z0, K1
	VMOVAPS Z4, Z7
	// 1 where z >= 0, else e
	VMOVAPS Z25, K1, Z7
	// sigmoid(z)
	VDIVPS Z5, Z7, Z7
	VSUBPS Z1, Z7, Z7
	VMULPS Z15, Z7, Z7
	VMOVUPS Z7, (DI)(BX*4)
bce_next:
	ADDQ $16, BX
	CMPQ BX, CX
	JLT bce_loop
	VMOVUPS Z10, (DX)
	VMOVUPS Z11, 64(DX)
	VZEROUPPER
	RET
