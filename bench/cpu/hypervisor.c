// SPDX-License-Identifier: GPL-2.0-only
#include "cpu/hypervisor.h"

#include <stdio.h>
#include <string.h>

#include "cpu/cpuid_builder.h"
#include "guestcode/x86_arch.h"

static const struct {
	const char *signature;	/* the 12 bytes, NULs as in the CPU */
	enum l0_kind kind;
} signatures[] = {
	{ "KVMKVMKVM\0\0\0", L0_KVM },
	{ "TCGTCGTCGTCG", L0_QEMU_TCG },
	{ "Microsoft Hv", L0_HYPERV },
	{ "VMwareVMware", L0_VMWARE },
	{ "XenVMMXenVMM", L0_XEN },
	{ "bhyve bhyve ", L0_BHYVE },
};

static const char *const names[L0_NR] = {
	[L0_NONE] = "bare metal",
	[L0_KVM] = "KVM",
	[L0_QEMU_TCG] = "QEMU TCG",
	[L0_HYPERV] = "Hyper-V",
	[L0_VMWARE] = "VMware",
	[L0_XEN] = "Xen",
	[L0_BHYVE] = "bhyve",
	[L0_BOCHS] = "Bochs",
	[L0_OTHER] = "a hypervisor",
};

const char *l0_name(enum l0_kind kind)
{
	return kind < L0_NR ? names[kind] : "unknown";
}

void l0_detect(struct l0_info *out, const struct kvm_cpuid2 *host_cpuid,
	       const char *dmi_bios_vendor)
{
	const struct kvm_cpuid_entry2 *leaf1, *sig;
	char raw[12];

	memset(out, 0, sizeof(*out));
	if (dmi_bios_vendor && strstr(dmi_bios_vendor, "Bochs"))
		out->kind = L0_BOCHS;
	leaf1 = host_cpuid ? cpuid_find((struct kvm_cpuid2 *)host_cpuid, 1, 0) : NULL;
	if (!leaf1 || !(leaf1->ecx & CPUID_1_ECX_HYPERVISOR))
		return;
	if (out->kind == L0_NONE)
		out->kind = L0_OTHER;
	sig = cpuid_find((struct kvm_cpuid2 *)host_cpuid, CPUID_HV_BASE, 0);
	if (!sig)
		return;
	memcpy(raw, &sig->ebx, 4);
	memcpy(raw + 4, &sig->ecx, 4);
	memcpy(raw + 8, &sig->edx, 4);
	for (size_t i = 0; i < sizeof(raw); i++)
		out->signature[i] = raw[i] >= 0x20 && raw[i] < 0x7f ? raw[i] :
				    raw[i] ? '?' : '\0';
	for (size_t i = 0; i < sizeof(signatures) / sizeof(signatures[0]); i++)
		if (!memcmp(raw, signatures[i].signature, sizeof(raw)))
			out->kind = signatures[i].kind;
}
