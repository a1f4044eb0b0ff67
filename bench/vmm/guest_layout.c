// SPDX-License-Identifier: GPL-2.0-only
#include "vmm/guest_layout.h"

#include <string.h>

#include "guestcode/mailbox.h"
#include "guestcode/x86_arch.h"
#include "lib/err.h"

/* 64-bit TSS (SDM Vol. 3 7.7); only RSP0 matters: ring 3 -> 0 stack. */
struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

/*
 * Identity map of guest memory with 2 MiB pages: user pages only for the
 * user image, and a supervisor alias of it at GUEST_USER_ALIAS_GPA. The
 * PML5 above the PML4 serves a guest entered with 5-level paging: its
 * slots 0 and 1 both hold the PML4 (mailbox.h).
 */
static int write_page_tables(struct vm *vm)
{
	uint64_t *pml5 = vm_gpa(vm, GUEST_PML5_GPA, 4096);
	uint64_t *pml4 = vm_gpa(vm, GUEST_PML4_GPA, 4096);
	uint64_t *pdpt = vm_gpa(vm, GUEST_PDPT_GPA, 4096);
	uint64_t *pd = vm_gpa(vm, GUEST_PD_GPA, 4096);

	if (!pml5 || !pml4 || !pdpt || !pd)
		return err_set("guest memory too small for page tables");
	memset(pml5, 0, 4096);
	memset(pml4, 0, 4096);
	memset(pdpt, 0, 4096);
	memset(pd, 0, 4096);
	pml5[0] = pml5[1] = GUEST_PML4_GPA | X86_PTE_P | X86_PTE_RW | X86_PTE_US;
	pml4[0] = GUEST_PDPT_GPA | X86_PTE_P | X86_PTE_RW | X86_PTE_US;
	pdpt[0] = GUEST_PD_GPA | X86_PTE_P | X86_PTE_RW | X86_PTE_US;
	for (uint64_t gpa = 0; gpa < vm->mem_size; gpa += X86_SZ_2M) {
		uint64_t pte = gpa | X86_PTE_P | X86_PTE_RW | X86_PTE_PS;

		if (gpa >= GUEST_USER_GPA && gpa < GUEST_USER_GPA + GUEST_USER_SIZE)
			pte |= X86_PTE_US;
		if (gpa >= GUEST_USER_ALIAS_GPA &&
		    gpa < GUEST_USER_ALIAS_GPA + GUEST_USER_SIZE)
			pte = (gpa - GUEST_USER_ALIAS_GPA + GUEST_USER_GPA) |
			      X86_PTE_P | X86_PTE_RW | X86_PTE_PS;
		pd[gpa / X86_SZ_2M] = pte;
	}
	return 0;
}

/* GDT descriptors: flat code/data, DPL 0 and 3; 64-bit code has L=1. */
static const uint64_t gdt_template[] = {
	[0] = 0,
	[SEL_KERNEL_CS >> 3] = 0x00af9a000000ffffULL,
	[SEL_KERNEL_DS >> 3] = 0x00cf92000000ffffULL,
	[SEL_USER_DS >> 3] = 0x00cff2000000ffffULL,
	[SEL_USER_CS >> 3] = 0x00affa000000ffffULL,
};

static int write_gdt_tss(struct vm *vm)
{
	uint64_t *gdt = vm_gpa(vm, GUEST_GDT_GPA, 4096);
	struct tss64 *tss = vm_gpa(vm, GUEST_TSS_GPA, sizeof(*tss));
	uint64_t base = GUEST_TSS_GPA, limit = sizeof(*tss) - 1;

	if (!gdt || !tss)
		return err_set("guest memory too small for GDT/TSS");
	memset(gdt, 0, 4096);
	memcpy(gdt, gdt_template, sizeof(gdt_template));
	/* 16-byte available 64-bit TSS descriptor (type 9, present). */
	gdt[SEL_TSS >> 3] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
			    (0x89ULL << 40) | (((limit >> 16) & 0xf) << 48) |
			    (((base >> 24) & 0xff) << 56);
	gdt[(SEL_TSS >> 3) + 1] = base >> 32;
	memset(tss, 0, sizeof(*tss));
	tss->rsp[0] = GUEST_IST_STACK_TOP;
	tss->iomap_base = sizeof(*tss);	/* no I/O bitmap: CPL3 I/O faults */
	return 0;
}

int guest_layout_write(struct vm *vm)
{
	if (write_page_tables(vm) || write_gdt_tss(vm))
		return -1;
	return 0;
}

static struct kvm_segment segment(uint16_t sel, uint8_t type, int code)
{
	return (struct kvm_segment){
		.base = 0, .limit = 0xffffffff, .selector = sel,
		.type = type, .present = 1, .dpl = sel & 3, .s = 1,
		.l = code, .db = !code, .g = 1,
	};
}

int guest_layout_enter_long_mode(struct vcpu *vcpu, uint64_t entry, bool la57)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	if (vcpu_get_sregs(vcpu, &sregs))
		return -1;
	sregs.cs = segment(SEL_KERNEL_CS, 0xb, 1);
	sregs.ds = sregs.es = sregs.fs = sregs.gs = sregs.ss =
		segment(SEL_KERNEL_DS, 0x3, 0);
	sregs.tr = (struct kvm_segment){
		.base = GUEST_TSS_GPA, .limit = sizeof(struct tss64) - 1,
		.selector = SEL_TSS, .type = 0xb /* busy 64-bit TSS */,
		.present = 1,
	};
	sregs.ldt = (struct kvm_segment){ .type = 2, .present = 1, .unusable = 1 };
	sregs.gdt.base = GUEST_GDT_GPA;
	sregs.gdt.limit = 4096 - 1;
	sregs.idt.base = 0;
	sregs.idt.limit = 0;
	sregs.cr0 = X86_CR0_PE | X86_CR0_MP | X86_CR0_ET | X86_CR0_NE | X86_CR0_WP | X86_CR0_PG;
	/* CR4.LA57 can only be set before long mode: here, or never */
	sregs.cr3 = la57 ? GUEST_PML5_GPA : GUEST_PML4_GPA;
	sregs.cr4 = X86_CR4_PAE | (la57 ? X86_CR4_LA57 : 0);
	sregs.efer = X86_EFER_SCE | X86_EFER_LME | X86_EFER_LMA;
	if (vcpu_set_sregs(vcpu, &sregs))
		return -1;
	memset(&regs, 0, sizeof(regs));
	regs.rip = entry;
	regs.rflags = X86_RFLAGS_FIXED;
	return vcpu_set_regs(vcpu, &regs);
}
