// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests: host inputs (cpuinfo, flags line, lscpu, fingerprint JSON,
 * malformed input), x86-64 levels, the host-usability rule, the cluster
 * baseline, lint and emit.
 */
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "catalog/lint.h"
#include "catalog/mask.h"
#include "cpu/cpuid_builder.h"
#include "cpu/feature.h"
#include "cpu/host_cpu.h"
#include "cpu/linux_flags.h"
#include "cpu/x86_level.h"
#include "emit/emit.h"
#include "host/baseline.h"
#include "host/guest_caps.h"
#include "host/host_fp.h"
#include "lib/err.h"
#include "cpuid_fixture.h"

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
	featureset_t always, read;
	struct host_fp h;

	(void)state;
	assert_int_equal(parse("flags\t\t: fpu sse4_1 sha_ni nonstop_tsc bogus_flag\n", &h), 0);
	assert_int_equal(h.format, HOST_FP_CPUINFO);
	assert_true(featureset_has(&h.features, idx("fpu")));
	assert_true(featureset_has(&h.features, idx("sse4.1")));
	assert_true(featureset_has(&h.features, idx("sha-ni")));
	assert_true(featureset_has(&h.features, idx("invtsc")));
	linux_guest_always(&always);
	featureset_diff(&read, &h.features, &always);
	assert_int_equal(featureset_count(&read), 4);
	assert_string_equal(h.vendor, "unknown");
	assert_non_null(strstr(h.vendor_from, "no vendor_id line, and no model name"));
	assert_string_equal(h.name, "in");
	/* what no flag shows is unknown, never missing */
	assert_true(featureset_has(&h.unknown, idx("svme-addr-chk")));
	assert_false(featureset_has(&h.unknown, idx("avx2")));
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
	featureset_t always;
	struct host_fp h;

	(void)state;
	assert_int_equal(parse("{\"hostname\": \"n1\", \"vendor\": \"AuthenticAMD\","
			       " \"guest_features\": [\"fpu\", \"avx2\", \"from-the-future\"]}", &h), 0);
	assert_int_equal(h.format, HOST_FP_FINGERPRINT);
	assert_string_equal(h.name, "n1");
	assert_string_equal(h.vendor_from, "vendor");
	linux_guest_always(&always);
	featureset_diff(&always, &h.features, &always);
	assert_int_equal(featureset_count(&always), 2);
	assert_true(featureset_empty(&h.unknown));
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


#define REAL "tests/data/cpuinfo/"

/*
 * Real hosts (tests/data/cpuinfo/SOURCES.md) against the models
 * EXPECTED.md names: what is missing, and what cpuinfo cannot tell.
 */
static const struct expect {
	const char *file, *model, *missing, *unknown;
} expected[] = {
	{ "intel-skylake-xeon-gold-6126", "Skylake-Server-v5", "", "" },
	{ "intel-cascadelake-core-i9-10980xe", "Cascadelake-Server-v5", "pku", "" },
	{ "intel-cascadelake-core-i9-10980xe", "Cascadelake-Server-v4", "pku", "" },
	{ "intel-alderlake-core-i5-12400", "Skylake-Client-v4", "pcid", "" },
	{ "intel-arrowlake-core-ultra-9-285", "Skylake-Client-v4", "", "" },
	{ "intel-graniterapids-xeon-6972p", "Cascadelake-Server-v5", "", "" },
	{ "intel-haswell-xeon-e5-2660-v3", "Haswell-v4", "", "spec-ctrl" },
	{ "intel-broadwell-xeon-e5-2630-v4", "Broadwell-v4", "", "spec-ctrl" },
	{ "intel-sandybridge-xeon-e5-2670-kvm-guest", "SandyBridge-v2", "spec-ctrl", "" },
	{ "intel-sandybridge-xeon-e5-2670-kvm-guest", "SandyBridge-v1", "", "" },
	{ "intel-icelake-xeon-gold-6326-vmware-guest", "Icelake-Server-v6", "", "la57" },
	{ "amd-milan-epyc-7413", "EPYC-Milan-v1", "erms fsrm", "svme-addr-chk" },
	{ "amd-milan-epyc-7413", "EPYC-Rome-v2", "", "" },
	{ "amd-bergamo-epyc-9754", "EPYC-Milan-v1", "", "svme-addr-chk" },
	{ "amd-rome-epyc-7302p", "EPYC-Rome-v2", "", "amd-ssbd" },
	{ "amd-zen2-ryzen-5-3600x", "EPYC-Rome-v1", "", "" },
	{ "amd-zen2-ryzen-5-3600x", "EPYC-Rome-v2", "ibrs", "amd-ssbd" },
	{ "amd-zen3-ryzen-9-5950x", "EPYC-Rome-v2", "", "" },
	{ "amd-zen3-ryzen-9-5950x", "EPYC-Milan-v1", "pcid", "fsrm svme-addr-chk" },
	{ "amd-zen3-ryzen-9-5900x-flags-only", "EPYC-Rome-v2", "", "amd-ssbd" },
	{ "amd-zen3-ryzen-9-5900x-flags-only", "EPYC-Milan-v1", "pcid", "amd-ssbd svme-addr-chk" },
	{ "amd-naples-epyc-7281", "EPYC-v3", "", "" },
};

/* "a b" for @fs, in database order. */
static void names(const featureset_t *fs, char *out, size_t len)
{
	size_t n = 0;

	out[0] = '\0';
	for (int f = featureset_next(fs, -1); f >= 0 && n < len; f = featureset_next(fs, f))
		n += (size_t)snprintf(out + n, len - n, "%s%s", n ? " " : "", features[f].name);
}

static void test_real_hosts(void **state)
{
	featureset_t none = { { 0 } };

	(void)state;
	for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
		const struct expect *e = &expected[i];
		featureset_t miss, unknown;
		char path[256], got_miss[512], got_unknown[512];
		struct host_fp h;
		struct mask m;

		snprintf(path, sizeof(path), REAL "%s.cpuinfo", e->file);
		assert_int_equal(host_fp_load(path, &h), 0);
		assert_int_equal(mask_resolve(e->model, NULL, &none, &m), 0);
		featureset_diff(&miss, &m.features, &h.features);
		featureset_intersect(&unknown, &miss, &h.unknown);
		featureset_diff(&miss, &miss, &h.unknown);
		names(&miss, got_miss, sizeof(got_miss));
		names(&unknown, got_unknown, sizeof(got_unknown));
		if (strcmp(got_miss, e->missing) || strcmp(got_unknown, e->unknown))
			fail_msg("%s on %s: missing '%s' unknown '%s', expected '%s' and '%s'",
				 e->model, e->file, got_miss, got_unknown, e->missing, e->unknown);
		assert_int_equal(h.is_guest, strstr(e->file, "-guest") != NULL);
		assert_string_equal(h.vendor, e->file[0] == 'a' ? "AuthenticAMD" : "GenuineIntel");
	}
}

/* No vendor_id line: the model name says AMD, so AMD's flags apply. */
static void test_vendor_from_model_name(void **state)
{
	struct host_fp h;

	(void)state;
	assert_int_equal(host_fp_load(REAL "amd-zen3-ryzen-9-5900x-flags-only.cpuinfo", &h), 0);
	assert_string_equal(h.vendor, "AuthenticAMD");
	assert_string_equal(h.vendor_from, "the model name");
	assert_true(featureset_has(&h.features, idx("amd-stibp")));
	assert_false(featureset_has(&h.features, idx("stibp")));
	assert_int_equal(parse("model name : Some CPU\nflags : fpu ibrs\n", &h), 0);
	assert_string_equal(h.vendor, "unknown");
	assert_non_null(strstr(h.vendor_from, "names no vendor"));
	assert_true(featureset_has(&h.unknown, idx("spec-ctrl")));
	assert_true(featureset_has(&h.unknown, idx("ibrs")));
}

static void baseline_of(const char *const *files, unsigned int n, struct model_catalog *cat,
			struct baseline *b, char *rec, size_t len)
{
	struct host_fp h[8];
	struct model_pick p;

	for (unsigned int i = 0; i < n; i++)
		assert_int_equal(host_fp_load(files[i], &h[i]), 0);
	assert_int_equal(model_catalog_load(NULL, cat), 0);
	baseline_compute(h, n, cat, b);
	assert_true(baseline_recommend(b, cat, &p));
	model_pick_spec(cat, &p, rec, len);
}

/* model_suggest() for @spec failing on the space-separated @failing. */
static void suggest_for(const char *spec, const char *failing, char *out, size_t len)
{
	struct model_catalog cat;
	struct mask m;
	featureset_t fs;
	char list[256], *save = NULL;

	featureset_clear(&fs);
	snprintf(list, sizeof(list), "%s", failing);
	for (char *f = strtok_r(list, " ", &save); f; f = strtok_r(NULL, " ", &save)) {
		assert_true(feature_lookup(f) >= 0);
		featureset_add(&fs, feature_lookup(f));
	}
	assert_int_equal(mask_resolve(spec, NULL, NULL, &m), 0);
	assert_int_equal(model_catalog_load(NULL, &cat), 0);
	model_suggest(&cat, &m, &fs, out, len);
	model_catalog_free(&cat);
}

/*
 * A FAIL's next step: the named model of the same vendor that keeps the
 * most without the failing features or the spec with them turned off;
 * for a vendor-neutral model, the best level.
 */
static void test_model_suggest(void **state)
{
	char s[512];

	(void)state;
	/* Broadwell without TSX: Broadwell-noTSX (an alias of Broadwell-v2,
	 * first of the equal models by name) */
	suggest_for("Broadwell-v1", "rtm hle", s, sizeof(s));
	assert_string_equal(s, "Broadwell-noTSX or Broadwell-v1,-hle,-rtm");
	/* and without pcid either: no Broadwell keeps the rest; Haswell's level */
	suggest_for("Broadwell-v1", "rtm hle pcid", s, sizeof(s));
	assert_non_null(strstr(s, " or Broadwell-v1,-pcid,-hle,-rtm"));
	/* a level model: the level below (x86-64-v3 has no aes: not v2-AES) */
	suggest_for("x86-64-v3", "avx2", s, sizeof(s));
	assert_string_equal(s, "x86-64-v2 or x86-64-v3,-avx2");
	/* more than MODEL_DROP_MAX: only the model */
	suggest_for("x86-64-v3", "avx2 bmi1 bmi2 fma movbe", s, sizeof(s));
	assert_string_equal(s, "x86-64-v2");
}

/* Two Zen 3 hosts, one of them a flags-only paste: a named AMD model. */
static void test_baseline_zen3(void **state)
{
	static const char *const zen3[] = {
		REAL "amd-zen3-ryzen-9-5950x.cpuinfo",
		REAL "amd-zen3-ryzen-9-5900x-flags-only.cpuinfo",
	};
	static const char *const mixed[] = {
		REAL "amd-zen3-ryzen-9-5950x.cpuinfo",
		REAL "intel-skylake-xeon-gold-6126.cpuinfo",
	};
	static const char *const alder[] = { REAL "intel-alderlake-core-i5-12400.cpuinfo" };
	struct model_catalog cat;
	struct baseline b;
	char rec[512];

	(void)state;
	baseline_of(zen3, 2, &cat, &b, rec, sizeof(rec));
	assert_string_equal(b.vendor, "AuthenticAMD");
	assert_true(b.pick.model >= 0);
	assert_string_equal(cat.m[b.pick.model].identity.vendor, "AuthenticAMD");
	/* Zen 3 has Milan's ISA, v2's too (its other additions are bits
	 * Linux does not print, no instruction); these Ryzens lack only pcid */
	assert_string_equal(rec, "EPYC-Milan-v2,-pcid");
	assert_true(featureset_has(&b.pick.unknown, idx("svme-addr-chk")));
	model_catalog_free(&cat);
	baseline_of(mixed, 2, &cat, &b, rec, sizeof(rec));
	assert_string_equal(b.vendor, "");
	assert_string_equal(rec, cat.m[b.best_level].name);
	model_catalog_free(&cat);
	/* a change beats the level: Skylake-Client-v4 without pcid */
	baseline_of(alder, 1, &cat, &b, rec, sizeof(rec));
	assert_string_equal(rec, "Skylake-Client-v4,-pcid");
	model_catalog_free(&cat);
}

/* KVM's supported CPUID as data: the two answers of `cpubench host`. */
static void test_guest_caps(void **state)
{
	struct kvm_cpuid2 *kvm = cpuid2_alloc(4);
	featureset_t kvmf, cpu, v, refused, q;

	(void)state;
	kvm->nent = 0;
	/* leaf 1: fpu sse sse2 (EDX), pcid x2apic (ECX) */
	cpuid_put(kvm, 1, 0, 0, 0, 0, 1u << 17 | 1u << 21, 1u << 0 | 1u << 25 | 1u << 26);
	featureset_from_cpuid(&kvmf, kvm);
	free(kvm);
	cpu = kvmf;
	featureset_add(&cpu, idx("avx2"));
	/* kvm-vmx: KVM's answer, and QEMU's additions only for QEMU */
	guest_caps_verify(&v, &refused, BACKEND_KVM_VMX, &kvmf, &cpu);
	assert_true(featureset_empty(&refused));
	assert_true(featureset_has(&v, idx("pcid")));
	assert_false(featureset_has(&v, idx("avx2")));
	guest_caps_qemu(&q, &kvmf);
	assert_true(featureset_has(&q, idx("hypervisor")));
	assert_true(featureset_has(&q, idx("arat")));
	assert_true(featureset_has(&q, idx("tsc-deadline")));
	assert_false(featureset_has(&q, idx("avx2")));
	/* kvm-pvm: the CPU's features, less what kvm_pvm refuses */
	guest_caps_verify(&v, &refused, BACKEND_KVM_PVM, &kvmf, &cpu);
	assert_true(featureset_has(&refused, idx("pcid")));
	assert_false(featureset_has(&v, idx("pcid")));
	assert_true(featureset_has(&v, idx("avx2")));
	assert_non_null(features[idx("pcid")].enforce[BACKEND_KVM_PVM].refused);
}

/*
 * kvm-pvm as the issue found it: a CPU with x86-64-v3 and pcid, a minimal
 * supported CPUID. verify holds x86-64-v2-AES there and no model with
 * pcid; QEMU, which asks KVM, refuses even x86-64-v2-AES.
 */
static void test_guest_caps_pvm_catalog(void **state)
{
	struct kvm_cpuid2 *kvm = cpuid2_alloc(2);
	featureset_t kvmf, cpu, v, refused, q, miss;
	struct model_catalog cat;
	unsigned int nverify = 0, nqemu = 0;
	struct mask m;

	(void)state;
	kvm->nent = 0;
	cpuid_put(kvm, 1, 0, 0, 0, 0, 0, 1u << 0 | 1u << 25 | 1u << 26);	/* fpu sse sse2 */
	featureset_from_cpuid(&kvmf, kvm);
	free(kvm);
	assert_int_equal(mask_resolve("x86-64-v3,+aes,+pcid", NULL, &kvmf, &m), 0);
	cpu = m.features;
	guest_caps_verify(&v, &refused, BACKEND_KVM_PVM, &kvmf, &cpu);
	guest_caps_qemu(&q, &kvmf);
	assert_int_equal(model_catalog_load(NULL, &cat), 0);
	for (unsigned int i = 0; i < cat.n; i++) {
		bool by_verify = !model_missing(&cat.m[i], &v, NULL, &miss);

		nverify += by_verify;
		nqemu += !model_missing(&cat.m[i], &q, NULL, &miss);
		if (by_verify)
			assert_false(featureset_has(&cat.m[i].features, idx("pcid")));
		if (!strcmp(cat.m[i].name, "x86-64-v2-AES")) {
			assert_true(by_verify);
			assert_true(model_missing(&cat.m[i], &q, NULL, &miss) > 0);
		}
	}
	assert_true(nverify > nqemu);
	model_catalog_free(&cat);
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

/*
 * cpuid_clear_cpu_ids(): the host's CPUID read on two different CPUs is
 * one table once the fields naming the executing CPU are cleared (a
 * fingerprint must not change with the CPU that ran cpubench host); and
 * the features read from it are those of the raw table.
 */
static struct kvm_cpuid2 *cpuid_on_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		return NULL;
	return host_cpuid_read();
}

static void test_cpuid_clear_cpu_ids(void **state)
{
	cpu_set_t old;
	struct kvm_cpuid2 *a, *b;
	featureset_t fa, fb;
	int cpus[2], n = 0;

	(void)state;
	assert_int_equal(sched_getaffinity(0, sizeof(old), &old), 0);
	for (int c = 0; c < CPU_SETSIZE && n < 2; c++)
		if (CPU_ISSET(c, &old))
			cpus[n++] = c;
	a = cpuid_on_cpu(cpus[0]);
	b = cpuid_on_cpu(cpus[n - 1]);
	assert_int_equal(sched_setaffinity(0, sizeof(old), &old), 0);
	assert_non_null(a);
	assert_non_null(b);
	featureset_from_cpuid(&fa, a);
	cpuid_clear_cpu_ids(a);
	cpuid_clear_cpu_ids(b);
	featureset_from_cpuid(&fb, a);
	assert_true(featureset_equal(&fa, &fb));
	assert_int_equal(a->nent, b->nent);
	/* with one CPU this only checks the clearing is stable */
	assert_memory_equal(a->entries, b->entries, a->nent * sizeof(a->entries[0]));
	for (uint32_t i = 0; i < a->nent; i++)
		if (a->entries[i].function == 1)
			assert_int_equal(a->entries[i].ebx & CPUID_1_EBX_APIC_ID, 0);
	free(a);
	free(b);
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
		cmocka_unit_test(test_real_hosts),
		cmocka_unit_test(test_vendor_from_model_name),
		cmocka_unit_test(test_baseline_zen3),
		cmocka_unit_test(test_model_suggest),
		cmocka_unit_test(test_guest_caps),
		cmocka_unit_test(test_guest_caps_pvm_catalog),
		cmocka_unit_test(test_lint),
		cmocka_unit_test(test_emit_qemu),
		cmocka_unit_test(test_cpuid_clear_cpu_ids),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
