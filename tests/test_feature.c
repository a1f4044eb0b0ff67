// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests: the feature database and feature sets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cpuid_fixture.h"

#include "cpu/feature.h"
#include "cpu/featureset.h"
#include "lib/suggest.h"

static const struct feature *F(const char *name)
{
	int i = feature_lookup(name);

	if (i < 0)
		fail_msg("feature '%s' not in the database", name);
	return &features[i];
}

static int idx(const char *name)
{
	int i = feature_lookup(name);

	if (i < 0)
		fail_msg("feature '%s' not in the database", name);
	return i;
}

static void test_lookup_spellings(void **state)
{
	(void)state;
	/* canonical */
	assert_string_equal(F("sse4.1")->name, "sse4.1");
	assert_string_equal(F("lahf_lm")->name, "lahf_lm");
	assert_string_equal(F("sha-ni")->name, "sha-ni");
	/* cpuinfo */
	assert_string_equal(F("sse4_1")->name, "sse4.1");
	assert_string_equal(F("sse4_2")->name, "sse4.2");
	assert_string_equal(F("sha_ni")->name, "sha-ni");
	assert_string_equal(F("tsc_deadline_timer")->name, "tsc-deadline");
	assert_string_equal(F("avx512_vnni")->name, "avx512vnni");
	/* QEMU / libvirt aliases */
	assert_string_equal(F("sse3")->name, "pni");
	assert_string_equal(F("sse4-1")->name, "sse4.1");
	assert_string_equal(F("lahf-lm")->name, "lahf_lm");
	assert_string_equal(F("pclmuldq")->name, "pclmulqdq");
	assert_string_equal(F("avx512-vnni")->name, "avx512vnni");
	assert_string_equal(F("ffxsr")->name, "fxsr-opt");
	/* QEMU's '_' == '-' rule */
	assert_string_equal(F("tsc_deadline")->name, "tsc-deadline");
	assert_string_equal(F("avx512_vpopcntdq")->name, "avx512-vpopcntdq");
	/* case-sensitive, and no junk */
	assert_int_equal(feature_lookup("AVX2"), -1);
	assert_int_equal(feature_lookup("Sse4.1"), -1);
	assert_int_equal(feature_lookup(""), -1);
	assert_int_equal(feature_lookup(NULL), -1);
	assert_int_equal(feature_lookup("avx3"), -1);
	assert_int_equal(feature_lookup("sse4.1 "), -1);
}

/* Every spelling of every row must lead back to that row, and only it. */
static void test_names_unambiguous(void **state)
{
	(void)state;
	assert_true(nfeatures > 0 && nfeatures <= FEATURESET_MAX);
	for (unsigned int i = 0; i < nfeatures; i++) {
		const struct feature *f = &features[i];

		assert_non_null(f->name);
		assert_int_equal(feature_lookup(f->name), (int)i);
		if (f->cpuinfo && feature_lookup(f->cpuinfo) != (int)i)
			fail_msg("cpuinfo '%s' of %s resolves elsewhere", f->cpuinfo, f->name);
		for (unsigned int k = 0; k < FEATURE_MAX_ALIASES && f->aliases[k]; k++)
			if (feature_lookup(f->aliases[k]) != (int)i)
				fail_msg("alias '%s' of %s resolves elsewhere",
					 f->aliases[k], f->name);
		for (unsigned int j = 0; j < i; j++)
			if (!strcmp(features[j].name, f->name))
				fail_msg("duplicate canonical name %s", f->name);
	}
}

static void test_bits_distinct(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < nfeatures; i++) {
		const struct feature *a = &features[i];

		assert_true(a->bit < 32);
		for (unsigned int j = 0; j < i; j++) {
			const struct feature *b = &features[j];

			if (a->leaf == b->leaf && a->subleaf == b->subleaf &&
			    a->reg == b->reg && a->bit == b->bit)
				fail_msg("%s and %s share a bit", a->name, b->name);
		}
	}
}

static const struct {
	const char *name;
	uint32_t leaf, subleaf;
	enum cpuid_reg reg;
	uint8_t bit;
} known_bits[] = {
	{ "sse2", 1, 0, CPUID_EDX, 26 },
	{ "cmov", 1, 0, CPUID_EDX, 15 },
	{ "cx8", 1, 0, CPUID_EDX, 8 },
	{ "fxsr", 1, 0, CPUID_EDX, 24 },
	{ "pni", 1, 0, CPUID_ECX, 0 },
	{ "pclmulqdq", 1, 0, CPUID_ECX, 1 },
	{ "vmx", 1, 0, CPUID_ECX, 5 },
	{ "ssse3", 1, 0, CPUID_ECX, 9 },
	{ "fma", 1, 0, CPUID_ECX, 12 },
	{ "cx16", 1, 0, CPUID_ECX, 13 },
	{ "sse4.1", 1, 0, CPUID_ECX, 19 },
	{ "sse4.2", 1, 0, CPUID_ECX, 20 },
	{ "movbe", 1, 0, CPUID_ECX, 22 },
	{ "popcnt", 1, 0, CPUID_ECX, 23 },
	{ "aes", 1, 0, CPUID_ECX, 25 },
	{ "xsave", 1, 0, CPUID_ECX, 26 },
	{ "avx", 1, 0, CPUID_ECX, 28 },
	{ "f16c", 1, 0, CPUID_ECX, 29 },
	{ "rdrand", 1, 0, CPUID_ECX, 30 },
	{ "fsgsbase", 7, 0, CPUID_EBX, 0 },
	{ "bmi1", 7, 0, CPUID_EBX, 3 },
	{ "avx2", 7, 0, CPUID_EBX, 5 },
	{ "bmi2", 7, 0, CPUID_EBX, 8 },
	{ "invpcid", 7, 0, CPUID_EBX, 10 },
	{ "avx512f", 7, 0, CPUID_EBX, 16 },
	{ "rdseed", 7, 0, CPUID_EBX, 18 },
	{ "adx", 7, 0, CPUID_EBX, 19 },
	{ "sha-ni", 7, 0, CPUID_EBX, 29 },
	{ "avx512vl", 7, 0, CPUID_EBX, 31 },
	{ "pku", 7, 0, CPUID_ECX, 3 },
	{ "la57", 7, 0, CPUID_ECX, 16 },
	{ "rdpid", 7, 0, CPUID_ECX, 22 },
	{ "avx-vnni", 7, 1, CPUID_EAX, 4 },
	{ "xsaveopt", 0xd, 1, CPUID_EAX, 0 },
	{ "xsavec", 0xd, 1, CPUID_EAX, 1 },
	{ "xgetbv1", 0xd, 1, CPUID_EAX, 2 },
	{ "xsaves", 0xd, 1, CPUID_EAX, 3 },
	{ "syscall", 0x80000001, 0, CPUID_EDX, 11 },
	{ "nx", 0x80000001, 0, CPUID_EDX, 20 },
	{ "rdtscp", 0x80000001, 0, CPUID_EDX, 27 },
	{ "lm", 0x80000001, 0, CPUID_EDX, 29 },
	{ "lahf_lm", 0x80000001, 0, CPUID_ECX, 0 },
	{ "svm", 0x80000001, 0, CPUID_ECX, 2 },
	{ "abm", 0x80000001, 0, CPUID_ECX, 5 },
	{ "sse4a", 0x80000001, 0, CPUID_ECX, 6 },
	{ "clzero", 0x80000008, 0, CPUID_EBX, 0 },
};

static void test_known_bits(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < sizeof(known_bits) / sizeof(known_bits[0]); i++) {
		const struct feature *f = F(known_bits[i].name);

		if (f->leaf != known_bits[i].leaf || f->subleaf != known_bits[i].subleaf ||
		    f->reg != known_bits[i].reg || f->bit != known_bits[i].bit)
			fail_msg("%s: got 0x%x.%u reg %d bit %u", f->name, f->leaf,
				 f->subleaf, f->reg, f->bit);
	}
}

static void test_xstates(void **state)
{
	(void)state;
	assert_int_equal(F("avx")->xstates, X86_XSTATE_YMM);
	assert_int_equal(F("avx2")->xstates, X86_XSTATE_YMM);
	assert_int_equal(F("avx512f")->xstates, 0xe0);
	assert_int_equal(F("avx512bw")->xstates, 0xe0);
	assert_int_equal(F("avx512vl")->xstates, 0xe0);
	assert_int_equal(F("pku")->xstates, 1u << 9);
	assert_int_equal(F("amx-tile")->xstates, 3u << 17);
	assert_int_equal(F("sse2")->xstates, 0);
	assert_int_equal(F("bmi1")->xstates, 0);	/* VEX GPR: no XCR0 check */
	assert_int_equal(F("xsave")->xstates, 0);
}

#define PROBE(sym_, name_, feature_, ring_, expected_) feature_,
static const char *const probe_features[] = {
#include "guestcode/probes.def"
};
#undef PROBE

static void test_probe_features_exist(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < sizeof(probe_features) / sizeof(probe_features[0]); i++) {
		int k;

		if (!probe_features[i][0])
			continue;	/* self-test */
		k = feature_lookup(probe_features[i]);
		if (k < 0)
			fail_msg("probes.def feature '%s' missing", probe_features[i]);
		/* probes.def must use the canonical spelling */
		assert_string_equal(features[k].name, probe_features[i]);
	}
}

static void test_level_features_exist(void **state)
{
	static const char *const names[] = {
		"cmov", "cx8", "fpu", "fxsr", "mmx", "syscall", "sse", "sse2", "lm",
		"cx16", "lahf_lm", "popcnt", "pni", "sse4.1", "sse4.2", "ssse3",
		"aes", "pclmulqdq", "avx", "avx2", "bmi1", "bmi2", "f16c", "fma",
		"abm", "movbe", "xsave", "avx512f", "avx512bw", "avx512cd",
		"avx512dq", "avx512vl",
	};

	(void)state;
	for (unsigned int i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		assert_int_equal(strcmp(F(names[i])->name, names[i]), 0);
}

static void check_mech(const char *name, enum backend_kind b, enum enforce_mech m)
{
	const struct feature *f = F(name);

	if (f->enforce[b].mech != m)
		fail_msg("%s on backend %d: %s, expected %s", name, (int)b,
			 enforce_mech_name(f->enforce[b].mech), enforce_mech_name(m));
}

static void test_enforcement(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < nfeatures; i++) {
		for (int b = 0; b < BACKEND_NR; b++) {
			const struct feature_enforce *e = &features[i].enforce[b];

			assert_true(e->mech < ENFORCE_NR);
			if (!e->reason || !e->reason[0])
				fail_msg("%s: no reason for backend %d", features[i].name, b);
			/* XCR0 gating needs the states it gates on */
			if (e->mech == ENFORCE_XCR0 && !features[i].xstates)
				fail_msg("%s: XCR0 without xstates", features[i].name);
		}
	}
	check_mech("avx", BACKEND_KVM_VMX, ENFORCE_XCR0);
	check_mech("avx2", BACKEND_KVM_SVM, ENFORCE_XCR0);
	check_mech("avx512f", BACKEND_KVM_VMX, ENFORCE_XCR0);
	check_mech("avx", BACKEND_KVM_PVM, ENFORCE_NONE);
	check_mech("xsave", BACKEND_KVM_VMX, ENFORCE_CR4);
	check_mech("xsavec", BACKEND_KVM_SVM, ENFORCE_CR4);
	check_mech("fsgsbase", BACKEND_KVM_VMX, ENFORCE_CR4);
	check_mech("pku", BACKEND_KVM_SVM, ENFORCE_CR4);
	check_mech("vmx", BACKEND_KVM_VMX, ENFORCE_CR4);
	check_mech("vmx", BACKEND_KVM_PVM, ENFORCE_CR4);
	check_mech("svm", BACKEND_KVM_VMX, ENFORCE_EFER);
	check_mech("svm", BACKEND_KVM_SVM, ENFORCE_EFER);
	check_mech("svm", BACKEND_KVM_PVM, ENFORCE_EFER);
	check_mech("rdrand", BACKEND_KVM_VMX, ENFORCE_INTERCEPT);
	check_mech("rdrand", BACKEND_KVM_SVM, ENFORCE_NONE);
	check_mech("rdseed", BACKEND_KVM_SVM, ENFORCE_NONE);
	check_mech("rdtscp", BACKEND_KVM_SVM, ENFORCE_INTERCEPT);
	check_mech("rdpid", BACKEND_KVM_VMX, ENFORCE_INTERCEPT);
	check_mech("rdpid", BACKEND_KVM_SVM, ENFORCE_NONE);
	check_mech("invpcid", BACKEND_KVM_SVM, ENFORCE_INTERCEPT);
	check_mech("invpcid", BACKEND_KVM_PVM, ENFORCE_NONE);
	check_mech("xsaves", BACKEND_KVM_VMX, ENFORCE_INTERCEPT);
	check_mech("xsaves", BACKEND_KVM_SVM, ENFORCE_CR4);
	check_mech("xsaves", BACKEND_KVM_PVM, ENFORCE_NONE);
	check_mech("sse4.2", BACKEND_KVM_VMX, ENFORCE_NONE);
	check_mech("abm", BACKEND_KVM_SVM, ENFORCE_NONE);
	check_mech("sha-ni", BACKEND_KVM_VMX, ENFORCE_NONE);
	check_mech("sse2", BACKEND_KVM_VMX, ENFORCE_NONE);
	assert_non_null(strstr(F("rdpid")->enforce[BACKEND_KVM_VMX].reason, "RDTSCP"));
	assert_string_equal(enforce_mech_name(ENFORCE_XCR0), "xcr0");
	assert_string_equal(enforce_mech_name(ENFORCE_INTERCEPT), "intercept");
}

static void test_suggest(void **state)
{
	(void)state;
	assert_string_equal(feature_suggest("avx3"), "avx2");
	assert_string_equal(feature_suggest("AVX2"), "avx2");
	assert_string_equal(feature_suggest("avx512fx"), "avx512f");
	assert_string_equal(feature_suggest("xsaveopts"), "xsaveopt");
	assert_string_equal(feature_suggest("sse41"), "sse4.1");
	assert_string_equal(feature_suggest("SHA_NI"), "sha-ni");
	assert_null(feature_suggest("completely-unrelated"));
	assert_null(feature_suggest("qq"));
	assert_null(feature_suggest(""));
	assert_int_equal(name_distance("kitten", "sitting"), 3);
	assert_int_equal(name_distance("lahf-lm", "LAHF_LM"), 0);
	assert_int_equal(name_distance("", "abc"), 3);
	assert_int_equal(name_distance("sse41", "sse4.1"), 0);
	assert_int_equal(name_distance("x86-64-v9", "x86-64-v4"), 1);
}

static void test_featureset_ops(void **state)
{
	featureset_t a, b, c;

	(void)state;
	featureset_clear(&a);
	assert_true(featureset_empty(&a));
	featureset_add(&a, 0);
	featureset_add(&a, 63);
	featureset_add(&a, 64);
	featureset_add(&a, 255);
	featureset_add(&a, 256);	/* out of range: ignored */
	featureset_add(&a, -1);
	assert_int_equal(featureset_count(&a), 4);
	assert_true(featureset_has(&a, 63) && featureset_has(&a, 64));
	assert_false(featureset_has(&a, 62) || featureset_has(&a, 256) ||
		     featureset_has(&a, -1));
	featureset_del(&a, 63);
	assert_false(featureset_has(&a, 63));
	assert_int_equal(featureset_count(&a), 3);

	featureset_clear(&b);
	featureset_add(&b, 64);
	featureset_add(&b, 100);
	featureset_union(&c, &a, &b);
	assert_int_equal(featureset_count(&c), 4);
	featureset_intersect(&c, &a, &b);
	assert_int_equal(featureset_count(&c), 1);
	assert_true(featureset_has(&c, 64));
	featureset_diff(&c, &a, &b);
	assert_int_equal(featureset_count(&c), 2);
	assert_true(featureset_has(&c, 0) && featureset_has(&c, 255));
	assert_true(featureset_subset(&c, &a));
	assert_false(featureset_subset(&b, &a));
	assert_false(featureset_equal(&a, &b));
	b = a;
	assert_true(featureset_equal(&a, &b));
	assert_int_equal(featureset_next(&a, -1), 0);
	assert_int_equal(featureset_next(&a, 0), 64);
	assert_int_equal(featureset_next(&a, 64), 255);
	assert_int_equal(featureset_next(&a, 255), -1);
	/* aliasing dst with a source */
	featureset_union(&a, &a, &b);
	assert_true(featureset_equal(&a, &b));
}

static struct kvm_cpuid2 *cpuid_new(unsigned int n)
{
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + n * sizeof(c->entries[0]));

	assert_non_null(c);
	return c;
}


static void test_featureset_from_cpuid(void **state)
{
	struct kvm_cpuid2 *c = cpuid_new(8);
	featureset_t fs;

	(void)state;
	/* non-indexed leaf with a stray index still matches (KVM's rule) */
	cpuid_put(c, 1, 5, 0, 0, 0, 1u << 20 | 1u << 28, 1u << 26);
	/* 7.1 first, with bit 5 of EBX set: must not count as avx2 (7.0) */
	cpuid_put(c, 7, 1, KVM_CPUID_FLAG_SIGNIFCANT_INDEX, 1u << 4, 1u << 5, 0, 0);
	cpuid_put(c, 7, 0, KVM_CPUID_FLAG_SIGNIFCANT_INDEX, 1, 1u << 0, 1u << 22, 0);
	cpuid_put(c, 0x80000001, 0, 0, 0, 0, 1u << 5, 1u << 29);
	featureset_from_cpuid(&fs, c);
	assert_true(featureset_has(&fs, idx("sse4.2")));
	assert_true(featureset_has(&fs, idx("avx")));
	assert_true(featureset_has(&fs, idx("sse2")));
	assert_true(featureset_has(&fs, idx("avx-vnni")));
	assert_true(featureset_has(&fs, idx("fsgsbase")));
	assert_true(featureset_has(&fs, idx("rdpid")));
	assert_true(featureset_has(&fs, idx("abm")));
	assert_true(featureset_has(&fs, idx("lm")));
	assert_false(featureset_has(&fs, idx("avx2")));
	assert_false(featureset_has(&fs, idx("sse4.1")));
	assert_int_equal(featureset_count(&fs), 8);
	featureset_from_cpuid(&fs, NULL);
	assert_true(featureset_empty(&fs));
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup_spellings),
		cmocka_unit_test(test_names_unambiguous),
		cmocka_unit_test(test_bits_distinct),
		cmocka_unit_test(test_known_bits),
		cmocka_unit_test(test_xstates),
		cmocka_unit_test(test_probe_features_exist),
		cmocka_unit_test(test_level_features_exist),
		cmocka_unit_test(test_enforcement),
		cmocka_unit_test(test_suggest),
		cmocka_unit_test(test_featureset_ops),
		cmocka_unit_test(test_featureset_from_cpuid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
