// SPDX-License-Identifier: GPL-2.0-only
#include "cpu/featureset.h"

#include <linux/kvm.h>

#include "cpu/cpuid_builder.h"
#include "cpu/feature.h"

void featureset_from_cpuid(featureset_t *fs, const struct kvm_cpuid2 *cpuid)
{
	featureset_clear(fs);
	if (!cpuid)
		return;
	for (unsigned int i = 0; i < nfeatures; i++) {
		const struct feature *f = &features[i];

		for (unsigned int k = 0; k < cpuid->nent; k++) {
			const struct kvm_cpuid_entry2 *e = &cpuid->entries[k];

			if (!cpuid_entry_is(e, f->leaf, f->subleaf))
				continue;
			if ((cpuid_entry_reg(e, f->reg) >> f->bit) & 1)
				featureset_add(fs, (int)i);
			break;
		}
	}
}
