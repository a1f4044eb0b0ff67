// SPDX-License-Identifier: GPL-2.0-only
/*
 * The model catalog: masks/ against QEMU's own definitions.
 *  - levels: QEMU's published table of which model satisfies which
 *    x86-64 level (docs/system/cpu-models-x86-abi.csv) against the level
 *    cpubench computes from each mask's features;
 *  - consistency: every model, version and alias the installed
 *    qemu-system-x86_64 defines is a mask whose resolved features and
 *    identity equal QEMU's static expansion (one QEMU process for all
 *    queries; skipped only when QEMU is not installed);
 *  - malformed catalogs: errors name the file and line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "catalog/mask.h"
#include "cpu/feature.h"
#include "cpu/msr_feature.h"
#include "cpu/x86_level.h"
#include "emit/emit.h"
#include "import/libvirt.h"
#include "import/qemu.h"
#include "lib/err.h"

/*
 * QEMU's docs/system/cpu-models-x86-abi.csv: highest level per model
 * (the rows of models QEMU 7.2 defines, and of the later ones the
 * file lists at commit 15dbbeaf, the commit of the reference tree's docs:
 * masks/ has them from `import qemu-source`).
 */
static const struct {
	const char *model;
	int level;
} qemu_abi_levels[] = {
	{ "486-v1", 0 }, { "Broadwell-v1", 3 }, { "Broadwell-v4", 3 },
	{ "Cascadelake-Server-v1", 4 }, { "Cascadelake-Server-v5", 4 },
	{ "Conroe-v1", 1 }, { "Cooperlake-v1", 4 }, { "Cooperlake-v2", 4 },
	{ "Denverton-v1", 2 }, { "Denverton-v3", 2 }, { "Dhyana-v1", 3 },
	{ "Dhyana-v2", 3 }, { "EPYC-Milan-v1", 3 }, { "EPYC-Rome-v1", 3 },
	{ "EPYC-Rome-v2", 3 }, { "EPYC-v1", 3 }, { "EPYC-v3", 3 },
	{ "Haswell-v1", 3 }, { "Haswell-v4", 3 }, { "Icelake-Server-v1", 4 },
	{ "Icelake-Server-v6", 4 }, { "IvyBridge-v1", 2 }, { "IvyBridge-v2", 2 },
	{ "KnightsMill-v1", 3 }, { "Nehalem-v1", 2 }, { "Nehalem-v2", 2 },
	{ "Opteron_G1-v1", 1 }, { "Opteron_G2-v1", 1 }, { "Opteron_G3-v1", 1 },
	{ "Opteron_G4-v1", 2 }, { "Opteron_G5-v1", 2 }, { "Penryn-v1", 1 },
	{ "SandyBridge-v1", 2 }, { "SandyBridge-v2", 2 },
	{ "Skylake-Client-v1", 3 },
	{ "Skylake-Client-v4", 3 }, { "Skylake-Server-v1", 4 },
	{ "Skylake-Server-v5", 4 }, { "Snowridge-v1", 2 }, { "Snowridge-v4", 2 },
	{ "Westmere-v1", 2 }, { "Westmere-v2", 2 }, { "athlon-v1", 0 },
	{ "core2duo-v1", 1 }, { "coreduo-v1", 0 }, { "kvm32-v1", 0 },
	{ "kvm64-v1", 1 }, { "n270-v1", 0 }, { "pentium-v1", 0 },
	{ "pentium2-v1", 0 }, { "pentium3-v1", 0 }, { "phenom-v1", 1 },
	{ "qemu32-v1", 0 }, { "qemu64-v1", 1 },
	/* after 7.2 */
	{ "EPYC-Genoa-v1", 4 }, { "EPYC-Milan-v2", 3 }, { "EPYC-Rome-v3", 3 },
	{ "EPYC-Rome-v4", 3 }, { "EPYC-v4", 3 }, { "GraniteRapids-v1", 4 },
	{ "SapphireRapids-v1", 4 }, { "SapphireRapids-v2", 4 },
};

static void test_levels_match_qemu_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(qemu_abi_levels) / sizeof(qemu_abi_levels[0]); i++) {
		struct mask m;

		if (mask_resolve(qemu_abi_levels[i].model, NULL, NULL, &m))
			fail_msg("%s: %s", qemu_abi_levels[i].model, err_msg());
		if (x86_level_of(&m.features) != qemu_abi_levels[i].level)
			fail_msg("%s: level %d, QEMU's table says %d", qemu_abi_levels[i].model,
				 x86_level_of(&m.features), qemu_abi_levels[i].level);
	}
}

static void test_catalog_resolves(void **state)
{
	struct mask *v;
	int n = mask_resolve_all(NULL, &v);

	(void)state;
	if (n < 0)
		fail_msg("%s", err_msg());
	assert_true(n >= 60);
	for (int i = 0; i < n; i++) {
		assert_true(v[i].provenance[0] != '\0');
		if (i)
			assert_true(strcmp(v[i - 1].name, v[i].name) < 0);
	}
	free(v);
}

/* What differs between mask @m and QEMU's model @q, or NULL. */
static const char *model_diff(const struct mask *m, const struct qemu_model *q,
			      char *buf, size_t size)
{
	featureset_t extra, missing;

	featureset_diff(&extra, &m->features, &q->features);
	featureset_diff(&missing, &q->features, &m->features);
	if (!featureset_empty(&extra) || !featureset_empty(&missing)) {
		int e = featureset_next(&extra, -1), k = featureset_next(&missing, -1);

		snprintf(buf, size, "mask has %s QEMU lacks, QEMU has %s the mask lacks",
			 e >= 0 ? features[e].name : "nothing", k >= 0 ? features[k].name : "nothing");
		return buf;
	}
	if (m->msr_features != q->msr_features)
		return "feature-MSR bits differ";
	if (q->nunmapped)
		return "QEMU has features cpubench cannot represent";
	if (!m->identity.set || strcmp(m->identity.vendor, q->identity.vendor) ||
	    m->identity.family != q->identity.family || m->identity.model != q->identity.model ||
	    m->identity.stepping != q->identity.stepping ||
	    strcmp(m->identity.model_id, q->identity.model_id))
		return "identity differs";
	return NULL;
}

/* Starts the installed QEMU; skips the test only where none is installed. */
static void qemu_open_or_skip(struct qemu_catalog *qc)
{
	if (!qemu_catalog_open(qc, NULL))
		return;
	if (err_class() == EXIT_ENV && strstr(err_msg(), "cannot run")) {
		print_message("skipped: %s\n", err_msg());
		skip();
	}
	fail_msg("%s", err_msg());
}

static void check_definition(struct qemu_catalog *qc, json_t *def, unsigned int *n)
{
	const char *name = json_string_value(json_object_get(def, "name"));
	const char *alias = json_string_value(json_object_get(def, "alias-of"));
	struct qemu_model q;
	struct mask m;
	char buf[160];
	const char *why;

	if (!strcmp(name, "max") || !strcmp(name, "host") || !strcmp(name, "base"))
		return;
	if (mask_resolve(name, NULL, NULL, &m))
		fail_msg("QEMU model %s: %s (run 'cpubench import qemu --out masks')", name, err_msg());
	if (alias)
		assert_string_equal(m.inherits, alias);
	if (qemu_catalog_model(qc, name, &q))
		fail_msg("%s: %s", name, err_msg());
	why = model_diff(&m, &q, buf, sizeof(buf));
	if (why)
		fail_msg("%s: %s", name, why);
	(*n)++;
}

static void test_masks_equal_installed_qemu(void **state)
{
	static const char *const acceptance[] = {
		"Haswell-v4", "Skylake-Client-v4", "Skylake-Server-v4",
		"Cascadelake-Server-v4", "Icelake-Server-v6", "EPYC-Rome-v2",
		"EPYC-Milan-v1", "Opteron_G5-v1", "kvm64-v1",
	};
	struct qemu_catalog qc;
	json_t *defs, *def;
	unsigned int n = 0;
	size_t i;

	(void)state;
	qemu_open_or_skip(&qc);
	defs = qemu_catalog_definitions(&qc);
	assert_non_null(defs);
	json_array_foreach(defs, i, def)
		check_definition(&qc, def, &n);
	for (i = 0; i < sizeof(acceptance) / sizeof(acceptance[0]); i++) {
		bool found = false;

		json_array_foreach(defs, n, def)
			found |= !strcmp(json_string_value(json_object_get(def, "name")), acceptance[i]);
		if (!found)
			fail_msg("QEMU does not define %s", acceptance[i]);
	}
	json_decref(defs);
	qemu_catalog_close(&qc);
	assert_true(n >= 60);
}

static bool definitions_have(json_t *defs, const char *name)
{
	size_t i;
	json_t *def;

	json_array_foreach(defs, i, def)
		if (!strcmp(json_string_value(json_object_get(def, "name")), name))
			return true;
	return false;
}

/*
 * `emit --as qemu` of every catalog model QEMU knows by name: the -cpu
 * line names a model the installed QEMU defines, or emit says that the
 * model needs a later QEMU, and then QEMU indeed lacks it.
 */
static void test_emit_qemu_against_installed(void **state)
{
	struct qemu_catalog qc;
	struct mask *v;
	json_t *defs;
	int n, named = 0, newer = 0;

	(void)state;
	qemu_open_or_skip(&qc);
	defs = qemu_catalog_definitions(&qc);
	assert_non_null(defs);
	n = mask_resolve_all(NULL, &v);
	assert_true(n > 0);
	for (int i = 0; i < n; i++) {
		struct emit_model em = { .mask = &v[i], .named_features = v[i].features };
		char line[8192] = "", note[240], model[MASK_NAME_MAX];
		FILE *f = fmemopen(line, sizeof(line) - 1, "w");
		bool needs;

		assert_non_null(f);
		assert_int_equal(emit_write(f, &em, EMIT_QEMU), 0);
		fclose(f);
		if (sscanf(line, "-cpu %63[^,\n]", model) != 1)
			fail_msg("%s: emit wrote '%s'", v[i].name, line);
		if (!strcmp(model, "qemu64"))
			continue;	/* a level or a libvirt model: qemu64 plus features */
		named++;
		needs = emit_qemu_needs_newer(&em, note, sizeof(note));
		newer += needs;
		if (definitions_have(defs, model) == needs)
			fail_msg("%s: emit says '%s', QEMU %s %s it", v[i].name,
				 needs ? note : "nothing", qc.version,
				 needs ? "defines" : "does not define");
	}
	print_message("%d named models, %d flagged as needing a QEMU later than %s\n", named,
		      newer, EMIT_QEMU_CHECKED);
	assert_true(named >= 140 && newer >= 20);
	free(v);
	json_decref(defs);
	qemu_catalog_close(&qc);
}

/* QEMU's static expansion format, without QEMU. */
static void test_props_conversion(void **state)
{
	json_t *props = json_pack("{s:b,s:b,s:b,s:b,s:s,s:i,s:i,s:i,s:s,s:i}",
				  "sse4.1", 1, "lahf-lm", 1, "avx", 0, "rdctl-no", 1,
				  "vendor", "GenuineIntel", "family", 6, "model", 85,
				  "stepping", 7, "model-id", "X", "min-level", 13);
	struct qemu_model q;

	(void)state;
	assert_int_equal(qemu_model_from_props(props, &q), 0);
	assert_true(featureset_has(&q.features, feature_lookup("sse4.1")));
	assert_true(featureset_has(&q.features, feature_lookup("lahf_lm")));
	assert_false(featureset_has(&q.features, feature_lookup("avx")));
	assert_int_equal(q.msr_features, 1u << msr_feature_lookup("rdctl-no"));
	assert_int_equal(q.identity.model, 85);
	assert_string_equal(q.identity.vendor, "GenuineIntel");
	json_object_set_new(props, "no-such-feature", json_true());
	assert_int_equal(qemu_model_from_props(props, &q), 0);
	assert_int_equal(q.nunmapped, 1);
	assert_string_equal(q.unmapped[0], "no-such-feature");
	json_decref(props);
}

static void test_duplicate_names_file_line(void **state)
{
	static const struct mask_source src[] = {
		{ "a/x.mask", "name: x\nfeatures: +sse\n" },
		{ "b/x.mask", "# same name\n\nname: x\n" },
	};
	struct mask m;

	(void)state;
	assert_int_equal(mask_resolve_sources("x", src, 2, NULL, &m), -1);
	assert_non_null(strstr(err_msg(), "b/x.mask:3: duplicate mask 'x'"));
}

static void test_msr_features_in_files(void **state)
{
	static const struct mask_source src[] = {
		{ "p.mask", "name: p\nfeatures: +sse +rdctl-no +mds-no\n" },
		{ "c.mask", "name: c\ninherits: p\nfeatures: -mds_no\n" },
		{ "bad.mask", "name: bad\nfeatures: +taa-no\n\t-taa-no\n" },
	};
	struct mask m;

	(void)state;
	assert_int_equal(mask_resolve_sources("c", src, 2, NULL, &m), 0);
	assert_int_equal(m.msr_features, 1u << msr_feature_lookup("rdctl-no"));
	assert_int_equal(m.msr_removed, 1u << msr_feature_lookup("mds-no"));
	assert_int_equal(mask_resolve_sources("bad", src, 3, NULL, &m), -1);
	assert_non_null(strstr(err_msg(), "bad.mask:3:"));
}

/*
 * libvirt's cpu_map: every model converts without an unmapped feature,
 * and every libvirt model QEMU also names is in masks/ with libvirt's
 * vendor. Features: test_libvirt_differences_documented().
 */
static void test_libvirt_cpu_map(void **state)
{
	struct libvirt_model *v;
	int n;

	(void)state;
	if (access(LIBVIRT_CPU_MAP "/x86_features.xml", R_OK)) {
		print_message("skipped: no %s (Debian package libvirt0)\n", LIBVIRT_CPU_MAP);
		skip();
	}
	n = libvirt_read_models(LIBVIRT_CPU_MAP, &v);
	if (n < 0)
		fail_msg("%s", err_msg());
	assert_true(n >= 40);
	for (int i = 0; i < n; i++) {
		struct mask m;

		if (v[i].nunmapped)
			fail_msg("libvirt %s: feature %s has no cpubench row", v[i].name, v[i].unmapped[0]);
		if (mask_resolve(v[i].name, NULL, NULL, &m))
			continue;	/* libvirt-only models: cpu64-rhel5, ... */
		assert_true(!v[i].vendor[0] || !m.identity.set ||
			    !strcmp(v[i].vendor, m.identity.vendor));
	}
	free(v);
}

/* A libvirt model's features with those of the model it builds on. */
static featureset_t libvirt_resolved(const struct libvirt_model *v, int n, int i, int depth)
{
	featureset_t fs = v[i].features;

	if (v[i].parent[0] && depth < 16)
		for (int j = 0; j < n; j++)
			if (!strcmp(v[j].name, v[i].parent)) {
				featureset_t p = libvirt_resolved(v, n, j, depth + 1);

				featureset_union(&fs, &fs, &p);
			}
	return fs;
}

#define LIBVIRT_DIFFS "tests/data/libvirt-differences.txt"

/* The documented difference of @model: "+f" only in QEMU's, "-f" only in libvirt's. */
static bool documented_diff(const char *model, featureset_t *plus, featureset_t *minus)
{
	char line[1024];
	FILE *f = fopen(LIBVIRT_DIFFS, "r");
	bool found = false;

	assert_non_null(f);
	featureset_clear(plus);
	featureset_clear(minus);
	while (!found && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':'), *hash = strchr(line, '#'), *tok, *save;

		if (hash)
			*hash = '\0';
		if (!colon)
			continue;
		*colon = '\0';
		if (strcmp(line, model))
			continue;
		found = true;
		for (tok = strtok_r(colon + 1, " \t\n", &save); tok;
		     tok = strtok_r(NULL, " \t\n", &save)) {
			int feat = feature_lookup(tok + 1);

			if ((tok[0] != '+' && tok[0] != '-') || feat < 0)
				fail_msg("%s: bad token '%s' for %s", LIBVIRT_DIFFS, tok, model);
			featureset_add(tok[0] == '+' ? plus : minus, feat);
		}
	}
	fclose(f);
	return found;
}

static void print_diff(const char *model, const featureset_t *plus, const featureset_t *minus)
{
	print_message("%s:", model);
	for (int f = featureset_next(plus, -1); f >= 0; f = featureset_next(plus, f))
		print_message(" +%s", features[f].name);
	for (int f = featureset_next(minus, -1); f >= 0; f = featureset_next(minus, f))
		print_message(" -%s", features[f].name);
	print_message("\n");
}

/*
 * Every model libvirt and QEMU both define: the feature sets are equal but
 * for the differences tests/data/libvirt-differences.txt documents, with
 * the reason; any other difference, or a documented one that is gone,
 * fails. libvirt never lists `hypervisor`, which QEMU sets for every
 * guest: that one bit is not compared.
 */
static void test_libvirt_differences_documented(void **state)
{
	struct libvirt_model *v;
	int hv = feature_lookup("hypervisor"), n, compared = 0, bad = 0;

	(void)state;
	if (access(LIBVIRT_CPU_MAP "/x86_features.xml", R_OK)) {
		print_message("skipped: no %s (Debian package libvirt0)\n", LIBVIRT_CPU_MAP);
		skip();
	}
	n = libvirt_read_models(LIBVIRT_CPU_MAP, &v);
	assert_true(n > 0);
	for (int i = 0; i < n; i++) {
		featureset_t lv = libvirt_resolved(v, n, i, 0), plus, minus, dp, dm;
		struct mask m;

		if (mask_resolve(v[i].name, NULL, NULL, &m))
			continue;	/* libvirt-only models */
		featureset_del(&m.features, hv);
		featureset_del(&lv, hv);
		featureset_diff(&plus, &m.features, &lv);
		featureset_diff(&minus, &lv, &m.features);
		compared++;
		if (!documented_diff(v[i].name, &dp, &dm))
			featureset_clear(&dp), featureset_clear(&dm);
		if (!featureset_equal(&plus, &dp) || !featureset_equal(&minus, &dm)) {
			print_message("undocumented or stale difference, now: ");
			print_diff(v[i].name, &plus, &minus);
			bad++;
		}
	}
	free(v);
	print_message("%d models compared with libvirt's\n", compared);
	assert_true(compared >= 40);
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_libvirt_differences_documented),
		cmocka_unit_test(test_levels_match_qemu_table),
		cmocka_unit_test(test_emit_qemu_against_installed),
		cmocka_unit_test(test_catalog_resolves),
		cmocka_unit_test(test_props_conversion),
		cmocka_unit_test(test_duplicate_names_file_line),
		cmocka_unit_test(test_msr_features_in_files),
		cmocka_unit_test(test_masks_equal_installed_qemu),
		cmocka_unit_test(test_libvirt_cpu_map),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
