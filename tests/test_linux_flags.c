// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests: Linux flags read as CPUID features (cpu/linux_flags.c) held
 * to the reference table tests/data/linux-flags.tsv; the vendor from
 * vendor_id or the brand; and, over the whole catalog, every model read
 * back from the flags Linux would print on a CPU that is exactly it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "catalog/mask.h"
#include "cpu/feature.h"
#include "cpu/linux_flags.h"
#include "cpu/vendor.h"
#include "host/baseline.h"
#include "host/host_fp.h"

#define TSV "tests/data/linux-flags.tsv"
#define MAX_ROWS 1024

struct row {
	char flag[64], vendor[16], kind[16], qemu[160];
};

static struct row rows[MAX_ROWS];
static unsigned int nrows;

static int load_tsv(void **state)
{
	FILE *f = fopen(TSV, "r");
	char line[1024];

	(void)state;
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		struct row *r = &rows[nrows];

		if (line[0] == '#' || !strncmp(line, "linux_flag\t", 11))
			continue;
		assert_true(nrows < MAX_ROWS);
		assert_int_equal(sscanf(line, "%63[^\t]\t%15[^\t]\t%15[^\t]\t%159[^\t]",
					r->flag, r->vendor, r->kind, r->qemu), 4);
		nrows++;
	}
	fclose(f);
	assert_true(nrows > 400);
	return 0;
}

static enum cpu_vendor vendor_of(const char *tsv)
{
	if (!strcmp(tsv, "intel"))
		return VENDOR_INTEL;
	if (!strcmp(tsv, "amd"))
		return VENDOR_AMD;
	if (!strcmp(tsv, "hygon"))
		return VENDOR_HYGON;
	if (!strcmp(tsv, "zhaoxin"))
		return VENDOR_ZHAOXIN;
	return VENDOR_UNKNOWN;
}

/* A modern kernel on a family-19h CPU of @v: every rule can hold. */
static struct linux_cpu cpu_of(enum cpu_vendor v)
{
	return (struct linux_cpu){ .vendor = v, .family = 0x19, .kernel = 9999 };
}

/* Whether the row applies on @v ("any" applies everywhere). */
static bool row_on(const struct row *r, enum cpu_vendor v)
{
	return !strcmp(r->vendor, "any") || vendor_of(r->vendor) == v;
}

/* The database feature a row's first QEMU name is, or -1. */
static int row_feature(const struct row *r)
{
	char name[160];

	snprintf(name, sizeof(name), "%.*s", (int)strcspn(r->qemu, ","), r->qemu);
	return strcmp(name, "-") ? feature_lookup(name) : -1;
}

/* Whether the TSV lets a flag prove @f on @v (a same or synthetic row). */
static bool tsv_shows(int f, enum cpu_vendor v)
{
	for (unsigned int i = 0; i < nrows; i++)
		if (row_feature(&rows[i]) == f && row_on(&rows[i], v) &&
		    (!strcmp(rows[i].kind, "same") || !strcmp(rows[i].kind, "synthetic")))
			return true;
	return false;
}

/* Every row about a database feature says what the code does. */
static void test_rows_agree(void **state)
{
	static const enum cpu_vendor vendors[] = {
		VENDOR_INTEL, VENDOR_AMD, VENDOR_HYGON, VENDOR_ZHAOXIN,
	};
	unsigned int checked = 0;

	(void)state;
	for (unsigned int i = 0; i < nrows; i++) {
		const struct row *r = &rows[i];
		int f = row_feature(r);

		for (unsigned int k = 0; k < 4; k++) {
			struct linux_cpu cpu = cpu_of(vendors[k]);
			int got;

			if (!row_on(r, vendors[k]) || r->flag[0] == '-' || !strncmp(r->flag, "vmx:", 4))
				continue;
			got = linux_flag_feature(r->flag, &cpu);
			if (!strcmp(r->kind, "linux-only") || (f < 0 && strcmp(r->kind, "hidden"))) {
				if (got >= 0)
					fail_msg("%s on %s: row says %s, code reads %s", r->flag,
						 vendor_id_string(vendors[k]), r->kind, features[got].name);
			} else if (f >= 0 && got != f) {
				fail_msg("%s on %s: row says %s, code reads %s", r->flag,
					 vendor_id_string(vendors[k]), r->qemu,
					 got >= 0 ? features[got].name : "nothing");
			}
			if (f >= 0 && !strcmp(r->kind, "host-only"))
				assert_int_equal(linux_feature_view(f, &cpu, NULL), LINUX_HOST_ONLY);
			checked++;
		}
		/* hidden: no flag proves it, unless a synthetic row does */
		for (unsigned int k = 0; f >= 0 && !strcmp(r->kind, "hidden") && k < 4; k++) {
			struct linux_cpu cpu = cpu_of(vendors[k]);

			if (row_on(r, vendors[k]) && !tsv_shows(f, vendors[k]) &&
			    linux_feature_view(f, &cpu, NULL) == LINUX_SHOWN)
				fail_msg("%s on %s: Linux never prints it, the code expects a flag",
					 features[f].name, vendor_id_string(vendors[k]));
		}
	}
	assert_true(checked > 300);
}

/* The reference covers every feature of the database. */
static void test_every_feature_has_a_row(void **state)
{
	(void)state;
	for (unsigned int f = 0; f < nfeatures; f++) {
		bool found = false;

		for (unsigned int i = 0; i < nrows && !found; i++)
			found = row_feature(&rows[i]) == (int)f;
		if (!found)
			fail_msg("%s has no row in " TSV ": add one with its Linux source",
				 features[f].name);
	}
}

/* The same token, two vendors, two CPUID bits. */
static void test_vendor_synthetic(void **state)
{
	struct linux_cpu intel = cpu_of(VENDOR_INTEL), amd = cpu_of(VENDOR_AMD);
	struct linux_cpu none = cpu_of(VENDOR_UNKNOWN), zen2 = amd;
	const char *why = NULL;

	(void)state;
	zen2.family = 0x17;
	assert_int_equal(linux_flag_feature("ibrs", &intel), feature_lookup("spec-ctrl"));
	assert_int_equal(linux_flag_feature("ibrs", &amd), feature_lookup("ibrs"));
	assert_int_equal(linux_flag_feature("stibp", &intel), feature_lookup("stibp"));
	assert_int_equal(linux_flag_feature("stibp", &amd), feature_lookup("amd-stibp"));
	assert_int_equal(linux_flag_feature("ssbd", &amd), feature_lookup("amd-ssbd"));
	/* families 15h-17h: LS_CFG sets ssbd without the CPUID bit */
	assert_int_equal(linux_flag_feature("ssbd", &zen2), -1);
	assert_int_equal(linux_feature_view(feature_lookup("amd-ssbd"), &zen2, &why), LINUX_HIDDEN);
	assert_non_null(strstr(why, "LS_CFG"));
	/* no vendor: the token means nothing for sure */
	assert_int_equal(linux_flag_feature("ibrs", &none), -1);
	assert_int_equal(linux_feature_view(feature_lookup("spec-ctrl"), &none, &why), LINUX_HIDDEN);
	assert_non_null(strstr(why, "vendor is unknown"));
	assert_int_equal(linux_feature_view(feature_lookup("hypervisor"), &intel, NULL), LINUX_HOST_ONLY);
	assert_int_equal(linux_feature_view(feature_lookup("x2apic"), &amd, NULL), LINUX_PROVIDED);
	assert_int_equal(linux_feature_view(feature_lookup("svme-addr-chk"), &amd, &why), LINUX_HIDDEN);
	assert_string_equal(why, "Linux never prints this CPUID bit");
	assert_int_equal(linux_feature_view(feature_lookup("avx2"), &amd, NULL), LINUX_SHOWN);
}

/* A kernel older than a flag's name cannot prove the feature absent. */
static void test_kernel_age(void **state)
{
	struct linux_cpu old = { VENDOR_INTEL, 6, 0 }, spectre = old;
	const char *why;

	(void)state;
	spectre.kernel = linux_name_since("spectre_v2");
	assert_int_equal(linux_feature_view(feature_lookup("spec-ctrl"), &old, &why), LINUX_HIDDEN);
	assert_non_null(strstr(why, "older than Linux"));
	assert_int_equal(linux_feature_view(feature_lookup("spec-ctrl"), &spectre, NULL), LINUX_SHOWN);
	assert_int_equal(linux_feature_view(feature_lookup("fsrm"), &spectre, NULL), LINUX_HIDDEN);
	assert_int_equal(linux_feature_view(feature_lookup("avx2"), &old, NULL), LINUX_SHOWN);
	assert_int_equal(linux_name_since("avx2"), 0);
}

static void test_vendor_names(void **state)
{
	(void)state;
	assert_int_equal(vendor_from_id("GenuineIntel"), VENDOR_INTEL);
	assert_int_equal(vendor_from_id("Shanghai"), VENDOR_ZHAOXIN);	/* as cpuinfo trims it */
	assert_int_equal(vendor_from_id("GenuineIotel"), VENDOR_UNKNOWN);
	assert_int_equal(vendor_from_id(NULL), VENDOR_UNKNOWN);
	assert_int_equal(vendor_from_brand("Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz"), VENDOR_INTEL);
	assert_int_equal(vendor_from_brand("AMD Ryzen 9 5900X 12-Core Processor"), VENDOR_AMD);
	assert_int_equal(vendor_from_brand("Hygon C86 7185 32-core Processor"), VENDOR_HYGON);
	assert_int_equal(vendor_from_brand("ZHAOXIN KaiXian KX-U6780A@2.7GHz"), VENDOR_ZHAOXIN);
	assert_int_equal(vendor_from_brand("VIA Nano processor U3500@1000MHz"), VENDOR_CENTAUR);
	assert_int_equal(vendor_from_brand("QEMU Virtual CPU version 2.5+"), VENDOR_UNKNOWN);
	assert_int_equal(vendor_from_brand("Samdal"), VENDOR_UNKNOWN);	/* "amd" inside a word */
	assert_string_equal(vendor_id_string(VENDOR_AMD), "AuthenticAMD");
	assert_true(vendor_amd_like(VENDOR_HYGON));
	assert_false(vendor_amd_like(VENDOR_ZHAOXIN));
}

/*
 * /proc/cpuinfo of a CPU whose CPUID is exactly @m's, on vendor @v, as a
 * modern kernel prints it; NULL-terminated in @buf.
 */
static void render_cpuinfo(const struct mask *m, enum cpu_vendor v, char *buf, size_t len)
{
	char flags[4096];
	unsigned int family = m->identity.set ? m->identity.family :
			      v == VENDOR_INTEL ? 6 : 0x19;

	assert_int_equal(linux_flags_render(&m->features, v, flags, sizeof(flags)), 0);
	snprintf(buf, len, "processor\t: 0\nvendor_id\t: %s\ncpu family\t: %u\n"
		 "model name\t: %s\nflags\t\t: %s\nbugs\t\t: spectre_v1 spectre_v2\n",
		 vendor_id_string(v), family, m->name, flags);
}

/* Every catalog model runs on the flags of a CPU that is exactly it. */
static void test_catalog_round_trip(void **state)
{
	struct mask *v;
	int n = mask_resolve_all(NULL, &v);
	unsigned int rounds = 0;

	(void)state;
	assert_true(n > 0);
	for (int i = 0; i < n; i++) {
		enum cpu_vendor vs[2] = { vendor_from_id(v[i].identity.vendor), VENDOR_UNKNOWN };

		if (!v[i].identity.set || vs[0] == VENDOR_UNKNOWN) {
			vs[0] = VENDOR_INTEL;
			vs[1] = VENDOR_AMD;
		}
		for (int k = 0; k < 2 && vs[k] != VENDOR_UNKNOWN; k++) {
			char text[8192];
			featureset_t miss;
			struct host_fp h;

			render_cpuinfo(&v[i], vs[k], text, sizeof(text));
			assert_int_equal(host_fp_parse("rendered", text, strlen(text), &h), 0);
			assert_int_equal(vendor_from_id(h.vendor), vs[k]);
			featureset_diff(&miss, &v[i].features, &h.features);
			featureset_diff(&miss, &miss, &h.unknown);
			if (!featureset_empty(&miss))
				fail_msg("%s on %s: %s read back missing", v[i].name,
					 vendor_id_string(vs[k]),
					 features[featureset_next(&miss, -1)].name);
			rounds++;
		}
	}
	free(v);
	assert_true(rounds > (unsigned int)n);
}

/* The round trip can fail: a flag left out is a missing feature. */
static void test_round_trip_can_fail(void **state)
{
	featureset_t none = { { 0 } };
	char text[8192], *p;
	struct host_fp h;
	struct mask m;

	(void)state;
	assert_int_equal(mask_resolve("Skylake-Server-v5", NULL, &none, &m), 0);
	render_cpuinfo(&m, VENDOR_INTEL, text, sizeof(text));
	assert_non_null(strstr(text, " ibrs"));		/* spec-ctrl, Intel's way */
	p = strstr(text, " avx512f ");
	assert_non_null(p);
	memcpy(p + 1, "zzzzzzz", 7);			/* a flag no one knows */
	assert_int_equal(host_fp_parse("rendered", text, strlen(text), &h), 0);
	assert_false(featureset_has(&h.features, feature_lookup("avx512f")));
	assert_false(featureset_has(&h.unknown, feature_lookup("avx512f")));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_agree),
		cmocka_unit_test(test_every_feature_has_a_row),
		cmocka_unit_test(test_vendor_synthetic),
		cmocka_unit_test(test_kernel_age),
		cmocka_unit_test(test_vendor_names),
		cmocka_unit_test(test_catalog_round_trip),
		cmocka_unit_test(test_round_trip_can_fail),
	};

	return cmocka_run_group_tests(tests, load_tsv, NULL);
}
