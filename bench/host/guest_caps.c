// SPDX-License-Identifier: GPL-2.0-only
/*
 * The two answers of guest_caps.h. QEMU's fixups follow
 * target/i386/kvm/kvm.c kvm_arch_get_supported_cpuid(); a model is
 * accepted when x86_cpu_filter_features() finds nothing of it missing.
 */
#include "host/guest_caps.h"

#include "cpu/feature.h"
#include "cpu/linux_flags.h"

void guest_caps_verify(featureset_t *out, featureset_t *refused,
		       enum backend_kind kind, const featureset_t *kvm,
		       const featureset_t *cpu)
{
	featureset_t always;

	featureset_clear(refused);
	*out = kind == BACKEND_KVM_PVM ? *cpu : *kvm;
	linux_guest_always(&always);
	featureset_union(out, out, &always);
	if ((unsigned int)kind >= BACKEND_NR)
		return;
	for (unsigned int f = 0; f < nfeatures; f++)
		if (features[f].enforce[kind].refused)
			featureset_add(refused, (int)f);
	featureset_diff(out, out, refused);
}

void guest_caps_qemu(featureset_t *out, const featureset_t *kvm)
{
	static const char *const added[] = {
		"mtrr", "pat", "mce", "mca",	/* "KVM before 2.6.30 misreports" them */
		"hypervisor", "tsc-deadline", "arat",
	};

	*out = *kvm;
	for (unsigned int i = 0; i < sizeof(added) / sizeof(added[0]); i++)
		featureset_add(out, feature_lookup(added[i]));
}
