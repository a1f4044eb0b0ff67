/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest entry, exception vectors, the register-based fault fixup and the
 * ring transitions.
 *
 * Fault fixup contract: while R15 holds FIXUP_MAGIC, any exception is
 * recorded in `guest_fault` (vector, error code, RIP), R15 is cleared
 * (disarmed) and execution resumes at the address in R14 at CPL0, or, for
 * an exception at CPL3, straight back in the kernel, where run_user()
 * returns. No per-CPU data is needed, so the fixup survives a broken GS
 * base. An exception while disarmed is a guest panic, reported to the host.
 *
 * The host enters at _start in 64-bit mode at CPL0 with paging, GDT and
 * TSS set up (bench/guest_layout.c) and interrupts disabled; they stay
 * disabled for the guest's whole life.
 */
#include "mailbox.h"
#include "guest.h"
#include "x86_arch.h"

	.section .text.entry, "ax"
	.globl _start
_start:
	lea	kernel_stack_top(%rip), %rsp
	call	guest_main
1:	hlt
	jmp	1b

/* One stub per exception vector; pushes a dummy error code where the CPU
 * pushes none, so every frame looks alike. */
.macro EXC_STUB vec, has_err
	.text
exc_stub_\vec:
	.if \has_err == 0
	pushq	$0
	.endif
	pushq	$\vec
	jmp	exc_common
	.section .rodata
	.quad	exc_stub_\vec
.endm

	.section .rodata
	.balign 8
	.globl exc_stubs
exc_stubs:
	EXC_STUB 0, 0
	EXC_STUB 1, 0
	EXC_STUB 2, 0
	EXC_STUB 3, 0
	EXC_STUB 4, 0
	EXC_STUB 5, 0
	EXC_STUB 6, 0
	EXC_STUB 7, 0
	EXC_STUB 8, 1
	EXC_STUB 9, 0
	EXC_STUB 10, 1
	EXC_STUB 11, 1
	EXC_STUB 12, 1
	EXC_STUB 13, 1
	EXC_STUB 14, 1
	EXC_STUB 15, 0
	EXC_STUB 16, 0
	EXC_STUB 17, 1
	EXC_STUB 18, 0
	EXC_STUB 19, 0
	EXC_STUB 20, 0
	EXC_STUB 21, 1
	EXC_STUB 22, 0
	EXC_STUB 23, 0
	EXC_STUB 24, 0
	EXC_STUB 25, 0
	EXC_STUB 26, 0
	EXC_STUB 27, 0
	EXC_STUB 28, 0
	EXC_STUB 29, 1
	EXC_STUB 30, 1
	EXC_STUB 31, 0

	.text
/* Stack: vector, error code, RIP, CS, RFLAGS, RSP, SS; then RAX pushed. */
exc_common:
	pushq	%rax
	/*
	 * #NM with XFD armed for tile data: the first AMX use of a task,
	 * which Linux answers (handle_xfd_event()) by giving the task the
	 * state, disarming XFD and retrying. Any other #NM is a fault.
	 */
	cmpq	$X86_VEC_NM, 8(%rsp)
	jne	2f
	cmpl	$0, xfd_armed(%rip)
	je	2f
	pushq	%rcx
	pushq	%rdx
	movl	$MSR_IA32_XFD_ERR, %ecx
	rdmsr
	testl	$X86_XSTATE_XTILEDATA, %eax
	jz	1f
	xorl	%eax, %eax
	xorl	%edx, %edx
	wrmsr				/* XFD_ERR = 0 */
	movl	$MSR_IA32_XFD, %ecx
	wrmsr				/* XFD = 0: tile data usable */
	incl	xfd_grants(%rip)
	popq	%rdx
	popq	%rcx
	popq	%rax
	addq	$16, %rsp
	iretq				/* the instruction runs again */
1:	popq	%rdx
	popq	%rcx
2:	lea	user_resume(%rip), %rax
	cmpq	%rax, 24(%rsp)
	jne	1f
	popq	%rax			/* the probe's value */
	jmp	user_return
1:	movabs	$FIXUP_MAGIC, %rax
	cmpq	%rax, %r15
	jne	exc_panic
	movq	8(%rsp), %rax
	movq	%rax, guest_fault+0(%rip)	/* vector */
	movq	16(%rsp), %rax
	movq	%rax, guest_fault+8(%rip)	/* error code */
	movq	24(%rsp), %rax
	movq	%rax, guest_fault+16(%rip)	/* rip */
	movq	$1, guest_fault+24(%rip)	/* valid */
	xorl	%r15d, %r15d
	testb	$3, 32(%rsp)		/* from CPL3: back to run_user's caller, */
	jnz	user_return		/* no return to CPL3 just to leave it */
	movq	%r14, 24(%rsp)
	popq	%rax
	addq	$16, %rsp
	iretq

exc_panic:
	movq	8(%rsp), %rax
	movl	%eax, MB_GPA + MB_STATUS_OFF + 4	/* panic_vector */
	movq	24(%rsp), %rax
	movq	%rax, MB_GPA + MB_STATUS_OFF + 8	/* panic_rip */
	movq	16(%rsp), %rax
	movq	%rax, MB_GPA + MB_STATUS_OFF + 16	/* panic_error_code */
	movl	$MB_PORT_PANIC, %edi
	andq	$~15, %rsp
	call	guest_signal		/* returns only under KVM */
2:	hlt
	jmp	2b

/*
 * The kernel side of a probe call: callee-saved registers on the kernel
 * stack, the stack pointer in kernel_saved_rsp. Restoring from there works
 * whatever the probe did to RSP.
 */
.macro KERNEL_CONTEXT_SAVE
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, kernel_saved_rsp(%rip)
.endm

.macro KERNEL_CONTEXT_RESTORE_RET
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	ret
.endm

/*
 * uint64_t run_kernel(uint64_t (*fn)(uint64_t), uint64_t arg);
 * Calls fn(arg) at CPL0 with the fixup armed. On a fault guest_fault is
 * filled in and the return value is whatever RAX held: callers look at
 * guest_fault.valid, never at the value.
 */
	.globl run_kernel
run_kernel:
	KERNEL_CONTEXT_SAVE
	movq	%rdi, %rax
	movq	%rsi, %rdi
	movabs	$FIXUP_MAGIC, %r15
	lea	1f(%rip), %r14
	call	*%rax
1:	movq	kernel_saved_rsp(%rip), %rsp
	KERNEL_CONTEXT_RESTORE_RET

/*
 * uint64_t run_user(uint64_t (*fn)(void), uint64_t user_rsp);
 * Calls fn at CPL3 on the given stack with the fixup armed, via IRETQ to
 * user_trampoline; the trampoline returns to the kernel by a #PF at
 * user_resume (a CPL3 read of a supervisor page), which exc_common turns
 * into a jump to user_return, which restores the kernel stack. An
 * exception is the one user-to-kernel transition that works on every
 * backend: PVM (KVM without VMX/SVM) turns INT $n into #UD and cannot
 * deliver SYSCALL to a guest kernel that is not PVM-aware. A #PF rather
 * than a #UD: KVM on VMX and SVM intercepts every #UD (handle_ud tries its
 * emulator first), a VM exit each time, and lets a guest #PF go straight
 * to the guest under EPT/NPT (make perf measures both: cpubench floor).
 * A fault returns the same way, through the fixup; a host that steps over
 * a hung probe resumes it at user_resume (R14).
 */
	.globl run_user
run_user:
	KERNEL_CONTEXT_SAVE
	pushq	$SEL_USER_DS		/* SS */
	pushq	%rsi			/* RSP */
	pushq	$X86_RFLAGS_FIXED	/* RFLAGS: IF=0 */
	pushq	$SEL_USER_CS		/* CS */
	lea	user_trampoline(%rip), %rax
	pushq	%rax			/* RIP */
	movabs	$FIXUP_MAGIC, %r15
	lea	user_resume(%rip), %r14
	iretq

	.globl user_return
user_return:
	movq	kernel_saved_rsp(%rip), %rsp
	KERNEL_CONTEXT_RESTORE_RET

	.section .utext, "ax"
user_trampoline:
	call	*%rdi
user_resume:
	movb	GUEST_KERNEL_GPA, %al	/* the way back, a #PF: see exc_common */

/*
 * uint64_t stint_loop(void): runs plan entries stint.next, stint.next + 1,
 * ... while they are below stint.end and of ring stint.ring, writes each
 * completed one's result record to stint.results and advances stint.next
 * (struct mb_stint, guestcode/mailbox.h), then returns. It runs at CPL3
 * from the user image (run_user) or at CPL0 from its supervisor alias
 * (run_kernel), under the caller's fixup: a fault, or the host stepping
 * over a probe, leaves through the fixup with stint.next at that entry.
 * The record and the probes are reached at the offset of the mapping it
 * runs from. Between probes it keeps what it needs in its one stack slot
 * (that offset) and in memory: probes clobber every register but RSP,
 * R14 and R15. An entry with an unknown probe is skipped, left
 * MB_NOT_RUN (the host knows why).
 */
	.globl stint_loop
stint_loop:
	lea	stint_loop(%rip), %rax
	movabs	$stint_loop, %rcx
	subq	%rcx, %rax		/* 0, or the alias' offset at CPL0 */
	pushq	%rax
1:	movabs	$MB_STINT_GPA, %rdi
	addq	(%rsp), %rdi		/* the record, as this ring sees it */
	movl	MB_STINT_NEXT(%rdi), %eax
	cmpl	MB_STINT_END(%rdi), %eax
	jae	3f
	andl	$(MB_MAX_PROBES - 1), %eax
	movzbl	MB_STINT_ENTRIES + 2(%rdi,%rax,4), %ecx	/* its ring */
	cmpl	MB_STINT_RING(%rdi), %ecx
	jne	3f
	movzwl	MB_STINT_ENTRIES(%rdi,%rax,4), %ecx	/* its probe */
	cmpl	$((stint_probe_fns_end - stint_probe_fns) / 8), %ecx
	jae	2f
	lea	stint_probe_fns(%rip), %rdx
	movq	(%rdx,%rcx,8), %rax
	addq	(%rsp), %rax
	call	*%rax
	movabs	$MB_STINT_GPA, %rdi
	addq	(%rsp), %rdi
	movl	MB_STINT_NEXT(%rdi), %ecx
	andl	$(MB_MAX_PROBES - 1), %ecx
	movl	MB_STINT_ENTRIES(%rdi,%rcx,4), %edx	/* probe, ring: as mb_result's */
	andl	$0x00ffffff, %edx
	orl	$(MB_COMPLETED_BYTE << 24), %edx	/* ... and its status */
	shll	$5, %ecx		/* MB_RESULT_SIZE */
	movl	%edx, MB_STINT_RESULTS(%rdi,%rcx)
	movq	%rax, MB_STINT_RESULTS + MB_RESULT_VALUE(%rdi,%rcx)
2:	incl	MB_STINT_NEXT(%rdi)
	jmp	1b
3:	popq	%rax
	ret

/* The probes of probes.def, for stint_loop: on a user page, where CPL3
 * reads them. */
	.section .udata, "aw"
	.balign 8
stint_probe_fns:
#define PROBE(sym, name, feature, ring, expected) .quad probe_##sym;
#include "probes.def"
#undef PROBE
stint_probe_fns_end:

	.bss
	.balign 16
kernel_saved_rsp:
	.quad 0
	.globl xfd_armed, xfd_grants
xfd_armed:
	.long 0
xfd_grants:
	.long 0
	.balign 4096
	.skip 16384
kernel_stack_top:

	.text
/* Single-instruction helpers, run under run_kernel() so a #GP is caught. */
	.globl insn_write_cr4
insn_write_cr4:
	movq	%rdi, %cr4
	xorl	%eax, %eax
	ret

	.globl insn_write_xfd
insn_write_xfd:
	movq	%rdi, %rax
	movq	%rdi, %rdx
	shrq	$32, %rdx
	movl	$MSR_IA32_XFD, %ecx
	wrmsr
	xorl	%eax, %eax
	ret

	.globl insn_xsetbv0
insn_xsetbv0:
	movq	%rdi, %rax
	movq	%rdi, %rdx
	shrq	$32, %rdx
	xorl	%ecx, %ecx
	xsetbv
	xorl	%eax, %eax
	ret
