/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The migration scenario's implementations (migrate.def): what a libc
 * would pick between at boot. They run at CPL3 from the user image, take
 * no arguments, work on mig_src/mig_dst (user data) and return a checksum
 * that is the same for every implementation of a family, so a silently
 * wrong result shows. Contract as for probes: result in RAX, RSP/R14/R15
 * preserved.
 */
	.section .utext, "ax"

.macro IMPL name
	.globl mig_\name
	.type mig_\name, @function
	.balign 16
mig_\name:
.endm
.macro END name
	ret
	.size mig_\name, . - mig_\name
.endm

/* RAX = sum of the 32 quadwords of mig_dst (the copy's checksum). */
.macro SUM_DST
	leaq	mig_dst(%rip), %rsi
	xorl	%eax, %eax
	movl	$32, %ecx
1:	addq	(%rsi), %rax
	addq	$8, %rsi
	decl	%ecx
	jnz	1b
.endm

/* Clear mig_dst so each copy is seen to happen. */
.macro CLEAR_DST
	leaq	mig_dst(%rip), %rdi
	xorl	%eax, %eax
	movl	$32, %ecx
	rep stosq
.endm

IMPL memcpy_avx512		/* 256 bytes in 4 ZMM moves */
	CLEAR_DST
	leaq	mig_src(%rip), %rsi
	leaq	mig_dst(%rip), %rdi
	vmovdqu64 (%rsi), %zmm0
	vmovdqu64 64(%rsi), %zmm1
	vmovdqu64 128(%rsi), %zmm2
	vmovdqu64 192(%rsi), %zmm3
	vmovdqu64 %zmm0, (%rdi)
	vmovdqu64 %zmm1, 64(%rdi)
	vmovdqu64 %zmm2, 128(%rdi)
	vmovdqu64 %zmm3, 192(%rdi)
	vzeroupper
	SUM_DST
END memcpy_avx512

/*
 * 256 bytes in 8 YMM moves, each 32-byte block checked with VPCMPEQB /
 * VPMOVMSKB (AVX2), as glibc's AVX2 string functions compare.
 */
IMPL memcpy_avx2
	CLEAR_DST
	leaq	mig_src(%rip), %rsi
	leaq	mig_dst(%rip), %rdi
	movl	$8, %ecx
2:	vmovdqu	(%rsi), %ymm0
	vmovdqu	%ymm0, (%rdi)
	vpcmpeqb (%rdi), %ymm0, %ymm1
	vpmovmskb %ymm1, %edx
	cmpl	$-1, %edx
	jne	3f
	addq	$32, %rsi
	addq	$32, %rdi
	decl	%ecx
	jnz	2b
3:	vzeroupper
	SUM_DST
END memcpy_avx2

IMPL memcpy_sse2		/* 256 bytes in 16 XMM moves */
	CLEAR_DST
	leaq	mig_src(%rip), %rsi
	leaq	mig_dst(%rip), %rdi
	movl	$16, %ecx
2:	movdqu	(%rsi), %xmm0
	movdqu	%xmm0, (%rdi)
	addq	$16, %rsi
	addq	$16, %rdi
	decl	%ecx
	jnz	2b
	SUM_DST
END memcpy_sse2

IMPL crc32_sse42		/* CRC-32C of mig_src, 8 bytes per CRC32 */
	leaq	mig_src(%rip), %rsi
	movl	$0xffffffff, %eax
	movl	$32, %ecx
1:	crc32q	(%rsi), %rax
	addq	$8, %rsi
	decl	%ecx
	jnz	1b
	notl	%eax
END crc32_sse42

IMPL crc32_soft			/* the same CRC-32C, bit by bit */
	leaq	mig_src(%rip), %rsi
	movl	$0xffffffff, %eax
	movl	$256, %ecx
1:	movzbl	(%rsi), %edx
	xorl	%edx, %eax
	movl	$8, %edx
2:	shrl	$1, %eax
	jnc	3f
	xorl	$0x82f63b78, %eax
3:	decl	%edx
	jnz	2b
	incq	%rsi
	decl	%ecx
	jnz	1b
	notl	%eax
END crc32_soft

IMPL popcnt_hw			/* set bits of mig_src */
	leaq	mig_src(%rip), %rsi
	xorl	%eax, %eax
	movl	$32, %ecx
1:	popcntq	(%rsi), %rdx
	addq	%rdx, %rax
	addq	$8, %rsi
	decl	%ecx
	jnz	1b
END popcnt_hw

IMPL popcnt_loop		/* the same count, clearing the lowest bit */
	leaq	mig_src(%rip), %rsi
	xorl	%eax, %eax
	movl	$32, %ecx
1:	movq	(%rsi), %rdx
2:	testq	%rdx, %rdx
	jz	3f
	leaq	-1(%rdx), %rdi
	andq	%rdi, %rdx
	incq	%rax
	jmp	2b
3:	addq	$8, %rsi
	decl	%ecx
	jnz	1b
END popcnt_loop

IMPL rand_rdrand		/* 1 once RDRAND delivered a value */
	movl	$16, %ecx
1:	rdrand	%rax
	jc	2f
	decl	%ecx
	jnz	1b
	xorl	%eax, %eax
	ret
2:	movl	$1, %eax
END rand_rdrand

IMPL rand_lcg			/* a software generator always delivers */
	rdtsc
	imull	$1103515245, %eax, %eax
	addl	$12345, %eax
	movl	$1, %eax
END rand_lcg

	.section .udata, "aw"
	.balign 64
mig_src:
	.set i, 1
	.rept 32
	.quad	0x0101010101010101 * i + 0x00f0
	.set i, i + 1
	.endr
mig_dst:
	.skip 256
