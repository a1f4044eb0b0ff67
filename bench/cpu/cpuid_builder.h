/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest CPUID builder: turns KVM's supported CPUID and a feature set
 * into the CPUID a guest model sees, with the derived leaves consistent.
 *
 * Consistency is the point: KVM enforces XCR0 (and so AVX/AVX-512/AMX)
 * from leaf 0xD, not from the feature bits, so a model that clears avx but
 * leaves YMM in leaf 0xD hides nothing. The builder derives leaf 0xD from
 * the feature set.
 */
#ifndef CPUBENCH_CPUID_BUILDER_H
#define CPUBENCH_CPUID_BUILDER_H

#include <linux/kvm.h>
#include <stdbool.h>
#include <stdint.h>

#include "cpu/feature.h"
#include "cpu/featureset.h"

struct cpu_identity {
	char vendor[13];	/* "GenuineIntel", "AuthenticAMD" */
	uint32_t family, model, stepping;	/* displayed values */
	char model_id[49];	/* brand string; "" keeps the host's */
	bool set;		/* false: keep the host's identity */
};

/*
 * Builds the guest's CPUID: a copy of @supported with every database
 * feature's bit set or cleared per @fs, then the derived leaves made
 * consistent:
 *  - a missing leaf/subleaf entry is created when a bit must be set in it
 *    (forcing a feature KVM lacks is allowed: that is how `missing` is
 *    demonstrated);
 *  - leaf 0xD: XCR0 states = x87|SSE (+YMM iff avx, +opmask/ZMM iff
 *    avx512f, +PKRU iff pku, +tiles iff amx-tile) when xsave is set, sizes
 *    and subleaves at the architectural standard offsets; only x87|SSE
 *    when xsave is clear;
 *  - OSXSAVE and OSPKE cleared (KVM derives them from the guest's CR4);
 *  - AMD's copies of leaf 1 EDX bits in 0x80000001 EDX cleared with them;
 *  - max basic/extended/Centaur (0xC0000000) leaf and leaf 7's max
 *    subleaf raised to cover every entry;
 *  - @id (if non-NULL and set): vendor, family/model/stepping, brand.
 * Hypervisor leaves (0x40000000-0x4fffffff) are copied untouched.
 * Returns a malloc'ed kvm_cpuid2, or NULL with err_set().
 */
struct kvm_cpuid2 *cpuid_build(const struct kvm_cpuid2 *supported,
			       const featureset_t *fs,
			       const struct cpu_identity *id);

/* The entry for @leaf/@subleaf (subleaf ignored for non-indexed entries). */
/* Allocates a kvm_cpuid2 with room for @nent entries (nent set), or NULL. */
struct kvm_cpuid2 *cpuid2_alloc(unsigned int nent);

struct kvm_cpuid_entry2 *cpuid_find(struct kvm_cpuid2 *c, uint32_t leaf,
				    uint32_t subleaf);

/* XCR0 states the guest may enable: leaf 0xD.0 EDX:EAX; 0 if absent. */
uint64_t cpuid_xcr0_allowed(const struct kvm_cpuid2 *c);

/* Encodes family/model/stepping as CPUID leaf 1 EAX (type 0). */
uint32_t cpuid_encode_fms(uint32_t family, uint32_t model, uint32_t stepping);

/* Whether @leaf's entries are distinguished by subleaf (ECX). */
bool cpuid_leaf_is_indexed(uint32_t leaf);

/* KVM's matching rule: the index counts only with SIGNIFCANT_INDEX. */
static inline bool cpuid_entry_is(const struct kvm_cpuid_entry2 *e,
				  uint32_t leaf, uint32_t subleaf)
{
	if (e->function != leaf)
		return false;
	return !(e->flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX) || e->index == subleaf;
}

static inline uint32_t cpuid_entry_reg(const struct kvm_cpuid_entry2 *e,
				       enum cpuid_reg reg)
{
	switch (reg) {
	case CPUID_EAX:
		return e->eax;
	case CPUID_EBX:
		return e->ebx;
	case CPUID_ECX:
		return e->ecx;
	default:
		return e->edx;
	}
}

#endif
