// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for names, run summaries, host facts and the report writers.
 * Reports are rendered into memory and read back (JSON through jansson).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host/host_info.h"
#include "judge/result.h"
#include "report/report.h"
#include "report/style.h"

/* ---- fixtures ---------------------------------------------------------- */

static const struct probe_desc *probe(const char *name)
{
	const struct probe_desc *p = probe_find(name);

	assert_non_null(p);
	return p;
}

static struct probe_result res(const char *name, bool advertised,
			       enum outcome o, enum verdict v)
{
	struct probe_result r = {
		.probe = probe(name),
		.feature = -1,
		.ring = probe(name)->ring,
		.advertised = advertised,
		.outcome = o,
		.vector = -1,
		.verdict = v,
		.leak = LEAK_NONE,
		.reason = "a reason",
	};
	return r;
}

/* One result per verdict, plus a self-test probe. */
enum {
	T_OK, T_MISSING, T_HIDDEN, T_LEAK_EXP, T_LEAK_UNEXP, T_UNTESTABLE,
	T_ERROR, T_SELFTEST, T_NR,
};

static struct probe_result all_results[T_NR];

static void fill_all(void)
{
	struct probe_result *a = all_results;

	a[T_OK] = res("sse2", true, OUTCOME_EXECUTED, VERDICT_OK);
	a[T_OK].value = probe("sse2")->expected;
	a[T_OK].reason = "advertised and executed";

	a[T_MISSING] = res("avx2", true, OUTCOME_FAULT, VERDICT_MISSING);
	a[T_MISSING].vector = 6;
	a[T_MISSING].rip = 0x200abcULL;
	a[T_MISSING].reason = "advertised, yet faults on this host";

	a[T_HIDDEN] = res("vmx", false, OUTCOME_FAULT, VERDICT_HIDDEN);
	a[T_HIDDEN].vector = 13;
	a[T_HIDDEN].error_code = 0x18;
	a[T_HIDDEN].rip = 0x600123ULL;
	a[T_HIDDEN].reason = "CR4.VMXE is reserved when vmx is hidden";

	a[T_LEAK_EXP] = res("popcnt", false, OUTCOME_EXECUTED, VERDICT_LEAK);
	a[T_LEAK_EXP].value = 8;
	a[T_LEAK_EXP].leak = LEAK_EXPECTED;
	a[T_LEAK_EXP].reason = "no hardware control for popcnt";

	a[T_LEAK_UNEXP] = res("abm", false, OUTCOME_ALTERED, VERDICT_LEAK);
	a[T_LEAK_UNEXP].value = 0;
	a[T_LEAK_UNEXP].leak = LEAK_UNEXPECTED;
	a[T_LEAK_UNEXP].reason = "lzcnt ran as bsr";

	a[T_UNTESTABLE] = res("xsaves", true, OUTCOME_ERROR, VERDICT_UNTESTABLE);
	snprintf(a[T_UNTESTABLE].detail, sizeof(a[T_UNTESTABLE].detail),
		 "emulation failure");
	a[T_UNTESTABLE].reason = "PVM emulates ring 0 and cannot run XSAVES";

	a[T_ERROR] = res("rdrand", true, OUTCOME_ERROR, VERDICT_ERROR);
	snprintf(a[T_ERROR].detail, sizeof(a[T_ERROR].detail), "timeout");
	a[T_ERROR].reason = "the probe did not finish";

	a[T_SELFTEST] = res("selftest-ud2", false, OUTCOME_FAULT, VERDICT_HIDDEN);
	a[T_SELFTEST].vector = 6;
	a[T_SELFTEST].rip = 0x200000ULL;
	a[T_SELFTEST].reason = "";
}

static struct run_report report(struct probe_result *results, unsigned int n,
				bool strict)
{
	struct run_report r = {
		.mask = "x86-64-v3",
		.backend = BACKEND_KVM_PVM,
		.guest_os = "linux",
		.strict = strict,
		.nresults = n,
		.results = results,
	};

	snprintf(r.host.vendor, sizeof(r.host.vendor), "GenuineIntel");
	snprintf(r.host.model_name, sizeof(r.host.model_name),
		 "Intel(R) Xeon(R) CPU @ 2.20GHz");
	snprintf(r.host.kernel, sizeof(r.host.kernel), "6.1.0-test");
	return r;
}

/* Results that pass unless strict: ok, hidden, expected leak, untestable. */
static unsigned int passing(struct probe_result *out)
{
	static const int pick[] = { T_OK, T_HIDDEN, T_LEAK_EXP, T_UNTESTABLE };

	for (unsigned int i = 0; i < 4; i++)
		out[i] = all_results[pick[i]];
	return 4;
}

static char *render(const struct run_report *r, enum report_format f)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	assert_int_equal(report_write(out, r, f), 0);
	assert_int_equal(fclose(out), 0);
	assert_non_null(buf);
	return buf;
}

/* The layout of the human writers from now on (--wide, --all, --color). */
static void style(bool wide, bool all, enum term_colour colour)
{
	struct report_style st = { .wide = wide, .all = all, .colour = colour };

	report_style_set(&st);
}

static json_t *render_json(const struct run_report *r)
{
	char *text = render(r, REPORT_JSON);
	json_error_t jerr;
	json_t *root;
	size_t len = strlen(text);

	assert_true(len > 0);
	assert_int_equal(text[len - 1], '\n');
	root = json_loads(text, 0, &jerr);
	if (!root)
		fail_msg("invalid JSON at line %d: %s\n%s", jerr.line, jerr.text,
			 text);
	free(text);
	return root;
}

static int setup(void **state)
{
	(void)state;
	fill_all();
	return 0;
}

/* ---- names ------------------------------------------------------------- */

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(outcome_name(OUTCOME_EXECUTED), "executed");
	assert_string_equal(outcome_name(OUTCOME_FAULT), "fault");
	assert_string_equal(outcome_name(OUTCOME_ALTERED), "altered");
	assert_string_equal(outcome_name(OUTCOME_ERROR), "error");
	assert_string_equal(verdict_name(VERDICT_OK), "ok");
	assert_string_equal(verdict_name(VERDICT_MISSING), "missing");
	assert_string_equal(verdict_name(VERDICT_HIDDEN), "hidden");
	assert_string_equal(verdict_name(VERDICT_LEAK), "leak");
	assert_string_equal(verdict_name(VERDICT_UNTESTABLE), "untestable");
	assert_string_equal(verdict_name(VERDICT_ERROR), "error");
	assert_null(leak_name(LEAK_NONE));
	assert_string_equal(leak_name(LEAK_EXPECTED), "expected");
	assert_string_equal(leak_name(LEAK_UNEXPECTED), "unexpected");
}

static void test_exception_name(void **state)
{
	(void)state;
	assert_string_equal(exception_name(0), "#DE");
	assert_string_equal(exception_name(6), "#UD");
	assert_string_equal(exception_name(9), "#CSO");
	assert_string_equal(exception_name(13), "#GP");
	assert_string_equal(exception_name(14), "#PF");
	assert_string_equal(exception_name(16), "#MF");
	assert_string_equal(exception_name(19), "#XM");
	assert_string_equal(exception_name(21), "#CP");
	assert_null(exception_name(15));
	assert_null(exception_name(22));
	assert_null(exception_name(31));
	assert_null(exception_name(32));
	assert_null(exception_name(99));
	assert_null(exception_name(-1));
}

/* ---- summary ----------------------------------------------------------- */

static void test_summarize_all(void **state)
{
	struct run_report r = report(all_results, T_NR, false);

	(void)state;
	run_report_summarize(&r);
	assert_int_equal(r.summary[VERDICT_OK], 1);
	assert_int_equal(r.summary[VERDICT_MISSING], 1);
	assert_int_equal(r.summary[VERDICT_HIDDEN], 2);
	assert_int_equal(r.summary[VERDICT_LEAK], 2);
	assert_int_equal(r.summary[VERDICT_UNTESTABLE], 1);
	assert_int_equal(r.summary[VERDICT_ERROR], 1);
	assert_int_equal(r.leaks[LEAK_NONE], T_NR - 2);
	assert_int_equal(r.leaks[LEAK_EXPECTED], 1);
	assert_int_equal(r.leaks[LEAK_UNEXPECTED], 1);
	assert_false(r.passed);
}

static void test_summarize_each_failure(void **state)
{
	static const int fails[] = { T_MISSING, T_ERROR, T_LEAK_UNEXP };
	struct probe_result set[5];

	(void)state;
	for (unsigned int i = 0; i < 3; i++) {
		unsigned int n = passing(set);
		struct run_report r;

		set[n++] = all_results[fails[i]];
		r = report(set, n, false);
		run_report_summarize(&r);
		assert_false(r.passed);
	}
}

static void test_summarize_strict(void **state)
{
	struct probe_result set[4];
	unsigned int n = passing(set);
	struct run_report r = report(set, n, false);

	(void)state;
	run_report_summarize(&r);
	assert_true(r.passed);		/* untestable and expected leaks pass */

	r.strict = true;
	run_report_summarize(&r);
	assert_false(r.passed);		/* every leak fails under --strict */

	set[2] = all_results[T_HIDDEN];	/* no leak left */
	run_report_summarize(&r);
	assert_true(r.passed);		/* untestable never fails */
	assert_int_equal(r.summary[VERDICT_UNTESTABLE], 1);
}

static void test_summarize_undecided_leak(void **state)
{
	struct probe_result set[1] = { all_results[T_LEAK_EXP] };
	struct run_report r = report(set, 1, false);

	(void)state;
	set[0].leak = LEAK_NONE;	/* nobody showed it to be expected */
	run_report_summarize(&r);
	assert_int_equal(r.leaks[LEAK_UNEXPECTED], 1);
	assert_false(r.passed);
}

static void test_summarize_empty(void **state)
{
	struct run_report r = report(NULL, 0, true);

	(void)state;
	run_report_summarize(&r);
	assert_true(r.passed);
	for (int v = 0; v < VERDICT_NR; v++)
		assert_int_equal(r.summary[v], 0);
}

/* ---- JSON -------------------------------------------------------------- */

static json_t *get(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	if (!v)
		fail_msg("missing key \"%s\"", key);
	return v;
}

static void assert_jstr(json_t *obj, const char *key, const char *want)
{
	json_t *v = get(obj, key);

	assert_true(json_is_string(v));
	assert_string_equal(json_string_value(v), want);
}

static void assert_jnull(json_t *obj, const char *key)
{
	assert_true(json_is_null(get(obj, key)));
}

static void assert_jint(json_t *obj, const char *key, json_int_t want)
{
	json_t *v = get(obj, key);

	assert_true(json_is_integer(v));
	assert_int_equal(json_integer_value(v), want);
}

static void test_json_top(void **state)
{
	struct run_report r = report(all_results, T_NR, false);
	json_t *root = render_json(&r);
	json_t *host = get(root, "host");
	static const char *const order[] = {
		"cpubench_version", "mask", "backend", "host", "guest_os",
		"guest_cpuid", "strict", "results", "summary", "passed",
		"stats", "unprovided", "failing", "suggestion",
	};
	const char *key;
	json_t *v;
	int i = 0;

	(void)state;
	json_object_foreach(root, key, v) {
		assert_true(i < 14);
		assert_string_equal(key, order[i++]);
	}
	assert_int_equal(i, 14);
	assert_true(json_is_null(get(root, "stats")));	/* no guest ran */
	assert_true(json_is_null(get(get(root, "guest_cpuid"), "matches_model")));
	assert_true(json_is_string(get(root, "cpubench_version")));
	assert_jstr(root, "mask", "x86-64-v3");
	assert_jstr(root, "backend", "kvm-pvm");
	assert_jstr(host, "vendor", "GenuineIntel");
	assert_jstr(host, "model_name", "Intel(R) Xeon(R) CPU @ 2.20GHz");
	assert_jstr(host, "kernel", "6.1.0-test");
	assert_jstr(root, "guest_os", "linux");
	assert_true(json_is_false(get(root, "strict")));
	assert_true(json_is_false(get(root, "passed")));
	assert_int_equal(json_array_size(get(root, "results")), T_NR);
	json_decref(root);
}

/* The run statistics: counts, or null where the backend cannot count. */
static void test_json_stats(void **state)
{
	struct run_report r = report(all_results, T_NR, false);
	json_t *root, *st;

	(void)state;
	r.has_stats = true;
	r.stats = (struct run_stats){ .wall_ns = 12345678, .vcpus = 2, .probes = 87,
				      .kvm_runs = 5, .exits = 174 };
	root = render_json(&r);
	st = get(root, "stats");
	assert_true(json_is_real(get(st, "wall_ms")));
	/* microseconds, at most JSON_REALS digits */
	assert_true(json_real_value(get(st, "wall_ms")) == 12.345);
	assert_jint(st, "vcpus", 2);
	assert_jint(st, "probes", 87);
	assert_jint(st, "kvm_runs", 5);
	assert_jint(st, "exits", 174);
	assert_true(json_real_value(get(st, "exits_per_probe")) == 2.0);
	json_decref(root);

	r.stats = (struct run_stats){ .wall_ns = 4000000000ULL, .vcpus = 1, .probes = 3,
				      .kvm_runs = -1, .exits = -1 };
	root = render_json(&r);
	st = get(root, "stats");
	assert_true(json_real_value(get(st, "wall_ms")) == 4000.0);
	assert_jnull(st, "kvm_runs");
	assert_jnull(st, "exits");
	assert_jnull(st, "exits_per_probe");
	json_decref(root);
}

static void test_json_summary(void **state)
{
	struct run_report r = report(all_results, T_NR, false);
	json_t *root = render_json(&r);
	json_t *s = get(root, "summary");

	(void)state;
	assert_int_equal(json_object_size(s), VERDICT_NR + 4);
	assert_jint(s, "hidden_enforced", 2);
	assert_jint(s, "hidden_probed", 4);
	assert_jint(s, "ok", 1);
	assert_jint(s, "missing", 1);
	assert_jint(s, "hidden", 2);
	assert_jint(s, "leak", 2);
	assert_jint(s, "untestable", 1);
	assert_jint(s, "error", 1);
	assert_jint(s, "leak_expected", 1);
	assert_jint(s, "leak_unexpected", 1);
	json_decref(root);
}

/* Every verdict key is present even when its count is zero. */
static void test_json_summary_zeroes(void **state)
{
	struct probe_result set[1] = { all_results[T_OK] };
	struct run_report r = report(set, 1, false);
	json_t *root = render_json(&r);
	json_t *s = get(root, "summary");

	(void)state;
	assert_jint(s, "ok", 1);
	for (int v = 1; v < VERDICT_NR; v++)
		assert_jint(s, verdict_name(v), 0);
	assert_jint(s, "leak_expected", 0);
	assert_jint(s, "leak_unexpected", 0);
	assert_true(json_is_true(get(root, "passed")));
	json_decref(root);
}

static void test_json_results(void **state)
{
	struct run_report r = report(all_results, T_NR, false);
	json_t *root = render_json(&r);
	json_t *a = get(root, "results");
	json_t *ok = json_array_get(a, T_OK);
	json_t *miss = json_array_get(a, T_MISSING);
	json_t *hid = json_array_get(a, T_HIDDEN);
	json_t *lexp = json_array_get(a, T_LEAK_EXP);
	json_t *lun = json_array_get(a, T_LEAK_UNEXP);
	json_t *unt = json_array_get(a, T_UNTESTABLE);
	json_t *err = json_array_get(a, T_ERROR);
	json_t *self = json_array_get(a, T_SELFTEST);

	(void)state;
	/* executed: a value, no fault fields */
	assert_jstr(ok, "probe", "sse2");
	assert_jstr(ok, "feature", "sse2");
	assert_jint(ok, "ring", 3);
	assert_true(json_is_true(get(ok, "advertised")));
	assert_jstr(ok, "outcome", "executed");
	assert_jnull(ok, "exception");
	assert_jnull(ok, "vector");
	assert_jnull(ok, "error_code");
	assert_jnull(ok, "rip");
	assert_jstr(ok, "value", "0x20406080a0c0e10");
	assert_jstr(ok, "expected_value", "0x20406080a0c0e10");
	assert_jstr(ok, "verdict", "ok");
	assert_jnull(ok, "leak");
	assert_jstr(ok, "reason", "advertised and executed");
	assert_jnull(ok, "detail");

	/* faults: exception, vector, error code and RIP, no value */
	assert_jstr(miss, "outcome", "fault");
	assert_jstr(miss, "exception", "#UD");
	assert_jint(miss, "vector", 6);
	assert_jint(miss, "error_code", 0);
	assert_jstr(miss, "rip", "0x200abc");
	assert_jnull(miss, "value");
	assert_jstr(miss, "verdict", "missing");
	assert_jstr(hid, "exception", "#GP");
	assert_jint(hid, "vector", 13);
	assert_jint(hid, "error_code", 0x18);
	assert_jstr(hid, "rip", "0x600123");
	assert_jint(hid, "ring", 0);
	assert_true(json_is_false(get(hid, "advertised")));
	assert_jstr(hid, "verdict", "hidden");

	/* leaks */
	assert_jstr(lexp, "verdict", "leak");
	assert_jstr(lexp, "leak", "expected");
	assert_jstr(lexp, "value", "0x8");
	assert_jstr(lun, "outcome", "altered");
	assert_jstr(lun, "leak", "unexpected");
	assert_jstr(lun, "value", "0x0");
	assert_jstr(lun, "expected_value", "0x3f");

	/* errors: detail, no value, no fault fields */
	assert_jstr(unt, "outcome", "error");
	assert_jstr(unt, "verdict", "untestable");
	assert_jstr(unt, "detail", "emulation failure");
	assert_jnull(unt, "value");
	assert_jnull(unt, "rip");
	assert_jstr(err, "verdict", "error");
	assert_jstr(err, "detail", "timeout");

	/* self-test probes have no feature */
	assert_jstr(self, "probe", "selftest-ud2");
	assert_jnull(self, "feature");
	assert_jstr(self, "reason", "");
	json_decref(root);
}

static void test_json_passed_strict(void **state)
{
	struct probe_result set[4];
	unsigned int n = passing(set);
	struct run_report r = report(set, n, false);
	json_t *root;

	(void)state;
	root = render_json(&r);
	assert_true(json_is_true(get(root, "passed")));
	assert_true(json_is_false(get(root, "strict")));
	json_decref(root);

	r.strict = true;
	root = render_json(&r);
	assert_true(json_is_false(get(root, "passed")));
	assert_true(json_is_true(get(root, "strict")));
	json_decref(root);
}

/* The writer summarizes itself: a stale summary in @r is not trusted. */
static void test_json_ignores_stale_summary(void **state)
{
	struct run_report r = report(all_results, T_NR, false);
	json_t *root;

	(void)state;
	r.passed = true;
	r.summary[VERDICT_OK] = 99;
	root = render_json(&r);
	assert_true(json_is_false(get(root, "passed")));
	assert_jint(get(root, "summary"), "ok", 1);
	json_decref(root);
}

static void test_json_nulls_and_bad_utf8(void **state)
{
	struct probe_result set[1] = { all_results[T_OK] };
	struct run_report r = report(set, 1, false);
	json_t *root;

	(void)state;
	r.mask = "bad\xff" "mask";
	r.guest_os = NULL;
	root = render_json(&r);
	assert_jstr(root, "mask", "bad?mask");
	assert_jnull(root, "guest_os");
	json_decref(root);
}

/* ---- table ------------------------------------------------------------- */

static const char *line_with(const char *text, const char *needle)
{
	const char *p = strstr(text, needle);

	if (!p)
		fail_msg("\"%s\" not in:\n%s", needle, text);
	while (p > text && p[-1] != '\n')
		p--;
	return p;
}

/* Column of @needle within the line that contains it. */
static long column_of(const char *line, const char *needle)
{
	const char *p = strstr(line, needle);
	const char *nl = strchr(line, '\n');

	assert_non_null(p);
	assert_true(!nl || p < nl);
	return p - line;
}

/* Every row, unlimited width (--all --wide): the columns line up. */
static void test_table_rows(void **state)
{
	struct run_report r = report(all_results, T_NR, false);
	char *t = (style(true, true, TERM_COLOUR_AUTO), render(&r, REPORT_TABLE));
	const char *head = line_with(t, "PROBE");
	const char *ok = line_with(t, "advertised and executed");
	const char *miss = line_with(t, "advertised, yet faults");
	const char *hid = line_with(t, "CR4.VMXE");
	const char *lexp = line_with(t, "no hardware control for popcnt");
	const char *lun = line_with(t, "lzcnt ran as bsr");
	const char *unt = line_with(t, "cannot run XSAVES");
	const char *err = line_with(t, "did not finish");
	const char *self = line_with(t, "selftest-ud2");

	(void)state;
	/* header */
	assert_non_null(strstr(t, "x86-64-v3"));
	assert_non_null(strstr(t, "kvm-pvm"));
	assert_non_null(strstr(t, "GenuineIntel"));
	assert_non_null(strstr(t, "Intel(R) Xeon(R) CPU @ 2.20GHz"));
	assert_non_null(strstr(t, "6.1.0-test"));
	assert_non_null(strstr(t, "linux"));
	assert_null(strchr(t, '\033'));		/* not a terminal */

	/* outcomes and verdicts */
	assert_non_null(strstr(ok, "executed"));
	assert_non_null(strstr(ok, "yes"));
	assert_non_null(strstr(miss, "fault #UD"));
	assert_non_null(strstr(miss, "missing"));
	assert_non_null(strstr(hid, "fault #GP (error 0x18)"));
	assert_non_null(strstr(hid, "hidden"));
	assert_non_null(strstr(hid, "no"));
	assert_non_null(strstr(lexp, "leak (expected)"));
	assert_non_null(strstr(lun, "altered (value 0x0, expected 0x3f)"));
	assert_non_null(strstr(lun, "leak (unexpected)"));
	assert_non_null(strstr(unt, "error: emulation failure"));
	assert_non_null(strstr(unt, "untestable"));
	assert_non_null(strstr(err, "error: timeout"));

	/* aligned: every row's verdict sits under the VERDICT title */
	long vcol = column_of(head, "VERDICT");
	long ocol = column_of(head, "OUTCOME");

	assert_int_equal(column_of(ok, "ok"), vcol);
	assert_int_equal(column_of(miss, "missing"), vcol);
	assert_int_equal(column_of(lun, "leak (unexpected)"), vcol);
	assert_int_equal(column_of(unt, "untestable"), vcol);
	assert_int_equal(column_of(miss, "fault #UD"), ocol);
	assert_int_equal(column_of(unt, "error: emulation"), ocol);
	assert_int_equal(column_of(self, "fault #UD"), ocol);
	assert_int_equal(column_of(self, " -  ") + 1, column_of(head, "FEATURE"));

	/* no trailing blanks, even with an empty reason */
	for (const char *p = t; (p = strchr(p, '\n')); p++)
		assert_true(p == t || (p[-1] != ' ' && p[-1] != '\t'));
	free(t);
}

static void test_table_summary_fail(void **state)
{
	struct run_report r = report(all_results, T_NR, false);
	char *t = (style(true, false, TERM_COLOUR_AUTO), render(&r, REPORT_TABLE));
	const char *s = line_with(t, "x86-64-v3 on kvm-pvm:");

	(void)state;
	assert_non_null(strstr(s, "1 ok, 1 missing, 2 hidden, "
			       "2 leak (1 expected, 1 unexpected), "
			       "1 untestable, 1 error"));
	assert_non_null(strstr(s, "FAIL (1 missing, 1 error, 1 unexpected leak)"));
	assert_null(strstr(t, "PASS"));
	free(t);
}

static void test_table_summary_pass_strict(void **state)
{
	struct probe_result set[4];
	unsigned int n = passing(set);
	struct run_report r = report(set, n, false);
	char *t;

	(void)state;
	style(true, false, TERM_COLOUR_AUTO);
	t = render(&r, REPORT_TABLE);
	/* the PASS says how strong it is */
	assert_non_null(strstr(t, "x86-64-v3 on kvm-pvm: 1 ok, 1 hidden, "
			       "1 leak (1 expected), 1 untestable "
			       "\xe2\x80\x94 PASS \xe2\x80\x94 1 of 2 hidden features "
			       "enforced; 1 cannot be on kvm-pvm\n"));
	free(t);

	r.strict = true;
	t = render(&r, REPORT_TABLE);
	assert_non_null(strstr(t, "FAIL (1 expected leak under --strict)"));
	free(t);

	set[2] = all_results[T_HIDDEN];
	t = render(&r, REPORT_TABLE);
	assert_non_null(strstr(t, "PASS (strict) \xe2\x80\x94 2 of 2 hidden features enforced\n"));
	free(t);
}

/* The columns of the longest line of @t (UTF-8 characters). */
static unsigned int widest_line(const char *t)
{
	unsigned int most = 0;

	while (*t) {
		size_t len = strcspn(t, "\n");
		unsigned int cols = 0;

		for (size_t i = 0; i < len; i++)
			cols += ((unsigned char)t[i] & 0xc0) != 0x80;
		if (cols > most)
			most = cols;
		t += len + (t[len] == '\n');
	}
	return most;
}

/* The last line of @t, newline excluded, in @buf. */
static const char *last_line(const char *t, char *buf, size_t size)
{
	size_t len = strlen(t);
	const char *p;

	assert_true(len > 0 && t[len - 1] == '\n');
	for (p = t + len - 1; p > t && p[-1] != '\n'; p--)
		;
	snprintf(buf, size, "%.*s", (int)(t + len - 1 - p), p);
	return buf;
}

/*
 * By default the rows that fail the model, missing first, then errors,
 * then unexpected leaks; the others counted on one line; the last line
 * names the failing features and what holds.
 */
static void test_table_collapsed(void **state)
{
	struct run_report r = report(all_results, T_NR, false);
	char last[512];
	char *t;
	const char *miss, *err, *lun;

	(void)state;
	style(false, false, TERM_COLOUR_AUTO);
	r.suggestion = "x86-64-v2 or x86-64-v3,-avx2";
	t = render(&r, REPORT_TABLE);
	miss = line_with(t, "advertised, yet faults");
	err = line_with(t, "did not finish");
	lun = line_with(t, "lzcnt ran as bsr");
	assert_true(line_with(t, "PROBE") < miss);
	assert_true(miss < err && err < lun);
	assert_null(strstr(t, "advertised and executed"));	/* ok */
	assert_null(strstr(t, "CR4.VMXE"));			/* hidden */
	assert_null(strstr(t, "no hardware control for popcnt"));	/* leak (expected) */
	assert_null(strstr(t, "selftest-ud2"));
	assert_non_null(strstr(t, "\nand 1 ok, 2 hidden, 1 leak (1 expected), 1 untestable "
			       "(--all lists every row)\n"));
	assert_string_equal(last_line(t, last, sizeof(last)),
			    "FAIL: missing avx2; error rdrand; unexpected leak abm "
			    "\xe2\x80\x94 holds here: x86-64-v2 or x86-64-v3,-avx2");
	free(t);

	/* nothing fails: no rows, only the counts; no "failing:" line */
	struct probe_result set[4];
	unsigned int n = passing(set);

	r = report(set, n, false);
	t = render(&r, REPORT_TABLE);
	assert_null(strstr(t, "PROBE"));
	assert_null(strstr(t, "FAIL"));
	assert_non_null(strstr(t, "\n1 ok, 1 hidden, 1 leak (1 expected), 1 untestable "
			       "(--all lists every row)\n"));
	free(t);

	/* --all: every row, in the order run */
	style(false, true, TERM_COLOUR_AUTO);
	r = report(all_results, T_NR, false);
	t = render(&r, REPORT_TABLE);
	assert_true(line_with(t, "advertised and executed") < line_with(t, "advertised, yet faults"));
	assert_null(strstr(t, "--all lists"));
	free(t);
}

/*
 * A long outcome (KVM's emulation error) and a long reason: no line
 * passes the width, the words are whole, the outcome's and the reason's
 * text stand under the row; --wide keeps one line per row.
 */
static void test_table_fits(void **state)
{
	struct probe_result set[3] = {
		all_results[T_MISSING], all_results[T_ERROR], all_results[T_OK],
	};
	static const char reason[] =
		"a ring-0 probe did not finish under TCG: QEMU 7.2 answers a reserved "
		"CR4 bit with an SVM #VMEXIT(INVALID) even outside SVM guest mode and "
		"loops there instead of raising #GP";
	struct run_report r;
	char *t;
	const char *row;

	(void)state;
	snprintf(set[1].detail, sizeof(set[1].detail), "%s", "KVM could not emulate "
		 "the instruction (KVM_EXIT_INTERNAL_ERROR, suberror 1: emulation "
		 "failure) at 0x600123: the guest's ring 0 runs through the emulator");
	set[1].reason = reason;
	set[1].insn = "vpdpbusd ymm0, ymm1, ymmword ptr [rsp + 0x40]";
	r = report(set, 3, false);
	style(false, true, TERM_COLOUR_AUTO);
	for (unsigned int cols = 80; cols <= 120; cols += 20) {
		char env[8];

		snprintf(env, sizeof(env), "%u", cols);
		setenv("COLUMNS", env, 1);
		t = render(&r, REPORT_TABLE);
		if (widest_line(t) > cols)
			fail_msg("a line over %u columns:\n%s", cols, t);
		/* under its row, indented, whole words */
		row = line_with(t, "      error: KVM could not emulate");
		assert_non_null(strstr(row, "KVM could not"));
		assert_non_null(strstr(t, "\n      a ring-0 probe did not finish under TCG:"));
		assert_non_null(strstr(t, " #VMEXIT(INVALID) "));
		assert_non_null(strstr(t, "\xe2\x80\xa6"));	/* a cell cut short */
		free(t);
	}
	unsetenv("COLUMNS");
	t = render(&r, REPORT_TABLE);			/* not a terminal: 100 */
	assert_true(widest_line(t) <= TERM_DEFAULT_COLUMNS);
	free(t);

	style(true, true, TERM_COLOUR_AUTO);			/* --wide */
	t = render(&r, REPORT_TABLE);
	row = line_with(t, "error: KVM could not emulate");
	assert_non_null(strstr(row, "ymmword ptr [rsp + 0x40]"));
	assert_non_null(strstr(row, "loops there instead of raising #GP\n"));
	assert_null(strstr(t, "\xe2\x80\xa6"));
	free(t);
}

/* Colour: always even off a terminal, never and auto (not a terminal) not. */
static void test_table_colour(void **state)
{
	struct run_report r = report(all_results, T_NR, false);
	char *t;

	(void)state;
	style(false, false, TERM_COLOUR_ALWAYS);
	t = render(&r, REPORT_TABLE);
	assert_non_null(strstr(t, "\033[1;31mmissing\033[0m"));
	assert_non_null(strstr(t, "\033[1;31mFAIL\033[0m"));
	free(t);
	/* the CI formats never colour */
	t = render(&r, REPORT_JSON);
	assert_null(strchr(t, '\033'));
	free(t);
	t = render(&r, REPORT_TAP);
	assert_null(strchr(t, '\033'));
	free(t);
	t = render(&r, REPORT_JUNIT);
	assert_null(strchr(t, '\033'));
	free(t);
	style(false, false, TERM_COLOUR_NEVER);
	t = render(&r, REPORT_TABLE);
	assert_null(strchr(t, '\033'));
	free(t);
	style(false, false, TERM_COLOUR_AUTO);
	t = render(&r, REPORT_TABLE);
	assert_null(strchr(t, '\033'));
	free(t);
}

/* JSON: what failed the model, by feature and why, and the suggestion. */
static void test_json_failing(void **state)
{
	struct run_report r = report(all_results, T_NR, false);
	json_t *root, *f;

	(void)state;
	root = render_json(&r);
	assert_true(json_is_null(get(root, "suggestion")));
	f = get(root, "failing");
	assert_int_equal(json_array_size(f), 3);
	assert_jstr(json_array_get(f, 0), "feature", "avx2");
	assert_jstr(json_array_get(f, 0), "why", "missing");
	assert_jstr(json_array_get(f, 1), "feature", "rdrand");
	assert_jstr(json_array_get(f, 1), "why", "error");
	assert_jstr(json_array_get(f, 2), "feature", "abm");
	assert_jstr(json_array_get(f, 2), "why", "unexpected leak");
	json_decref(root);

	r.suggestion = "Haswell-v4";
	r.strict = true;
	root = render_json(&r);
	assert_jstr(root, "suggestion", "Haswell-v4");
	f = get(root, "failing");
	assert_int_equal(json_array_size(f), 4);
	assert_jstr(json_array_get(f, 3), "feature", "popcnt");
	assert_jstr(json_array_get(f, 3), "why", "leak under --strict");
	json_decref(root);
}

static void test_table_empty(void **state)
{
	struct run_report r = report(NULL, 0, false);
	char *t = render(&r, REPORT_TABLE);

	(void)state;
	assert_null(strstr(t, "PROBE"));
	assert_non_null(strstr(t, "no results"));
	free(t);
}

static void test_format_parse(void **state)
{
	struct run_report r = report(NULL, 0, false);
	FILE *out = fopen("/dev/null", "w");

	(void)state;
	assert_int_equal(report_format_parse("table"), REPORT_TABLE);
	assert_int_equal(report_format_parse("json"), REPORT_JSON);
	assert_int_equal(report_format_parse("xml"), -1);
	assert_int_equal(report_format_parse(""), -1);
	assert_int_equal(report_format_parse(NULL), -1);
	assert_non_null(out);
	assert_int_equal(report_write(out, &r, (enum report_format)7), -1);
	assert_non_null(strstr(err_msg(), "format"));
	fclose(out);
}

/* A full device fails the write, and the writer says so. */
static void test_write_error(void **state)
{
	struct run_report r = report(all_results, T_NR, false);
	FILE *out = fopen("/dev/full", "w");

	(void)state;
	if (!out)
		skip();
	assert_int_equal(report_write(out, &r, REPORT_JSON), -1);
	assert_non_null(strstr(err_msg(), "cannot write the output"));
	clearerr(out);
	assert_int_equal(report_write(out, &r, REPORT_TABLE), -1);
	fclose(out);
}

/* ---- host facts -------------------------------------------------------- */

static const char cpuinfo[] =
	"processor\t: 0\n"
	"vendor_id\t: GenuineIntel\n"
	"cpu family\t: 6\n"
	"model\t\t: 85\n"
	"model name\t: Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz  \n"
	"stepping\t: 7\n"
	"\n"
	"processor\t: 1\n"
	"model name\t: Second CPU\n";

static void test_model_name(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(host_info_parse_model_name(cpuinfo, out, sizeof(out)), 0);
	assert_string_equal(out, "Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz");

	assert_int_equal(host_info_parse_model_name("model name : x\r\n", out,
						    sizeof(out)), 0);
	assert_string_equal(out, "x");

	assert_int_equal(host_info_parse_model_name(cpuinfo, out, 6), 0);
	assert_string_equal(out, "Intel");

	/* not a model name: other keys, empty values, no line at all */
	assert_int_equal(host_info_parse_model_name(
		"model\t\t: 85\nmodel namex: y\nmodel name\t:\n", out,
		sizeof(out)), -1);
	assert_string_equal(out, "unknown");
	assert_int_equal(host_info_parse_model_name("", out, sizeof(out)), -1);
	assert_string_equal(out, "unknown");

	assert_int_equal(host_info_parse_model_name("model name: a\tb\x01\n",
						    out, sizeof(out)), 0);
	assert_string_equal(out, "a?b?");
}

static void test_host_info_read(void **state)
{
	char path[] = "/tmp/cpubench-cpuinfo-XXXXXX";
	struct host_info h;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, cpuinfo, sizeof(cpuinfo) - 1),
			 (ssize_t)sizeof(cpuinfo) - 1);
	close(fd);

	memset(&h, 0x55, sizeof(h));
	assert_int_equal(host_info_read(&h, path), 0);
	unlink(path);
	assert_string_equal(h.model_name,
			    "Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz");
	assert_int_equal(strnlen(h.vendor, sizeof(h.vendor)), 12);
	assert_true(strlen(h.kernel) > 0);

	assert_int_equal(host_info_read(&h, "/nonexistent/cpuinfo"), 0);
	assert_string_equal(h.model_name, "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_exception_name),
		cmocka_unit_test(test_summarize_all),
		cmocka_unit_test(test_summarize_each_failure),
		cmocka_unit_test(test_summarize_strict),
		cmocka_unit_test(test_summarize_undecided_leak),
		cmocka_unit_test(test_summarize_empty),
		cmocka_unit_test(test_json_top),
		cmocka_unit_test(test_json_stats),
		cmocka_unit_test(test_json_summary),
		cmocka_unit_test(test_json_summary_zeroes),
		cmocka_unit_test(test_json_results),
		cmocka_unit_test(test_json_passed_strict),
		cmocka_unit_test(test_json_ignores_stale_summary),
		cmocka_unit_test(test_json_nulls_and_bad_utf8),
		cmocka_unit_test(test_table_rows),
		cmocka_unit_test(test_table_summary_fail),
		cmocka_unit_test(test_table_summary_pass_strict),
		cmocka_unit_test(test_table_empty),
		cmocka_unit_test(test_table_collapsed),
		cmocka_unit_test(test_table_fits),
		cmocka_unit_test(test_table_colour),
		cmocka_unit_test(test_json_failing),
		cmocka_unit_test(test_format_parse),
		cmocka_unit_test(test_write_error),
		cmocka_unit_test(test_model_name),
		cmocka_unit_test(test_host_info_read),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
