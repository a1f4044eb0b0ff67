// SPDX-License-Identifier: GPL-2.0-only
/*
 * The verdict table (DESIGN.md section 2) and the backend table that splits
 * expected from unexpected leaks: one row per rule, checked on every backend
 * it concerns.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cpu/feature.h"
#include "judge/probe.h"
#include "judge/verdict.h"

static int idx(const char *name)
{
	int f = feature_lookup(name);

	if (f < 0)
		fail_msg("no feature %s", name);
	return f;
}

/* A guest view advertising @names (NULL-terminated), XCR0 from them. */
static struct guest_view view_of(const char *const *names)
{
	struct guest_view g = { .xcr0_allowed = X86_XSTATE_X87 | X86_XSTATE_SSE };

	featureset_clear(&g.advertised);
	for (; *names; names++) {
		featureset_add(&g.advertised, idx(*names));
		if (!strcmp(*names, "avx"))
			g.xcr0_allowed |= X86_XSTATE_YMM;
		if (!strcmp(*names, "avx512f"))
			g.xcr0_allowed |= X86_XSTATE_AVX512;
	}
	return g;
}

static struct probe_result decide(const char *probe, int ring, enum outcome o,
				  const char *detail, enum backend_kind b,
				  const struct guest_view *g)
{
	struct probe_result r = { .probe = probe_find(probe), .ring = ring,
				  .outcome = o, .vector = o == OUTCOME_FAULT ? 6 : -1 };

	assert_non_null(r.probe);
	strcpy(r.detail, detail);
	verdict_decide(&r, b, g);
	return r;
}

/* advertised x outcome, on hardware backends */
static void test_verdict_table(void **state)
{
	static const char *const adv[] = { "sse2", "avx", "avx2", NULL };
	static const struct {
		const char *probe;
		enum outcome outcome;
		enum verdict verdict;
	} rows[] = {
		{ "avx2", OUTCOME_EXECUTED, VERDICT_OK },
		{ "avx2", OUTCOME_FAULT, VERDICT_MISSING },
		{ "avx2", OUTCOME_ALTERED, VERDICT_MISSING },
		{ "sha-ni", OUTCOME_FAULT, VERDICT_HIDDEN },
		{ "sha-ni", OUTCOME_EXECUTED, VERDICT_LEAK },
		{ "abm", OUTCOME_ALTERED, VERDICT_LEAK },
		{ "avx2", OUTCOME_ERROR, VERDICT_ERROR },
		{ "sha-ni", OUTCOME_ERROR, VERDICT_ERROR },
	};
	struct guest_view g = view_of(adv);

	(void)state;
	for (int b = BACKEND_KVM_VMX; b <= BACKEND_KVM_SVM; b++)
		for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
			struct probe_result r = decide(rows[i].probe, 3, rows[i].outcome,
						       "", b, &g);

			if (r.verdict != rows[i].verdict)
				fail_msg("%s %s on %s: %s, wanted %s", rows[i].probe,
					 outcome_name(rows[i].outcome), backend_kind_name(b),
					 verdict_name(r.verdict), verdict_name(rows[i].verdict));
			assert_non_null(r.reason);
			assert_int_equal(r.advertised, !strcmp(rows[i].probe, "avx2"));
		}
}

/* Which hidden features may leak without a hypervisor bug, and why. */
static void test_leak_kinds(void **state)
{
	static const char *const v1[] = { "sse2", NULL };
	static const char *const with_avx[] = { "sse2", "avx", NULL };
	static const char *const with_xsave[] = { "sse2", "xsave", NULL };
	static const char *const with_rdtscp[] = { "sse2", "rdtscp", NULL };
	static const char *const with_rdpid[] = { "sse2", "rdpid", NULL };
	static const struct {
		const char *feature;
		enum backend_kind backend;
		int ring;
		const char *const *adv;
		enum leak_kind want;
	} rows[] = {
		/* no lever anywhere */
		{ "sse4.2", BACKEND_KVM_VMX, 3, v1, LEAK_EXPECTED },
		{ "sha-ni", BACKEND_KVM_SVM, 3, v1, LEAK_EXPECTED },
		/* XCR0: per state group */
		{ "avx2", BACKEND_KVM_VMX, 3, v1, LEAK_UNEXPECTED },
		{ "avx2", BACKEND_KVM_VMX, 3, with_avx, LEAK_EXPECTED },
		{ "avx512f", BACKEND_KVM_SVM, 3, with_avx, LEAK_UNEXPECTED },
		/* CR4.OSXSAVE gates the whole XSAVE family */
		{ "xsaveopt", BACKEND_KVM_SVM, 3, v1, LEAK_UNEXPECTED },
		{ "xsaveopt", BACKEND_KVM_SVM, 3, with_xsave, LEAK_EXPECTED },
		{ "xgetbv1", BACKEND_KVM_VMX, 3, with_xsave, LEAK_EXPECTED },
		{ "xgetbv1", BACKEND_KVM_VMX, 3, v1, LEAK_UNEXPECTED },
		{ "xsaves", BACKEND_KVM_SVM, 0, v1, LEAK_UNEXPECTED },
		{ "xsaves", BACKEND_KVM_SVM, 0, with_xsave, LEAK_EXPECTED },
		{ "xsaves", BACKEND_KVM_VMX, 0, with_xsave, LEAK_UNEXPECTED },
		/* VMX: one control for RDTSCP and RDPID, either way round */
		{ "rdpid", BACKEND_KVM_VMX, 3, v1, LEAK_UNEXPECTED },
		{ "rdpid", BACKEND_KVM_VMX, 3, with_rdtscp, LEAK_EXPECTED },
		{ "rdtscp", BACKEND_KVM_VMX, 3, with_rdpid, LEAK_EXPECTED },
		{ "rdtscp", BACKEND_KVM_VMX, 3, v1, LEAK_UNEXPECTED },
		{ "rdtscp", BACKEND_KVM_SVM, 3, with_rdpid, LEAK_UNEXPECTED },
		/* intercepts that exist on one vendor only */
		{ "rdrand", BACKEND_KVM_VMX, 3, v1, LEAK_UNEXPECTED },
		{ "rdrand", BACKEND_KVM_SVM, 3, v1, LEAK_EXPECTED },
		/* PVM: ring 3 is native, nothing hides anything */
		{ "avx2", BACKEND_KVM_PVM, 3, v1, LEAK_EXPECTED },
		{ "fsgsbase", BACKEND_KVM_PVM, 3, v1, LEAK_EXPECTED },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct guest_view g = view_of(rows[i].adv);
		const char *reason = NULL;
		enum leak_kind got = verdict_leak_kind(idx(rows[i].feature), rows[i].backend,
						       rows[i].ring, &g, &reason);

		if (got != rows[i].want)
			fail_msg("row %zu: %s on %s: %s, wanted %s", i, rows[i].feature,
				 backend_kind_name(rows[i].backend), leak_name(got),
				 leak_name(rows[i].want));
		assert_non_null(reason);
		assert_true(strlen(reason) > 10);
	}
}

/* Known backend limitations are `untestable`; anything else is `error`. */
static void test_untestable(void **state)
{
	static const char *const v3[] = { "sse2", "avx", "avx2", NULL };
	struct guest_view g = view_of(v3);
	struct probe_result r;

	(void)state;
	r = decide("xsaves", 0, OUTCOME_ERROR,
		   "KVM could not emulate the instruction (internal error: emulation failure)",
		   BACKEND_KVM_PVM, &g);
	assert_int_equal(r.verdict, VERDICT_UNTESTABLE);
	/* the same failure on hardware virtualization is a real error */
	r = decide("xsaves", 0, OUTCOME_ERROR,
		   "KVM could not emulate the instruction (internal error: emulation failure)",
		   BACKEND_KVM_VMX, &g);
	assert_int_equal(r.verdict, VERDICT_ERROR);
	r = decide("xsaves", 0, OUTCOME_ERROR, "timeout: the probe did not finish",
		   BACKEND_KVM_PVM, &g);
	assert_int_equal(r.verdict, VERDICT_ERROR);
	/* PVM ring 0 runs unprivileged probes in KVM's emulator: whatever
	 * comes out shows the emulator, not the CPU */
	r = decide("avx2", 0, OUTCOME_FAULT, "", BACKEND_KVM_PVM, &g);
	assert_int_equal(r.verdict, VERDICT_UNTESTABLE);
	r = decide("abm", 0, OUTCOME_ALTERED, "", BACKEND_KVM_PVM, &g);
	assert_int_equal(r.verdict, VERDICT_UNTESTABLE);
	/* ... but privileged probes are judged there */
	r = decide("vmx", 0, OUTCOME_FAULT, "", BACKEND_KVM_PVM, &g);
	assert_int_equal(r.verdict, VERDICT_HIDDEN);
	r = decide("avx2", 3, OUTCOME_FAULT, "", BACKEND_KVM_PVM, &g);
	assert_int_equal(r.verdict, VERDICT_MISSING);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verdict_table),
		cmocka_unit_test(test_leak_kinds),
		cmocka_unit_test(test_untestable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
