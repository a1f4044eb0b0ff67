/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Probe code: one function per line of probes.def. Each runs its feature's
 * instruction(s) on fixed inputs and returns a value that proves the
 * architected semantics (see the `expected` column). Contract: result in
 * RAX; may clobber anything but RSP, R14, R15; position-independent (it
 * also runs from the supervisor alias of the user image); baseline x86-64
 * outside the instruction under test. Instructions the capstone version
 * Debian ships cannot decode take register operands only (memory through
 * a plain base register), so tests/test_probe_code.c can match their
 * exact bytes against the vendor manual's encoding.
 */
#include "mailbox.h"
#include "x86_arch.h"

	.section .utext, "ax"

.macro PROBE name
	.globl probe_\name
	.type probe_\name, @function
	.balign 16
probe_\name:
.endm
.macro END name
	ret
	.size probe_\name, . - probe_\name
.endm

PROBE sse2			/* PADDB doubles each byte */
	movabs	$0x0102030405060708, %rax
	movq	%rax, %xmm0
	paddb	%xmm0, %xmm0
	movq	%xmm0, %rax
END sse2

PROBE sse			/* ADDSS: 1.5 + 1.5 = 3.0f */
	movss	c_f1_5(%rip), %xmm0
	addss	%xmm0, %xmm0
	subq	$16, %rsp
	movss	%xmm0, (%rsp)
	movl	(%rsp), %eax
	addq	$16, %rsp
END sse

PROBE mmx			/* PADDB on MM0 */
	movabs	$0x0101010101010101, %rax
	movq	%rax, %mm0
	paddb	%mm0, %mm0
	movq	%mm0, %rax
	emms
END mmx

PROBE cmov
	xorl	%eax, %eax
	movl	$7, %ecx
	cmpl	$1, %ecx
	cmovnel	%ecx, %eax
END cmov

PROBE cx8			/* CMPXCHG8B swaps in ECX:EBX */
	subq	$16, %rsp
	movq	$0, (%rsp)
	xorl	%eax, %eax
	xorl	%edx, %edx
	movl	$0x22222222, %ebx
	movl	$0x11111111, %ecx
	cmpxchg8b (%rsp)
	movq	(%rsp), %rax
	addq	$16, %rsp
END cx8

PROBE fxsr			/* FXSAVE stores FCW = 0x37f after FNINIT */
	movq	%rsp, %rbx
	subq	$528, %rsp
	andq	$-16, %rsp
	fninit
	fxsave	(%rsp)
	movzwl	(%rsp), %eax
	movq	%rbx, %rsp
END fxsr

PROBE sse3			/* MOVDDUP copies the low qword up */
	movddup	c_q1122(%rip), %xmm0
	movhlps	%xmm0, %xmm1
	movq	%xmm1, %rax
END sse3

PROBE ssse3			/* PSHUFB reverses bytes 0..15 */
	movdqu	c_bytes(%rip), %xmm0
	movdqu	c_rev(%rip), %xmm1
	pshufb	%xmm1, %xmm0
	movq	%xmm0, %rax
END ssse3

PROBE sse4_1			/* PMULLD: 3 * 5 */
	movl	$3, %eax
	movd	%eax, %xmm0
	movl	$5, %eax
	movd	%eax, %xmm1
	pmulld	%xmm1, %xmm0
	movd	%xmm0, %eax
END sse4_1

PROBE sse4_2			/* CRC32C of one dword */
	xorl	%eax, %eax
	movl	$0x12345678, %ecx
	crc32l	%ecx, %eax
END sse4_2

PROBE popcnt
	movl	$0xf0f0, %ecx
	popcntl	%ecx, %eax
END popcnt

PROBE cx16			/* CMPXCHG16B swaps in RCX:RBX */
	movq	%rsp, %rsi
	subq	$32, %rsp
	andq	$-16, %rsp
	movq	$0, (%rsp)
	movq	$0, 8(%rsp)
	xorl	%eax, %eax
	xorl	%edx, %edx
	movl	$0x2222, %ebx
	movl	$0x1111, %ecx
	cmpxchg16b (%rsp)
	movq	8(%rsp), %rax
	shlq	$16, %rax
	addq	(%rsp), %rax
	movq	%rsi, %rsp
END cx16

PROBE lahf_lm			/* LAHF in 64-bit mode after 1 - 2 */
	movl	$1, %eax
	cmpl	$2, %eax	/* SF=1 ZF=0 AF=1 PF=1 CF=1 */
	lahf
	movzbl	%ah, %eax
END lahf_lm

PROBE movbe
	movbeq	c_bytes+1(%rip), %rax	/* bytes 01..08 */
END movbe

PROBE aes			/* one AESENC round, zero round key */
	movdqu	c_bytes(%rip), %xmm0
	pxor	%xmm1, %xmm1
	aesenc	%xmm1, %xmm0
	movq	%xmm0, %rax
END aes

PROBE pclmulqdq			/* 0b11 clmul 0b101 = 0b1111 */
	movl	$3, %eax
	movq	%rax, %xmm0
	movl	$5, %eax
	movq	%rax, %xmm1
	pclmulqdq $0, %xmm1, %xmm0
	movq	%xmm0, %rax
END pclmulqdq

PROBE avx			/* 256-bit VADDPS, read from the upper lane */
	vbroadcastss c_f1_5(%rip), %ymm0
	vaddps	%ymm0, %ymm0, %ymm1
	vextractf128 $1, %ymm1, %xmm2
	vmovd	%xmm2, %eax
	vzeroupper
END avx

PROBE avx2			/* 256-bit VPADDD, upper lane */
	vpbroadcastd c_d21(%rip), %ymm0
	vpaddd	%ymm0, %ymm0, %ymm1
	vextracti128 $1, %ymm1, %xmm2
	vmovd	%xmm2, %eax
	vzeroupper
END avx2

PROBE fma			/* 2 * 3 + 4 = 10.0f */
	vmovss	c_f2(%rip), %xmm0
	vmovss	c_f3(%rip), %xmm1
	vmovss	c_f4(%rip), %xmm2
	vfmadd231ss %xmm1, %xmm0, %xmm2
	vmovd	%xmm2, %eax
END fma

PROBE f16c			/* half 1.0 -> single 1.0 */
	movl	$0x3c00, %eax
	vmovd	%eax, %xmm0
	vcvtph2ps %xmm0, %xmm1
	vmovd	%xmm1, %eax
END f16c

PROBE bmi1			/* ANDN: ~0xf0 & 0xff */
	movl	$0xf0, %ecx
	movl	$0xff, %edx
	andnl	%edx, %ecx, %eax
END bmi1

PROBE bmi2			/* PEXT bits 8..15 of 0x1234 */
	movl	$0x1234, %ecx
	movl	$0xff00, %edx
	pextl	%edx, %ecx, %eax
END bmi2

PROBE abm			/* LZCNT(1) = 63; as BSR it gives 0 */
	movl	$1, %ecx
	lzcntq	%rcx, %rax
END abm

PROBE adx			/* ADCX: 1 + 2 + CF */
	movl	$1, %eax
	movl	$2, %ecx
	stc
	adcxq	%rcx, %rax
END adx

PROBE sha_ni			/* one SHA256RNDS2 on fixed state */
	movdqu	c_bytes(%rip), %xmm1
	movdqu	c_rev(%rip), %xmm2
	movdqu	c_bytes(%rip), %xmm0
	sha256rnds2 %xmm0, %xmm2, %xmm1
	movq	%xmm1, %rax
END sha_ni

PROBE rdrand			/* CF=1 within 32 tries */
	movl	$32, %ecx
1:	rdrand	%rax
	jc	2f
	decl	%ecx
	jnz	1b
	xorl	%eax, %eax
	ret
2:	movl	$1, %eax
END rdrand

PROBE rdseed			/* CF=1 within 1024 tries */
	movl	$1024, %ecx
1:	rdseed	%rax
	jc	2f
	pause
	decl	%ecx
	jnz	1b
	xorl	%eax, %eax
	ret
2:	movl	$1, %eax
END rdseed

PROBE rdtscp			/* TSC is monotonic, TSC_AUX stable */
	rdtscp
	shlq	$32, %rdx
	orq	%rax, %rdx
	movq	%rdx, %rsi
	movl	%ecx, %edi
	rdtscp
	shlq	$32, %rdx
	orq	%rdx, %rax
	xorl	%edx, %edx
	cmpq	%rsi, %rax
	setae	%dl
	cmpl	%edi, %ecx
	sete	%al
	andb	%dl, %al
	movzbl	%al, %eax
END rdtscp

PROBE rdpid			/* a processor id fits in 12 bits */
	rdpid	%rax
	xorl	%ecx, %ecx
	cmpq	$4096, %rax
	setb	%cl
	movl	%ecx, %eax
END rdpid

/* XSAVE family: MXCSR is set to a non-default value so that even the
 * init/modified optimizations store it; the saved MXCSR (and for the
 * compacted forms XCOMP_BV bit 63 in bit 32) is the result. */
.macro XSAVE_PROBE insn
	movq	%rsp, %rbx
	subq	$4096, %rsp
	andq	$-64, %rsp
	movq	%rsp, %rdi
	movl	$(4032 / 8), %ecx
	xorl	%eax, %eax
	rep stosq
	movl	$0x1f81, (%rsp)
	ldmxcsr	(%rsp)
	movl	$0, (%rsp)
	movl	$X86_XSTATE_X87_SSE, %eax	/* the requested-feature bitmap */
	xorl	%edx, %edx
	\insn	(%rsp)
	movl	$0x1f80, 8(%rsp)
	ldmxcsr	8(%rsp)
	movl	24(%rsp), %eax		/* MXCSR */
	movq	520(%rsp), %rdx		/* XCOMP_BV */
	shrq	$63, %rdx
	shlq	$32, %rdx
	orq	%rdx, %rax
	movq	%rbx, %rsp
.endm

PROBE xsave
	XSAVE_PROBE xsave
END xsave

PROBE xsaveopt
	XSAVE_PROBE xsaveopt
END xsaveopt

PROBE xsavec
	XSAVE_PROBE xsavec
END xsavec

PROBE xsaves			/* CPL0 only */
	XSAVE_PROBE xsaves
END xsaves

PROBE fsgsbase			/* WRGSBASE / RDGSBASE round trip */
	rdgsbase %rcx
	movl	$0x12345678, %eax
	wrgsbase %rax
	rdgsbase %rax
	wrgsbase %rcx
END fsgsbase

PROBE pku			/* WRPKRU / RDPKRU round trip */
	xorl	%ecx, %ecx
	xorl	%edx, %edx
	movl	$0xc, %eax		/* deny keys 1 only */
	wrpkru
	xorl	%eax, %eax
	rdpkru
	movl	%eax, %esi
	xorl	%eax, %eax
	wrpkru
	movl	%esi, %eax
END pku

PROBE invpcid			/* CPL0: type 2, all contexts incl. global */
	subq	$16, %rsp
	movq	$0, (%rsp)
	movq	$0, 8(%rsp)
	movl	$2, %eax
	invpcid	(%rsp), %rax
	addq	$16, %rsp
	movl	$1, %eax
END invpcid

PROBE avx512f			/* 512-bit VPADDD, lane 3 */
	movl	$21, %eax
	vpbroadcastd %eax, %zmm0
	vpaddd	%zmm0, %zmm0, %zmm1
	vextracti32x4 $3, %zmm1, %xmm2
	vmovd	%xmm2, %eax
	vzeroupper
END avx512f

PROBE avx512bw			/* 512-bit VPADDB, lane 3 */
	movl	$0x11, %eax
	vpbroadcastb %eax, %zmm0
	vpaddb	%zmm0, %zmm0, %zmm1
	vextracti32x4 $3, %zmm1, %xmm2
	vmovd	%xmm2, %eax
	vzeroupper
END avx512bw

PROBE avx512cd			/* VPLZCNTD(1) = 31 */
	movl	$1, %eax
	vpbroadcastd %eax, %zmm0
	vplzcntd %zmm0, %zmm1
	vextracti32x4 $3, %zmm1, %xmm2
	vmovd	%xmm2, %eax
	vzeroupper
END avx512cd

PROBE avx512dq			/* VPMULLQ: 6 * 7 */
	movl	$6, %eax
	vpbroadcastq %rax, %zmm0
	movl	$7, %eax
	vpbroadcastq %rax, %zmm1
	vpmullq	%zmm1, %zmm0, %zmm2
	vextracti32x4 $3, %zmm2, %xmm3
	vmovq	%xmm3, %rax
	vzeroupper
END avx512dq

PROBE avx512vl			/* EVEX-only YMM16/17: 256-bit VPADDD */
	movl	$21, %eax
	vpbroadcastd %eax, %ymm16
	vpaddd	%ymm16, %ymm16, %ymm17
	subq	$32, %rsp
	vmovdqu32 %ymm17, (%rsp)	/* EVEX.256 store; read the upper lane */
	movl	16(%rsp), %eax
	addq	$32, %rsp
	vzeroupper
END avx512vl

/* VMX: CR4.VMXE (KVM refuses it when vmx is hidden), then VMXON on a
 * region stamped with the VMCS revision, then VMXOFF. 1 = VMXON succeeded;
 * 2 = VMfailInvalid (CF); 3 = VMfailValid (ZF). */
PROBE vmx
	movq	%cr4, %rax
	orq	$X86_CR4_VMXE, %rax
	movq	%rax, %cr4
	movl	$MSR_IA32_FEATURE_CONTROL, %ecx
	rdmsr
	testl	$FEATURE_CONTROL_LOCKED, %eax
	jnz	1f
	movl	$(FEATURE_CONTROL_LOCKED | FEATURE_CONTROL_VMXON_OUTSIDE_SMX), %eax
	xorl	%edx, %edx
	wrmsr
1:	movl	$MSR_IA32_VMX_BASIC, %ecx	/* bits 30:0: the VMCS revision id */
	rdmsr
	andl	$0x7fffffff, %eax
	movl	%eax, vmxon_region
	subq	$16, %rsp
	movq	$vmxon_region, %rax
	movq	%rax, (%rsp)
	vmxon	(%rsp)
	movl	$2, %eax
	jc	2f
	movl	$3, %eax
	jz	2f
	vmxoff
	movl	$1, %eax
2:	addq	$16, %rsp
	movq	%cr4, %rcx
	andq	$~X86_CR4_VMXE, %rcx
	movq	%rcx, %cr4
END vmx

/* SVM: set EFER.SVME (KVM refuses it when svm is hidden), read it back,
 * clear it again. */
PROBE svm
	movl	$MSR_EFER, %ecx
	rdmsr
	movl	%eax, %esi
	orl	$X86_EFER_SVME, %eax
	wrmsr
	rdmsr
	shrl	$X86_EFER_SVME_BIT, %eax
	andl	$1, %eax
	movl	%eax, %edi
	movl	%esi, %eax
	wrmsr
	movl	%edi, %eax
END svm

/*
 * AVX-512 subfeatures: inputs are broadcast to every element and the
 * result is read from lane 3 of the ZMM register, so only a full 512-bit
 * execution produces it.
 */
.macro ZBCASTD imm, n		/* zmm\n = \imm in every dword */
	movl	$\imm, %eax
	vpbroadcastd %eax, %zmm\n
.endm
.macro ZLANE3D n		/* EAX = dword 12 of zmm\n */
	vextracti32x4 $3, %zmm\n, %xmm\n
	vmovd	%xmm\n, %eax
	vzeroupper
.endm
.macro ZLANE3Q n		/* RAX = qword 6 of zmm\n */
	vextracti32x4 $3, %zmm\n, %xmm\n
	vmovq	%xmm\n, %rax
	vzeroupper
.endm
/* The same for 256-bit VEX code (AVX2 broadcasts, upper 128-bit lane). */
.macro YBCASTD imm, n
	movl	$\imm, %eax
	vmovd	%eax, %xmm\n
	vpbroadcastd %xmm\n, %ymm\n
.endm
.macro YBCASTQ imm, n
	movabs	$\imm, %rax
	vmovq	%rax, %xmm\n
	vpbroadcastq %xmm\n, %ymm\n
.endm

PROBE avx512vnni		/* VPDPBUSD: 10 + 4 * (u8 255 * s8 1) = 1030 */
	ZBCASTD	0xffffffff, 0		/* the unsigned bytes */
	ZBCASTD	0x01010101, 1		/* the signed bytes (swapped: 6) */
	ZBCASTD	10, 2
	vpdpbusd %zmm1, %zmm0, %zmm2
	ZLANE3D	2
END avx512vnni

PROBE avx512_bf16		/* VDPBF16PS: 1.0 + (1.0 * 2.0 + 1.0 * 2.0) = 5.0f */
	ZBCASTD	0x3f803f80, 0		/* bf16 pair 1.0, 1.0 */
	ZBCASTD	0x40004000, 1		/* bf16 pair 2.0, 2.0 */
	ZBCASTD	0x3f800000, 2		/* fp32 1.0 */
	vdpbf16ps %zmm1, %zmm0, %zmm2
	ZLANE3D	2
END avx512_bf16

PROBE avx512_fp16		/* VADDPH: 1.5 + 1.5 = 3.0 (binary16 0x4200) */
	movl	$0x3e00, %eax
	vpbroadcastw %eax, %zmm0
	vaddph	%zmm0, %zmm0, %zmm1
	ZLANE3D	1
END avx512_fp16

/* 52-bit multiply: (2^40 + 1) * 2^20 = 2^60 + 2^20; the low 52 bits drop
 * 2^60, so 7 + 2^20. A 64-bit multiply would keep 2^60. */
PROBE avx512ifma
	movabs	$0x10000000001, %rax
	vpbroadcastq %rax, %zmm0
	movl	$0x100000, %eax
	vpbroadcastq %rax, %zmm1
	movl	$7, %eax
	vpbroadcastq %rax, %zmm2
	vpmadd52luq %zmm1, %zmm0, %zmm2
	ZLANE3Q	2
END avx512ifma

PROBE avx512vbmi		/* VPERMB: byte indices 60..63 reach across lanes */
	ZBCASTD	0x3c3d3e3f, 0
	vmovdqu64 c_b64(%rip), %zmm1
	vpermb	%zmm1, %zmm0, %zmm2
	ZLANE3D	2
END avx512vbmi

PROBE avx512vbmi2		/* VPSHLDD: high dword of (0x12345678:0x9abcdef0) << 8 */
	ZBCASTD	0x12345678, 0
	ZBCASTD	0x9abcdef0, 1
	vpshldd	$8, %zmm1, %zmm0, %zmm2
	ZLANE3D	2
END avx512vbmi2

PROBE avx512bitalg		/* VPOPCNTB of bytes ff 01 03 0f */
	ZBCASTD	0x0f0301ff, 0
	vpopcntb %zmm0, %zmm1
	ZLANE3D	1
END avx512bitalg

PROBE avx512_vpopcntdq		/* VPOPCNTQ(0xffff00000000000f) = 20 */
	movabs	$0xffff00000000000f, %rax
	vpbroadcastq %rax, %zmm0
	vpopcntq %zmm0, %zmm1
	ZLANE3Q	1
END avx512_vpopcntdq

/* VP2INTERSECTD of {3 x 16} and {0..15}: every element of the first
 * matches (k2 = 0xffff), only element 3 of the second (k3 = 0x0008). */
PROBE avx512_vp2intersect
	ZBCASTD	3, 0
	vmovdqu32 c_d16(%rip), %zmm1
	vp2intersectd %zmm1, %zmm0, %k2
	kmovw	%k2, %eax
	kmovw	%k3, %ecx
	shll	$16, %eax
	orl	%ecx, %eax
	vzeroupper
END avx512_vp2intersect

PROBE avx_vnni			/* {vex} VPDPBUSD, 256-bit: as avx512vnni */
	YBCASTD	0xffffffff, 0
	YBCASTD	0x01010101, 1
	YBCASTD	10, 2
	{vex} vpdpbusd %ymm1, %ymm0, %ymm2
	vextracti128 $1, %ymm2, %xmm2
	vmovd	%xmm2, %eax
	vzeroupper
END avx_vnni

PROBE avx_ifma			/* {vex} VPMADD52LUQ, 256-bit: as avx512ifma */
	YBCASTQ	0x10000000001, 0
	YBCASTQ	0x100000, 1
	YBCASTQ	7, 2
	{vex} vpmadd52luq %ymm1, %ymm0, %ymm2
	vextracti128 $1, %ymm2, %xmm2
	vmovq	%xmm2, %rax
	vzeroupper
END avx_ifma

PROBE avx_vnni_int8		/* VPDPBSSD, 256-bit: signed x signed bytes */
	YBCASTD	0x04030201, 0
	YBCASTD	0x040302ff, 1
	YBCASTD	10, 2
	vpdpbssd %ymm1, %ymm0, %ymm2
	vextracti128 $1, %ymm2, %xmm2
	vmovd	%xmm2, %eax
	vzeroupper
END avx_vnni_int8

PROBE avx_ne_convert		/* VBCSTNEBF162PS: bf16 from memory (base register) */
	subq	$16, %rsp
	movw	$0x4040, (%rsp)
	movq	%rsp, %rsi
	vbcstnebf162ps (%rsi), %ymm0
	vextracti128 $1, %ymm0, %xmm0
	vmovq	%xmm0, %rax
	vzeroupper
	addq	$16, %rsp
END avx_ne_convert

/* GF(2^8) modulo x^8 + x^4 + x^3 + x + 1: 0x53 * 0xca = 0x01 (the AES
 * inverse pair), 0x02 * 0x87 = 0x10e ^ 0x11b = 0x15. */
PROBE gfni
	movl	$0x0253, %eax
	movq	%rax, %xmm0
	movl	$0x87ca, %eax
	movq	%rax, %xmm1
	gf2p8mulb %xmm1, %xmm0
	movq	%xmm0, %rax
END gfni

PROBE vaes			/* 256-bit VAESENC, upper lane: as the aes probe */
	vmovdqu	c_bytes(%rip), %xmm0
	vinserti128 $1, %xmm0, %ymm0, %ymm0
	vpxor	%ymm1, %ymm1, %ymm1
	vaesenc	%ymm1, %ymm0, %ymm2
	vextracti128 $1, %ymm2, %xmm2
	vmovq	%xmm2, %rax
	vzeroupper
END vaes

PROBE vpclmulqdq		/* 256-bit, upper lane: 0b111 clmul 0b11 = 0b1001 */
	YBCASTQ	7, 0
	YBCASTQ	3, 1
	vpclmulqdq $0, %ymm1, %ymm0, %ymm2
	vextracti128 $1, %ymm2, %xmm2
	vmovq	%xmm2, %rax
	vzeroupper
END vpclmulqdq

PROBE movdiri			/* direct store of a qword, read back */
	subq	$16, %rsp
	movq	$0, (%rsp)
	movabs	$0x0123456789abcdef, %rax
	movdiri	%rax, (%rsp)
	sfence
	movq	(%rsp), %rax
	addq	$16, %rsp
END movdiri

PROBE movdir64b			/* 64-byte direct store of c_b64, read back */
	movq	%rsp, %rbx
	subq	$128, %rsp
	andq	$-64, %rsp		/* the destination must be 64-byte aligned */
	movq	%rsp, %rdi
	leaq	c_b64(%rip), %rsi
	movdir64b (%rsi), %rdi
	sfence
	movq	56(%rsp), %rax		/* table bytes 56..63 */
	movq	%rbx, %rsp
END movdir64b

PROBE tsx_ldtrk			/* NOPs outside a transaction: RAX goes through */
	movabs	$0x1122334455667788, %rax
	xsusldtrk
	xresldtrk
END tsx_ldtrk

PROBE serialize			/* no result of its own: 1 = it completed */
	movl	$1, %eax
	serialize
END serialize

/* UMONITOR a stack line, then TPAUSE until TSC deadline 0, long passed:
 * it returns at once with CF=0 (CF=1 would mean the OS time limit). */
PROBE waitpkg
	subq	$64, %rsp
	movq	%rsp, %rax
	umonitor %rax
	xorl	%eax, %eax
	xorl	%edx, %edx
	movl	$1, %ecx		/* C0.1 */
	tpause	%ecx
	setnc	%al
	movzbl	%al, %eax
	addq	$64, %rsp
END waitpkg

/* A transaction that commits, with XTEST inside it reporting it; retried
 * on spurious aborts. 2^32 | abort status when none committed. */
PROBE rtm
	movl	$64, %ecx
1:	xorl	%edx, %edx
	xbegin	2f
	xtest
	setnz	%dl			/* ZF=0: transactional */
	xend
	movl	%edx, %eax
	ret
2:	pause				/* abort: ECX is back to its XBEGIN value */
	decl	%ecx
	jnz	1b
	movl	%eax, %eax
	btsq	$32, %rax
END rtm

/* XTEST inside an XACQUIRE-elided lock: 1 once an elision was observed.
 * Without HLE the prefixes are ignored and XTEST reports no transaction
 * (0, altered), or #UDs when the CPU has no TSX at all. */
PROBE hle
	subq	$16, %rsp
	movl	$0, (%rsp)
	movl	$16, %ecx
1:	movl	$1, %eax
	xacquire xchgl %eax, (%rsp)	/* XCHG with memory locks implicitly */
	xorl	%edx, %edx
	xtest
	setnz	%dl
	xrelease movl $0, (%rsp)	/* restores the lock: elision commits */
	testl	%edx, %edx
	jnz	2f
	pause
	decl	%ecx
	jnz	1b
2:	movl	%edx, %eax
	addq	$16, %rsp
END hle

/* Cache-line maintenance: the stored qword survives the operation. */
/* A cache line on the stack holding a pattern; the probe reads it back */
.macro LINE_STORE
	subq	$64, %rsp
	movabs	$0x1122334455667788, %rax
	movq	%rax, (%rsp)
.endm
.macro LINE_LOAD
	movq	(%rsp), %rax
	addq	$64, %rsp
.endm
.macro LINE_PROBE insn
	LINE_STORE
	\insn	(%rsp)
	mfence
	LINE_LOAD
.endm

PROBE clflush
	LINE_PROBE clflush
END clflush

PROBE wbnoinvd			/* CPL0; on a CPU without it, WBINVD (F3 ignored) */
	LINE_STORE
	wbnoinvd
	LINE_LOAD
END wbnoinvd

PROBE clflushopt
	LINE_PROBE clflushopt
END clflushopt

PROBE clwb
	LINE_PROBE clwb
END clwb

PROBE prefetchw			/* 3dnowprefetch */
	LINE_PROBE prefetchw
END prefetchw

/* CLZERO zeroes exactly the 64-byte line that holds RAX: of four qwords
 * around it (0x0101... each), the two inside become 0. */
PROBE clzero
	movq	%rsp, %rbx
	subq	$256, %rsp
	andq	$-64, %rsp
	movq	%rsp, %rdi
	movabs	$0x0101010101010101, %rax
	movl	$24, %ecx
	rep stosq			/* three lines */
	leaq	72(%rsp), %rax		/* inside the second line */
	clzero
	mfence
	movq	56(%rsp), %rax		/* end of line 0: kept */
	addq	64(%rsp), %rax		/* start of line 1: zeroed */
	addq	120(%rsp), %rax		/* end of line 1: zeroed */
	addq	128(%rsp), %rax		/* start of line 2: kept */
	movq	%rbx, %rsp
END clzero

PROBE sse4a			/* EXTRQ: 16 bits from bit 8 */
	movabs	$0x1122334455667788, %rax
	movq	%rax, %xmm0
	extrq	$8, $16, %xmm0
	movq	%xmm0, %rax
END sse4a

PROBE xop			/* VPROTD: 0x12345678 rotated left by 8 */
	movl	$0x12345678, %eax
	vmovd	%eax, %xmm0
	vprotd	$8, %xmm0, %xmm1
	vmovd	%xmm1, %eax
END xop

PROBE fma4			/* VFMADDSS: 2 * 3 + 4 = 10.0f */
	vmovss	c_f2(%rip), %xmm0
	vmovss	c_f3(%rip), %xmm1
	vmovss	c_f4(%rip), %xmm2
	vfmaddss %xmm2, %xmm1, %xmm0, %xmm3
	vmovd	%xmm3, %eax
END fma4

PROBE tbm			/* BLCMSK(0x17) = 0x17 ^ 0x18; BLSMSK would give 1 */
	movl	$0x17, %ecx
	blcmsk	%ecx, %eax
END tbm

/* CMPEXADD: memory (5) equals RAX (5), so memory becomes 5 + 3; RAX gets
 * the old memory value either way. Result: memory << 8 | RAX. */
PROBE cmpccxadd
	subq	$16, %rsp
	movq	$5, (%rsp)
	movl	$5, %eax
	movl	$3, %ecx
	cmpexadd %rcx, %rax, (%rsp)
	movq	(%rsp), %rdx
	shlq	$8, %rdx
	orq	%rdx, %rax
	addq	$16, %rsp
END cmpccxadd

/* MONITOR(X) a stack line, then write it: the monitor has triggered, so
 * MWAIT(X) returns at once instead of sleeping. */
PROBE monitor			/* CPL0 */
	subq	$64, %rsp
	movq	%rsp, %rax
	xorl	%ecx, %ecx
	xorl	%edx, %edx
	monitor	%rax, %ecx, %edx
	movq	$1, (%rsp)
	xorl	%eax, %eax
	xorl	%ecx, %ecx
	mwait	%eax, %ecx
	movq	(%rsp), %rax
	addq	$64, %rsp
END monitor

PROBE mwaitx			/* CPL3 is allowed; a timer bounds the wait */
	subq	$64, %rsp
	movq	%rsp, %rax
	xorl	%ecx, %ecx
	xorl	%edx, %edx
	monitorx %rax, %ecx, %edx
	movq	$1, (%rsp)
	xorl	%eax, %eax
	movl	$2, %ecx		/* EBX holds a timeout */
	movl	$100000, %ebx		/* TSC ticks */
	mwaitx	%eax, %ecx, %ebx
	movq	(%rsp), %rax
	addq	$64, %rsp
END mwaitx

PROBE rdpru			/* ECX=1 (APERF): CF=1 marks a readable register */
	movl	$1, %ecx
	rdpru
	setc	%al
	movzbl	%al, %eax
END rdpru

PROBE tsc			/* RDTSC is monotonic */
	rdtsc
	shlq	$32, %rdx
	orq	%rax, %rdx
	movq	%rdx, %rsi
	rdtsc
	shlq	$32, %rdx
	orq	%rdx, %rax
	cmpq	%rsi, %rax
	setae	%al
	movzbl	%al, %eax
END tsc

PROBE xgetbv1			/* XINUSE.SSE once an XMM register is non-zero */
	pcmpeqd	%xmm0, %xmm0
	movl	$1, %ecx		/* XCR1: XINUSE */
	xgetbv
	andl	$X86_XSTATE_SSE, %eax
END xgetbv1

/*
 * CR4 and EFER enables (CPL0): set the bit, read it back, restore the
 * register. KVM #GPs the write when the guest's CPUID hides the feature;
 * a Linux-like guest OS has already set the bit where it is advertised,
 * so there the write changes nothing. 1 = the bit stuck.
 */
.macro CR4_PROBE bit
	movq	%cr4, %rsi
	movq	%rsi, %rax
	orq	$(1 << \bit), %rax
	movq	%rax, %cr4
	movq	%cr4, %rax
	movq	%rsi, %cr4
	shrq	$\bit, %rax
	andl	$1, %eax
.endm

.macro EFER_PROBE bit
	movl	$MSR_EFER, %ecx
	rdmsr
	movl	%eax, %esi
	orl	$(1 << \bit), %eax
	wrmsr
	rdmsr
	movl	%eax, %edi
	movl	%esi, %eax
	wrmsr
	movl	%edi, %eax
	shrl	$\bit, %eax
	andl	$1, %eax
.endm

/* UMIP's effect (SGDT & co. #GP at CPL3) is a fault by design, which the
 * verdict table would read as `missing`: the probe tests the enable. */
PROBE umip
	CR4_PROBE X86_CR4_UMIP_BIT
END umip

/* SMEP's effect is a #PF on executing a user page at CPL0; every CPL0
 * probe already runs from the supervisor alias. The probe tests the enable. */
PROBE smep
	CR4_PROBE X86_CR4_SMEP_BIT
END smep

/* CR4.SMAP, then STAC and a CPL0 read of a user page (c_bytes through its
 * user-image address, not the alias) that SMAP allows only with AC=1.
 * Result: byte 5 of c_bytes << 8 | CR4.SMAP. */
PROBE smap
	movq	%cr4, %rsi
	movq	%rsi, %rax
	orq	$X86_CR4_SMAP, %rax
	movq	%rax, %cr4
	stac
	movzbl	c_bytes+5, %edx		/* absolute: the user mapping */
	clac
	movq	%cr4, %rax
	movq	%rsi, %cr4
	shrq	$X86_CR4_SMAP_BIT, %rax
	andl	$1, %eax
	shll	$8, %edx
	orl	%edx, %eax
END smap

/* CR4.PCIDE, then CR3 with PCID 1 (CR3[11:0]) read back. CR3 is restored
 * to PCID 0 before CR4, as clearing PCIDE with a non-zero PCID #GPs. */
PROBE pcid
	movq	%cr4, %rsi
	movq	%rsi, %rax
	orq	$X86_CR4_PCIDE, %rax
	movq	%rax, %cr4
	movq	%cr3, %rdi
	movq	%rdi, %rax
	orq	$1, %rax
	movq	%rax, %cr3
	movq	%cr3, %rax
	andl	$X86_CR3_PCID_MASK, %eax
	movq	%rdi, %cr3
	movq	%rsi, %cr4
END pcid

PROBE nx			/* EFER.NXE */
	EFER_PROBE X86_EFER_NXE_BIT
END nx

/* IA32_TSC_ADJUST read, written back unchanged, read again: 1 = equal.
 * KVM reads the MSR whatever CPUID says and drops writes while tsc-adjust is
 * hidden (kvm_get_msr_common, kvm_set_msr_common): no #GP either way. */
PROBE tsc_adjust
	movl	$MSR_IA32_TSC_ADJUST, %ecx
	rdmsr
	movl	%eax, %esi
	movl	%edx, %edi
	wrmsr
	rdmsr
	xorl	%esi, %eax
	xorl	%edi, %edx
	orl	%edx, %eax
	sete	%al
	movzbl	%al, %eax
END tsc_adjust

/*
 * A load through PML5 slot 1 (linear address bit 48 set), which the boot
 * path points at the same tables as slot 0: it reads c_la57 under 5-level
 * paging and #GPs (non-canonical) under 4-level paging. CR4.LA57 was set
 * at boot, before long mode, where the model advertises la57.
 */
PROBE la57
	leaq	c_la57(%rip), %rax
	btsq	$GUEST_LA57_ALIAS_BIT, %rax
	movq	(%rax), %rax
END la57

/*
 * AMX: a 64-byte tile configuration at RSP (palette 1; tile n's bytes per
 * row at 16 + 2n, its rows at 48 + n), data above it, RBX = caller's RSP.
 * Each probe ends with TILERELEASE so no tile state outlives it.
 */
.macro AMX_CONFIG
	movq	%rsp, %rbx
	subq	$256, %rsp
	andq	$-64, %rsp
	movq	%rsp, %rdi
	xorl	%eax, %eax
	movl	$8, %ecx
	rep stosq
	movb	$1, (%rsp)
.endm

/* TILEZERO of a 2 x 8-byte tile stored over 0x5a bytes: row 1 becomes 0,
 * the qword after the tile stays. */
PROBE amx_tile
	AMX_CONFIG
	movw	$8, 16(%rsp)
	movb	$2, 48(%rsp)
	ldtilecfg (%rsp)
	leaq	64(%rsp), %rdi
	movabs	$0x5a5a5a5a5a5a5a5a, %rax
	movq	%rax, (%rdi)
	movq	%rax, 8(%rdi)
	movq	%rax, 16(%rdi)
	tilezero %tmm0
	movl	$8, %edx
	tilestored %tmm0, (%rdi,%rdx,1)
	tilerelease
	movq	8(%rdi), %rax
	xorq	16(%rdi), %rax
	movq	%rbx, %rsp
END amx_tile

/* 1 x 1 dot products over K elements: C = tmm0, A = tmm1, B = tmm2, each
 * one row of 4 bytes; A and B at 64(%rsp) and 68(%rsp), C stored at 72. */
.macro AMX_DOT a, b, insn
	AMX_CONFIG
	movl	$0x00040004, 16(%rsp)	/* tmm0, tmm1: 4 bytes per row */
	movw	$4, 20(%rsp)		/* tmm2 */
	movl	$0x00010101, 48(%rsp)	/* tmm0..2: 1 row */
	ldtilecfg (%rsp)
	movl	$\a, 64(%rsp)
	movl	$\b, 68(%rsp)
	movl	$4, %edx
	leaq	64(%rsp), %rsi
	tileloadd (%rsi,%rdx,1), %tmm1
	leaq	68(%rsp), %rsi
	tileloadd (%rsi,%rdx,1), %tmm2
	tilezero %tmm0
	\insn	%tmm2, %tmm1, %tmm0
	leaq	72(%rsp), %rdi
	tilestored %tmm0, (%rdi,%rdx,1)
	tilerelease
	movl	72(%rsp), %eax
	movq	%rbx, %rsp
.endm

PROBE amx_int8			/* TDPBSSD: (1, 2, 3, 4) . (-1, 2, 3, 4) = 28 */
	AMX_DOT	0x04030201, 0x040302ff, tdpbssd
END amx_int8

PROBE amx_bf16			/* TDPBF16PS: (1.0, 2.0) . (3.0, 4.0) = 11.0f */
	AMX_DOT	0x40003f80, 0x40804040, tdpbf16ps
END amx_bf16

PROBE amx_fp16			/* TDPFP16PS: the same in binary16 (3C00 = 1.0) */
	AMX_DOT	0x40003c00, 0x44004200, tdpfp16ps
END amx_fp16

PROBE ud2			/* self-test: must fault with #UD */
	ud2
	movabs	$0xbad, %rax
END ud2

/* Self-test: spins until the host's watchdog ends it (LOOP counts RCX
 * down from 2^64, then JMP starts over). */
PROBE hang
	xorl	%ecx, %ecx
1:	pause
	loop	1b
	jmp	1b
END hang

/* Self-test: LIDT with limit 0, then #UD: the #UD, the #GP of its delivery
 * and the #DF of that have no gate: a triple fault (shutdown). */
PROBE triple_fault
	subq	$16, %rsp
	movq	$0, (%rsp)
	movq	$0, 8(%rsp)
	lidt	(%rsp)
	ud2
	addq	$16, %rsp
END triple_fault

/* Self-test: fills the mailbox (0x10000..0x20000, guestcode/mailbox.h:
 * MB_GPA, MB_SIZE) with 0xa5, plan and results included, then returns. */
PROBE scribble
	movl	$0x10000, %edi
	movabs	$0xa5a5a5a5a5a5a5a5, %rax
	stosq
	movl	$0x10000 / 8 - 1, %ecx
	rep stosq
	xorl	%eax, %eax
END scribble

/* Floor self-tests (probes.def): each floor figure is the difference
 * between many of one of these and as many selftest-nop. */
PROBE nop
	nop
	xorl	%eax, %eax
END nop

/* OUT to the debug console port: a KVM_RUN round trip each. */
PROBE exits
	movl	$FLOOR_REPEAT, %ecx
	movb	$'\n', %al
1:	outb	%al, $0xe9
	decl	%ecx
	jnz	1b
	xorl	%eax, %eax
END exits

/* UD2 at CPL0 under a fixup of its own (guestcode/entry.S), resuming
 * after it; then the caller's fixup is armed again, as it was. */
PROBE exceptions
	pushq	%r14
	movl	$FLOOR_REPEAT, %ebx
1:	lea	2f(%rip), %r14
	movabs	$FIXUP_MAGIC, %r15
	ud2
2:	decl	%ebx
	jnz	1b
	popq	%r14
	movabs	$FIXUP_MAGIC, %r15
	xorl	%eax, %eax
END exceptions

/* A read of the kernel image: a #PF at CPL3 (supervisor page). */
PROBE pf
	movl	$GUEST_KERNEL_GPA, %esi
	lodsb
	movzbl	%al, %eax
END pf

	.section .udata, "aw"
	.balign 16
c_bytes:	.byte 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
c_rev:		.byte 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0
c_q1122:	.quad 0x1122334455667788
c_f1_5:		.float 1.5
c_f2:		.float 2.0
c_f3:		.float 3.0
c_f4:		.float 4.0
c_d21:		.long 21
	.balign 8
c_la57:		.ascii "LA57PAGE"
	.balign 64
c_b64:				/* bytes 0x40..0x7f */
	.set i, 0x40
	.rept 64
	.byte i
	.set i, i + 1
	.endr
c_d16:				/* dwords 0..15 */
	.set i, 0
	.rept 16
	.long i
	.set i, i + 1
	.endr

	.bss
	.balign 4096
vmxon_region:
	.skip 4096
