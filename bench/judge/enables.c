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
#include "guestcode/x86_arch.h"

#define ENABLE_ID 0xffff	/* never sent to the guest */

struct enable {
	int reg;		/* ENABLE_CR4, ENABLE_XCR0 */
	uint64_t bits;
	bool kvm_checks;	/* KVM ties the enable to the CPUID feature */
	const char *insn;
};

/* Parallel tables from guestcode/enables.def: results point at enable_descs[]. */
static const struct probe_desc enable_descs[] = {
#define ENABLE(sym_, name_, reg_, bits_, feature_, leaf_, subleaf_, creg_, cbit_, \
	       modes_, checks_, insn_) \
	{ .id = ENABLE_ID, .sym = NULL, .name = name_, .feature = feature_, .ring = 0 },
#include "guestcode/enables.def"
#undef ENABLE
};

static const struct enable enable_info[] = {
#define ENABLE(sym, name, reg, bits, feature, leaf, subleaf, cpuid_reg, cpuid_bit, \
	       modes, kvm_checks, insn) \
	{ reg, bits, kvm_checks, insn },
#include "guestcode/enables.def"
#undef ENABLE
};

#define NENABLES (sizeof(enable_descs) / sizeof(enable_descs[0]))
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
	if (e->reg == ENABLE_XCR0)
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
		r->reason = e->reg == ENABLE_XCR0 ?
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
		uint64_t final = e->reg == ENABLE_CR4 ? os->cr4 : os->xcr0;
		uint64_t refused = e->reg == ENABLE_CR4 ? os->cr4_refused :
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
