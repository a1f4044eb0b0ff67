// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests: the guest CPUID builder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cpuid_fixture.h"

#include "cpu/cpuid_builder.h"
#include "cpu/feature.h"
#include "cpu/featureset.h"
#include "lib/err.h"
#include "vmm/kvm.h"

#define IDX KVM_CPUID_FLAG_SIGNIFCANT_INDEX

/* XSAVE layout facts the builder must reproduce (SDM vol. 1, 13.4) */
#define SZ_LEGACY	576u
#define SZ_AVX		(576u + 256u)
#define SZ_AVX512	(1664u + 1024u)
#define SZ_PKRU		(2688u + 8u)

static int idx(const char *name)
{
	int i = feature_lookup(name);

	if (i < 0)
		fail_msg("feature '%s' not in the database", name);
	return i;
}


static uint32_t bit(const char *name)
{
	return 1u << features[idx(name)].bit;
}

/*
 * A Skylake-SP-like KVM_GET_SUPPORTED_CPUID: AVX-512 and PKU, XSAVE with
 * x87|SSE|YMM|opmask|ZMM|PKRU, plus a KVM signature leaf.
 */
static struct kvm_cpuid2 *supported_skx(void)
{
	struct kvm_cpuid2 *c = cpuid2_alloc(32);

	assert_non_null(c);
	c->nent = 0;
	cpuid_put(c, 0, 0, 0, 0xd, 0x756e6547, 0x6c65746e, 0x49656e69); /* GenuineIntel */
	cpuid_put(c, 1, 0, 0, 0x50654, 0x00010800,
	    bit("pni") | bit("pclmulqdq") | bit("ssse3") | bit("fma") | bit("cx16") |
	    bit("sse4.1") | bit("sse4.2") | bit("movbe") | bit("popcnt") | bit("aes") |
	    bit("xsave") | (1u << 27) /* OSXSAVE */ | bit("avx") | bit("f16c") |
	    bit("rdrand") | bit("hypervisor"),
	    bit("fpu") | bit("cx8") | bit("cmov") | bit("mmx") | bit("fxsr") |
	    bit("sse") | bit("sse2") | bit("apic"));
	cpuid_put(c, 7, 0, IDX, 0,
	    bit("fsgsbase") | bit("bmi1") | bit("avx2") | bit("bmi2") |
	    bit("avx512f") | bit("avx512dq") | bit("avx512cd") | bit("avx512bw") |
	    bit("avx512vl") | bit("adx"),
	    bit("pku") | (1u << 4) /* OSPKE */, 0);
	cpuid_put(c, 0xd, 0, IDX, 0x2e7, 0xa88, 0xa88, 0);
	cpuid_put(c, 0xd, 1, IDX, 0xf, 0, 0, 0);
	cpuid_put(c, 0xd, 2, IDX, 256, 576, 0, 0);
	cpuid_put(c, 0xd, 5, IDX, 64, 1088, 0, 0);
	cpuid_put(c, 0xd, 6, IDX, 512, 1152, 0, 0);
	cpuid_put(c, 0xd, 7, IDX, 1024, 1664, 0, 0);
	cpuid_put(c, 0xd, 9, IDX, 8, 2688, 0, 0);
	cpuid_put(c, 0x40000000, 0, 0, 0x40000001, 0x4b4d564b, 0x564b4d56, 0x4d);
	cpuid_put(c, 0x80000000, 0, 0, 0x80000001, 0, 0, 0);
	cpuid_put(c, 0x80000001, 0, 0, 0, 0, bit("lahf_lm") | bit("abm"),
	    bit("syscall") | bit("nx") | bit("rdtscp") | bit("lm") | (1u << 15));
	return c;
}

static void fs_of(featureset_t *fs, const char *const *names)
{
	featureset_clear(fs);
	for (; *names; names++)
		featureset_add(fs, idx(*names));
}

static struct kvm_cpuid2 *build(const struct kvm_cpuid2 *sup, const char *const *names,
				const struct cpu_identity *id)
{
	featureset_t fs;
	struct kvm_cpuid2 *c;

	fs_of(&fs, names);
	c = cpuid_build(sup, &fs, id);
	if (!c)
		fail_msg("cpuid_build: %s", err_msg());
	return c;
}

static struct kvm_cpuid_entry2 *must_find(struct kvm_cpuid2 *c, uint32_t leaf,
					  uint32_t sub)
{
	struct kvm_cpuid_entry2 *e = cpuid_find(c, leaf, sub);

	if (!e)
		fail_msg("no entry 0x%x.%u", leaf, sub);
	return e;
}

static unsigned int count_leaf(const struct kvm_cpuid2 *c, uint32_t leaf)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < c->nent; i++)
		n += c->entries[i].function == leaf;
	return n;
}

static void test_host_roundtrip(void **state)
{
	struct kvm_cpuid2 *sup = supported_skx(), *c;
	featureset_t fs, back;
	struct kvm_cpuid_entry2 *e;

	(void)state;
	featureset_from_cpuid(&fs, sup);
	c = cpuid_build(sup, &fs, NULL);
	assert_non_null(c);
	featureset_from_cpuid(&back, c);
	assert_true(featureset_equal(&fs, &back));
	assert_int_equal(cpuid_xcr0_allowed(c), 0x2e7);
	e = must_find(c, 0xd, 0);
	assert_int_equal(e->ebx, SZ_PKRU);
	assert_int_equal(e->ecx, SZ_PKRU);
	e = must_find(c, 0xd, 2);
	assert_int_equal(e->eax, 256);
	assert_int_equal(e->ebx, 576);
	/* OSXSAVE and OSPKE are KVM's to derive from CR4 */
	assert_false(must_find(c, 1, 0)->ecx & (1u << 27));
	assert_false(must_find(c, 7, 0)->ecx & (1u << 4));
	/* untouched: leaf 1 EBX, the model, and the hypervisor leaf */
	assert_int_equal(must_find(c, 1, 0)->ebx, 0x00010800);
	assert_int_equal(must_find(c, 1, 0)->eax, 0x50654);
	assert_memory_equal(must_find(c, 0x40000000, 0), &sup->entries[10],
			    sizeof(sup->entries[0]));
	/* max basic leaf not pulled up to the hypervisor range */
	assert_int_equal(must_find(c, 0, 0)->eax, 0xd);
	free(c);
	free(sup);
}

static void test_clear_avx_hides_ymm(void **state)
{
	static const char *const with_avx[] = { "sse2", "xsave", "avx", "avx2", NULL };
	static const char *const no_avx[] = { "sse2", "xsave", "avx2", NULL };
	struct kvm_cpuid2 *sup = supported_skx(), *c;
	struct kvm_cpuid_entry2 *e;

	(void)state;
	c = build(sup, with_avx, NULL);
	assert_int_equal(cpuid_xcr0_allowed(c), 0x7);
	e = must_find(c, 0xd, 0);
	assert_int_equal(e->ebx, SZ_AVX);
	assert_int_equal(e->ecx, SZ_AVX);
	assert_non_null(cpuid_find(c, 0xd, 2));
	/* states the set does not own are gone, subleaves too */
	assert_null(cpuid_find(c, 0xd, 5));
	assert_null(cpuid_find(c, 0xd, 9));
	free(c);

	c = build(sup, no_avx, NULL);
	assert_int_equal(cpuid_xcr0_allowed(c), 0x3);
	assert_false(must_find(c, 1, 0)->ecx & bit("avx"));
	assert_true(must_find(c, 7, 0)->ebx & bit("avx2"));
	assert_null(cpuid_find(c, 0xd, 2));
	assert_int_equal(must_find(c, 0xd, 0)->ebx, SZ_LEGACY);
	assert_int_equal(count_leaf(c, 0xd), 2);
	free(c);
	free(sup);
}

static void test_avx512_states(void **state)
{
	static const char *const names[] = { "xsave", "avx", "avx512f", NULL };
	static const char *const pkru[] = { "xsave", "avx", "avx512f", "pku", NULL };
	static const uint32_t sub[][3] = {
		{ 2, 256, 576 }, { 5, 64, 1088 }, { 6, 512, 1152 }, { 7, 1024, 1664 },
	};
	struct kvm_cpuid2 *sup = supported_skx(), *c;

	(void)state;
	c = build(sup, names, NULL);
	assert_int_equal(cpuid_xcr0_allowed(c), 0x7 | 0xe0);
	assert_int_equal(must_find(c, 0xd, 0)->ebx, SZ_AVX512);
	for (unsigned int i = 0; i < 4; i++) {
		struct kvm_cpuid_entry2 *e = must_find(c, 0xd, sub[i][0]);

		assert_int_equal(e->eax, sub[i][1]);
		assert_int_equal(e->ebx, sub[i][2]);
		assert_true(e->flags & IDX);
	}
	assert_null(cpuid_find(c, 0xd, 9));
	free(c);

	c = build(sup, pkru, NULL);
	assert_int_equal(cpuid_xcr0_allowed(c), 0x2e7);
	assert_int_equal(must_find(c, 0xd, 0)->ebx, SZ_PKRU);
	assert_int_equal(must_find(c, 0xd, 9)->ebx, 2688);
	free(c);
	free(sup);
}

/*
 * AMD CPUs have no MPX states, so AVX-512 and PKRU sit lower than on Intel
 * (Zen 4/5: opmask 0x340, ZMM_Hi256 0x380, Hi16_ZMM 0x580, PKRU 0x980).
 * The builder must keep KVM's layout, and size the area from it.
 */
static void test_amd_xsave_layout_kept(void **state)
{
	static const char *const names[] = { "sse2", "xsave", "avx", "avx512f", "pku", NULL };
	struct kvm_cpuid2 *sup = supported_skx(), *c;

	(void)state;
	must_find(sup, 0xd, 5)->ebx = 0x340;
	must_find(sup, 0xd, 6)->ebx = 0x380;
	must_find(sup, 0xd, 7)->ebx = 0x580;
	must_find(sup, 0xd, 9)->ebx = 0x980;
	c = build(sup, names, NULL);
	assert_int_equal(must_find(c, 0xd, 5)->ebx, 0x340);
	assert_int_equal(must_find(c, 0xd, 6)->ebx, 0x380);
	assert_int_equal(must_find(c, 0xd, 7)->ebx, 0x580);
	assert_int_equal(must_find(c, 0xd, 9)->ebx, 0x980);
	assert_int_equal(must_find(c, 0xd, 0)->ecx, 0x980 + 8);
	assert_int_equal(must_find(c, 0xd, 0)->ebx, 0x980 + 8);
	free(c);
	free(sup);
}

static void test_no_xsave(void **state)
{
	static const char *const names[] = { "sse2", "avx", "avx512f", "pku", NULL };
	struct kvm_cpuid2 *sup = supported_skx(), *c;
	struct kvm_cpuid_entry2 *e;

	(void)state;
	c = build(sup, names, NULL);
	assert_int_equal(cpuid_xcr0_allowed(c), 0x3);
	e = must_find(c, 0xd, 0);
	assert_int_equal(e->ebx, SZ_LEGACY);
	assert_int_equal(e->edx, 0);
	e = must_find(c, 0xd, 1);
	assert_int_equal(e->eax & 0xf, 0);	/* xsaveopt..xsaves not in the set */
	assert_int_equal(e->ebx, 0);
	assert_int_equal(count_leaf(c, 0xd), 2);
	assert_false(must_find(c, 1, 0)->ecx & bit("xsave"));
	free(c);
	free(sup);
}

static void test_xsave_subleaf1(void **state)
{
	static const char *const names[] = {
		"xsave", "xsavec", "xgetbv1", "avx", "avx512f", "pku", NULL
	};
	struct kvm_cpuid2 *sup = supported_skx(), *c;
	struct kvm_cpuid_entry2 *e;

	(void)state;
	sup->entries[4].ecx = 0x100;	/* pretend IA32_XSS supports PT */
	c = build(sup, names, NULL);
	e = must_find(c, 0xd, 1);
	assert_int_equal(e->eax, 0x6);	/* xsavec | xgetbv1, no xsaveopt/xsaves */
	/* compacted: 576 + 256 + 64 + 512 + 1024 + 8 */
	assert_int_equal(e->ebx, 2440);
	assert_int_equal(e->ecx, 0);	/* no XSS states without xsaves */
	free(c);
	free(sup);
}

static void test_force_missing(void **state)
{
	static const char *const names[] = { "sse2", "avx-vnni", "clzero", "avx2", NULL };
	struct kvm_cpuid2 *sup = supported_skx(), *c;
	struct kvm_cpuid_entry2 *e;

	(void)state;
	assert_null(cpuid_find(sup, 7, 1));
	c = build(sup, names, NULL);
	e = must_find(c, 7, 1);
	assert_true(e->flags & IDX);
	assert_int_equal(e->index, 1);
	assert_int_equal(e->eax, 1u << 4);
	assert_true(must_find(c, 7, 0)->eax >= 1);	/* max subleaf of leaf 7 */
	e = must_find(c, 0x80000008, 0);
	assert_int_equal(e->flags, 0);			/* not an indexed leaf */
	assert_int_equal(e->ebx, 1);
	assert_int_equal(e->eax, 0x3028);		/* sane address widths */
	assert_int_equal(must_find(c, 0x80000000, 0)->eax, 0x80000008);
	free(c);
	free(sup);
}

static void test_max_basic_leaf_raised(void **state)
{
	static const char *const names[] = { "sse2", "avx2", "xsave", "avx", NULL };
	struct kvm_cpuid2 *sup = cpuid2_alloc(4), *c;

	(void)state;
	sup->nent = 0;
	cpuid_put(sup, 0, 0, 0, 1, 0x68747541, 0x444d4163, 0x69746e65);
	cpuid_put(sup, 1, 0, 0, 0, 0, 0, bit("sse2"));
	c = build(sup, names, NULL);
	assert_true(must_find(c, 7, 0)->ebx & bit("avx2"));
	assert_int_equal(must_find(c, 0, 0)->eax, 0xd);
	assert_int_equal(cpuid_xcr0_allowed(c), 0x7);
	assert_null(cpuid_find(c, 0x80000000, 0));	/* no extended leaves */
	free(c);
	free(sup);
}

static void test_encode_fms(void **state)
{
	(void)state;
	/* Zen 3 (family 0x19 = 0xf + 0xa), model 0x01, stepping 1 */
	assert_int_equal(cpuid_encode_fms(0x19, 0x01, 1), 0x00a00f11);
	/* Zen 4: family 0x19 model 0x11 stepping 1 */
	assert_int_equal(cpuid_encode_fms(0x19, 0x11, 1), 0x00a10f11);
	/* Skylake-SP: family 6 model 0x55 stepping 4 */
	assert_int_equal(cpuid_encode_fms(6, 0x55, 4), 0x00050654);
	/* Pentium 4: family 0xf model 2 stepping 9: no extended family */
	assert_int_equal(cpuid_encode_fms(0xf, 2, 9), 0x00000f29);
	/* family 5: no extended model nibble */
	assert_int_equal(cpuid_encode_fms(5, 4, 3), 0x00000543);
}

static void test_identity(void **state)
{
	static const char *const names[] = { "sse2", "svm", NULL };
	struct cpu_identity id = {
		.vendor = "AuthenticAMD", .family = 0x19, .model = 0x01,
		.stepping = 0, .model_id = "AMD EPYC-Milan Test CPU", .set = true,
	};
	struct kvm_cpuid2 *sup = supported_skx(), *c;
	struct kvm_cpuid_entry2 *e;
	char brand[49] = { 0 };

	(void)state;
	c = build(sup, names, &id);
	e = must_find(c, 0, 0);
	assert_int_equal(e->ebx, 0x68747541);	/* "Auth" */
	assert_int_equal(e->edx, 0x69746e65);	/* "enti" */
	assert_int_equal(e->ecx, 0x444d4163);	/* "cAMD" */
	assert_int_equal(e->eax, 0xd);
	assert_int_equal(must_find(c, 1, 0)->eax, 0x00a00f10);
	for (uint32_t k = 0; k < 3; k++) {
		e = must_find(c, 0x80000002 + k, 0);
		memcpy(brand + 16 * k, &e->eax, 4);
		memcpy(brand + 16 * k + 4, &e->ebx, 4);
		memcpy(brand + 16 * k + 8, &e->ecx, 4);
		memcpy(brand + 16 * k + 12, &e->edx, 4);
	}
	assert_string_equal(brand, "AMD EPYC-Milan Test CPU");
	/* AMD repeats the vendor in 0x80000000, which now reaches 0x80000004 */
	e = must_find(c, 0x80000000, 0);
	assert_int_equal(e->eax, 0x80000004);
	assert_int_equal(e->ebx, 0x68747541);
	free(c);

	/* Intel identity: 0x80000000 EBX/ECX/EDX reserved (zero), brand kept */
	memcpy(id.vendor, "GenuineIntel", 13);
	id.family = 6;
	id.model = 0x55;
	id.stepping = 4;
	id.model_id[0] = '\0';
	c = build(sup, names, &id);
	assert_int_equal(must_find(c, 0, 0)->ebx, 0x756e6547);	/* "Genu" */
	assert_int_equal(must_find(c, 1, 0)->eax, 0x00050654);
	assert_int_equal(must_find(c, 0x80000000, 0)->ebx, 0);
	assert_null(cpuid_find(c, 0x80000002, 0));
	free(c);

	/* id->set == false keeps the host's */
	id.set = false;
	c = build(sup, names, &id);
	assert_int_equal(must_find(c, 1, 0)->eax, 0x50654);
	free(c);
	free(sup);
}

static void test_amd_alias_bits(void **state)
{
	static const char *const no_cmov[] = { "sse2", "lm", NULL };
	static const char *const cmov[] = { "sse2", "lm", "cmov", NULL };
	struct kvm_cpuid2 *sup = supported_skx(), *c;

	(void)state;
	c = build(sup, no_cmov, NULL);
	assert_false(must_find(c, 1, 0)->edx & bit("cmov"));
	assert_false(must_find(c, 0x80000001, 0)->edx & (1u << 15));
	assert_true(must_find(c, 0x80000001, 0)->edx & bit("lm"));
	assert_false(must_find(c, 0x80000001, 0)->edx & bit("nx"));
	free(c);
	c = build(sup, cmov, NULL);
	assert_true(must_find(c, 0x80000001, 0)->edx & (1u << 15));
	free(c);
	free(sup);
}

static void test_amx_states(void **state)
{
	static const char *const names[] = { "xsave", "amx-tile", "amx-int8", NULL };
	struct kvm_cpuid2 *sup = supported_skx(), *c;

	(void)state;
	c = build(sup, names, NULL);
	assert_int_equal(cpuid_xcr0_allowed(c), 0x3 | 0x60000);
	assert_int_equal(must_find(c, 0xd, 17)->ebx, 2752);
	assert_int_equal(must_find(c, 0xd, 18)->eax, 8192);
	assert_int_equal(must_find(c, 0xd, 18)->ebx, 2816);
	assert_int_equal(must_find(c, 0xd, 0)->ebx, 2816 + 8192);
	free(c);
	free(sup);
}

static void test_find_and_errors(void **state)
{
	struct kvm_cpuid2 *sup = supported_skx();
	featureset_t fs;

	(void)state;
	/* non-indexed leaf: any subleaf finds it; indexed: only its own */
	assert_non_null(cpuid_find(sup, 1, 7));
	assert_null(cpuid_find(sup, 7, 3));
	assert_null(cpuid_find(NULL, 1, 0));
	assert_true(cpuid_leaf_is_indexed(0xd));
	assert_true(cpuid_leaf_is_indexed(0x8000001d));
	assert_false(cpuid_leaf_is_indexed(0x80000001));
	featureset_clear(&fs);
	err_clear();
	assert_null(cpuid_build(NULL, &fs, NULL));
	assert_true(err_msg()[0] != '\0');
	free(sup);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host_roundtrip),
		cmocka_unit_test(test_clear_avx_hides_ymm),
		cmocka_unit_test(test_avx512_states),
		cmocka_unit_test(test_no_xsave),
		cmocka_unit_test(test_xsave_subleaf1),
		cmocka_unit_test(test_force_missing),
		cmocka_unit_test(test_max_basic_leaf_raised),
		cmocka_unit_test(test_encode_fms),
		cmocka_unit_test(test_identity),
		cmocka_unit_test(test_amd_alias_bits),
		cmocka_unit_test(test_amx_states),
		cmocka_unit_test(test_amd_xsave_layout_kept),
		cmocka_unit_test(test_find_and_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
