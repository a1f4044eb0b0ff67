// SPDX-License-Identifier: GPL-2.0-only
/*
 * cpubench diff A B: two feature sets side by side. A and B are host
 * files (any format host_fp_load() detects) or model specs. Highlights
 * what matters for migration: vmx/svm (nested virtualization), invtsc
 * (unmigratable), and features no catalog model has ("passthrough-only":
 * only host passthrough would give them to a guest).
 * A feature one host's input cannot tell (unknown) is no difference.
 * Exit status 0: same features; 1: they differ (like diff(1)).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cmd.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/output.h"
#include "cpu/feature.h"
#include "cpu/linux_flags.h"
#include "host/baseline.h"
#include "host/host_fp.h"
#include "lib/err.h"
#include "lib/textesc.h"

struct side {
	char name[256];
	const char *kind;	/* "host" or "model" */
	featureset_t fs;
	featureset_t unknown;	/* a host's input cannot tell (flags Linux never shows) */
};

static int side_load(const char *arg, const char *dir, struct side *s)
{
	struct stat st;

	if (!stat(arg, &st) && S_ISREG(st.st_mode)) {
		struct host_fp h;

		if (host_fp_load(arg, &h))
			return -1;
		snprintf(s->name, sizeof(s->name), "%s", h.name);
		s->kind = "host";
		s->fs = h.features;
		s->unknown = h.unknown;
	} else {
		featureset_t none = { { 0 } };
		struct mask m;

		if (mask_resolve(arg, dir, &none, &m))
			return -1;
		snprintf(s->name, sizeof(s->name), "%s", m.spec);
		s->kind = "model";
		s->fs = m.features;
		featureset_clear(&s->unknown);
	}
	return 0;
}

/* The migration-relevant features of @fs. */
static void highlights(const featureset_t *fs, const featureset_t *catalog_union,
		       featureset_t *nested, featureset_t *invtsc, featureset_t *pt)
{
	featureset_t always;	/* every KVM guest gets them: not passthrough-only */

	linux_guest_always(&always);
	featureset_clear(nested);
	featureset_clear(invtsc);
	if (featureset_has(fs, feature_lookup("vmx")))
		featureset_add(nested, feature_lookup("vmx"));
	if (featureset_has(fs, feature_lookup("svm")))
		featureset_add(nested, feature_lookup("svm"));
	if (featureset_has(fs, feature_lookup("invtsc")))
		featureset_add(invtsc, feature_lookup("invtsc"));
	featureset_diff(pt, fs, catalog_union);
	featureset_diff(pt, pt, &always);
	/*
	 * QEMU's models have vme (builtin_x86_defs); masks/ was read from
	 * QEMU's TCG expansion, which drops what TCG lacks, and TCG_FEATURES
	 * has no VME (target/i386/cpu.c)
	 */
	featureset_del(pt, feature_lookup("vme"));
}

static json_t *side_json(const struct side *s, const featureset_t *only,
			 const featureset_t *u)
{
	featureset_t nested, invtsc, pt;

	highlights(&s->fs, u, &nested, &invtsc, &pt);
	return json_pack("{s:s,s:s,s:i,s:o,s:o,s:o,s:b,s:o}", "name", s->name,
		"kind", s->kind, "count", (int)featureset_count(&s->fs),
		"only", hcmd_features_json(only, 0),
		"unknown", hcmd_features_json(&s->unknown, 0),
		"nested_virt", hcmd_features_json(&nested, 0),
		"invtsc", !featureset_empty(&invtsc),
		"passthrough_only", hcmd_features_json(&pt, 0));
}

static void print_side(const char *label, const struct side *s,
		       const featureset_t *only, const featureset_t *u)
{
	featureset_t nested, invtsc, pt;
	FILE *out = out_stream();

	highlights(&s->fs, u, &nested, &invtsc, &pt);
	fprintf(out, "%s %s ", label, s->kind);
	text_put(out, s->name);		/* a host file's: escaped */
	fprintf(out, ": %u features\n", featureset_count(&s->fs));
	fprintf(out, "  only in %s (%u): ", label, featureset_count(only));
	hcmd_features_print(out, only, 0);
	fputc('\n', out);
	if (!featureset_empty(&s->unknown)) {
		fprintf(out, "  cannot tell (%u): ", featureset_count(&s->unknown));
		hcmd_features_print(out, &s->unknown, 0);
		fputc('\n', out);
	}
	if (!featureset_empty(&nested)) {
		fputs("  ! nested virtualization exposed: ", out);
		hcmd_features_print(out, &nested, 0);
		fputs(" (limits live migration)\n", out);
	}
	if (!featureset_empty(&invtsc))
		fputs("  ! invtsc: not migratable unless the TSC frequency is fixed\n", out);
	if (!featureset_empty(&pt)) {
		fputs("  ! passthrough-only (in no catalog model): ", out);
		hcmd_features_print(out, &pt, 0);
		fputc('\n', out);
	}
}

int cmd_diff(int argc, char **argv)
{
	const char *dir = NULL;
	struct model_catalog cat;
	featureset_t u, only_a, only_b, common;
	struct side a, b;
	int c, json = 0, ret;

	optind = 1;
	while ((c = cli_getopt(argc, argv, "diff")) != -1) {
		switch (c) {
		case 'D': dir = optarg; break;
		case 'f':
			if (hcmd_format(optarg, &json))
				return hcmd_usage("diff", "unknown format '%s': use table or json", optarg);
			break;
		case CLI_OPT_OUTPUT:
			if ((ret = cli_output_option("diff", optarg)))
				return ret;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 2)
		return hcmd_usage("diff", "%s", "needs exactly two arguments, A and B");
	if (side_load(argv[optind], dir, &a) || side_load(argv[optind + 1], dir, &b))
		return hcmd_fail();
	if (model_catalog_load(dir, &cat))
		return hcmd_fail();
	featureset_clear(&u);
	for (unsigned int i = 0; i < cat.n; i++)
		featureset_union(&u, &u, &cat.m[i].features);
	model_catalog_free(&cat);
	/* what one side cannot tell is no difference */
	featureset_diff(&only_a, &a.fs, &b.fs);
	featureset_diff(&only_a, &only_a, &b.unknown);
	featureset_diff(&only_b, &b.fs, &a.fs);
	featureset_diff(&only_b, &only_b, &a.unknown);
	featureset_intersect(&common, &a.fs, &b.fs);
	if (json) {
		if (out_json(out_stream(), json_pack("{s:o,s:o,s:i,s:b}",
				"a", side_json(&a, &only_a, &u), "b", side_json(&b, &only_b, &u),
				"common", (int)featureset_count(&common),
				"equal", featureset_empty(&only_a) && featureset_empty(&only_b))))
			return hcmd_fail();
	} else {
		print_side("A", &a, &only_a, &u);
		print_side("B", &b, &only_b, &u);
		fprintf(out_stream(), "common: %u features\n", featureset_count(&common));
	}
	ret = featureset_empty(&only_a) && featureset_empty(&only_b) ? EXIT_HOLDS : EXIT_BROKEN;
	return ret;
}
