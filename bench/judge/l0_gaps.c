// SPDX-License-Identifier: GPL-2.0-only
/*
 * The L0 gap table (judge/l0_gaps.h). Each row names the emulator, the
 * KVM kind running above it, which probes it touches, and the evidence.
 */
#include "judge/l0_gaps.h"

#include <string.h>

#include "cpu/feature.h"

/* Which probes a gap touches. */
enum gap_scope {
	/* instructions that need the guest's XCR0 in the CPU: VEX/EVEX/AMX
	 * state users and the XSAVE family */
	SCOPE_GUEST_XCR0,
	SCOPE_RDTSCP,		/* RDTSCP itself */
};

static const struct l0_gap {
	enum l0_kind l0;
	enum backend_kind backend;
	enum gap_scope scope;
	const char *reason;
} gaps[] = {
	{ L0_QEMU_TCG, BACKEND_KVM_SVM, SCOPE_GUEST_XCR0,
	  "nested under QEMU TCG (7.2), whose SVM delivers no XSETBV intercept "
	  "to the L1 KVM: KVM never learns the guest's XCR0, so the guest's "
	  "AVX and XSAVE instructions run with the wrong state enabled (seen in "
	  "make check-nested: avx, avx2, fma, f16c #UD and XSAVE stores "
	  "nothing while advertised); the emulator's gap, not the model's" },
	{ L0_QEMU_TCG, BACKEND_KVM_SVM, SCOPE_RDTSCP,
	  "nested under QEMU TCG (7.2), whose SVM delivers no RDTSCP intercept "
	  "to the L1 KVM: the guest's RDTSCP runs although KVM asked to "
	  "intercept it (seen in make check-nested); the emulator's gap, not "
	  "KVM's" },
};

static bool in_scope(enum gap_scope scope, int feature)
{
	const struct feature *f;

	if (feature < 0)
		return false;
	f = &features[feature];
	switch (scope) {
	case SCOPE_GUEST_XCR0:
		return (f->xstates & ~X86_XSTATE_X87_SSE) ||
		       (f->leaf == 0xd && f->subleaf == 1) || !strcmp(f->name, "xsave");
	case SCOPE_RDTSCP:
		return !strcmp(f->name, "rdtscp");
	}
	return false;
}

static bool counts_against(const struct probe_result *r)
{
	return r->verdict == VERDICT_MISSING || r->verdict == VERDICT_ERROR ||
	       (r->verdict == VERDICT_LEAK && r->leak == LEAK_UNEXPECTED);
}

bool l0_gap_apply(struct probe_result *r, enum l0_kind l0, enum backend_kind backend)
{
	if (!counts_against(r))
		return false;
	for (size_t i = 0; i < sizeof(gaps) / sizeof(gaps[0]); i++) {
		const struct l0_gap *g = &gaps[i];

		if (g->l0 != l0 || g->backend != backend || !in_scope(g->scope, r->feature))
			continue;
		r->verdict = VERDICT_UNTESTABLE;
		r->leak = LEAK_NONE;
		r->reason = g->reason;
		return true;
	}
	return false;
}
