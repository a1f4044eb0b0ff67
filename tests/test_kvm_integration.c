// SPDX-License-Identifier: GPL-2.0-only
/*
 * Integration tests that boot real guests through /dev/kvm. Expectations
 * come from the backend table (verdict.c) and the host's own CPUID, never
 * from what one machine did once. Skipped, with the reason, only where
 * /dev/kvm does not exist.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "backend/backend.h"
#include "backend/model_run.h"
#include "catalog/mask.h"
#include "cpu/cpuid_builder.h"
#include "cpu/feature.h"
#include "judge/verdict.h"
#include "lib/err.h"
#include "native_probe.h"
#include "vmm/kvm.h"
#include "host/host_info.h"
#include "vmm/runner.h"

/* The KVM the tests ask for its supported CPUID, and the backend over it. */
static struct kvm_sys kvm;
static struct backend backend;

static int setup(void **state)
{
	(void)state;
	if (access("/dev/kvm", F_OK))
		return 0;
	if (kvm_sys_open(&kvm, "/dev/kvm") || backend_open(&backend, "kvm", "/dev/kvm")) {
		fprintf(stderr, "cannot open /dev/kvm: %s\n", err_msg());
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (kvm.supported) {
		backend_close(&backend);
		kvm_sys_close(&kvm);
	}
	return 0;
}

#define REQUIRE_KVM()							\
	do {								\
		if (!kvm.supported) {					\
			print_message("skip: /dev/kvm does not exist\n"); \
			skip();						\
		}							\
	} while (0)

/*
 * Runs @names (NULL-terminated; NULL: every probe) under @spec, at @ring
 * where a probe may choose, through the pipeline verify uses.
 */
static void run_probes(const char *spec, const char *const *names,
		       struct probe_result *res, unsigned int *n, int ring)
{
	static struct run_report report;
	struct model_run_opts o = { .guest_os = GUEST_OS_LINUX, .ring = ring };
	struct mask mask;

	assert_int_equal(mask_resolve(spec, NULL, &backend.host, &mask), 0);
	*n = 0;
	for (unsigned int i = 0; i < nprobes; i++) {
		const struct probe_desc *p = &probes[i];
		bool wanted = !names;

		for (const char *const *nm = names; nm && *nm; nm++)
			wanted |= !strcmp(*nm, p->name);
		if (!wanted || (!names && probe_is_selftest(p)))
			continue;
		res[*n] = (struct probe_result){ .probe = p,
			.ring = p->ring == 0 ? 0 : ring };
		(*n)++;
	}
	memset(&report, 0, sizeof(report));
	host_info_read(&report.host, NULL);	/* the L0 below this KVM, as verify does */
	report.results = res;
	report.nresults = *n;
	if (model_run(&backend, &mask, &o, &report))
		fail_msg("%s: %s", spec, err_msg());
	assert_int_equal(report.nresults, *n);
}

static struct probe_result *find(struct probe_result *res, unsigned int n,
				 const char *name)
{
	for (unsigned int i = 0; i < n; i++)
		if (!strcmp(res[i].probe->name, name))
			return &res[i];
	fail_msg("no result for %s", name);
	return NULL;
}

static void test_sse2_control_executes(void **state)
{
	static const char *const names[] = { "sse2", NULL };
	struct probe_result res[4];
	unsigned int n;

	(void)state;
	REQUIRE_KVM();
	run_probes("x86-64-v1", names, res, &n, 3);
	assert_int_equal(n, 1);
	assert_int_equal(res[0].outcome, OUTCOME_EXECUTED);
	assert_int_equal(res[0].value, res[0].probe->expected);
	assert_int_equal(res[0].verdict, VERDICT_OK);
}

/* A fault is captured with its vector and RIP and the next probe runs. */
static void test_ud2_captured_then_next_runs(void **state)
{
	static const char *const names[] = { "selftest-ud2", "sse2", NULL };
	struct probe_result res[4];
	unsigned int n;

	(void)state;
	REQUIRE_KVM();
	for (int ring = 3; ring >= 0; ring -= 3) {
		struct probe_result *ud, *sse2;

		run_probes("x86-64-v1", names, res, &n, ring);
		ud = find(res, n, "selftest-ud2");
		sse2 = find(res, n, "sse2");
		assert_int_equal(ud->outcome, OUTCOME_FAULT);
		assert_int_equal(ud->vector, 6);
		assert_true(ud->rip != 0);
		/* At ring 0 on PVM, SSE2 is beyond KVM's emulator: untestable. */
		if (ring == 0 && kvm.kind == BACKEND_KVM_PVM)
			assert_int_equal(sse2->verdict, VERDICT_UNTESTABLE);
		else
			assert_int_equal(sse2->verdict, VERDICT_OK);
	}
}

/*
 * Whether the silicon lacks what probe @p tests: for ring-3 probes, the
 * probe dies when run natively (a nested host's CPUID may hide what its
 * CPU runs, so CPUID alone does not tell); for privileged ones, the host's
 * CPUID bit is clear.
 */
static bool host_lacks(const struct probe_desc *p, int feature)
{
	uint64_t value;

	if (p->ring == 0)
		return !host_cpu_has(feature);
	return native_probe_run(p->id, &value) != 0;
}

/*
 * Instructions a backend completes at guest ring 3 although the CPU raises
 * #UD for them natively. Every #UD in a KVM guest first goes to KVM's
 * instruction emulator (handle_ud, EMULTYPE_TRAP_UD), which runs the
 * instructions its decoder marks EmulateOnUD when the guest's CPUID has
 * them: MOVBE and RDPID (arch/x86/kvm/emulate.c), so forcing them on a CPU
 * without them is `ok`, slowly but truly. On PVM a probe whose only
 * evidence is completion (SERIALIZE has no result) cannot tell emulation
 * from execution.
 */
static const struct {
	enum backend_kind backend;
	const char *probe;
} completed_on_ud[] = {
	{ BACKEND_KVM_VMX, "movbe" }, { BACKEND_KVM_VMX, "rdpid" },
	{ BACKEND_KVM_SVM, "movbe" }, { BACKEND_KVM_SVM, "rdpid" },
	{ BACKEND_KVM_PVM, "serialize" },
};

/*
 * Probes whose instruction a CPU without the feature runs with the same
 * result, so forcing the feature on cannot show `missing`: WBNOINVD is
 * F3 0F 09, which such a CPU runs as WBINVD.
 */
static bool same_result_without(const char *probe)
{
	return !strcmp(probe, "wbnoinvd");
}

static bool known_completed_on_ud(const char *probe)
{
	for (size_t i = 0; i < sizeof(completed_on_ud) / sizeof(completed_on_ud[0]); i++)
		if (completed_on_ud[i].backend == kvm.kind &&
		    !strcmp(completed_on_ud[i].probe, probe))
			return true;
	return false;
}

/* Forcing on a feature the host CPU lacks yields `missing` (or a known
 * `untestable`), never `ok`. */
static void test_forced_absent_feature_is_missing(void **state)
{
	struct probe_result res[2];
	unsigned int n, tried = 0;

	(void)state;
	REQUIRE_KVM();
	for (unsigned int i = 0; i < nprobes; i++) {
		const char *names[] = { probes[i].name, NULL };
		char spec[96];
		int f;

		if (probe_is_selftest(&probes[i]))
			continue;
		f = feature_lookup(probes[i].feature);
		assert_true(f >= 0);
		/* KVM provides some features without the silicon (it emulates
		 * IA32_TSC_ADJUST, UMIP by descriptor-table exiting): those are
		 * in its supported CPUID, and forcing them is a true `ok`. */
		if (!host_lacks(&probes[i], f) || featureset_has(&backend.host, f) ||
		    known_completed_on_ud(probes[i].name) ||
		    same_result_without(probes[i].name))
			continue;
		snprintf(spec, sizeof(spec), "x86-64-v1,+%s", probes[i].feature);
		run_probes(spec, names, res, &n, 3);
		assert_int_equal(n, 1);
		assert_true(res[0].advertised);
		print_message("forced %-10s -> %s\n", probes[i].feature,
			      verdict_name(res[0].verdict));
		assert_true(res[0].verdict == VERDICT_MISSING ||
			    res[0].verdict == VERDICT_UNTESTABLE);
		tried++;
	}
	if (!tried)
		print_message("the host CPU has every probed feature\n");
}

/*
 * Under x86-64-v1 most features are hidden. Every hidden feature the host
 * CPU has must behave as the backend table says: where a lever exists and
 * applies (an `unexpected` leak if it ran), it must fault; where none
 * exists, it must execute.
 */
static void test_hidden_matches_backend_table(void **state)
{
	struct probe_result res[PROBE_ID_NR];
	struct mask mask;
	struct kvm_cpuid2 *cpuid;
	struct guest_view view;
	unsigned int n, checked = 0;

	(void)state;
	REQUIRE_KVM();
	run_probes("x86-64-v1", NULL, res, &n, 3);
	assert_int_equal(mask_resolve("x86-64-v1", NULL, &backend.host, &mask), 0);
	cpuid = cpuid_build(kvm.supported, &mask.features, NULL);
	assert_non_null(cpuid);
	guest_view_from_cpuid(&view, cpuid);
	for (unsigned int i = 0; i < n; i++) {
		struct probe_result *r = &res[i];
		const char *reason;
		enum leak_kind want;

		if (r->advertised || r->outcome == OUTCOME_ERROR ||
		    !host_cpu_has(r->feature))
			continue;
		if (r->verdict == VERDICT_HIDDEN && r->outcome == OUTCOME_ALTERED) {
			/* the CPU itself withholds the effect (TSX switched off) */
			print_message("%-10s ring %d: hidden by the CPU: %s\n",
				      r->probe->name, r->ring, r->reason);
			continue;
		}
		if (r->verdict == VERDICT_UNTESTABLE) {
			/* the L0 below this KVM lacks it (judge/l0_gaps.c) */
			print_message("%-10s ring %d: untestable here: %s\n",
				      r->probe->name, r->ring, r->reason);
			continue;
		}
		want = verdict_leak_kind(r->feature, kvm.kind, r->ring, &view, &reason);
		print_message("%-10s ring %d: %s, table says %s\n", r->probe->name,
			      r->ring, outcome_name(r->outcome),
			      want == LEAK_EXPECTED ? "no lever" : "enforced");
		assert_int_equal(r->verdict, want == LEAK_UNEXPECTED ?
				 VERDICT_HIDDEN : VERDICT_LEAK);
		checked++;
	}
	free(cpuid);
	assert_true(checked > 0);
}

/*
 * la57 through the boot path: a model that advertises la57 is entered with
 * 5-level paging where this KVM supports it (the probe loads through PML5
 * slot 1: ok), and with 4-level paging where KVM refuses CR4.LA57 (the
 * probe #GPs: missing, the host cannot keep the model's promise); a model
 * that hides it boots 4-level as Linux would (hidden).
 */
static void test_la57_boot_path(void **state)
{
	static const char *const names[] = { "la57", NULL };
	int la57 = feature_lookup("la57");
	struct probe_result res[2];
	unsigned int n;

	(void)state;
	REQUIRE_KVM();
	run_probes("x86-64-v2,+la57", names, res, &n, 0);
	assert_int_equal(n, 1);
	print_message("la57 advertised, KVM %s it: %s\n",
		      featureset_has(&backend.host, la57) ? "supports" : "lacks",
		      verdict_name(res[0].verdict));
	assert_int_equal(res[0].verdict, featureset_has(&backend.host, la57) ?
			 VERDICT_OK : VERDICT_MISSING);
	run_probes("x86-64-v2", names, res, &n, 0);
	assert_int_equal(res[0].verdict, VERDICT_HIDDEN);
	assert_int_equal(res[0].vector, 13);	/* non-canonical: #GP */
}

/*
 * A CPUID KVM refuses (more than KVM_MAX_CPUID_ENTRIES, 256, entries:
 * KVM_SET_CPUID2 says E2BIG) ends the run with an error that names the
 * ioctl and tells the user what to do.
 */
static void test_refused_cpuid_is_reported(void **state)
{
	struct kvm_cpuid2 *big;
	struct probe_obs obs;
	struct run_plan plan = { .guest_os = GUEST_OS_LINUX };

	(void)state;
	REQUIRE_KVM();
	big = cpuid2_alloc(257);
	assert_non_null(big);
	for (unsigned int i = 0; i < big->nent; i++)
		big->entries[i] = kvm.supported->entries[i % kvm.supported->nent];
	assert_int_equal(runner_run(&kvm, big, &plan, &obs, NULL, NULL, NULL), -1);
	assert_non_null(strstr(err_msg(), "KVM_SET_CPUID2"));
	assert_non_null(strstr(err_msg(), "KVM refuses this model's CPUID"));
	assert_int_equal(err_class(), EXIT_ENV);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refused_cpuid_is_reported),
		cmocka_unit_test(test_sse2_control_executes),
		cmocka_unit_test(test_ud2_captured_then_next_runs),
		cmocka_unit_test(test_forced_absent_feature_is_missing),
		cmocka_unit_test(test_hidden_matches_backend_table),
		cmocka_unit_test(test_la57_boot_path),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
