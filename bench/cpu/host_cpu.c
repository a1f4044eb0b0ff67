// SPDX-License-Identifier: GPL-2.0-only
/* Raw CPUID of this host and the OS-enabled (XCR0) usability rule. */
#include "cpu/host_cpu.h"

#include <stdbool.h>
#include <stdlib.h>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

#include "cpu/cpuid_builder.h"
#include "cpu/feature.h"
#include "lib/err.h"

#define LEAF_SPAN	0x40	/* at most this many leaves per range */
#define SUBLEAF_MAX	63
#define ENTRIES_MAX	512

#if defined(__x86_64__)
static bool entry_zero(const struct kvm_cpuid_entry2 *e)
{
	return !(e->eax | e->ebx | e->ecx | e->edx);
}

static void add_leaf(struct kvm_cpuid2 *c, uint32_t leaf)
{
	bool indexed = cpuid_leaf_is_indexed(leaf);
	uint32_t nsub = indexed ? SUBLEAF_MAX + 1 : 1;

	for (uint32_t sub = 0; sub < nsub && c->nent < ENTRIES_MAX; sub++) {
		struct kvm_cpuid_entry2 *e = &c->entries[c->nent];
		unsigned int a, b, cx, d;

		__cpuid_count(leaf, sub, a, b, cx, d);
		*e = (struct kvm_cpuid_entry2){
			.function = leaf, .index = indexed ? sub : 0,
			.flags = indexed ? KVM_CPUID_FLAG_SIGNIFCANT_INDEX : 0,
			.eax = a, .ebx = b, .ecx = cx, .edx = d,
		};
		/* subleaf 0 always; later ones only while they say something */
		if (sub && entry_zero(e))
			continue;
		c->nent++;
	}
}

static void add_range(struct kvm_cpuid2 *c, uint32_t base)
{
	unsigned int max, b, cx, d;

	__cpuid(base, max, b, cx, d);
	if (max < base || max - base >= LEAF_SPAN)
		max = base + (max < base ? 0 : LEAF_SPAN - 1);
	for (uint32_t leaf = base; leaf <= max; leaf++)
		add_leaf(c, leaf);
}

/*
 * VIA and Zhaoxin CPUs have a third range at 0xC0000000 (PadLock); other
 * vendors answer such leaves with unrelated data, so it is read only there.
 */
static bool vendor_has_centaur_leaves(void)
{
	unsigned int max, b, cx, d;

	__cpuid(0, max, b, cx, d);
	return (b == 0x746e6543 && d == 0x48727561 && cx == 0x736c7561) ||	/* CentaurHauls */
	       (b == 0x68532020 && d == 0x68676e61 && cx == 0x20206961);	/* "  Shanghai  " */
}

struct kvm_cpuid2 *host_cpuid_read(void)
{
	struct kvm_cpuid2 *c = cpuid2_alloc(ENTRIES_MAX);
	struct kvm_cpuid_entry2 *e;

	if (!c) {
		err_set("out of memory");
		return NULL;
	}
	c->nent = 0;
	add_range(c, 0);
	/* a hypervisor's own leaves exist only where it says it is there */
	if ((e = cpuid_find(c, 1, 0)) && (e->ecx & CPUID_1_ECX_HYPERVISOR))
		add_leaf(c, CPUID_HV_BASE);
	add_range(c, CPUID_EXT_BASE);
	if (vendor_has_centaur_leaves())
		add_range(c, 0xc0000000);
	return c;
}

uint64_t host_xcr0(const struct kvm_cpuid2 *cpuid)
{
	struct kvm_cpuid_entry2 *e = cpuid_find((struct kvm_cpuid2 *)cpuid, 1, 0);
	uint32_t lo, hi;

	if (!e || !(e->ecx & CPUID_1_ECX_OSXSAVE))
		return 0;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return (uint64_t)hi << 32 | lo;
}
#else
struct kvm_cpuid2 *host_cpuid_read(void)
{
	err_set("reading the host's CPUID needs an x86-64 build");
	return NULL;
}

uint64_t host_xcr0(const struct kvm_cpuid2 *cpuid)
{
	(void)cpuid;
	return 0;
}
#endif

void cpuid_clear_cpu_ids(struct kvm_cpuid2 *cpuid)
{
	for (uint32_t i = 0; cpuid && i < cpuid->nent; i++) {
		struct kvm_cpuid_entry2 *e = &cpuid->entries[i];

		switch (e->function) {
		case 1:
			e->ebx &= ~CPUID_1_EBX_APIC_ID;
			break;
		case CPUID_X2APIC_LEAF:
		case CPUID_X2APIC_V2_LEAF:
			e->edx = 0;
			break;
		case CPUID_HYBRID_LEAF:
			e->eax = 0;
			break;
		case CPUID_AMD_TOPO_LEAF:
			e->eax = 0;
			e->ebx &= ~CPUID_AMD_TOPO_EBX_CORE;
			e->ecx &= ~CPUID_AMD_TOPO_ECX_NODE;
			break;
		}
	}
}

void host_usable_features(featureset_t *fs, const struct kvm_cpuid2 *cpuid,
			  uint64_t xcr0)
{
	featureset_from_cpuid(fs, cpuid);
	for (unsigned int i = 0; i < nfeatures; i++) {
		/* x87/SSE state is usable on every x86-64 OS, XSAVE or not */
		uint64_t need = features[i].xstates & ~(X86_XSTATE_X87 | X86_XSTATE_SSE);

		if (need & ~xcr0)
			featureset_del(fs, (int)i);
	}
}
