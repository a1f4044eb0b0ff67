/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PVH entry: how QEMU (`-kernel guest.elf`) boots the payload.
 *
 * QEMU finds the XEN_ELFNOTE_PHYS32_ENTRY note below, loads the PT_LOAD
 * segments at their physical addresses and enters pvh_start32 in 32-bit
 * protected mode, paging off, flat CS/DS, interrupts disabled, EBX = the
 * hvm_start_info. The host passes the mailbox with its plan as the one PVH
 * module (`-initrd`): SeaBIOS clears low memory while it boots, so the plan
 * cannot be preloaded at MB_GPA; this code copies the module there before
 * anything else (it lies where QEMU put it, high in RAM, unmapped later).
 *
 * This code builds exactly the state the KVM host sets up before entering
 * _start directly (bench/vmm/guest_layout.c, bench/vmm/runner.c): the
 * identity map with user pages and the supervisor alias of the user image,
 * the PML5 over it, the GDT with the same descriptors, the TSS with RSP0
 * and no I/O bitmap, then CR4.PAE (and CR4.LA57 with CR3 = the PML5 where
 * CPUID tells la57: 5-level paging, as the KVM host enters it), CR3,
 * EFER.LME|SCE and CR0 = PE|MP|ET|NE|WP|PG, and jumps to _start in 64-bit
 * mode. Unlike the KVM host it cannot fall back when CR4.LA57 is refused:
 * here it is set only where CPUID says la57, which QEMU gives the guest
 * only where its accelerator provides it (enforce). It also sets guest_booted_pvh, which tells the guest it runs
 * under QEMU and must signal the host through the debug console
 * (guestcode/platform.c). The KVM path never runs this code.
 */
#include "mailbox.h"
#include "x86_arch.h"

#define XEN_ELFNOTE_PHYS32_ENTRY 18

/* The same long mode vmm/guest_layout.c gives the KVM path */
#define CR0_BOOT	(X86_CR0_PE | X86_CR0_MP | X86_CR0_ET | X86_CR0_NE | X86_CR0_WP | X86_CR0_PG)
#define EFER_BOOT	(X86_EFER_SCE | X86_EFER_LME)	/* the CPU sets LMA */

#define TSS64_SIZE	104		/* struct tss64 in guest_layout.c */

/* struct hvm_start_info and hvm_modlist_entry (Xen's public/arch-x86/hvm/start_info.h) */
#define HVM_START_MAGIC	0x336ec578
#define HVM_NR_MODULES	12
#define HVM_MODLIST	16
#define HVM_MOD_PADDR	0
#define HVM_MOD_SIZE	8

	/* QEMU reads the 64-bit descriptor of this note (Linux does the same). */
	.section .note.pvh, "a", @note
	.balign 4
	.long	4			/* namesz: "Xen\0" */
	.long	8			/* descsz */
	.long	XEN_ELFNOTE_PHYS32_ENTRY
	.asciz	"Xen"
	.balign 4
	.quad	pvh_start32

	.section .text.boot32, "ax"
	.code32
	.globl pvh_start32
pvh_start32:
	cli
	cld
	/* The mailbox module: hvm_start_info.modlist[0] -> MB_GPA. */
	cmpl	$HVM_START_MAGIC, (%ebx)
	jne	0f
	cmpl	$0, HVM_NR_MODULES(%ebx)
	je	0f
	movl	HVM_MODLIST(%ebx), %eax
	movl	HVM_MOD_PADDR(%eax), %esi
	movl	HVM_MOD_SIZE(%eax), %ecx
	cmpl	$MB_SIZE, %ecx
	jbe	1f
	movl	$MB_SIZE, %ecx
1:	movl	$MB_GPA, %edi
	rep movsb
0:
	/* Zero PML4, PDPT, PD, GDT and TSS pages (0x1000..0x6000). */
	movl	$GUEST_PML4_GPA, %edi
	xorl	%eax, %eax
	movl	$((GUEST_TSS_GPA + 0x1000 - GUEST_PML4_GPA) / 4), %ecx
	rep stosl

	/* The PML5: slots 0 and 1 hold the PML4 (mailbox.h) */
	movl	$GUEST_PML5_GPA, %edi
	movl	$(4096 / 4), %ecx
	rep stosl
	movl	$(GUEST_PML4_GPA | X86_PTE_P | X86_PTE_RW | X86_PTE_US), GUEST_PML5_GPA
	movl	$(GUEST_PML4_GPA | X86_PTE_P | X86_PTE_RW | X86_PTE_US), GUEST_PML5_GPA + 8

	movl	$(GUEST_PDPT_GPA | X86_PTE_P | X86_PTE_RW | X86_PTE_US), GUEST_PML4_GPA
	movl	$(GUEST_PD_GPA | X86_PTE_P | X86_PTE_RW | X86_PTE_US), GUEST_PDPT_GPA

	/* PD: 2 MiB pages over guest memory; EAX = gpa, EDI = &pd[gpa / 2M]. */
	xorl	%eax, %eax
	movl	$GUEST_PD_GPA, %edi
1:	movl	%eax, %edx
	orl	$(X86_PTE_P | X86_PTE_RW | X86_PTE_PS), %edx
	cmpl	$GUEST_USER_GPA, %eax
	jb	2f
	cmpl	$(GUEST_USER_GPA + GUEST_USER_SIZE), %eax
	jae	2f
	orl	$X86_PTE_US, %edx		/* the user image: user pages */
2:	cmpl	$GUEST_USER_ALIAS_GPA, %eax
	jb	3f
	cmpl	$(GUEST_USER_ALIAS_GPA + GUEST_USER_SIZE), %eax
	jae	3f
	/* the supervisor alias of the user image */
	leal	(GUEST_USER_GPA - GUEST_USER_ALIAS_GPA + X86_PTE_P + X86_PTE_RW + X86_PTE_PS)(%eax), %edx
3:	movl	%edx, (%edi)
	addl	$8, %edi
	addl	$X86_SZ_2M, %eax
	cmpl	$GUEST_MEM_SIZE, %eax
	jb	1b

	/* GDT: the same descriptors as guest_layout.c's gdt_template. */
	movl	$GUEST_GDT_GPA, %edi
	movl	$0x0000ffff, (SEL_KERNEL_CS + 0)(%edi)
	movl	$0x00af9a00, (SEL_KERNEL_CS + 4)(%edi)
	movl	$0x0000ffff, (SEL_KERNEL_DS + 0)(%edi)
	movl	$0x00cf9200, (SEL_KERNEL_DS + 4)(%edi)
	movl	$0x0000ffff, ((SEL_USER_DS & ~3) + 0)(%edi)
	movl	$0x00cff200, ((SEL_USER_DS & ~3) + 4)(%edi)
	movl	$0x0000ffff, ((SEL_USER_CS & ~3) + 0)(%edi)
	movl	$0x00affa00, ((SEL_USER_CS & ~3) + 4)(%edi)
	/* Available 64-bit TSS (type 9), base GUEST_TSS_GPA (< 16 MiB). */
	movl	$((TSS64_SIZE - 1) | ((GUEST_TSS_GPA & 0xffff) << 16)), (SEL_TSS + 0)(%edi)
	movl	$(((GUEST_TSS_GPA >> 16) & 0xff) | (0x89 << 8)), (SEL_TSS + 4)(%edi)

	/* TSS: RSP0, and the I/O bitmap offset past the end (CPL3 I/O faults). */
	movl	$GUEST_IST_STACK_TOP, (GUEST_TSS_GPA + 4)
	movw	$TSS64_SIZE, (GUEST_TSS_GPA + 102)

	lgdt	boot_gdt_ptr
	/* 5-level paging where CPUID.7.0:ECX tells la57: ESI = CR4, EBP = CR3 */
	movl	$X86_CR4_PAE, %esi
	movl	$GUEST_PML4_GPA, %ebp
	xorl	%eax, %eax
	cpuid
	cmpl	$7, %eax
	jb	1f
	movl	$7, %eax
	xorl	%ecx, %ecx
	cpuid
	testl	$CPUID_7_ECX_LA57, %ecx
	jz	1f
	orl	$X86_CR4_LA57, %esi
	movl	$GUEST_PML5_GPA, %ebp
1:	movl	%esi, %cr4
	movl	%ebp, %cr3
	movl	$MSR_EFER, %ecx
	movl	$EFER_BOOT, %eax
	xorl	%edx, %edx
	wrmsr
	movl	$CR0_BOOT, %eax
	movl	%eax, %cr0
	ljmp	$SEL_KERNEL_CS, $pvh_start64

	.code64
pvh_start64:
	movl	$SEL_KERNEL_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %fs
	movl	%eax, %gs
	movl	%eax, %ss
	movl	$SEL_TSS, %eax
	ltr	%ax
	movl	$1, guest_booted_pvh(%rip)
	jmp	_start

	.section .rodata
	.balign 8
boot_gdt_ptr:
	.word	4096 - 1
	.long	GUEST_GDT_GPA
