// SPDX-License-Identifier: GPL-2.0-only
#include "judge/guest_cpuid.h"

#include <stdio.h>
#include <string.h>

#include "cpu/cpuid_builder.h"
#include "cpu/feature.h"

struct kvm_cpuid2 *guest_cpuid_from_mailbox(const struct mailbox *mb)
{
	struct kvm_cpuid2 *c = cpuid2_alloc(MB_CPUID_LEAVES);
	unsigned int n = 0;

	if (!c)
		return NULL;
	for (unsigned int i = 0; i < MB_CPUID_LEAVES; i++) {
		const struct mb_cpuid_leaf *l = &mb->cpuid[i];
		struct kvm_cpuid_entry2 *e = &c->entries[n];

		if (i && !l->leaf && !l->eax)
			continue;	/* unused slot */
		memset(e, 0, sizeof(*e));
		e->function = l->leaf;
		e->index = l->subleaf;
		if (cpuid_leaf_is_indexed(l->leaf))
			e->flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX;
		e->eax = l->eax;
		e->ebx = l->ebx;
		e->ecx = l->ecx;
		e->edx = l->edx;
		n++;
	}
	c->nent = n;
	return c;
}

void guest_cpuid_check(struct run_report *r, const featureset_t *asked,
		       const struct kvm_cpuid2 *seen)
{
	featureset_t got, listed;
	size_t n = 0;

	r->guest_cpuid_checked = seen != NULL;
	r->guest_cpuid_matches = true;
	r->guest_cpuid_note[0] = '\0';
	if (!seen)
		return;
	featureset_from_cpuid(&got, seen);
	featureset_clear(&listed);
	for (unsigned int i = 0; i < r->nresults; i++) {
		int f = r->results[i].feature;
		bool want, has;

		if (f < 0)
			continue;
		want = featureset_has(asked, f);
		has = featureset_has(&got, f);
		if (want == has || featureset_has(&listed, f))
			continue;
		featureset_add(&listed, f);
		if (r->guest_cpuid_matches)
			n = (size_t)snprintf(r->guest_cpuid_note, sizeof(r->guest_cpuid_note),
					     "the guest's CPUID differs from the model%s:",
					     r->backend == BACKEND_KVM_PVM ?
					     " (PVM runs CPUID natively on the host CPU)" : "");
		r->guest_cpuid_matches = false;
		if (n < sizeof(r->guest_cpuid_note))
			n += (size_t)snprintf(r->guest_cpuid_note + n,
					      sizeof(r->guest_cpuid_note) - n,
					      " %c%s", has ? '+' : '-', features[f].name);
	}
}
