// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests: host inputs (cpuinfo, flags line, lscpu, fingerprint JSON,
 * malformed input), x86-64 levels, the host-usability rule, the cluster
 * baseline, lint and emit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "catalog/lint.h"
#include "cpu/cpuid_builder.h"
#include "cpu/feature.h"
#include "cpu/host_cpu.h"
#include "cpu/x86_level.h"
#include "emit/emit.h"
#include "host/baseline.h"
#include "host/host_fp.h"
#include "lib/err.h"

#define DATA "tests/data/hosts/"

static int idx(const char *name)
{
	int i = feature_lookup(name);

	assert_true(i >= 0);
	return i;
}

static int parse(const char *text, struct host_fp *h)
{
	return host_fp_parse("in.txt", text, strlen(text), h);
}

static void test_flags_line(void **state)
{
	struct host_fp h;

	(void)state;
	assert_int_equal(parse("flags\t\t: fpu sse4_1 sha_ni nonstop_tsc bogus_flag\n", &h), 0);
	assert_int_equal(h.format, HOST_FP_CPUINFO);
	assert_true(featureset_has(&h.features, idx("fpu")));
	assert_true(featureset_has(&h.features, idx("sse4.1")));
	assert_true(featureset_has(&h.features, idx("sha-ni")));
	assert_true(featureset_has(&h.features, idx("invtsc")));
	assert_int_equal(featureset_count(&h.features), 4);
	assert_string_equal(h.vendor, "unknown");
	assert_string_equal(h.name, "in");
}

/* Every CPU's line counts: a flag only one core has is not usable. */
static void test_cpuinfo_intersects_cpus(void **state)
{
	struct host_fp h;

	(void)state;
	assert_int_equal(parse("processor\t: 0\nvendor_id\t: GenuineIntel\n"
			       "model name\t: Test CPU\nflags\t\t: fpu avx2 sse2\n\n"
			       "processor\t: 1\nflags\t\t: fpu sse2\n", &h), 0);
	assert_string_equal(h.vendor, "GenuineIntel");
	assert_string_equal(h.model_name, "Test CPU");
	assert_false(featureset_has(&h.features, idx("avx2")));
	assert_true(featureset_has(&h.features, idx("sse2")));
}

/* A Linux synthetic flag named like an alias must not set the CPUID bit. */
static void test_synthetic_alias_ignored(void **state)
{
	struct host_fp h;

	(void)state;
	assert_int_equal(parse("flags : fpu ibrs\n", &h), 0);
	assert_false(featureset_has(&h.features, idx("spec-ctrl")));
}

static void test_lscpu(void **state)
{
	struct host_fp h;

	(void)state;
	assert_int_equal(host_fp_load(DATA "zen3-epyc-7763.lscpu", &h), 0);
	assert_int_equal(h.format, HOST_FP_LSCPU);
	assert_string_equal(h.vendor, "AuthenticAMD");
	assert_string_equal(h.model_name, "AMD EPYC 7763 64-Core Processor");
	assert_int_equal(x86_level_of(&h.features), 3);
	assert_true(featureset_has(&h.features, idx("svm")));
}

static void test_fingerprint_json(void **state)
{
	struct host_fp h;

	(void)state;
	assert_int_equal(parse("{\"hostname\": \"n1\", \"vendor\": \"AuthenticAMD\","
			       " \"guest_features\": [\"fpu\", \"avx2\", \"from-the-future\"]}", &h), 0);
	assert_int_equal(h.format, HOST_FP_FINGERPRINT);
	assert_string_equal(h.name, "n1");
	assert_int_equal(featureset_count(&h.features), 2);
}

static void expect_error(const char *text, size_t len, const char *needle)
{
	struct host_fp h;

	err_clear();
	assert_int_equal(host_fp_parse("bad.txt", text, len, &h), -1);
	assert_int_equal(err_class(), EXIT_USAGE);
	assert_non_null(strstr(err_msg(), "bad.txt"));
	assert_non_null(strstr(err_msg(), needle));
	assert_null(strchr(err_msg(), '\n'));
}

static void test_malformed(void **state)
{
	static const char binary[] = "\x7f" "ELF\x02\x01\x01\0\0";

	(void)state;
	expect_error("", 0, "empty file");
	expect_error(" \n\t\n", 4, "empty file");
	expect_error(binary, sizeof(binary) - 1, "binary data");
	expect_error("{\"guest_features\": [\"fpu\"", 25, "bad.txt:1: invalid JSON");
	expect_error("{\"x\": 1}", 8, "not a cpubench fingerprint");
	expect_error("processor\t: 0\nmodel name\t: X\n", 29, "no 'flags' line");
	expect_error("a\nflags\t:\n", 10, "bad.txt:2: the flags line is empty");
	expect_error("flags : fpu SSE\n", 16, "bad.txt:1: unexpected character");
}

static void test_levels(void **state)
{
	featureset_t fs;

	(void)state;
	for (int l = 0; l <= X86_LEVEL_MAX; l++) {
		x86_level_features(l, &fs);
		assert_int_equal(x86_level_of(&fs), l);
	}
	x86_level_features(3, &fs);
	featureset_del(&fs, idx("abm"));	/* LZCNT is part of v3 */
	assert_int_equal(x86_level_of(&fs), 2);
	assert_string_equal(x86_level_name(2), "x86-64-v2");
}

/* glibc's rule: AVX counts only when the OS enabled YMM in XCR0. */
static void test_usable_needs_xcr0(void **state)
{
	struct kvm_cpuid2 *c = cpuid2_alloc(2);
	featureset_t fs;

	(void)state;
	c->entries[0] = (struct kvm_cpuid_entry2){ .function = 1,
		.ecx = 1u << 28 | 1u << 26, .edx = 1u << 25 };	/* avx xsave sse */
	c->entries[1] = (struct kvm_cpuid_entry2){ .function = 7,
		.flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX, .ebx = 1u << 16 }; /* avx512f */
	host_usable_features(&fs, c, X86_XSTATE_X87 | X86_XSTATE_SSE);
	assert_false(featureset_has(&fs, idx("avx")));
	assert_true(featureset_has(&fs, idx("sse")));
	host_usable_features(&fs, c, X86_XSTATE_X87 | X86_XSTATE_SSE | X86_XSTATE_YMM);
	assert_true(featureset_has(&fs, idx("avx")));
	assert_false(featureset_has(&fs, idx("avx512f")));
	host_usable_features(&fs, c, 0xe7);
	assert_true(featureset_has(&fs, idx("avx512f")));
	free(c);
}

static void load_hosts(struct host_fp *h, const char *const *files, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		char path[256];

		snprintf(path, sizeof(path), DATA "%s", files[i]);
		assert_int_equal(host_fp_load(path, &h[i]), 0);
	}
}

static const char *level_of(const char *const *files, unsigned int n)
{
	static struct model_catalog cat;
	static char name[MASK_NAME_MAX];
	struct host_fp h[8];
	struct baseline b;

	load_hosts(h, files, n);
	assert_int_equal(model_catalog_load(NULL, &cat), 0);
	baseline_compute(h, n, &cat, &b);
	snprintf(name, sizeof(name), "%s", b.best_level >= 0 ? cat.m[b.best_level].name : "none");
	model_catalog_free(&cat);
	return name;
}

static void test_cluster(void **state)
{
	static const char *const hosts[] = {
		"alderlake-i7-12700k.cpuinfo", "raptorlake-i9-13900k.flags",
		"zen3-epyc-7763.lscpu", "zen4-epyc-9654.cpuinfo",
		"westmere-xeon-x5670.flags", "penryn-core2-e8400.cpuinfo",
	};

	(void)state;
	assert_string_equal(level_of(hosts, 4), "x86-64-v3");
	assert_string_equal(level_of(hosts, 5), "x86-64-v2-AES");
	assert_string_equal(level_of(hosts, 6), "x86-64-v1");
	assert_string_equal(level_of(hosts + 3, 1), "x86-64-v4");
}

static void test_lint(void **state)
{
	featureset_t none = { { 0 } };
	struct lint l;
	struct mask m;

	(void)state;
	assert_int_equal(mask_resolve("x86-64-v3", NULL, &none, &m), 0);
	lint_mask(&m, &l);
	assert_int_equal(l.n, 0);
	assert_int_equal(mask_resolve("x86-64-v3,+vmx,+invtsc", NULL, &none, &m), 0);
	lint_mask(&m, &l);
	assert_int_equal(l.n, 2);
	assert_non_null(strstr(l.msg[0], "vmx"));
	assert_non_null(strstr(l.msg[1], "invtsc"));
	assert_int_equal(mask_resolve("host", NULL, &none, &m), 0);
	lint_mask(&m, &l);
	assert_non_null(strstr(l.msg[0], "passthrough"));
}

static void test_emit_qemu(void **state)
{
	featureset_t none = { { 0 } };
	struct emit_model em = { 0 };
	char buf[1024] = "";
	struct mask m;
	FILE *f = fmemopen(buf, sizeof(buf) - 1, "w");

	(void)state;
	assert_non_null(f);
	assert_int_equal(mask_resolve("x86-64-v1", NULL, &none, &m), 0);
	em.mask = &m;
	assert_int_equal(emit_write(f, &em, EMIT_QEMU), 0);
	fclose(f);
	/* qemu64 has SSE3, CX16, LAHF/SAHF and SVM; x86-64-v1 does not */
	assert_string_equal(buf, "-cpu qemu64,-pni,-cx16,-lahf_lm,-svm,enforce\n");
	assert_int_equal(emit_kind_parse("firecracker"), EMIT_FIRECRACKER);
	assert_int_equal(emit_kind_parse("vmware"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flags_line),
		cmocka_unit_test(test_cpuinfo_intersects_cpus),
		cmocka_unit_test(test_synthetic_alias_ignored),
		cmocka_unit_test(test_lscpu),
		cmocka_unit_test(test_fingerprint_json),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_levels),
		cmocka_unit_test(test_usable_needs_xcr0),
		cmocka_unit_test(test_cluster),
		cmocka_unit_test(test_lint),
		cmocka_unit_test(test_emit_qemu),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
