// SPDX-License-Identifier: GPL-2.0-only
/*
 * The QEMU backend: the console protocol parsers, the TCG table, and TCG as
 * the oracle for the probes. The oracle runs every probe under qemu-tcg
 * with its feature advertised (one run) and hidden (one run each) on the
 * Haswell-v4 test model; the expectation comes from bench/judge/tcg_table.c: where
 * TCG checks the bit a hidden feature must fault, and a leak there is a
 * probe bug or a wrong table row. Tests that boot QEMU skip, with the
 * reason, only where qemu-system-x86_64 is not installed.
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
#include "cpu/feature.h"
#include "judge/tcg_table.h"
#include "judge/verdict.h"
#include "lib/err.h"
#include "qemu/qemu_vm.h"

#define ORACLE_PROBE_TIMEOUT_MS 2000	/* a hang, not a slow probe (microseconds in TCG) on a busy machine */

/*
 * Hidden features whose run cannot happen under QEMU 7.2, with the reason;
 * the table's row for the feature stays checked by the advertised run.
 */
static const struct {
	const char *feature, *why;
} known_broken[] = {
	{ "xsaveopt", "QEMU 7.2's TCG loops forever on the CR4.OSXSAVE write when "
		      "xsave is advertised without any leaf 0xD.1 feature" },
};

static void test_console_parse(void **state)
{
	static struct mailbox mb;
	const char text[] =
		"@mb 00000000 01000000\n"
		"noise\n"
		"@run 007\n"
		"@mb 00000004 0a0b\n"
		"@mb 00000010 ff";	/* incomplete last line: ignored */
	(void)state;
	memset(&mb, 0, sizeof(mb));
	assert_int_equal(qemu_console_parse(text, strlen(text), &mb), 7);
	assert_int_equal(mb.status.current, 1);
	assert_int_equal(((uint8_t *)&mb)[4], 0x0a);
	assert_int_equal(((uint8_t *)&mb)[5], 0x0b);
	assert_int_equal(((uint8_t *)&mb)[16], 0);
}

static void collect(const char *feature, const char *line, void *ctx)
{
	char *out = ctx;

	strcat(out, feature);
	strcat(out, "|");
	assert_non_null(strstr(line, "doesn't support requested feature"));
	assert_null(strstr(line, "qemu-system-x86_64:"));
}

static void test_unavailable_features(void **state)
{
	char found[256] = "";
	const char err[] =
		"qemu-system-x86_64: warning: TCG doesn't support requested feature: CPUID.01H:ECX.pcid [bit 17]\n"
		"qemu-system-x86_64: warning: host doesn't support requested feature: CPUID.07H:EBX.invpcid [bit 10]\n"
		"qemu-system-x86_64: warning: host doesn't support requested feature: CPUID.01H:ECX.sse4.2 [bit 20]\n"
		"qemu-system-x86_64: TCG doesn't support requested features\n";
	(void)state;
	assert_int_equal(qemu_unavailable_features(err, collect, found), 3);
	assert_string_equal(found, "pcid|invpcid|sse4.2|");
}

/* Every probed feature has a TCG row: the table says what TCG does. */
static void test_tcg_table_covers_probes(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < nprobes; i++) {
		const char *reason;
		bool listed;
		int f = feature_lookup(probes[i].feature);

		if (probe_is_selftest(&probes[i]))
			continue;
		tcg_feature_check(f, &reason, &listed);
		if (!listed)
			fail_msg("probe %s: feature %s has no row in bench/judge/tcg_table.c",
				 probes[i].name, probes[i].feature);
		assert_non_null(reason);
	}
}

static bool have_qemu(void)
{
	const char *path = getenv("PATH");
	char buf[4096];

	if (getenv("CPUBENCH_QEMU"))
		return !access(getenv("CPUBENCH_QEMU"), X_OK);
	for (const char *p = path; p && *p;) {
		const char *end = strchr(p, ':');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		snprintf(buf, sizeof(buf), "%.*s/qemu-system-x86_64", (int)n, p);
		if (!access(buf, X_OK))
			return true;
		p = end ? end + 1 : NULL;
	}
	return false;
}

#define REQUIRE_QEMU()							\
	do {								\
		if (!have_qemu()) {					\
			print_message("skip: qemu-system-x86_64 is not installed\n"); \
			skip();						\
		}							\
	} while (0)

static struct probe_result results[512];

/* The x86-64 baseline the payload's own code (compiled for x86-64) uses. */
static bool x86_64_baseline(const char *feature)
{
	static const char *const base[] = {
		"fpu", "cmov", "cx8", "fxsr", "mmx", "sse", "sse2", "lm", "syscall",
	};

	for (size_t i = 0; i < sizeof(base) / sizeof(base[0]); i++)
		if (!strcmp(feature, base[i]))
			return true;
	return false;
}

static struct run_report report;

/* Runs results[0..n) under @m through the pipeline; -1 if no guest ran. */
static int run(struct backend *b, struct mask *m, unsigned int n)
{
	struct model_run_opts o = { .ring = -1, .timeout_ms = ORACLE_PROBE_TIMEOUT_MS };

	memset(&report, 0, sizeof(report));
	report.results = results;
	report.nresults = n;
	return model_run(b, m, &o, &report);
}

static bool was_dropped(int f)
{
	for (unsigned int k = 0; k < report.ngaps; k++)
		if (report.gaps[k].feature == f)
			return true;
	return false;
}

static void test_tcg_oracle(void **state)
{
	struct backend b;
	struct mask base, m;
	unsigned int n = 0, failures = 0;
	const struct probe_desc *list[512];
	(void)state;

	REQUIRE_QEMU();
	assert_int_equal(backend_open(&b, "qemu-tcg", NULL), 0);
	if (mask_resolve("Haswell-v4", NULL, NULL, &base))
		fail_msg("%s", err_msg());
	for (unsigned int i = 0; i < nprobes; i++)
		if (!probe_is_selftest(&probes[i]))
			list[n++] = &probes[i];

	/* With every probed feature advertised: one run. */
	m = base;
	for (unsigned int i = 0; i < n; i++)
		featureset_add(&m.features, feature_lookup(list[i]->feature));
	memset(results, 0, sizeof(results));
	for (unsigned int i = 0; i < n; i++) {
		results[i].probe = list[i];
		results[i].ring = list[i]->ring == 0 ? 0 : 3;
	}
	if (run(&b, &m, n))
		fail_msg("qemu-tcg run failed: %s", err_msg());
	for (unsigned int i = 0; i < n; i++) {
		const char *reason;
		bool listed;
		int f = feature_lookup(list[i]->feature);
		enum tcg_check c = tcg_feature_check(f, &reason, &listed);

		if (was_dropped(f) || !results[i].advertised) {
			/* QEMU cannot provide it, or does not know the flag */
			if (c == TCG_CHECKS) {
				print_error("with %s: QEMU cannot provide it, the TCG table says TCG checks it\n",
					    list[i]->feature);
				failures++;
			}
		} else if (results[i].verdict != VERDICT_OK &&
			   results[i].verdict != VERDICT_UNTESTABLE) {
			print_error("with %s: probe %s is %s (%s), wanted ok\n", list[i]->feature,
				    list[i]->name, verdict_name(results[i].verdict), results[i].detail);
			failures++;
		}
	}
	/* Each feature hidden, alone: one run per probe. */
	for (unsigned int i = 0; i < n; i++) {
		const char *reason;
		bool listed;
		int f = feature_lookup(list[i]->feature);
		enum tcg_check c = tcg_feature_check(f, &reason, &listed);
		struct probe_result *r = &results[0];
		bool broken = false;

		for (size_t k = 0; k < sizeof(known_broken) / sizeof(known_broken[0]); k++)
			if (!strcmp(known_broken[k].feature, list[i]->feature)) {
				print_message("not run without %s: %s\n", list[i]->feature,
					      known_broken[k].why);
				broken = true;
			}
		if (broken)
			continue;
		m = base;
		featureset_del(&m.features, f);
		memset(r, 0, sizeof(*r));
		r->probe = list[i];
		r->ring = list[i]->ring == 0 ? 0 : 3;
		if (run(&b, &m, 1)) {
			/* The payload is built for x86-64: it needs the baseline. */
			if (!x86_64_baseline(list[i]->feature)) {
				print_error("without %s: %s\n", list[i]->feature, err_msg());
				failures++;
			}
			continue;
		}
		if (r->verdict == VERDICT_HIDDEN)
			continue;
		if (r->verdict == VERDICT_LEAK && r->leak == LEAK_EXPECTED && c != TCG_CHECKS)
			continue;
		if (r->verdict == VERDICT_UNTESTABLE)	/* a known TCG limitation */
			continue;
		print_error("without %s: probe %s is %s%s%s (%s) — %s\n", list[i]->feature,
			    list[i]->name, verdict_name(r->verdict),
			    r->leak ? " " : "", r->leak ? leak_name(r->leak) : "",
			    r->detail, c == TCG_CHECKS ?
			    "TCG checks this bit: a probe bug or a wrong table row" :
			    "unexpected for this table row");
		failures++;
	}
	backend_close(&b);
	assert_int_equal(failures, 0);
}

/*
 * Each run owns what the backend could not provide: a second run (as
 * --compare-backends makes) never changes the first one's gaps or reasons.
 */
static void test_runs_own_their_gaps(void **state)
{
	static struct probe_result res_a[4], res_b[4];
	static struct run_report a, b_rep;
	struct model_run_opts o = { .ring = -1, .timeout_ms = ORACLE_PROBE_TIMEOUT_MS };
	struct mask ma, mb;
	struct backend b;
	char why0[200];
	unsigned int n0;

	(void)state;
	REQUIRE_QEMU();
	assert_int_equal(backend_open(&b, "qemu-tcg", NULL), 0);
	/* Haswell-v4 asks for pcid, x2apic, tsc-deadline... TCG has none */
	assert_int_equal(mask_resolve("Haswell-v4", NULL, NULL, &ma), 0);
	assert_int_equal(mask_resolve("x86-64-v2,+pcid", NULL, NULL, &mb), 0);
	res_a[0].probe = res_b[0].probe = probe_find("pcid");
	res_a[1].probe = res_b[1].probe = probe_find("sse2");
	a.results = res_a;
	a.nresults = 2;
	b_rep.results = res_b;
	b_rep.nresults = 2;
	if (model_run(&b, &ma, &o, &a))
		fail_msg("%s", err_msg());
	n0 = a.ngaps;
	assert_true(n0 > 1);
	snprintf(why0, sizeof(why0), "%s", a.gaps[n0 - 1].why);
	if (model_run(&b, &mb, &o, &b_rep))
		fail_msg("%s", err_msg());
	assert_int_equal(b_rep.ngaps, 1);
	assert_int_equal(b_rep.gaps[0].feature, feature_lookup("pcid"));
	assert_int_equal(a.ngaps, n0);
	assert_string_equal(a.gaps[n0 - 1].why, why0);
	/* pcid's reason is QEMU's words, held by its own report */
	assert_int_equal(res_a[0].verdict, VERDICT_UNTESTABLE);
	assert_true(res_a[0].reason >= a.gaps[0].why &&
		    res_a[0].reason < (const char *)(a.gaps + a.ngaps));
	assert_non_null(strstr(res_a[0].reason, "pcid"));
	backend_close(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_console_parse),
		cmocka_unit_test(test_unavailable_features),
		cmocka_unit_test(test_tcg_table_covers_probes),
		cmocka_unit_test(test_tcg_oracle),
		cmocka_unit_test(test_runs_own_their_gaps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
