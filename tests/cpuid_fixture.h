/* SPDX-License-Identifier: GPL-2.0-only */
/* Test helper: appends one entry to a hand-built kvm_cpuid2. */
#ifndef CPUBENCH_TESTS_CPUID_FIXTURE_H
#define CPUBENCH_TESTS_CPUID_FIXTURE_H

#include <linux/kvm.h>
#include <stdint.h>
#include <string.h>

static inline void cpuid_put(struct kvm_cpuid2 *c, uint32_t fn, uint32_t index,
			     uint32_t flags, uint32_t eax, uint32_t ebx,
			     uint32_t ecx, uint32_t edx)
{
	struct kvm_cpuid_entry2 *e = &c->entries[c->nent++];

	memset(e, 0, sizeof(*e));
	e->function = fn;
	e->index = index;
	e->flags = flags;
	e->eax = eax;
	e->ebx = ebx;
	e->ecx = ecx;
	e->edx = edx;
}

#endif
