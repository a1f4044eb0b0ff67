// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests: bench/import/qemu_source.c, QEMU's x86 CPU models read from
 * QEMU's C source.
 *
 * The reference tree (tests/qemu_ref.h): QEMU 10.0 development (commit
 * 0048035a), target/i386/cpu.{c,h} unmodified. Every fact asserted about
 * it was read in that cpu.c/cpu.h by hand. Where the tree is absent
 * (a clone without ../shared) the test_ref_* tests skip, saying so; a
 * tree that is there and does not read fails them all.
 *
 * The error tests write a small QEMU-like tree of our own (fixture_h,
 * fixture_c) into a temporary directory, break one line and check that the
 * error names that file and line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "import/qemu_source.h"
#include "lib/err.h"
#include "qemu_ref.h"

#define REF_COMMIT	QEMU_REF_COMMIT

static struct qsrc ref;
static char ref_absent[512];	/* why the reference tests skip; "" if loaded */

static int load_ref(void **state)
{
	char why[512];
	int r;

	(void)state;
	r = qemu_ref_load(&ref, why, sizeof(why));
	if (r < 0) {
		fprintf(stderr, "%s\n", why);
		return -1;
	}
	if (r > 0)
		snprintf(ref_absent, sizeof(ref_absent), "%s", why);
	return 0;
}

/* At the top of every test of the reference tree. */
#define NEED_REF()							\
	do {								\
		if (ref_absent[0]) {					\
			print_message("skipped: %s\n", ref_absent);	\
			skip();						\
		}							\
	} while (0)

static int free_ref(void **state)
{
	(void)state;
	qsrc_free(&ref);
	return 0;
}

static const struct qsrc_word *word(const struct qsrc *q, const char *enum_name,
				    unsigned int *index)
{
	for (unsigned int w = 0; w < q->nwords; w++) {
		if (q->words[w].present && !strcmp(q->words[w].enum_name, enum_name)) {
			if (index)
				*index = w;
			return &q->words[w];
		}
	}
	fail_msg("no feature word %s", enum_name);
	return NULL;
}

static void resolve(const struct qsrc *q, const char *name, unsigned int flags,
		    struct qsrc_cpu *c)
{
	struct qsrc_ref r;

	if (qsrc_find(q, name, &r) || qsrc_resolve(q, r.model, r.version, flags, c))
		fail_msg("%s: %s", name, err_msg());
}

/* every name of the NULL-terminated list is (@has) or is not a feature of @c */
static void assert_features(const struct qsrc *q, const struct qsrc_cpu *c, int has, ...)
{
	va_list ap;
	const char *name;

	va_start(ap, has);
	while ((name = va_arg(ap, const char *))) {
		unsigned int w;
		uint64_t m;

		if (qsrc_feature(q, name, &w, &m))
			fail_msg("%s: no feature named %s", c->name, name);
		if (qsrc_cpu_has(q, c, name) != has)
			fail_msg("%s: %s %s", c->name, has ? "lacks" : "has", name);
	}
	va_end(ap);
}

static const struct qsrc_model *model(const struct qsrc *q, const char *name)
{
	for (size_t i = 0; i < q->nmodels; i++)
		if (!strcmp(q->models[i].name, name))
			return &q->models[i];
	fail_msg("no model %s", name);
	return NULL;
}

static const struct qsrc_version *version(const struct qsrc_model *m, int v)
{
	for (size_t i = 0; i < m->nversions; i++)
		if (m->versions[i].version == v)
			return &m->versions[i];
	fail_msg("%s has no version %d", m->name, v);
	return NULL;
}

/* ------------------------------------------------ the reference tree */

static void test_ref_source(void **state)
{
	(void)state;
	NEED_REF();
	assert_string_equal(ref.commit, REF_COMMIT);	/* from its SOURCE.md */
	/* QEMU_HW_VERSION and KVM_CPUID_FEATURES come from other headers */
	assert_int_equal(ref.nassumed, 2);
	assert_non_null(strstr(ref.assumed[0], "QEMU_HW_VERSION"));
	assert_non_null(strstr(ref.assumed[1], "KVM_CPUID_FEATURES"));
}

static void test_ref_words(void **state)
{
	const struct qsrc_word *w;
	unsigned int i;
	uint64_t mask;

	(void)state;
	NEED_REF();
	assert_int_equal(ref.nwords, 43);	/* FEATURE_WORDS */
	w = word(&ref, "FEAT_7_0_EBX", &i);
	assert_int_equal(i, 2);
	assert_false(w->is_msr);
	assert_int_equal(w->leaf, 7);
	assert_true(w->needs_subleaf);
	assert_int_equal(w->subleaf, 0);
	assert_int_equal(w->reg, QSRC_REG_EBX);
	assert_string_equal(w->names[16], "avx512f");
	assert_string_equal(w->names[29], "sha-ni");
	assert_null(w->names[12]);

	w = word(&ref, "FEAT_1_EDX", NULL);
	assert_int_equal(w->leaf, 1);
	assert_false(w->needs_subleaf);
	assert_int_equal(w->reg, QSRC_REG_EDX);
	assert_string_equal(w->names[0], "fpu");
	assert_string_equal(w->names[18], "pn");	/* "pn" followed by a comment */
	assert_null(w->names[10]);

	w = word(&ref, "FEAT_8000_0001_ECX", NULL);
	assert_int_equal(w->leaf, 0x80000001);
	assert_int_equal(w->reg, QSRC_REG_ECX);
	assert_string_equal(w->names[0], "lahf-lm");

	w = word(&ref, "FEAT_KVM", NULL);	/* .eax = KVM_CPUID_FEATURES */
	assert_int_equal(w->leaf, 0x40000001);
	assert_int_equal(w->reg, QSRC_REG_EAX);

	w = word(&ref, "FEAT_XSAVE", NULL);
	assert_int_equal(w->leaf, 0xd);
	assert_int_equal(w->subleaf, 1);
	assert_string_equal(w->names[4], "xfd");

	w = word(&ref, "FEAT_24_0_EBX", NULL);	/* [16] = "avx10-128" */
	assert_string_equal(w->names[16], "avx10-128");
	assert_null(w->names[15]);
	assert_int_equal(w->leaf, 0x24);

	w = word(&ref, "FEAT_ARCH_CAPABILITIES", NULL);
	assert_true(w->is_msr);
	assert_int_equal(w->msr, 0x10a);
	assert_string_equal(w->names[0], "rdctl-no");

	w = word(&ref, "FEAT_VMX_BASIC", NULL);	/* [54] = "vmx-ins-outs" */
	assert_true(w->is_msr);
	assert_int_equal(w->msr, 0x480);
	assert_string_equal(w->names[54], "vmx-ins-outs");
	assert_string_equal(w->names[58], "vmx-nested-exception");

	/* a name on two bits: QEMU's property covers both */
	word(&ref, "FEAT_VMX_EPT_VPID_CAPS", &i);
	assert_int_equal(qsrc_feature(&ref, "vmx-invept-single-context", &i, &mask), 0);
	assert_int_equal(mask, (1ull << 25) | (1ull << 41));
	assert_int_equal(qsrc_feature(&ref, "kvmclock", &i, &mask), 0);
	assert_int_equal(mask, (1ull << 0) | (1ull << 3));
	assert_int_equal(qsrc_feature(&ref, "lahf_lm", &i, &mask), -1);
}

static void test_ref_counts(void **state)
{
	size_t versions = 0, aliases = 0, explicit = 0;

	(void)state;
	NEED_REF();
	assert_int_equal(ref.nmodels, 44);
	for (size_t i = 0; i < ref.nmodels; i++) {
		explicit += ref.models[i].explicit_versions;
		versions += ref.models[i].nversions;
		for (size_t k = 0; k < ref.models[i].nversions; k++)
			aliases += !!ref.models[i].versions[k].alias;
	}
	assert_int_equal(explicit, 21);
	assert_int_equal(versions, 89);		/* 66 listed, 23 implicit v1 */
	assert_int_equal(aliases, 17);
	assert_int_equal(ref.ndeps, 36);
	assert_int_equal(ref.default_version, 1);
	assert_string_equal(ref.models[0].name, "qemu64");
	assert_string_equal(ref.models[ref.nmodels - 1].name, "YongFeng");
	/* hypervisor: CPUID_EXT_HYPERVISOR in FEAT_1_ECX */
	assert_int_equal(ref.hyp_word, 1);
	assert_int_equal(ref.hyp_mask, 1ull << 31);
}

static void test_ref_sapphirerapids(void **state)
{
	const struct qsrc_model *m;
	struct qsrc_cpu c;

	(void)state;
	NEED_REF();
	m = model(&ref, "SapphireRapids");
	assert_int_equal(m->level, 0x20);
	assert_int_equal(m->nversions, 3);
	resolve(&ref, "SapphireRapids-v1", 0, &c);
	assert_string_equal(c.vendor, "GenuineIntel");
	assert_int_equal(c.family, 6);
	assert_int_equal(c.model, 143);
	assert_int_equal(c.stepping, 4);
	assert_string_equal(c.model_id, "Intel Xeon Processor (SapphireRapids)");
	assert_features(&ref, &c, 1, "amx-tile", "amx-int8", "amx-bf16", "avx512-fp16",
			"avx-vnni", "avx512-bf16", "serialize", "tsx-ldtrk", "la57", "xfd",
			"xsaves", "taa-no", "bus-lock-detect", NULL);
	assert_features(&ref, &c, 0, "sbdr-ssdp-no", "ss", "cldemote", "movdiri",
			"hypervisor", NULL);
	resolve(&ref, "SapphireRapids-v2", 0, &c);
	assert_features(&ref, &c, 1, "sbdr-ssdp-no", "fbsdp-no", "psdp-no", NULL);
	assert_features(&ref, &c, 0, "ss", NULL);
	resolve(&ref, "SapphireRapids-v3", 0, &c);
	assert_features(&ref, &c, 1, "sbdr-ssdp-no", "ss", "tsc-adjust", "cldemote",
			"movdiri", "movdir64b", NULL);
}

static void test_ref_epyc_genoa(void **state)
{
	const struct qsrc_model *m;
	struct qsrc_cpu c;

	(void)state;
	NEED_REF();
	m = model(&ref, "EPYC-Genoa");
	assert_false(m->explicit_versions);
	assert_int_equal(m->nversions, 1);
	assert_string_equal(m->cache_info, "epyc_genoa_cache_info");
	resolve(&ref, "EPYC-Genoa", 0, &c);
	assert_string_equal(c.name, "EPYC-Genoa-v1");
	assert_string_equal(c.vendor, "AuthenticAMD");
	assert_int_equal(c.family, 25);
	assert_int_equal(c.model, 17);
	assert_int_equal(c.stepping, 0);
	assert_int_equal(c.xlevel, 0x80000022);
	assert_features(&ref, &c, 1, "avx512f", "avx512-bf16", "la57", "auto-ibrs",
			"no-nested-data-bp", "null-sel-clr-base", "vnmi", "svme-addr-chk",
			"amd-psfd", "stibp-always-on", NULL);
	assert_features(&ref, &c, 0, "amx-tile", "avx-vnni", NULL);
}

static void test_ref_cascadelake(void **state)
{
	const struct qsrc_model *m;
	const struct qsrc_version *v5, *v3;
	struct qsrc_cpu c;
	unsigned int w;

	(void)state;
	NEED_REF();
	m = model(&ref, "Cascadelake-Server");
	v5 = version(m, 5);
	v3 = version(m, 3);
	assert_int_equal(m->nversions, 5);
	assert_string_equal(v3->alias, "Cascadelake-Server-noTSX");
	assert_null(v5->alias);
	assert_string_equal(v5->note, "ARCH_CAPABILITIES, EPT switching, XSAVES, no TSX");
	assert_int_equal(v5->nprops, 2);
	assert_string_equal(v5->props[0].name, "xsaves");
	assert_string_equal(v5->props[0].value, "on");
	assert_int_equal(v5->props[0].kind, QSRC_PROP_FEATURE);
	assert_true(v5->props[0].on);
	word(&ref, "FEAT_XSAVE", &w);
	assert_int_equal(v5->props[0].word, w);
	assert_int_equal(v5->props[0].mask, 1u << 3);
	assert_string_equal(v5->props[1].name, "vmx-xsaves");
	assert_int_equal(v5->props[1].kind, QSRC_PROP_FEATURE);
	word(&ref, "FEAT_VMX_SECONDARY_CTLS", &w);
	assert_int_equal(v5->props[1].word, w);
	assert_int_equal(v5->props[1].mask, 1u << 20);

	resolve(&ref, "Cascadelake-Server-v1", 0, &c);
	assert_features(&ref, &c, 1, "hle", "rtm", "avx512vnni", "pku", NULL);
	assert_features(&ref, &c, 0, "xsaves", "arch-capabilities", "rdctl-no", NULL);
	/* cumulative: v2's arch-capabilities, v3's no TSX, v4's EPT switching */
	resolve(&ref, "Cascadelake-Server-v5", 0, &c);
	assert_features(&ref, &c, 1, "xsaves", "vmx-xsaves", "arch-capabilities",
			"rdctl-no", "ibrs-all", "skip-l1dfl-vmentry", "mds-no",
			"vmx-eptp-switching", NULL);
	assert_features(&ref, &c, 0, "hle", "rtm", "hypervisor", NULL);
	assert_string_equal(c.model_id, "Intel Xeon Processor (Cascadelake)");
	/* as QEMU expands it: no vmx, so no vmx-* (feature_dependencies[]) */
	resolve(&ref, "Cascadelake-Server-v5", QSRC_EXPAND, &c);
	assert_features(&ref, &c, 1, "xsaves", "rdctl-no", "hypervisor", NULL);
	assert_features(&ref, &c, 0, "vmx-xsaves", "vmx-eptp-switching", NULL);
	/* MSR_VMX_EPT_WB has no name in feature_word_info[] */
	resolve(&ref, "Cascadelake-Server-v1", 0, &c);
	word(&ref, "FEAT_VMX_EPT_VPID_CAPS", &w);
	assert_int_equal(qsrc_unnamed_bits(&ref, &c, w), 1ull << 14);
}

static void test_ref_haswell(void **state)
{
	const struct qsrc_version *v2;
	struct qsrc_ref r;
	struct qsrc_cpu c;
	char prov[256];

	(void)state;
	NEED_REF();
	v2 = version(model(&ref, "Haswell"), 2);
	assert_int_equal(v2->nprops, 4);
	assert_int_equal(v2->props[2].kind, QSRC_PROP_IDENTITY);
	assert_int_equal(v2->props[2].ident, QSRC_ID_STEPPING);
	assert_int_equal(v2->props[2].num, 1);
	assert_int_equal(v2->props[3].ident, QSRC_ID_MODEL_ID);

	assert_int_equal(qsrc_find(&ref, "Haswell", &r), 0);
	assert_int_equal(r.kind, QSRC_NAME_UNVERSIONED);
	assert_int_equal(r.version, 1);
	assert_int_equal(qsrc_find(&ref, "Haswell-noTSX-IBRS", &r), 0);
	assert_int_equal(r.kind, QSRC_NAME_ALIAS);
	assert_int_equal(r.version, 4);
	assert_int_equal(qsrc_find(&ref, "Haswell-v3", &r), 0);
	assert_int_equal(r.kind, QSRC_NAME_VERSIONED);
	assert_int_equal(r.version, 3);
	assert_string_equal(r.model->name, "Haswell");
	assert_int_equal(qsrc_find(&ref, "Haswell-v5", &r), -1);
	assert_non_null(strstr(err_msg(), "Haswell-v5"));
	assert_int_equal(qsrc_find(&ref, "Haswell-v", &r), -1);
	assert_int_equal(qsrc_find(&ref, "Haswell-v01", &r), -1);
	assert_int_equal(qsrc_find(&ref, "haswell", &r), -1);

	resolve(&ref, "Haswell-v1", 0, &c);
	assert_int_equal(c.stepping, 4);
	assert_features(&ref, &c, 1, "hle", "rtm", "avx2", "vme", NULL);
	assert_features(&ref, &c, 0, "spec-ctrl", NULL);
	resolve(&ref, "Haswell-v2", 0, &c);
	assert_int_equal(c.stepping, 1);
	assert_string_equal(c.model_id, "Intel Core Processor (Haswell, no TSX)");
	assert_features(&ref, &c, 0, "hle", "rtm", NULL);
	resolve(&ref, "Haswell-v3", 0, &c);	/* TSX back, stepping back to 4 */
	assert_int_equal(c.stepping, 4);
	assert_features(&ref, &c, 1, "hle", "rtm", "spec-ctrl", NULL);
	resolve(&ref, "Haswell-noTSX-IBRS", 0, &c);
	assert_string_equal(c.name, "Haswell-v4");
	assert_int_equal(c.stepping, 1);
	assert_string_equal(c.model_id, "Intel Core Processor (Haswell, no TSX, IBRS)");
	assert_features(&ref, &c, 1, "spec-ctrl", NULL);
	assert_features(&ref, &c, 0, "hle", "rtm", NULL);
	assert_int_equal(qsrc_cpu_features(&ref, &c, NULL, 0), 126);
	resolve(&ref, "Haswell-v4", QSRC_EXPAND, &c);
	assert_int_equal(qsrc_cpu_features(&ref, &c, NULL, 0), 56);

	qsrc_provenance(&ref, &c, prov, sizeof(prov));
	assert_string_equal(prov, "QEMU source, commit " REF_COMMIT
			    ", target/i386/cpu.c builtin_x86_defs Haswell v4");
	/* the base definition: no version props at all */
	assert_int_equal(qsrc_resolve(&ref, r.model, QSRC_VERSION_BASE, 0, &c), 0);
	assert_string_equal(c.name, "Haswell");
	assert_int_equal(qsrc_resolve(&ref, r.model, QSRC_VERSION_LATEST, 0, &c), 0);
	assert_string_equal(c.name, "Haswell-v4");
	assert_int_equal(qsrc_resolve(&ref, r.model, 7, 0, &c), -1);
}

static void test_ref_other_props(void **state)
{
	const struct qsrc_version *v2;
	struct qsrc_cpu c;
	size_t i;

	(void)state;
	NEED_REF();
	v2 = version(model(&ref, "GraniteRapids"), 2);
	for (i = 0; i < v2->nprops; i++)
		if (!strcmp(v2->props[i].name, "avx10-version"))
			break;
	assert_true(i < v2->nprops);
	assert_int_equal(v2->props[i].kind, QSRC_PROP_OTHER);
	assert_int_equal(v2->props[i].ident, QSRC_ID_AVX10_VERSION);
	assert_int_equal(v2->props[i].num, 1);
	resolve(&ref, "GraniteRapids-v2", 0, &c);
	assert_int_equal(c.avx10_version, 1);
	assert_int_equal(c.stepping, 1);
	assert_int_equal(c.nother, 1);
	assert_string_equal(c.other[0]->name, "avx10-version");
	assert_features(&ref, &c, 1, "avx10", "avx10-128", "avx10-256", "avx10-512", NULL);
	resolve(&ref, "GraniteRapids-v1", 0, &c);
	assert_int_equal(c.avx10_version, 0);
	assert_int_equal(c.nother, 0);

	/* props that turn features off */
	resolve(&ref, "Snowridge-v4", 0, &c);
	assert_features(&ref, &c, 0, "split-lock-detect", "core-capability", "mpx", NULL);
	resolve(&ref, "Snowridge-v1", 0, &c);
	assert_features(&ref, &c, 1, "split-lock-detect", "core-capability", "mpx", NULL);
}

static void test_ref_cache_info(void **state)
{
	struct qsrc_cpu c;

	(void)state;
	NEED_REF();
	resolve(&ref, "EPYC-v3", 0, &c);
	assert_string_equal(c.cache_info, "epyc_cache_info");
	assert_string_equal(c.model_id, "AMD EPYC Processor");
	resolve(&ref, "EPYC-v4", 0, &c);
	assert_string_equal(c.cache_info, "epyc_v4_cache_info");
	assert_string_equal(c.model_id, "AMD EPYC-v4 Processor");
	resolve(&ref, "EPYC-IBPB", 0, &c);
	assert_string_equal(c.model_id, "AMD EPYC Processor (with IBPB)");
	resolve(&ref, "Haswell", 0, &c);
	assert_null(c.cache_info);
	/* "QEMU Virtual CPU version " QEMU_HW_VERSION */
	resolve(&ref, "qemu64", 0, &c);
	assert_string_equal(c.model_id, "QEMU Virtual CPU version 2.5+");
	resolve(&ref, "YongFeng", 0, &c);
	assert_string_equal(c.vendor, "CentaurHauls");
	resolve(&ref, "486", 0, &c);
	assert_string_equal(c.model_id, "");
}

/* every name QEMU registers resolves back to its own model and version */
static void test_ref_all_names(void **state)
{
	(void)state;
	NEED_REF();
	for (size_t i = 0; i < ref.nmodels; i++) {
		const struct qsrc_model *m = &ref.models[i];

		for (size_t k = 0; k < m->nversions; k++) {
			const struct qsrc_version *v = &m->versions[k];
			struct qsrc_ref r;
			struct qsrc_cpu c;
			char name[128];

			snprintf(name, sizeof(name), "%s-v%d", m->name, v->version);
			assert_int_equal(qsrc_find(&ref, name, &r), 0);
			assert_ptr_equal(r.model, m);
			assert_int_equal(r.version, v->version);
			if (v->alias) {
				assert_int_equal(qsrc_find(&ref, v->alias, &r), 0);
				assert_ptr_equal(r.model, m);
				assert_int_equal(r.version, v->version);
			}
			assert_int_equal(qsrc_resolve(&ref, m, v->version, QSRC_EXPAND, &c), 0);
			assert_true(qsrc_cpu_features(&ref, &c, NULL, 0) > 0);
			assert_true(strlen(c.model_id) <= QSRC_MODEL_ID_MAX);
		}
	}
}

/* ------------------------------------------------------------ fixture */

/* A small tree in QEMU's shape, written for these tests. */
static const char fixture_h[] =
	"/* fixture cpu.h */\n"
	"#ifndef FIXTURE_CPU_H\n"
	"#define FIXTURE_CPU_H\n"
	"enum { R_EAX = 0, R_ECX = 1, R_EDX = 2, R_EBX = 3 };\n"
	"typedef enum FeatureWord {\n"
	"    FEAT_1_EDX,\n"
	"    FEAT_1_ECX,\n"
	"    FEAT_7_0_EBX,\n"
	"    FEAT_ARCH_CAPABILITIES,\n"
	"    FEATURE_WORDS,\n"
	"} FeatureWord;\n"
	"#define CPUID_FP87 (1U << 0)\n"
	"#define CPUID_SSE  (1U << 25)\n"
	"#define CPUID_EXT_SSE3 (1U << 0)\n"
	"#define CPUID_EXT_HYPERVISOR  (1U << 31)\n"
	"#define CPUID_7_0_EBX_AVX2 (1U << 5)\n"
	"#define MSR_ARCH_CAP_RDCL_NO (1U << 0)\n"
	"#define CPUID_VENDOR_INTEL \"GenuineIntel\"\n"
	"#define BASE_FEATURES (CPUID_FP87 | \\\n"
	"          CPUID_SSE)\n"
	"#ifdef CONFIG_USER_ONLY\n"
	"#define EXTRA CPUID_EXT_SSE3\n"
	"#else\n"
	"#define EXTRA 0\n"
	"#endif\n"
	"#if defined(CONFIG_KVM)\n"
	"#define KVM_ONLY 1\n"
	"#endif\n"
	"#endif /* FIXTURE_CPU_H */\n";

static const char fixture_c[] =
	"// fixture cpu.c\n"
	"#include \"cpu.h\"\n"
	"#define LONG_LIST CPUID_7_0_EBX_AVX2 | \\\n"
	"    0\n"
	"static const char *s = \"/* not a comment */\";\n"
	"FeatureWordInfo feature_word_info[FEATURE_WORDS] = {\n"
	"    [FEAT_1_EDX] = {\n"
	"        .type = CPUID_FEATURE_WORD,\n"
	"        .feat_names = { \"fpu\" /* x87 */, [25] = \"sse\", },\n"
	"        .cpuid = { .eax = 1, .reg = R_EDX, },\n"
	"        .tcg_features = ~0U,\n"
	"    },\n"
	"    [FEAT_1_ECX] = {\n"
	"        .type = CPUID_FEATURE_WORD,\n"
	"        .feat_names = { \"pni\", [31] = \"hypervisor\" },\n"
	"        .cpuid = { .eax = 1, .reg = R_ECX },\n"
	"    },\n"
	"    [FEAT_7_0_EBX] = {\n"
	"        .type = CPUID_FEATURE_WORD,\n"
	"        .feat_names = { [5] = \"avx2\" },\n"
	"        .cpuid = { .eax = 7, .needs_ecx = true, .ecx = 0, .reg = R_EBX },\n"
	"    },\n"
	"    [FEAT_ARCH_CAPABILITIES] = {\n"
	"        .type = MSR_FEATURE_WORD,\n"
	"        .feat_names = { \"rdctl-no\" },\n"
	"        .msr = { .index = 0x10a, },\n"
	"    },\n"
	"};\n"
	"static FeatureDep feature_dependencies[] = {\n"
	"    { .from = { FEAT_1_EDX, CPUID_SSE }, .to = { FEAT_7_0_EBX, ~0ull } },\n"
	"};\n"
	"static const X86CPUDefinition builtin_x86_defs[] = {\n"
	"    {\n"
	"        .name = \"alpha\",\n"
	"        .level = 7,\n"
	"        .vendor = CPUID_VENDOR_INTEL,\n"
	"        .family = 6,\n"
	"        .model = 1,\n"
	"        .stepping = 2,\n"
	"        .features[FEAT_1_EDX] = BASE_FEATURES | EXTRA,\n"
	"        .features[FEAT_7_0_EBX] =\n"
	"            LONG_LIST,\n"
	"        .xlevel = 0x80000008,\n"
	"        .model_id = \"Alpha \" \"CPU\",\n"
	"        .versions = (X86CPUVersionDefinition[]) {\n"
	"            { .version = 1 },\n"
	"            {\n"
	"                .version = 2,\n"
	"                .alias = \"alpha-noavx2\",\n"
	"                .props = (PropValue[]) {\n"
	"                    { \"avx2\", \"off\" },\n"
	"                    { \"sse3\", \"on\" },\n"
	"                    { \"model-id\", \"Alpha CPU (no AVX2)\" },\n"
	"                    { \"x-thing\", \"7\" },\n"
	"                    { /* end of list */ }\n"
	"                },\n"
	"            },\n"
	"            { /* end of list */ }\n"
	"        }\n"
	"    },\n"
	"    {\n"
	"        .name = \"beta\",\n"
	"        .vendor = \"AuthenticAMD\",\n"
	"        .features[FEAT_7_0_EBX] = CPUID_7_0_EBX_AVX2,\n"
	"        .features[FEAT_ARCH_CAPABILITIES] = MSR_ARCH_CAP_RDCL_NO,\n"
	"        .model_id = \"Beta\",\n"
	"        .cache_info = &beta_cache_info,\n"
	"    },\n"
	"};\n"
	"X86CPUVersion default_cpu_version = 1;\n"
	"void set(X86CPUVersion version) { default_cpu_version = version; }\n"
	"static const Property x86_cpu_properties[] = {\n"
	"    DEFINE_PROP_UINT32(\"x-thing\", X86CPU, thing, 0),\n"
	"};\n"
	"static void init(Object *obj)\n"
	"{\n"
	"    object_property_add_alias(obj, \"sse3\", obj, \"pni\");\n"
	"}\n";

static char fixture_dir[64];

/* Writes the fixture with @c as cpu.c into a fresh directory. */
static const char *write_tree(const char *c)
{
	char path[128];
	FILE *f;

	snprintf(fixture_dir, sizeof(fixture_dir), "/tmp/qsrc-test.XXXXXX");
	if (!mkdtemp(fixture_dir))
		fail_msg("mkdtemp failed");
	snprintf(path, sizeof(path), "%s/target", fixture_dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/target/i386", fixture_dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/target/i386/cpu.h", fixture_dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(fixture_h, f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/target/i386/cpu.c", fixture_dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(c, f);
	fclose(f);
	return fixture_dir;
}

static void remove_tree(void)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/target/i386/cpu.h", fixture_dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/target/i386/cpu.c", fixture_dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/target/i386", fixture_dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/target", fixture_dir);
	rmdir(path);
	rmdir(fixture_dir);
}

/* fixture_c with its first @from replaced by @to (malloc'ed) */
static char *edit(const char *from, const char *to)
{
	const char *p = strstr(fixture_c, from);
	char *s;

	if (!p)
		fail_msg("fixture has no \"%s\"", from);
	s = malloc(sizeof(fixture_c) + strlen(to));
	assert_non_null(s);
	sprintf(s, "%.*s%s%s", (int)(p - fixture_c), fixture_c, to, p + strlen(from));
	return s;
}

static unsigned int line_of(const char *text, const char *needle)
{
	const char *p = strstr(text, needle);
	unsigned int line = 1;

	if (!p)
		fail_msg("no \"%s\"", needle);
	for (const char *s = text; s < p; s++)
		line += *s == '\n';
	return line;
}

/*
 * Loading the fixture with @from replaced by @to fails with an error
 * naming cpu.c and the line of @at in the edited text (0: no line), and
 * containing @what.
 */
static void assert_broken(const char *from, const char *to, const char *at,
			  const char *what)
{
	char *c = edit(from, to), want[256];
	struct qsrc q;
	int ret;

	write_tree(c);
	err_clear();
	ret = qsrc_load(fixture_dir, &q);
	if (!ret)
		qsrc_free(&q);
	if (at)
		snprintf(want, sizeof(want), "%s/target/i386/cpu.c:%u: ", fixture_dir,
			 line_of(c, at));
	else
		snprintf(want, sizeof(want), "%s/target/i386/cpu.c: ", fixture_dir);
	remove_tree();
	free(c);
	if (!ret)
		fail_msg("\"%s\" -> \"%s\": loaded, expected an error", from, to);
	if (strncmp(err_msg(), want, strlen(want)) || !strstr(err_msg(), what))
		fail_msg("\"%s\" -> \"%s\": got \"%s\", expected \"%s...%s...\"", from, to,
			 err_msg(), want, what);
	assert_int_equal(err_class(), 2);
	assert_null(q.models);
}

static void test_fixture(void **state)
{
	struct qsrc q;
	struct qsrc_ref r;
	struct qsrc_cpu c;
	const struct qsrc_prop *p;

	(void)state;
	write_tree(fixture_c);
	if (qsrc_load(fixture_dir, &q))
		fail_msg("%s", err_msg());
	remove_tree();
	assert_int_equal(q.nwords, 4);
	assert_int_equal(q.nmodels, 2);
	assert_string_equal(q.commit, "");
	assert_string_equal(q.models[0].model_id, "Alpha CPU");	/* concatenated */
	assert_int_equal(q.models[0].features[0], (1u << 0) | (1u << 25));
	assert_string_equal(q.models[1].cache_info, "beta_cache_info");
	assert_int_equal(q.ndeps, 1);
	assert_int_equal(q.deps[0].to_mask, ~0ull);

	p = &q.models[0].versions[1].props[1];	/* "sse3": an alias of pni */
	assert_int_equal(p->kind, QSRC_PROP_FEATURE);
	assert_string_equal(p->name, "sse3");
	assert_string_equal(p->feature, "pni");
	p = &q.models[0].versions[1].props[3];
	assert_int_equal(p->kind, QSRC_PROP_OTHER);

	assert_int_equal(qsrc_find(&q, "alpha-noavx2", &r), 0);
	assert_int_equal(qsrc_resolve(&q, r.model, r.version, 0, &c), 0);
	assert_features(&q, &c, 1, "fpu", "sse", "pni", NULL);
	assert_features(&q, &c, 0, "avx2", "hypervisor", NULL);
	assert_string_equal(c.model_id, "Alpha CPU (no AVX2)");
	assert_int_equal(c.nother, 1);
	assert_string_equal(c.other[0]->value, "7");

	/* beta has no sse: the dependency takes avx2 away, hypervisor comes */
	assert_int_equal(qsrc_find(&q, "beta", &r), 0);
	assert_int_equal(qsrc_resolve(&q, r.model, r.version, 0, &c), 0);
	assert_features(&q, &c, 1, "avx2", "rdctl-no", NULL);
	assert_int_equal(qsrc_resolve(&q, r.model, r.version, QSRC_EXPAND, &c), 0);
	assert_features(&q, &c, 0, "avx2", NULL);
	assert_features(&q, &c, 1, "hypervisor", "rdctl-no", NULL);
	qsrc_free(&q);
}

/* the same text from memory, as one input */
static void test_fixture_memory(void **state)
{
	size_t n = strlen(fixture_h) + strlen(fixture_c);
	char *text = malloc(n + 1);
	struct qsrc_input in[2] = {
		{ "cpu.h", fixture_h, strlen(fixture_h) },
		{ "cpu.c", fixture_c, strlen(fixture_c) },
	};
	struct qsrc q;

	(void)state;
	assert_non_null(text);
	if (qsrc_parse(in, 2, &q))
		fail_msg("%s", err_msg());
	assert_int_equal(q.nmodels, 2);
	assert_string_equal(q.source, "cpu.c");
	qsrc_free(&q);
	sprintf(text, "%s%s", fixture_h, fixture_c);
	if (qsrc_parse_text("all.c", text, n, &q))
		fail_msg("%s", err_msg());
	assert_int_equal(q.nmodels, 2);
	qsrc_free(&q);
	/* cut anywhere: an error or a result, never a crash */
	for (size_t len = 0; len < n; len += 7) {
		if (qsrc_parse_text("all.c", text, len, &q))
			assert_true(*err_msg() != '\0');
		else
			qsrc_free(&q);
	}
	free(text);
}

/* Loads the fixture with @from replaced by @to; returns model 0's @field. */
static long long load_edited(const char *from, const char *to, const char *field)
{
	char *c = edit(from, to);
	struct qsrc q;
	long long v;

	write_tree(c);
	free(c);
	if (qsrc_load(fixture_dir, &q))
		fail_msg("%s", err_msg());
	remove_tree();
	v = !strcmp(field, "level") ? (long long)q.models[0].level : q.models[0].stepping;
	qsrc_free(&q);
	return v;
}

/* directives: decidable #if inside a table, #undef, definition order */
static void test_fixture_pp(void **state)
{
	(void)state;
	assert_int_equal(load_edited("        .level = 7,\n",
				     "#ifdef CONFIG_USER_ONLY\n"
				     "        .level = 99,\n"
				     "#elif !defined(TARGET_X86_64)\n"
				     "        .level = 98,\n"
				     "#else\n"
				     "        .level = 7,\n"
				     "#endif\n", "level"), 7);
	assert_int_equal(load_edited("        .stepping = 2,\n",
				     "#define STEP 5\n#undef STEP\n#define STEP (3 - 1)\n"
				     "        .stepping = STEP,\n", "stepping"), 2);
	/* visible where used, as C has it */
	assert_broken("        .stepping = 2,\n",
		      "#define STEP 5\n#undef STEP\n        .stepping = STEP,\n", "= STEP",
		      "STEP is neither a macro nor an enum constant");
	assert_broken("        .stepping = 2,\n",
		      "        .stepping = STEP,\n#define STEP 2\n", "= STEP",
		      "STEP is neither a macro nor an enum constant");
	assert_broken("        .stepping = 2,\n",
		      "#define STEP STEP\n        .stepping = STEP,\n", "= STEP",
		      "STEP is neither a macro nor an enum constant");
}

/* C's integer constant expressions, as .level = EXPR */
static void test_fixture_expressions(void **state)
{
	static const struct {
		const char *expr;
		long long want;
	} ok[] = {
		{ "(1U << 31) >> 31", 1 },
		{ "0x10 | 010 | 1", 25 },
		{ "-1 + 2", 1 },
		{ "(uint8_t)0x1ff", 255 },
		{ "(unsigned long long)-1 >> 63", 1 },
		{ "~0U - 0xfffffff0", 15 },
		{ "1 ? 2 : 3", 2 },
		{ "0 ? 2 : 3", 3 },
		{ "'A' - 64", 1 },
		{ "'\\n'", 10 },
		{ "7 / 2 * 2 + 7 % 2", 7 },
		{ "3 > 2 && 2 >= 2 || 0", 1 },
		{ "0x80000000 >> 31", 1 },
		{ "-2147483647 - 1 < 0", 1 },
		{ "0xffffffff + 1", 0 },		/* unsigned int wraps */
		{ "0xffffffffU + 1ULL == 0x100000000", 1 },
		{ "-1 < 0U", 0 },			/* -1 converts to UINT_MAX */
		{ "-1L < 0U", 1 },			/* long holds every unsigned */
		{ "R_EBX + FEATURE_WORDS", 7 },	/* enum constants */
		{ "true + true", 2 },
	};
	char to[128];

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		snprintf(to, sizeof(to), ".level = %s,", ok[i].expr);
		if (load_edited(".level = 7,", to, "level") != ok[i].want)
			fail_msg(".level = %s: expected %lld", ok[i].expr, ok[i].want);
	}
	/* division truncates toward zero: -3, which .level cannot hold */
	assert_broken(".level = 7", ".level = -7 / 2", "-7 / 2", "= -3: out of range");
	assert_broken(".level = 7", ".level = sizeof(int)", "sizeof", "sizeof is not read");
	assert_broken(".level = 7", ".level = (char *)1", "(char *)1",
		      "only casts to integer types");
	assert_broken(".level = 7", ".level = 1 ? 2", "1 ? 2", "'?' without ':'");
	assert_broken(".level = 7", ".level = (1", "(1", "\"(\" is not closed");
	assert_broken("        .level = 7", "#define OPEN (1\n        .level = OPEN", "= OPEN",
		      "missing ')'");
	assert_broken(".level = 7", ".level = 99999999999999999999", "9999",
		      "does not fit 64 bits");
	assert_broken(".level = 7", ".level = 1.5", "1.5", "not an integer");
	assert_broken(".level = 7", ".level = 09", "09", "bad digit");
	assert_broken(".level = 7", ".level = 1 << -1", "<< -1", "shift by -1");
	assert_broken(".level = 7", ".level = 'ab'", "'ab'", "multi-character");
	assert_broken(".level = 7", ".level = 1 1", "1 1", "unexpected \"1\"");
}

static void test_fixture_errors(void **state)
{
	(void)state;
	assert_broken("CPUID_7_0_EBX_AVX2,\n        .features[FEAT_ARCH",
		      "CPUID_7_0_EBX_AVX3,\n        .features[FEAT_ARCH",
		      "CPUID_7_0_EBX_AVX3", "CPUID_7_0_EBX_AVX3 is neither a macro");
	assert_broken(".xlevel = 0x80000008", ".xlevell = 0x80000008", ".xlevell",
		      "has no field .xlevell");
	assert_broken("{ \"x-thing\", \"7\" }", "{ \"x-thingy\", \"7\" }", "x-thingy",
		      "\"x-thingy\" is neither a feature nor a property");
	assert_broken("{ \"avx2\", \"off\" }", "{ \"avx2\", \"maybe\" }", "maybe",
		      "expected on or off");
	assert_broken("        .level = 7,\n",
		      "#ifdef CONFIG_KVM\n        .level = 7,\n#endif\n", ".level",
		      "cannot be decided");
	assert_broken("        .level = 7,\n", "        .level = KVM_ONLY,\n", "KVM_ONLY",
		      "cannot be decided");
	assert_broken("            { /* end of list */ }\n        }",
		      "        }", ".versions", "no { } entry ends the list");
	assert_broken("static void init", "/* never closed\nstatic void init",
		      "/* never closed", "unterminated comment");
	assert_broken("\"beta\"", "\"alpha\"", NULL, "\"alpha\" is defined twice");
	assert_broken("\"Beta\"", "\"Beta 0123456789012345678901234567890123456789ABCD\"",
		      "Beta 0", "longer than 48");
	assert_broken("builtin_x86_defs[]", "builtin_x86_def[]", NULL,
		      "no builtin_x86_defs[] table found");
	assert_broken("        .level = 7,\n",
		      "#define F(x) (x)\n        .level = F(7),\n", "F(7)",
		      "function-like");
	assert_broken(".level = 7", ".level = 1 << 40", "1 << 40", "shift by 40");
	assert_broken(".features[FEAT_7_0_EBX] = CPUID_7_0_EBX_AVX2",
		      ".features[FEAT_7_0_EBX] = 1ULL << 40", "1ULL << 40",
		      "more than 32 bits");
	assert_broken("{ .version = 1 },", "{ .version = 2 },",
		      "{\n                .version = 2,", "version 2 given twice");
	assert_broken("static const char", "#if defined(CONFIG_KVM)\nstatic const char",
		      "#if defined", "#if without #endif");
	assert_broken("[5] = \"avx2\"", "[5] = \"avx_2\"", "avx_2", "'_'");
	assert_broken(".vendor = \"AuthenticAMD\"", ".vendor = \"AMD\"", "\"AMD\"",
		      "not 12 characters");
	assert_broken(".stepping = 2", ".stepping = 16", ".stepping = 16",
		      "out of range");
	assert_broken(".stepping = 2", ".stepping = 2 +", ".stepping = 2 +",
		      "expression ends too soon");
	assert_broken(".stepping = 2", ".stepping = 2 / 0", "2 / 0", "division by zero");
	assert_broken("\"Alpha \" \"CPU\"", "\"Alpha \\q\"", "Alpha \\q", "unknown escape");
	assert_broken("\"Alpha \" \"CPU\"", "\"Alpha", "\"Alpha", "unterminated string");
	assert_broken(".model = 1,", ".model = 1,\n        .model = 2,", ".model = 2",
		      ".model given twice");
	assert_broken(".type = MSR_FEATURE_WORD", ".type = 3", ".type = 3",
		      "expected CPUID_FEATURE_WORD or MSR_FEATURE_WORD");
	assert_broken("#include", "#inclde", "#inclde", "unknown directive");
	assert_broken("X86CPUVersion default_cpu_version = 1;",
		      "X86CPUVersion default_cpu_version = -2;", "= -2", "not a version");
	assert_broken("{ \"model-id\", \"Alpha CPU (no AVX2)\" },",
		      "{ \"model-id\" },", "{ \"model-id\" }", "without a value");
	assert_broken(".reg = R_EBX", ".reg = 7", ".reg = 7", "is not EAX");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ref_source),
		cmocka_unit_test(test_ref_words),
		cmocka_unit_test(test_ref_counts),
		cmocka_unit_test(test_ref_sapphirerapids),
		cmocka_unit_test(test_ref_epyc_genoa),
		cmocka_unit_test(test_ref_cascadelake),
		cmocka_unit_test(test_ref_haswell),
		cmocka_unit_test(test_ref_other_props),
		cmocka_unit_test(test_ref_cache_info),
		cmocka_unit_test(test_ref_all_names),
		cmocka_unit_test(test_fixture),
		cmocka_unit_test(test_fixture_memory),
		cmocka_unit_test(test_fixture_pp),
		cmocka_unit_test(test_fixture_expressions),
		cmocka_unit_test(test_fixture_errors),
	};

	return cmocka_run_group_tests(tests, load_ref, free_ref);
}
