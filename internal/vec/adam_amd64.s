// Adam's update in AVX-512 and AVX2: each step of adamGeneric (adam.go)
// as one vector instruction, in its order, without fused multiply-adds,
// so the results equal the Go loop's bit for bit.

#include "textflag.h"

// adamTiny: an Intel core takes a microcode assist of some hundred cycles
// for each float32 multiply, divide or square root with a subnormal operand
// or result (additions and float32<->float64 conversions take none; AMD's
// Zen 5 takes none on the float32 operations but is slow on this path's
// conversions, so it runs with wide false, see subnormalsSlow). Training
// makes many: a moment m decays by B1 each step where the gradient is 0,
// through the subnormals to 0. So adamAVX512 runs every vector with a tiny
// operand (0 < |grad| < 2^-58, or 0 < |p|, |m|, |v| < 2^-110: below these
// an intermediate may be subnormal, for PyTorch's default betas and an LR
// down to 1e-5; elsewhere it is only slower) wide: each float32 operation
// done in float64 and rounded to float32, which is the float32 operation
// bit for bit (a product of two float32 is exact in float64, and double
// rounding through float64's 53 bits is innocuous for + × ÷ √ on float32
// operands, subnormal results included), without the assists: float64 has
// no subnormals here.
#define tinyGrad 0x22800000  // the bits of 0x1p-58
#define tinyState 0x08800000 // the bits of 0x1p-110

// func adamAVX512(p, grad, m, v *float32, n int, c *AdamConsts, wide bool)
// n is a multiple of 16; registers: Z0-Z7 the constants, Z8-Z13 the
// element, Z14-Z22 the tiny-operand test (adamTiny), Z23-Z30 the constants
// in float64, Y31 conversions. With wide false no vector runs wide (the
// tiny bounds are 0): for a CPU without the assists (see subnormalsSlow).
TEXT ·adamAVX512(SB), NOSPLIT, $0-49
	MOVQ p+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ m+16(FP), R8
	MOVQ v+24(FP), R9
	MOVQ n+32(FP), CX
	MOVQ c+40(FP), AX
	VBROADCASTSS 0(AX), Z0
	VBROADCASTSS 4(AX), Z1
	VBROADCASTSS 8(AX), Z2
	VBROADCASTSS 12(AX), Z3
	VBROADCASTSS 16(AX), Z4
	VBROADCASTSS 20(AX), Z5
	VBROADCASTSS 24(AX), Z6
	VBROADCASTSS 28(AX), Z7
	VCVTPS2PD.BCST 0(AX), Z23
	VCVTPS2PD.BCST 4(AX), Z24
	VCVTPS2PD.BCST 8(AX), Z25
	VCVTPS2PD.BCST 12(AX), Z26
	VCVTPS2PD.BCST 16(AX), Z27
	VCVTPS2PD.BCST 20(AX), Z28
	VCVTPS2PD.BCST 24(AX), Z29
	VCVTPS2PD.BCST 28(AX), Z30
	MOVL $0x7fffffff, AX
	VPBROADCASTD AX, Z14
	MOVL $1, AX
	VPBROADCASTD AX, Z15
	MOVL $(tinyGrad-1), AX
	MOVL $(tinyState-1), DX
	MOVBLZX wide+48(FP), BX
	TESTQ BX, BX
	CMOVQEQ BX, AX
	CMOVQEQ BX, DX
	VPBROADCASTD AX, Z16
	VPBROADCASTD DX, Z17
	XORQ BX, BX
adamAVX512_loop:
	// |x| bits - 1 < tiny - 1 (unsigned): x is tiny and not ±0.
	VMOVUPS (DI)(BX*4), Z8
	VMOVUPS (SI)(BX*4), Z18
	VMOVUPS (R8)(BX*4), Z19
	VMOVUPS (R9)(BX*4), Z20
	VPANDD Z14, Z18, Z21
	VPSUBD Z15, Z21, Z21
	VPCMPUD $1, Z16, Z21, K1
	VPANDD Z14, Z8, Z21
	VPSUBD Z15, Z21, Z21
	VPANDD Z14, Z19, Z22
	VPSUBD Z15, Z22, Z22
	VPMINUD Z22, Z21, Z21
	VPANDD Z14, Z20, Z22
	VPSUBD Z15, Z22, Z22
	VPMINUD Z22, Z21, Z21
	VPCMPUD $1, Z17, Z21, K2
	KORTESTW K1, K2
	JNE adamAVX512_wide
	VMULPS Z4, Z8, Z9
	VADDPS Z18, Z9, Z9
	VMULPS Z19, Z0, Z10
	VMULPS Z9, Z1, Z11
	VADDPS Z11, Z10, Z10
	VMULPS Z20, Z2, Z12
	VMULPS Z9, Z3, Z11
	VMULPS Z9, Z11, Z11
	VADDPS Z11, Z12, Z12
	VMOVUPS Z10, (R8)(BX*4)
	VMOVUPS Z12, (R9)(BX*4)
	VSQRTPS Z12, Z13
	VMULPS Z6, Z13, Z13
	VADDPS Z7, Z13, Z13
	VMULPS Z10, Z5, Z11
	VDIVPS Z13, Z11, Z11
	VSUBPS Z11, Z8, Z8
	VMOVUPS Z8, (DI)(BX*4)
adamAVX512_next:
	ADDQ $16, BX
	CMPQ BX, CX
	JLT adamAVX512_loop
	VZEROUPPER
	RET

// The vector at BX, wide: its two halves in float64, each rounding of
// adamGeneric a VCVTPD2PS and back.
adamAVX512_wide:
	VCVTPS2PD (DI)(BX*4), Z8
	VMULPD Z27, Z8, Z9
	VCVTPD2PS Z9, Y31
	VCVTPS2PD Y31, Z9
	VCVTPS2PD (SI)(BX*4), Z10
	VADDPD Z10, Z9, Z9
	VCVTPD2PS Z9, Y31
	VCVTPS2PD Y31, Z9
	VCVTPS2PD (R8)(BX*4), Z10
	VMULPD Z10, Z23, Z10
	VCVTPD2PS Z10, Y31
	VCVTPS2PD Y31, Z10
	VMULPD Z9, Z24, Z11
	VCVTPD2PS Z11, Y31
	VCVTPS2PD Y31, Z11
	VADDPD Z11, Z10, Z10
	VCVTPD2PS Z10, Y31
	VCVTPS2PD Y31, Z10
	VCVTPS2PD (R9)(BX*4), Z12
	VMULPD Z12, Z25, Z12
	VCVTPD2PS Z12, Y31
	VCVTPS2PD Y31, Z12
	VMULPD Z9, Z26, Z11
	VCVTPD2PS Z11, Y31
	VCVTPS2PD Y31, Z11
	VMULPD Z9, Z11, Z11
	VCVTPD2PS Z11, Y31
	VCVTPS2PD Y31, Z11
	VADDPD Z11, Z12, Z12
	VCVTPD2PS Z12, Y31
	VCVTPS2PD Y31, Z12
	VCVTPD2PS Z10, Y31
	VMOVUPS Y31, (R8)(BX*4)
	VCVTPD2PS Z12, Y31
	VMOVUPS Y31, (R9)(BX*4)
	VSQRTPD Z12, Z13
	VCVTPD2PS Z13, Y31
	VCVTPS2PD Y31, Z13
	VMULPD Z29, Z13, Z13
	VCVTPD2PS Z13, Y31
	VCVTPS2PD Y31, Z13
	VADDPD Z30, Z13, Z13
	VCVTPD2PS Z13, Y31
	VCVTPS2PD Y31, Z13
	VMULPD Z10, Z28, Z11
	VCVTPD2PS Z11, Y31
	VCVTPS2PD Y31, Z11
	VDIVPD Z13, Z11, Z11
	VCVTPD2PS Z11, Y31
	VCVTPS2PD Y31, Z11
	VSUBPD Z11, Z8, Z8
	VCVTPD2PS Z8, Y31
	VMOVUPS Y31, (DI)(BX*4)
	VCVTPS2PD 32(DI)(BX*4), Z8
	VMULPD Z27, Z8, Z9
	VCVTPD2PS Z9, Y31
	VCVTPS2PD Y31, Z9
	VCVTPS2PD 32(SI)(BX*4), Z10
	VADDPD Z10, Z9, Z9
	VCVTPD2PS Z9, Y31
	VCVTPS2PD Y31, Z9
	VCVTPS2PD 32(R8)(BX*4), Z10
	VMULPD Z10, Z23, Z10
	VCVTPD2PS Z10, Y31
	VCVTPS2PD Y31, Z10
	VMULPD Z9, Z24, Z11
	VCVTPD2PS Z11, Y31
	VCVTPS2PD Y31, Z11
	VADDPD Z11, Z10, Z10
	VCVTPD2PS Z10, Y31
	VCVTPS2PD Y31, Z10
	VCVTPS2PD 32(R9)(BX*4), Z12
	VMULPD Z12, Z25, Z12
	VCVTPD2PS Z12, Y31
	VCVTPS2PD Y31, Z12
	VMULPD Z9, Z26, Z11
	VCVTPD2PS Z11, Y31
	VCVTPS2PD Y31, Z11
	VMULPD Z9, Z11, Z11
	VCVTPD2PS Z11, Y31
	VCVTPS2PD Y31, Z11
	VADDPD Z11, Z12, Z12
	VCVTPD2PS Z12, Y31
	VCVTPS2PD Y31, Z12
	VCVTPD2PS Z10, Y31
	VMOVUPS Y31, 32(R8)(BX*4)
	VCVTPD2PS Z12, Y31
	VMOVUPS Y31, 32(R9)(BX*4)
	VSQRTPD Z12, Z13
	VCVTPD2PS Z13, Y31
	VCVTPS2PD Y31, Z13
	VMULPD Z29, Z13, Z13
	VCVTPD2PS Z13, Y31
	VCVTPS2PD Y31, Z13
	VADDPD Z30, Z13, Z13
	VCVTPD2PS Z13, Y31
	VCVTPS2PD Y31, Z13
	VMULPD Z10, Z28, Z11
	VCVTPD2PS Z11, Y31
	VCVTPS2PD Y31, Z11
	VDIVPD Z13, Z11, Z11
	VCVTPD2PS Z11, Y31
	VCVTPS2PD Y31, Z11
	VSUBPD Z11, Z8, Z8
	VCVTPD2PS Z8, Y31
	VMOVUPS Y31, 32(DI)(BX*4)
	JMP adamAVX512_next

// func adamAVX2(p, grad, m, v *float32, n int, c *AdamConsts)
// n is a multiple of 8; registers: Y0-Y7 the constants, Y8-Y13 the element.
TEXT ·adamAVX2(SB), NOSPLIT, $0-48
	MOVQ p+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ m+16(FP), R8
	MOVQ v+24(FP), R9
	MOVQ n+32(FP), CX
	MOVQ c+40(FP), AX
	VBROADCASTSS 0(AX), Y0
	VBROADCASTSS 4(AX), Y1
	VBROADCASTSS 8(AX), Y2
	VBROADCASTSS 12(AX), Y3
	VBROADCASTSS 16(AX), Y4
	VBROADCASTSS 20(AX), Y5
	VBROADCASTSS 24(AX), Y6
	VBROADCASTSS 28(AX), Y7
	XORQ BX, BX
adamAVX2_loop:
	VMOVUPS (DI)(BX*4), Y8
	VMULPS Y4, Y8, Y9
	VADDPS (SI)(BX*4), Y9, Y9
	VMULPS (R8)(BX*4), Y0, Y10
	VMULPS Y9, Y1, Y11
	VADDPS Y11, Y10, Y10
	VMULPS (R9)(BX*4), Y2, Y12
	VMULPS Y9, Y3, Y11
	VMULPS Y9, Y11, Y11
	VADDPS Y11, Y12, Y12
	VMOVUPS Y10, (R8)(BX*4)
	VMOVUPS Y12, (R9)(BX*4)
	VSQRTPS Y12, Y13
	VMULPS Y6, Y13, Y13
	VADDPS Y7, Y13, Y13
	VMULPS Y10, Y5, Y11
	VDIVPS Y13, Y11, Y11
	VSUBPS Y11, Y8, Y8
	VMOVUPS Y8, (DI)(BX*4)
	ADDQ $8, BX
	CMPQ BX, CX
	JLT adamAVX2_loop
	VZEROUPPER
	RET
