/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Where this host runs: the hypervisor below it (L0), if any. KVM itself
 * often runs nested (cloud CI runners, QEMU TCG, Bochs), and an L0 can
 * lack what a real CPU has (judge/l0_gaps.c), so reports name it.
 *
 * Sources, in order: the hypervisor CPUID signature (leaf 0x40000000,
 * EBX ECX EDX, when CPUID.1:ECX.hypervisor is set), then the firmware's
 * DMI vendor, which tells emulators that set no signature (Bochs).
 */
#ifndef CPUBENCH_CPU_HYPERVISOR_H
#define CPUBENCH_CPU_HYPERVISOR_H

#include <linux/kvm.h>
#include <stddef.h>

enum l0_kind {
	L0_NONE,		/* bare metal, as far as the host can tell */
	L0_KVM,			/* "KVMKVMKVM\0\0\0" */
	L0_QEMU_TCG,		/* "TCGTCGTCGTCG" */
	L0_HYPERV,		/* "Microsoft Hv" */
	L0_VMWARE,		/* "VMwareVMware" */
	L0_XEN,			/* "XenVMMXenVMM" */
	L0_BHYVE,		/* "bhyve bhyve " */
	L0_BOCHS,		/* no signature; DMI BIOS vendor "Bochs" */
	L0_OTHER,		/* a hypervisor, signature not known here */
	L0_NR,
};

struct l0_info {
	enum l0_kind kind;
	char signature[13];	/* printable, "" when none */
};

/* "bare metal", "KVM", "QEMU TCG", ... */
const char *l0_name(enum l0_kind kind);

/*
 * Tells the L0 from a host CPUID table (host_cpuid_read()) and the DMI
 * BIOS vendor (/sys/class/dmi/id/bios_vendor; NULL when unreadable).
 */
void l0_detect(struct l0_info *out, const struct kvm_cpuid2 *host_cpuid,
	       const char *dmi_bios_vendor);

#endif
