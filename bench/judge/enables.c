// SPDX-License-Identifier: GPL-2.0-only
/*
 * Raw guest-OS enables as result rows (see enables.h).
 *
 * The CR4 bits KVM checks against the guest's CPUID are those of its
 * __cr4_reserved_bits() (arch/x86/kvm/x86.h): OSXSAVE, SMEP, SMAP,
 * FSGSBASE, PKE, LA57, UMIP, PCIDE, VMXE. XSETBV is checked against the
 * guest's leaf 0xD (kvm_set_xcr → guest_supported_xcr0). Both inject
 * #GP(0) when they refuse; the guest records that the write faulted, and
 * the refusal is reported as that #GP.
 */
#include "judge/enables.h"

#include <string.h>

#include "cpu/feature.h"

#define ENABLE_ID 0xffff	/* never sent to the guest */

enum enable_kind { EN_CR4, EN_XCR0 };

struct enable {
	enum enable_kind kind;
	uint64_t bits;
	bool kvm_checks;	/* KVM ties the enable to the CPUID feature */
	const char *insn;
};

#define CR4(bit) (1ULL << (bit))
#define DESC(n, f) { .id = ENABLE_ID, .sym = NULL, .name = n, .feature = f, .ring = 0 }

/* Parallel tables: results point at enable_descs[]. */
static const struct probe_desc enable_descs[] = {
	DESC("cr4.osfxsr", "fxsr"),
	DESC("cr4.osxmmexcpt", "sse"),
	DESC("cr4.osxsave", "xsave"),
	DESC("cr4.pcide", "pcid"),
	DESC("cr4.fsgsbase", "fsgsbase"),
	DESC("cr4.smep", "smep"),
	DESC("cr4.smap", "smap"),
	DESC("cr4.umip", "umip"),
	DESC("cr4.pke", "pku"),
	DESC("cr4.la57", "la57"),
	DESC("cr4.vmxe", "vmx"),
	DESC("xcr0.x87+sse", "xsave"),
	DESC("xcr0.ymm", "avx"),
	DESC("xcr0.avx512", "avx512f"),
	DESC("xcr0.pkru", "pku"),
	DESC("xcr0.amx", "amx-tile"),
};

static const struct enable enable_info[] = {
	{ EN_CR4, CR4(9), false, "mov cr4, rax (set CR4.OSFXSR, bit 9)" },
	{ EN_CR4, CR4(10), false, "mov cr4, rax (set CR4.OSXMMEXCPT, bit 10)" },
	{ EN_CR4, CR4(18), true, "mov cr4, rax (set CR4.OSXSAVE, bit 18)" },
	{ EN_CR4, CR4(17), true, "mov cr4, rax (set CR4.PCIDE, bit 17)" },
	{ EN_CR4, CR4(16), true, "mov cr4, rax (set CR4.FSGSBASE, bit 16)" },
	{ EN_CR4, CR4(20), true, "mov cr4, rax (set CR4.SMEP, bit 20)" },
	{ EN_CR4, CR4(21), true, "mov cr4, rax (set CR4.SMAP, bit 21)" },
	{ EN_CR4, CR4(11), true, "mov cr4, rax (set CR4.UMIP, bit 11)" },
	{ EN_CR4, CR4(22), true, "mov cr4, rax (set CR4.PKE, bit 22)" },
	{ EN_CR4, CR4(12), true, "mov cr4, rax (set CR4.LA57, bit 12)" },
	{ EN_CR4, CR4(13), true, "mov cr4, rax (set CR4.VMXE, bit 13)" },
	{ EN_XCR0, XSTATE_X87 | 2, true, "xsetbv (XCR0 x87|SSE, bits 0-1)" },
	{ EN_XCR0, XSTATE_YMM, true, "xsetbv (XCR0.YMM, bit 2)" },
	{ EN_XCR0, XSTATE_AVX512, true, "xsetbv (XCR0 opmask|ZMM_Hi256|Hi16_ZMM, bits 5-7)" },
	{ EN_XCR0, XSTATE_PKRU, true, "xsetbv (XCR0.PKRU, bit 9)" },
	{ EN_XCR0, XSTATE_AMX, true, "xsetbv (XCR0 XTILECFG|XTILEDATA, bits 17-18)" },
};

#define NENABLES (sizeof(enable_descs) / sizeof(enable_descs[0]))
_Static_assert(NENABLES == sizeof(enable_info) / sizeof(enable_info[0]),
	       "one info row per enable");
_Static_assert(NENABLES <= ENABLES_MAX, "ENABLES_MAX covers the table");

static int enable_index(const struct probe_desc *p)
{
	if (p < enable_descs || p >= enable_descs + NENABLES)
		return -1;
	return (int)(p - enable_descs);
}

const char *enable_instruction(const struct probe_desc *p)
{
	int i = enable_index(p);

	return i < 0 ? NULL : enable_info[i].insn;
}

static void judge(struct probe_result *r, const struct enable *e,
		  bool accepted, const struct guest_view *g)
{
	r->feature = feature_lookup(r->probe->feature);
	if (e->kind == EN_XCR0)
		r->advertised = (e->bits & g->xcr0_allowed) == e->bits;
	else
		r->advertised = r->feature >= 0 &&
				featureset_has(&g->advertised, r->feature);
	r->leak = LEAK_NONE;
	if (r->advertised) {
		r->verdict = accepted ? VERDICT_OK : VERDICT_MISSING;
		r->reason = accepted ?
			"advertised, and the hypervisor accepts the enable" :
			"advertised, but the hypervisor refuses the enable (#GP): "
			"a guest OS that trusts CPUID fails to boot here";
		return;
	}
	if (!accepted) {
		r->verdict = VERDICT_HIDDEN;
		r->reason = "hidden, and the hypervisor refuses the enable (#GP): "
			    "hiding is enforced";
		return;
	}
	r->verdict = VERDICT_LEAK;
	if (e->kvm_checks) {
		r->leak = LEAK_UNEXPECTED;
		r->reason = e->kind == EN_XCR0 ?
			"hidden, yet XSETBV accepted the state: KVM checks XCR0 "
			"against the guest's leaf 0xD" :
			"hidden, yet the CR4 write was accepted: KVM's common code "
			"treats this bit as reserved when its feature is hidden, "
			"this hypervisor did not";
	} else {
		r->leak = LEAK_EXPECTED;
		r->reason = "KVM does not tie this CR4 bit to CPUID: the enable "
			    "succeeds whatever the model says";
	}
}

unsigned int enables_append(const struct mb_os *os, enum backend_kind backend,
			    const struct guest_view *g, struct probe_result *out)
{
	unsigned int n = 0;

	(void)backend;	/* KVM's checks are in its common code: every backend */
	if (!os->booted)
		return 0;
	for (unsigned int i = 0; i < NENABLES; i++) {
		const struct enable *e = &enable_info[i];
		uint64_t final = e->kind == EN_CR4 ? os->cr4 : os->xcr0;
		uint64_t refused = e->kind == EN_CR4 ? os->cr4_refused :
				   os->xcr0_refused;
		bool accepted = (final & e->bits) == e->bits;
		struct probe_result *r;

		if (!accepted && !(refused & e->bits))
			continue;	/* not tried */
		r = &out[n++];
		memset(r, 0, sizeof(*r));
		r->probe = &enable_descs[i];
		r->ring = 0;
		r->vector = -1;
		if (accepted) {
			r->outcome = OUTCOME_EXECUTED;
		} else {
			r->outcome = OUTCOME_FAULT;
			r->vector = 13;
		}
		judge(r, e, accepted, g);
	}
	return n;
}
