// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for the CI and people formats (JUnit, TAP, Markdown, HTML),
 * the escaping they rest on, the model x probe grid, raw-mode enable rows
 * and the disassembly that names instructions. Reports are rendered into
 * memory; JUnit is parsed back with a strict well-formedness check.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/feature.h"
#include "judge/enables.h"
#include "lib/textesc.h"
#include "report/grid.h"
#include "report/matrix.h"
#include "report/report.h"
#include "report/style.h"
#include "vmm/disasm.h"
#include "vmm/guest_image.h"

/* ---- helpers ----------------------------------------------------------- */

typedef void (*put_fn)(FILE *, const char *);

static char *capture_str(void (*fn)(FILE *, const char *, int), const char *s, int arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	fn(out, s, arg);
	assert_int_equal(fclose(out), 0);
	return buf;
}

static void yaml_adapter(FILE *out, const char *s, int unused)
{
	(void)unused;
	yaml_put_quoted(out, s);
}

static void md_adapter(FILE *out, const char *s, int unused)
{
	(void)unused;
	md_put_cell(out, s);
}

typedef int (*writer_fn)(FILE *, const struct run_report *, unsigned int);

static char *render(writer_fn w, const struct run_report *r, unsigned int n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	assert_int_equal(w(out, r, n), 0);
	assert_int_equal(fclose(out), 0);
	return buf;
}

static unsigned int count(const char *text, const char *needle)
{
	unsigned int n = 0;

	for (const char *p = text; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* ---- fixtures ---------------------------------------------------------- */

static struct probe_result row(const char *name, bool adv, enum outcome o,
			       enum verdict v, enum leak_kind l)
{
	const struct probe_desc *p = probe_find(name);
	struct probe_result r = {
		.probe = p, .feature = -1, .ring = 3, .advertised = adv,
		.outcome = o, .vector = -1, .verdict = v, .leak = l,
		.reason = "reason with <xml> & \"quotes\" | pipe # hash",
	};

	assert_non_null(p);
	disasm_attach(&r);	/* as the pipeline does before any report */
	return r;
}

enum { F_OK, F_MISSING, F_HIDDEN, F_LEAK_EXP, F_LEAK_UNEXP, F_UNTESTABLE, F_ERROR, F_NR };

static struct probe_result fixture[F_NR];

static void fill(void)
{
	fixture[F_OK] = row("sse2", true, OUTCOME_EXECUTED, VERDICT_OK, LEAK_NONE);
	fixture[F_MISSING] = row("avx2", true, OUTCOME_FAULT, VERDICT_MISSING, LEAK_NONE);
	fixture[F_MISSING].vector = 6;
	fixture[F_HIDDEN] = row("vmx", false, OUTCOME_FAULT, VERDICT_HIDDEN, LEAK_NONE);
	fixture[F_HIDDEN].vector = 13;
	fixture[F_LEAK_EXP] = row("popcnt", false, OUTCOME_EXECUTED, VERDICT_LEAK, LEAK_EXPECTED);
	fixture[F_LEAK_UNEXP] = row("abm", false, OUTCOME_ALTERED, VERDICT_LEAK, LEAK_UNEXPECTED);
	fixture[F_UNTESTABLE] = row("xsaves", true, OUTCOME_ERROR, VERDICT_UNTESTABLE, LEAK_NONE);
	fixture[F_ERROR] = row("rdrand", true, OUTCOME_ERROR, VERDICT_ERROR, LEAK_NONE);
	snprintf(fixture[F_ERROR].detail, sizeof(fixture[F_ERROR].detail), "timeout\x01");
}

static struct run_report report(struct probe_result *res, unsigned int n,
				const char *mask, bool strict)
{
	struct run_report r = {
		.mask = mask, .backend = BACKEND_KVM_VMX, .guest_os = "linux",
		.strict = strict, .nresults = n, .results = res,
	};

	snprintf(r.host.vendor, sizeof(r.host.vendor), "GenuineIntel");
	snprintf(r.host.model_name, sizeof(r.host.model_name), "Xeon <&> \xff bad");
	snprintf(r.host.kernel, sizeof(r.host.kernel), "6.1.0");
	return r;
}

static int setup(void **state)
{
	(void)state;
	fill();
	return 0;
}

/* ---- escaping ---------------------------------------------------------- */

static void test_xml_escape(void **state)
{
	char *t;

	(void)state;
	t = capture_str(xml_put, "a<b>&\"'\tc\n\x01\x7f", 0);
	assert_string_equal(t, "a&lt;b&gt;&amp;&quot;&apos;\tc\n??");
	free(t);
	t = capture_str(xml_put, "x\ty\nz", 1);
	assert_string_equal(t, "x&#9;y&#10;z");
	free(t);
	/* valid UTF-8 is kept; invalid bytes, overlongs and surrogates are not */
	t = capture_str(xml_put, "\xe2\x80\x94|\xc0\xaf|\xed\xa0\x80|\xff", 0);
	assert_string_equal(t, "\xe2\x80\x94|??|???|?");
	free(t);
}

static void test_yaml_md_escape(void **state)
{
	char *t;

	(void)state;
	t = capture_str(yaml_adapter, "say \"hi\"\\\n\x02", 0);
	assert_string_equal(t, "\"say \\\"hi\\\"\\\\\\n\\x02\"");
	free(t);
	t = capture_str(md_adapter, "a|b`c<d>*e_\n", 0);
	assert_string_equal(t, "a\\|b\\`c&lt;d&gt;\\*e\\_ ");
	free(t);
}

static void test_utf8(void **state)
{
	(void)state;
	assert_int_equal(utf8_seq_len((const unsigned char *)"a"), 1);
	assert_int_equal(utf8_seq_len((const unsigned char *)"\xc3\xa9"), 2);
	assert_int_equal(utf8_seq_len((const unsigned char *)"\xf0\x9f\x94\x92"), 4);
	assert_int_equal(utf8_seq_len((const unsigned char *)"\xc3"), 0);	/* truncated */
	assert_int_equal(utf8_seq_len((const unsigned char *)"\xf4\x90\x80\x80"), 0); /* > U+10FFFF */
	assert_int_equal(utf8_seq_len((const unsigned char *)"\xef\xbf\xbf"), 0);	/* U+FFFF */
}

/* ---- classes and grid -------------------------------------------------- */

static void test_classes(void **state)
{
	(void)state;
	assert_int_equal(cell_class_of(&fixture[F_OK]), CELL_OK);
	assert_int_equal(cell_class_of(&fixture[F_LEAK_EXP]), CELL_LEAK_EXPECTED);
	assert_int_equal(cell_class_of(&fixture[F_LEAK_UNEXP]), CELL_LEAK_UNEXPECTED);
	assert_int_equal(cell_class_of(NULL), CELL_NONE);
	assert_false(result_fails(&fixture[F_OK], true));
	assert_false(result_fails(&fixture[F_LEAK_EXP], false));
	assert_true(result_fails(&fixture[F_LEAK_EXP], true));
	assert_true(result_fails(&fixture[F_MISSING], false));
	assert_true(result_fails(&fixture[F_ERROR], false));
	assert_false(result_fails(&fixture[F_UNTESTABLE], true));
}

static void test_grid(void **state)
{
	struct run_report r[2] = {
		report(fixture, 3, "a", false),
		report(fixture + 2, 3, "b", false),
	};
	struct grid g;

	(void)state;
	assert_int_equal(grid_build(&g, r, 2), 0);
	assert_int_equal(g.nrows, 5);	/* union in order of first appearance */
	assert_ptr_equal(g.rows[0], fixture[F_OK].probe);
	assert_ptr_equal(g.rows[4], fixture[F_LEAK_UNEXP].probe);
	assert_ptr_equal(grid_cell(&g, &r[0], 0), &fixture[F_OK]);
	assert_null(grid_cell(&g, &r[1], 0));
	assert_ptr_equal(grid_cell(&g, &r[1], 2), &fixture[F_HIDDEN]);
	assert_null(grid_cell(&g, &r[0], 99));
	grid_free(&g);
}

/* ---- JUnit ------------------------------------------------------------- */

static void test_junit(void **state)
{
	struct run_report r = report(fixture, F_NR, "x86-64-v3,-avx2", false);
	char *t = render(report_write_junit, &r, 1);

	(void)state;
	assert_non_null(strstr(t, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites"));
	assert_non_null(strstr(t, "tests=\"7\" failures=\"2\" errors=\"1\" skipped=\"1\""));
	assert_int_equal(count(t, "<testcase "), F_NR);
	assert_int_equal(count(t, "<failure "), 2);	/* missing, unexpected leak */
	assert_int_equal(count(t, "<error "), 1);
	assert_int_equal(count(t, "<skipped "), 1);
	assert_non_null(strstr(t, "type=\"leak-unexpected\""));
	/* escaping: no raw markup from the data, no invalid byte */
	assert_null(strstr(t, "<xml>"));
	assert_non_null(strstr(t, "&lt;xml&gt; &amp; &quot;quotes&quot;"));
	assert_non_null(strstr(t, "value=\"Xeon &lt;&amp;&gt; ? bad\""));
	assert_null(strchr(t, '\x01'));
	assert_null(strchr(t, '\xff'));
	/* the expected leak passes and says so in system-out */
	assert_non_null(strstr(t, "verdict: leak (expected)"));
	assert_non_null(strstr(t, "instruction: paddb xmm0, xmm0"));
	free(t);

	/* strict: the expected leak fails too */
	r.strict = true;
	t = render(report_write_junit, &r, 1);
	assert_int_equal(count(t, "<failure "), 3);
	assert_non_null(strstr(t, "type=\"leak-strict\""));
	free(t);
}

static void test_junit_many(void **state)
{
	struct run_report r[2] = {
		report(fixture, 1, "a", false),
		report(fixture + 1, 1, "b", false),
	};
	char *t = render(report_write_junit, r, 2);

	(void)state;
	assert_int_equal(count(t, "<testsuite "), 2);
	assert_non_null(strstr(t, "<testsuites name=\"cpubench\" tests=\"2\" failures=\"1\""));
	free(t);
}

/* ---- TAP --------------------------------------------------------------- */

static void test_tap(void **state)
{
	struct run_report r = report(fixture, F_NR, "m#1", false);
	char *t = render(report_write_tap, &r, 1);

	(void)state;
	assert_true(!strncmp(t, "TAP version 13\n1..7\n", 20));
	assert_int_equal(count(t, "\nnot ok "), 3);	/* missing, unexpected, error */
	assert_int_equal(count(t, "\nok "), 4);
	assert_non_null(strstr(t, "ok 6 - m\\#1: xsaves untestable # SKIP untestable: "));
	assert_non_null(strstr(t, "not ok 2 - m\\#1: avx2 missing\n  ---\n"));
	assert_non_null(strstr(t, "  reason: \"reason with <xml> & \\\"quotes\\\" | pipe # hash\"\n"));
	assert_non_null(strstr(t, "  detail: \"timeout\\x01\"\n"));
	assert_non_null(strstr(t, "\n# m\\#1: FAIL\n"));
	free(t);
}

/* ---- Markdown and HTML ------------------------------------------------- */

static void test_markdown(void **state)
{
	struct run_report r = report(fixture, F_NR, "x86-64-v3", false);
	char *t = render(report_write_markdown, &r, 1);
	struct run_report two[2] = { r, report(fixture, 1, "v2", false) };

	(void)state;
	assert_non_null(strstr(t, "## cpubench: `x86-64-v3` on kvm-vmx"));
	assert_non_null(strstr(t, "FAIL"));
	assert_non_null(strstr(t, "### 3 failing rows"));
	assert_non_null(strstr(t, "<details><summary>All 7 results</summary>"));
	assert_non_null(strstr(t, "reason with &lt;xml&gt; &amp; \"quotes\" \\| pipe"));
	assert_non_null(strstr(t, "`paddb xmm0, xmm0`"));
	free(t);
	t = render(report_write_markdown, two, 2);
	assert_non_null(strstr(t, "## cpubench matrix on kvm-vmx"));
	assert_non_null(strstr(t, "| `x86-64-v3` | `v2` |"));
	free(t);
}

static void test_html(void **state)
{
	struct run_report r[2] = {
		report(fixture, F_NR, "x86-64-v3", false),
		report(fixture, 2, "<v2>", false),
	};
	char *t = render(report_write_html, r, 2);

	(void)state;
	assert_true(!strncmp(t, "<!DOCTYPE html>", 15));
	assert_non_null(strstr(t, "</html>\n"));
	assert_int_equal(count(t, "<td class=\"cell"), 2 * F_NR);
	assert_int_equal(count(t, "<td class=\"cell c7\"></td>"), F_NR - 2);	/* blanks */
	assert_non_null(strstr(t, "&lt;v2&gt;"));
	assert_null(strstr(t, "<v2>"));
	assert_non_null(strstr(t, "kvm-vmx"));
	assert_null(strstr(t, "src="));
	assert_null(strstr(t, "http"));
	free(t);
}

/* --all: the overview, then the grid and one line per model. */
static void test_matrix_table(void **state)
{
	struct report_style all = { .all = true };
	struct run_report r[2] = {
		report(fixture, F_NR, "x86-64-v3", false),
		report(fixture, 1, "v2", false),
	};
	char *t;

	(void)state;
	report_style_set(&all);
	t = render(report_write_matrix_table, r, 2);
	assert_non_null(strstr(t, "\n2 models: 1 holds, 1 fails\n"));
	assert_non_null(strstr(t, "PROBE   x86-64-v3  v2\n"));
	assert_non_null(strstr(t, "\navx2    MISSING\n"));
	assert_non_null(strstr(t, "x86-64-v3: 1 ok, 1 missing"));
	assert_non_null(strstr(t, "v2: 1 ok, 0 missing, 0 hidden, 0 leak (0 unexpected), 0 untestable, 0 error \xe2\x80\x94 PASS"));
	assert_null(strstr(t, " \n"));	/* no trailing blanks */
	free(t);
}

/*
 * By default one screen: how many hold and fail, the failing models
 * grouped by why, the most frequent first, wrapped to the width; no grid.
 */
static void test_matrix_overview(void **state)
{
	struct report_style def = { .colour = TERM_COLOUR_AUTO };
	struct probe_result tsx[2], pcid[2];
	struct run_report r[40];
	unsigned int n = 0;
	char name[40][16];
	char *t;

	(void)state;
	/* 4 models fail on missing avx2 + error rdrand, 30 on missing avx2
	 * alone, 6 hold */
	tsx[0] = fixture[F_MISSING];
	tsx[1] = fixture[F_ERROR];
	pcid[0] = fixture[F_OK];
	pcid[1] = fixture[F_MISSING];
	for (; n < 40; n++) {
		snprintf(name[n], sizeof(name[n]), "Model-%02u-v1", n);
		r[n] = n < 4 ? report(tsx, 2, name[n], false) :
		       n < 34 ? report(pcid, 2, name[n], false) :
		       report(fixture, 1, name[n], false);
	}
	report_style_set(&def);
	setenv("COLUMNS", "80", 1);
	t = render(report_write_matrix_table, r, n);
	unsetenv("COLUMNS");
	assert_non_null(strstr(t, "\n40 models: 6 hold, 34 fail\n"
			       "  missing avx2 (30): Model-04-v1 Model-05-v1 "));
	/* 81 columns: the last name goes to the next line, indented */
	assert_non_null(strstr(t, "\n  missing avx2; error rdrand (4): Model-00-v1 "
			       "Model-01-v1 Model-02-v1\n    Model-03-v1\n"));
	assert_null(strstr(t, "Model-34-v1"));		/* holds */
	assert_null(strstr(t, "PROBE"));		/* no grid */
	assert_non_null(strstr(t, "--all shows the model x probe grid"));
	for (const char *p = t; *p; p += strcspn(p, "\n") + (p[strcspn(p, "\n")] != 0)) {
		if (strcspn(p, "\n") > 80)
			fail_msg("over 80 columns:\n%s", t);
		assert_true(p == t || strncmp(p, "Model", 5));	/* continued: indented */
	}
	free(t);
}

/* ---- raw-mode enables -------------------------------------------------- */

static void test_enables(void **state)
{
	struct probe_result out[ENABLES_MAX];
	struct guest_view g = { .xcr0_allowed = X86_XSTATE_X87 | X86_XSTATE_SSE | X86_XSTATE_YMM };
	struct mb_os os = {
		.booted = 1,
		.cr4 = (1ULL << 9) | (1ULL << 18) | (1ULL << 16),	/* OSFXSR OSXSAVE FSGSBASE */
		.cr4_refused = 1ULL << 20,				/* SMEP */
		.xcr0 = 7 | X86_XSTATE_AVX512,
		.xcr0_refused = X86_XSTATE_PKRU,
	};
	unsigned int n;

	(void)state;
	featureset_add(&g.advertised, feature_lookup("xsave"));
	featureset_add(&g.advertised, feature_lookup("smep"));
	featureset_add(&g.advertised, feature_lookup("fxsr"));
	n = enables_append(&os, BACKEND_KVM_VMX, &g, out);
	assert_int_equal(n, 8);	/* 4 CR4 bits, 4 XCR0 groups tried */
	for (unsigned int i = 0; i < n; i++) {
		const char *name = out[i].probe->name;

		assert_non_null(enable_instruction(out[i].probe));
		if (!strcmp(name, "cr4.osfxsr") || !strcmp(name, "cr4.osxsave") ||
		    !strcmp(name, "xcr0.x87+sse") || !strcmp(name, "xcr0.ymm"))
			assert_int_equal(out[i].verdict, VERDICT_OK);
		else if (!strcmp(name, "cr4.smep"))	/* advertised, refused */
			assert_int_equal(out[i].verdict, VERDICT_MISSING);
		else if (!strcmp(name, "xcr0.pkru")) {	/* hidden, refused */
			assert_int_equal(out[i].verdict, VERDICT_HIDDEN);
			assert_int_equal(out[i].vector, 13);
		} else if (!strcmp(name, "cr4.fsgsbase") || !strcmp(name, "xcr0.avx512")) {
			assert_int_equal(out[i].verdict, VERDICT_LEAK);
			assert_int_equal(out[i].leak, LEAK_UNEXPECTED);
		} else {
			fail_msg("unexpected enable row %s", name);
		}
	}
	/* the baseline CR4.OSFXSR is not tied to CPUID: an expected leak */
	featureset_del(&g.advertised, feature_lookup("fxsr"));
	n = enables_append(&os, BACKEND_KVM_VMX, &g, out);
	assert_int_equal(out[0].verdict, VERDICT_LEAK);
	assert_int_equal(out[0].leak, LEAK_EXPECTED);
	os.booted = 0;
	assert_int_equal(enables_append(&os, BACKEND_KVM_VMX, &g, out), 0);
	assert_null(enable_instruction(probe_find("sse2")));
}

/* ---- disassembly ------------------------------------------------------- */

static void test_disasm(void **state)
{
	struct probe_result r = fixture[F_MISSING];
	char insn[128], where[96], text[256];
	uint64_t addr = 0, len = 0;

	(void)state;
	assert_string_equal(probe_instruction(probe_find("sse2")), "paddb xmm0, xmm0");
	assert_string_equal(probe_instruction(probe_find("selftest-ud2")), "ud2");
	assert_string_equal(probe_instruction(NULL), "");
	/* every probe names something, but the one that runs nothing */
	for (unsigned int i = 0; i < nprobes; i++)
		if (!*probe_instruction(&probes[i]) && strcmp(probes[i].name, "selftest-nop"))
			fail_msg("%s: no instruction", probes[i].name);
	/* a fault at the start of probe_ud2, through its ring-0 alias too */
	assert_int_equal(guest_image_symbol(guest_payload, guest_payload_end - guest_payload,
					    "probe_ud2", &addr, &len), 0);
	assert_int_equal(disasm_guest_rip(addr, insn, sizeof(insn), where, sizeof(where)), 0);
	assert_string_equal(insn, "ud2");
	assert_string_equal(where, "probe_ud2+0x0");
	assert_int_equal(disasm_guest_rip(addr - GUEST_USER_GPA + GUEST_USER_ALIAS_GPA,
					  insn, sizeof(insn), where, sizeof(where)), 0);
	assert_string_equal(where, "probe_ud2+0x0");
	assert_int_equal(disasm_guest_rip(0xdead0000ULL, insn, sizeof(insn), where, sizeof(where)), -1);
	assert_string_equal(insn, "");
	r.rip = addr;
	disasm_attach(&r);
	assert_string_equal(r.fault_insn, "ud2");
	assert_string_equal(r.fault_where, "probe_ud2+0x0");
	result_fault_text(&r, text, sizeof(text));
	assert_non_null(strstr(text, "#UD at 0x"));
	assert_non_null(strstr(text, " probe_ud2+0x0: ud2"));
	result_fault_text(&fixture[F_OK], text, sizeof(text));
	assert_string_equal(text, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xml_escape),
		cmocka_unit_test(test_yaml_md_escape),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_classes),
		cmocka_unit_test(test_grid),
		cmocka_unit_test(test_junit),
		cmocka_unit_test(test_junit_many),
		cmocka_unit_test(test_tap),
		cmocka_unit_test(test_markdown),
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_matrix_table),
		cmocka_unit_test(test_matrix_overview),
		cmocka_unit_test(test_enables),
		cmocka_unit_test(test_disasm),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
