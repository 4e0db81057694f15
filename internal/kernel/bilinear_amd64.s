//go:build amd64 && !purego && !noasm

#include "textflag.h"

// func bilinearFMA(ay, atx, a []float64, stride, m, n int, x, y []float64)
//
// For the rows i < m (m a multiple of 4) of the row-major matrix a with row
// stride stride: ay[i] = ⟨a_i, y⟩ and atx += x[i]·a_i. Rows are taken four
// at a time so that each y and atx element is loaded once per block; the
// columns eight at a time (two 4-wide vectors), the last n mod 8 one at a
// time. atx must hold the running sum (zero before the first block).
//
// Registers:
//	R8, R9, R10, R11  the four rows of the block
//	BX                row stride in bytes
//	CX                column index j
//	DX                n rounded down to a multiple of 8
//	R12               n
//	SI, DI            y and atx
//	R13               x[i], the block's first x
//	AX                ay[i], the block's first output
//	R14               blocks left
//	Y0..Y3            the four dot products (4 lanes each)
//	Y4..Y7            x[i..i+3] broadcast
//	Y8, Y9            y[j:j+8]
//	Y10, Y11          atx[j:j+8]
//	Y12..Y15          a block of A
TEXT ·bilinearFMA(SB), NOSPLIT, $0-144
	MOVQ ay_base+0(FP), AX
	MOVQ atx_base+24(FP), DI
	MOVQ a_base+48(FP), R8
	MOVQ stride+72(FP), BX
	SHLQ $3, BX
	MOVQ m+80(FP), R14
	SHRQ $2, R14
	MOVQ n+88(FP), R12
	MOVQ R12, DX
	ANDQ $-8, DX
	MOVQ x_base+96(FP), R13
	MOVQ y_base+120(FP), SI
	TESTQ R14, R14
	JZ   done

block:
	LEAQ (R8)(BX*1), R9
	LEAQ (R9)(BX*1), R10
	LEAQ (R10)(BX*1), R11
	VBROADCASTSD 0(R13), Y4
	VBROADCASTSD 8(R13), Y5
	VBROADCASTSD 16(R13), Y6
	VBROADCASTSD 24(R13), Y7
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	XORQ CX, CX
	CMPQ CX, DX
	JGE  reduce

cols8:
	VMOVUPD (SI)(CX*8), Y8
	VMOVUPD 32(SI)(CX*8), Y9
	VMOVUPD (DI)(CX*8), Y10
	VMOVUPD 32(DI)(CX*8), Y11

	VMOVUPD (R8)(CX*8), Y12
	VMOVUPD 32(R8)(CX*8), Y13
	VMOVUPD (R9)(CX*8), Y14
	VMOVUPD 32(R9)(CX*8), Y15
	VFMADD231PD Y8, Y12, Y0
	VFMADD231PD Y4, Y12, Y10
	VFMADD231PD Y9, Y13, Y0
	VFMADD231PD Y4, Y13, Y11
	VFMADD231PD Y8, Y14, Y1
	VFMADD231PD Y5, Y14, Y10
	VFMADD231PD Y9, Y15, Y1
	VFMADD231PD Y5, Y15, Y11

	VMOVUPD (R10)(CX*8), Y12
	VMOVUPD 32(R10)(CX*8), Y13
	VMOVUPD (R11)(CX*8), Y14
	VMOVUPD 32(R11)(CX*8), Y15
	VFMADD231PD Y8, Y12, Y2
	VFMADD231PD Y6, Y12, Y10
	VFMADD231PD Y9, Y13, Y2
	VFMADD231PD Y6, Y13, Y11
	VFMADD231PD Y8, Y14, Y3
	VFMADD231PD Y7, Y14, Y10
	VFMADD231PD Y9, Y15, Y3
	VFMADD231PD Y7, Y15, Y11

	VMOVUPD Y10, (DI)(CX*8)
	VMOVUPD Y11, 32(DI)(CX*8)
	ADDQ $8, CX
	CMPQ CX, DX
	JLT  cols8

reduce:
	// Sum the four lanes of each dot product into its low lane.
	VEXTRACTF128 $1, Y0, X12
	VADDPD X12, X0, X0
	VPERMILPD $1, X0, X12
	VADDSD X12, X0, X0
	VEXTRACTF128 $1, Y1, X13
	VADDPD X13, X1, X1
	VPERMILPD $1, X1, X13
	VADDSD X13, X1, X1
	VEXTRACTF128 $1, Y2, X14
	VADDPD X14, X2, X2
	VPERMILPD $1, X2, X14
	VADDSD X14, X2, X2
	VEXTRACTF128 $1, Y3, X15
	VADDPD X15, X3, X3
	VPERMILPD $1, X3, X15
	VADDSD X15, X3, X3

	CMPQ CX, R12
	JGE  store

cols1:
	VMOVSD (SI)(CX*8), X8
	VMOVSD (DI)(CX*8), X10
	VMOVSD (R8)(CX*8), X12
	VMOVSD (R9)(CX*8), X13
	VMOVSD (R10)(CX*8), X14
	VMOVSD (R11)(CX*8), X15
	VFMADD231SD X8, X12, X0
	VFMADD231SD X4, X12, X10
	VFMADD231SD X8, X13, X1
	VFMADD231SD X5, X13, X10
	VFMADD231SD X8, X14, X2
	VFMADD231SD X6, X14, X10
	VFMADD231SD X8, X15, X3
	VFMADD231SD X7, X15, X10
	VMOVSD X10, (DI)(CX*8)
	INCQ CX
	CMPQ CX, R12
	JLT  cols1

store:
	VMOVSD X0, 0(AX)
	VMOVSD X1, 8(AX)
	VMOVSD X2, 16(AX)
	VMOVSD X3, 24(AX)
	LEAQ (R11)(BX*1), R8
	ADDQ $32, AX
	ADDQ $32, R13
	DECQ R14
	JNZ  block

done:
	VZEROUPPER
	RET

// func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL eaxArg+0(FP), AX
	MOVL ecxArg+4(FP), CX
	CPUID
	MOVL AX, eax+8(FP)
	MOVL BX, ebx+12(FP)
	MOVL CX, ecx+16(FP)
	MOVL DX, edx+20(FP)
	RET

// func xgetbv() (eax uint32)
TEXT ·xgetbv(SB), NOSPLIT, $0-4
	MOVL $0, CX
	XGETBV
	MOVL AX, eax+0(FP)
	RET
