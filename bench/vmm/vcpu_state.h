/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The complete state of the one-vCPU guest, as a live migration moves it:
 * registers, special registers, FPU/XSAVE, XCRs, the MSRs the guest uses,
 * pending events, debug registers and guest memory.
 */
#ifndef CPUBENCH_VCPU_STATE_H
#define CPUBENCH_VCPU_STATE_H

#include <stdbool.h>
#include <stddef.h>

#include "vmm/kvm.h"

#define VCPU_STATE_MAX_MSRS 16

struct vcpu_state {
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct kvm_xcrs xcrs;
	bool has_xcrs;
	struct kvm_xsave *xsave;	/* malloc'ed, xsave_size bytes */
	size_t xsave_size;
	struct kvm_vcpu_events events;
	struct kvm_debugregs debugregs;
	unsigned int nmsrs;
	struct kvm_msr_entry msrs[VCPU_STATE_MAX_MSRS];
	uint8_t *mem;			/* malloc'ed copy of guest memory */
	size_t mem_size;
};

/*
 * Saves @vm's state. The vCPU must be stopped at an exit whose emulation
 * is complete (see vcpu_complete_io()). Returns 0 or -1 (err_set names the
 * ioctl and errno).
 */
int vcpu_state_save(struct vm *vm, struct vcpu_state *s);

/*
 * Restores @s into @vm, a fresh VM whose CPUID is already set, step by
 * step as QEMU does (memory, SREGS, REGS, XSAVE, XCRS, MSRS, events,
 * debug registers). A step KVM refuses is recorded in @refused ("KVM_SET_XCRS:
 * Invalid argument (XCR0 0x7)"; the first refusal wins) and the restore goes
 * on, so the guest can show what happens without it. Returns the number of
 * refused steps, or -1 when the VM cannot be used at all.
 */
int vcpu_state_restore(struct vm *vm, const struct vcpu_state *s,
		       char *refused, size_t len);

void vcpu_state_free(struct vcpu_state *s);

/*
 * After an I/O exit, lets KVM finish the instruction (KVM_RUN with
 * immediate_exit set) so that the saved RIP is past it.
 */
int vcpu_complete_io(struct vcpu *vcpu);

#endif
