/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Probe code: one function per line of probes.def. Each runs its feature's
 * instruction(s) on fixed inputs and returns a value that proves the
 * architected semantics (see the `expected` column). Contract: result in
 * RAX; may clobber anything but RSP, R14, R15; position-independent (it
 * also runs from the supervisor alias of the user image); baseline x86-64
 * outside the instruction under test.
 */
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
	movl	$3, %eax		/* x87 | SSE */
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
	orq	$(1 << 13), %rax
	movq	%rax, %cr4
	movl	$0x3a, %ecx		/* IA32_FEATURE_CONTROL */
	rdmsr
	testl	$1, %eax
	jnz	1f
	movl	$5, %eax		/* lock | VMXON outside SMX */
	xorl	%edx, %edx
	wrmsr
1:	movl	$0x480, %ecx		/* IA32_VMX_BASIC: revision id */
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
	andq	$~(1 << 13), %rcx
	movq	%rcx, %cr4
END vmx

/* SVM: set EFER.SVME (KVM refuses it when svm is hidden), read it back,
 * clear it again. */
PROBE svm
	movl	$0xc0000080, %ecx
	rdmsr
	movl	%eax, %esi
	orl	$(1 << 12), %eax
	wrmsr
	rdmsr
	shrl	$12, %eax
	andl	$1, %eax
	movl	%eax, %edi
	movl	%esi, %eax
	wrmsr
	movl	%edi, %eax
END svm

PROBE ud2			/* self-test: must fault with #UD */
	ud2
	movabs	$0xbad, %rax
END ud2

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

	.bss
	.balign 4096
vmxon_region:
	.skip 4096
