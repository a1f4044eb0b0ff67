/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Direct entry into 64-bit mode: the host builds the guest's page tables,
 * GDT and TSS in guest memory (addresses in guestcode/mailbox.h) and loads
 * the vCPU's special registers so the first instruction runs in long mode
 * at CPL0. The guest installs its own IDT.
 */
#ifndef CPUBENCH_GUEST_LAYOUT_H
#define CPUBENCH_GUEST_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>

#include "vmm/kvm.h"

/* Writes page tables, GDT and TSS into guest memory. */
int guest_layout_write(struct vm *vm);
/*
 * Loads SREGS (long mode, paging, segments, TR) and REGS (RIP = @entry),
 * with 5-level paging (CR4.LA57, CR3 = the PML5) when @la57.
 * Call after KVM_SET_CPUID2: KVM checks CR4 and EFER against the CPUID
 * and refuses CR4.LA57 (KVM_SET_SREGS: EINVAL) where la57 is hidden or
 * the host lacks it.
 */
int guest_layout_enter_long_mode(struct vcpu *vcpu, uint64_t entry, bool la57);

#endif
