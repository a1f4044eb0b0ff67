// SPDX-License-Identifier: GPL-2.0-only
/*
 * cpubench compare --mask M --host H: can model M run on host H, what is
 * missing there, what cannot be told, and the nearest model that runs.
 * Exit 0 it can, 1 it cannot.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/lint.h"
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

struct compare_answer {
	featureset_t miss;		/* shown absent on the host */
	featureset_t unknown;		/* needed, but the host's input cannot tell */
	char fix[512];			/* MODEL with the missing features off, or "" */
	char best[MASK_NAME_MAX + 256];	/* the host vendor's best model as it is, or "" */
};

/* The alternatives when @m cannot run on @h. */
static int alternatives(const struct mask *m, const struct host_fp *h,
			const char *dir, struct compare_answer *v)
{
	struct model_catalog cat;
	struct model_pick best;

	if (featureset_count(&v->miss) <= MODEL_DROP_MAX)
		spec_without(m->spec, &v->miss, v->fix, sizeof(v->fix));
	if (model_catalog_load(dir, &cat))
		return -1;
	if (model_nearest(&cat, &h->features, &h->unknown,
			  strcmp(h->vendor, HOST_FP_UNKNOWN) ? h->vendor : NULL, 0, &best))
		model_pick_spec(&cat, &best, v->best, sizeof(v->best));
	model_catalog_free(&cat);
	return 0;
}

/*
 * The features @h's input cannot tell, one line per reason: the reasons
 * come from how its flags were read (cpu/linux_flags.h).
 */
static void print_unknown(const struct host_fp *h, const featureset_t *unknown)
{
	featureset_t left = *unknown;

	while (!featureset_empty(&left)) {
		const char *w = NULL;
		featureset_t same;
		char why[200];

		featureset_clear(&same);
		linux_feature_view(featureset_next(&left, -1), &h->linux_cpu, &w);
		snprintf(why, sizeof(why), "%s", w ? w : "not shown");
		for (int f = featureset_next(&left, -1); f >= 0; f = featureset_next(&left, f)) {
			w = NULL;
			linux_feature_view(f, &h->linux_cpu, &w);
			if (!strcmp(why, w ? w : "not shown"))
				featureset_add(&same, f);
		}
		fputs("  unknown: ", out_stream());
		hcmd_features_print(out_stream(), &same, 0);
		fprintf(out_stream(), " (%s; 'cpubench verify' on the host can tell)\n", why);
		featureset_diff(&left, &left, &same);
	}
}

static json_t *str_or_null(const char *s)
{
	return *s ? json_string(s) : json_null();
}

static int report(const struct mask *m, const struct host_fp *h,
		  const struct compare_answer *v, const struct lint *lint, int json)
{
	unsigned int n = featureset_count(&v->miss);
	FILE *out = out_stream();

	if (json)
		return out_json(out, json_pack("{s:s,s:s,s:s,s:s,s:s,s:b,s:b,s:o,s:o,s:o,s:o,s:o}",
			"mask", m->spec, "host", h->name, "source", h->source,
			"vendor", h->vendor, "vendor_from", h->vendor_from,
			"host_is_guest", h->is_guest, "runs", n == 0,
			"missing", hcmd_features_json(&v->miss, 0),
			"unknown", hcmd_features_json(&v->unknown, 0),
			"nearest", str_or_null(v->fix), "best_runnable", str_or_null(v->best),
			"warnings", lint_json(lint)));
	lint_print(stderr, lint);
	/* the host's name and vendor come from its file: escaped */
	if (!n && featureset_empty(&v->unknown)) {
		fprintf(out, "%s runs on ", m->spec);
		text_put(out, h->name);
		fprintf(out, ": all %u features are there\n", featureset_count(&m->features));
	} else if (!n) {
		fprintf(out, "%s runs on ", m->spec);
		text_put(out, h->name);
		fprintf(out, " as far as its %s tells: %u features are there, %u unknown\n",
			host_fp_format_name(h->format),
			featureset_count(&m->features) - featureset_count(&v->unknown),
			featureset_count(&v->unknown));
	} else {
		fprintf(out, "%s cannot run on ", m->spec);
		text_put(out, h->name);
		fprintf(out, ": %u missing: ", n);
		hcmd_features_print(out, &v->miss, 0);
		fputc('\n', out);
	}
	print_unknown(h, &v->unknown);
	if (n && v->fix[0])
		fprintf(out, "  nearest that runs: %s\n", v->fix);
	if (n && v->best[0]) {
		fputs("  best ", out);
		text_put(out, strcmp(h->vendor, HOST_FP_UNKNOWN) ? h->vendor : "vendor-neutral");
		fprintf(out, " model that runs as it is: %s\n", v->best);
	}
	fputs("  vendor ", out);
	text_put(out, h->vendor);
	fprintf(out, " (from %s)\n", h->vendor_from);
	if (h->is_guest) {
		fputs("  note: ", out);
		text_put(out, h->name);
		fputs(" is itself a guest (hypervisor flag): this is what its hypervisor exposes, not a host\n", out);
	}
	return 0;
}

int cmd_compare(int argc, char **argv)
{
	const char *spec = NULL, *hostfile = NULL, *dir = NULL;
	struct compare_answer v = { 0 };
	struct host_fp h;
	struct mask m;
	struct lint lint;
	int c, json = 0;

	optind = 1;
	while ((c = cli_getopt(argc, argv, "compare")) != -1) {
		switch (c) {
		case 'm': spec = optarg; break;
		case 'H': hostfile = optarg; break;
		case 'D': dir = optarg; break;
		case 'f':
			if (hcmd_format(optarg, &json))
				return hcmd_usage("compare", "unknown format '%s': use table or json", optarg);
			break;
		case CLI_OPT_OUTPUT:
			if ((c = cli_output_option("compare", optarg)))
				return c;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return hcmd_usage("compare", "unexpected argument '%s'", argv[optind]);
	if (!spec || !hostfile)
		return hcmd_usage("compare", "%s", "needs --mask MODEL and --host HOST");
	if (host_fp_load(hostfile, &h))
		return hcmd_fail();
	/* "host" here means host H's own features */
	if (mask_resolve(spec, dir, &h.features, &m))
		return hcmd_fail();
	featureset_diff(&v.miss, &m.features, &h.features);
	featureset_intersect(&v.unknown, &v.miss, &h.unknown);
	featureset_diff(&v.miss, &v.miss, &h.unknown);
	if (!featureset_empty(&v.miss) && alternatives(&m, &h, dir, &v))
		return hcmd_fail();
	lint_mask(&m, &lint);
	if (report(&m, &h, &v, &lint, json))
		return hcmd_fail();
	return featureset_empty(&v.miss) ? EXIT_HOLDS : EXIT_BROKEN;
}
