// SPDX-License-Identifier: GPL-2.0-only
#include "judge/verdict.h"

#include <string.h>

#include "cpu/cpuid_builder.h"
#include "cpu/feature.h"
#include "judge/tcg_table.h"

void guest_view_from_cpuid(struct guest_view *g, const struct kvm_cpuid2 *cpuid)
{
	featureset_from_cpuid(&g->advertised, cpuid);
	g->xcr0_allowed = cpuid_xcr0_allowed(cpuid);
}

/*
 * Known limitations, one row per backend x ring x kind of failure. A probe
 * error that matches no row stays an `error`: never silently a pass.
 */
static const struct untestable_rule {
	enum backend_kind backend;
	int ring;			/* 0, 3, or -1 for any */
	const char *detail_prefix;	/* matched against the run's detail */
	const char *reason;
} untestable_rules[] = {
	{ BACKEND_KVM_PVM, 0, "KVM could not emulate",
	  "PVM runs guest ring 0 through KVM's instruction emulator, which cannot "
	  "execute this instruction (it lacks SIMD arithmetic, the XSAVE family, "
	  "INVPCID, MONITOR/MWAIT, STAC/CLAC and more)" },
	{ BACKEND_QEMU_TCG, 0, "QEMU: timeout",
	  "a ring-0 probe did not finish under TCG: QEMU 7.2 answers a reserved CR4 "
	  "bit with an SVM #VMEXIT(INVALID) even outside SVM guest mode and loops "
	  "there instead of raising #GP, and MWAIT waits for an interrupt the guest "
	  "never enables" },
};

/*
 * PVM runs guest ring 0 through KVM's instruction emulator: whatever an
 * unprivileged probe does there (fault, run, run as BSR ...) shows the
 * emulator's semantics and its own CPUID checks, not the CPU's.
 */
static const char pvm_ring0_reason[] =
	"PVM runs guest ring 0 through KVM's instruction emulator: the outcome "
	"shows the emulator, not the CPU (run it at ring 3)";

static bool pvm_emulated(const struct probe_result *r, enum backend_kind backend)
{
	return backend == BACKEND_KVM_PVM && r->ring == 0 && r->probe->ring != 0;
}

const char *verdict_untestable(const struct probe_result *r,
			       enum backend_kind backend)
{
	if (pvm_emulated(r, backend))
		return pvm_ring0_reason;
	for (size_t i = 0; i < sizeof(untestable_rules) / sizeof(untestable_rules[0]); i++) {
		const struct untestable_rule *u = &untestable_rules[i];

		if (u->backend == backend && (u->ring < 0 || u->ring == r->ring) &&
		    !strncmp(r->detail, u->detail_prefix, strlen(u->detail_prefix)))
			return u->reason;
	}
	return NULL;
}

/*
 * Hidden features whose instruction still decodes but whose effect the CPU
 * itself withholds: that is hiding, enforced without a fault. The probe's
 * value tells (probes.S).
 */
static const struct {
	const char *probe;
	uint64_t value;		/* what the probe returns then ... */
	uint64_t mask;		/* ... in these bits */
	const char *reason;
} withheld[] = {
	{ "rtm", 0x100000000ULL, 0xffffffff00000000ULL,	/* probes.S: 2^32 | status */
	  "hidden, and no transaction ever commits: TSX is switched off on this "
	  "CPU (RTM_ALWAYS_ABORT, IA32_TSX_CTRL), so XBEGIN always aborts: "
	  "hiding is enforced by abort" },
	{ "hle", 0, ~0ULL,
	  "hidden, and the XACQUIRE/XRELEASE prefixes are plain no-ops here: "
	  "nothing is elided, so software sees no HLE" },
};

static const char *withheld_reason(const struct probe_result *r)
{
	for (size_t i = 0; i < sizeof(withheld) / sizeof(withheld[0]); i++)
		if (!strcmp(r->probe->name, withheld[i].probe) &&
		    (r->value & withheld[i].mask) == withheld[i].value)
			return withheld[i].reason;
	return NULL;
}

static bool advertised(const struct guest_view *g, const char *name)
{
	int f = feature_lookup(name);

	return f >= 0 && featureset_has(&g->advertised, f);
}

/*
 * A lever that works per group rather than per feature is not pulled when
 * the group stays enabled for another advertised feature: then the leak is
 * expected. Returns the reason in that case, else NULL.
 */
static const char *lever_not_applicable(const struct feature *f,
					enum enforce_mech mech,
					enum backend_kind backend,
					const struct guest_view *g)
{
	if (mech == ENFORCE_XCR0 && !(f->xstates & ~g->xcr0_allowed))
		return "XCR0 gates state groups, not features: the state this "
		       "instruction needs stays enabled for another advertised feature";
	/* leaf 0xD.1 holds the XSAVE extensions (xsaveopt, xsavec, xgetbv1,
	 * xsaves): all of them run wherever CR4.OSXSAVE is set */
	if (mech == ENFORCE_CR4 && f->leaf == 0xd && f->subleaf == 1 &&
	    advertised(g, "xsave"))
		return "CR4.OSXSAVE gates the whole XSAVE family: it stays set "
		       "because xsave is advertised";
	if (mech == ENFORCE_INTERCEPT && backend == BACKEND_KVM_VMX &&
	    !strcmp(f->name, "rdpid") && advertised(g, "rdtscp"))
		return "VMX has one control for RDTSCP and RDPID: it stays enabled "
		       "because rdtscp is advertised";
	if (mech == ENFORCE_INTERCEPT && backend == BACKEND_KVM_VMX &&
	    !strcmp(f->name, "rdtscp") && advertised(g, "rdpid"))
		return "VMX has one control for RDTSCP and RDPID: it stays enabled "
		       "because rdpid is advertised";
	return NULL;
}

enum leak_kind verdict_leak_kind(int feature, enum backend_kind backend,
				 int ring, const struct guest_view *g,
				 const char **reason)
{
	const struct feature *f;
	const struct feature_enforce *e;
	const char *why;

	if (feature < 0) {
		*reason = "self-test probe: no feature";
		return LEAK_EXPECTED;
	}
	if (backend == BACKEND_QEMU_TCG)
		return tcg_leak_kind(feature, &g->advertised, reason);
	f = &features[feature];
	e = &f->enforce[backend];
	if (backend == BACKEND_KVM_PVM && ring == 3) {
		*reason = "PVM runs guest ring 3 natively on the host CPU, with the "
			  "host's CR4 and XCR0: no lever exists";
		return LEAK_EXPECTED;
	}
	if (e->mech == ENFORCE_NONE) {
		*reason = e->reason;
		return LEAK_EXPECTED;
	}
	why = lever_not_applicable(f, e->mech, backend, g);
	if (why) {
		*reason = why;
		return LEAK_EXPECTED;
	}
	*reason = e->reason;
	return LEAK_UNEXPECTED;
}

void verdict_decide(struct probe_result *r, enum backend_kind backend,
		    const struct guest_view *g)
{
	const char *reason;

	r->feature = r->probe->feature[0] ? feature_lookup(r->probe->feature) : -1;
	r->advertised = r->feature >= 0 && featureset_has(&g->advertised, r->feature);
	r->leak = LEAK_NONE;
	if (pvm_emulated(r, backend)) {
		r->verdict = VERDICT_UNTESTABLE;
		r->reason = pvm_ring0_reason;
		return;
	}
	switch (r->outcome) {
	case OUTCOME_ERROR:
		reason = verdict_untestable(r, backend);
		r->verdict = reason ? VERDICT_UNTESTABLE : VERDICT_ERROR;
		r->reason = reason ? reason : "the probe could not conclude";
		return;
	case OUTCOME_EXECUTED:
	case OUTCOME_ALTERED:
		if (r->advertised) {
			bool ok = r->outcome == OUTCOME_EXECUTED;

			r->verdict = ok ? VERDICT_OK : VERDICT_MISSING;
			r->reason = ok ? "advertised and executed as architected"
				       : "advertised, but the instruction ran with other semantics";
			return;
		}
		reason = r->outcome == OUTCOME_ALTERED ? withheld_reason(r) : NULL;
		if (reason) {
			r->verdict = VERDICT_HIDDEN;
			r->reason = reason;
			return;
		}
		r->verdict = VERDICT_LEAK;
		r->leak = verdict_leak_kind(r->feature, backend, r->ring, g, &r->reason);
		return;
	case OUTCOME_FAULT:
	default:
		r->verdict = r->advertised ? VERDICT_MISSING : VERDICT_HIDDEN;
		r->reason = r->advertised ?
			"advertised, but faults: software that trusts CPUID crashes here" :
			"hidden, and the instruction faults: hiding is enforced";
		return;
	}
}
