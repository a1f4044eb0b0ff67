// SPDX-License-Identifier: GPL-2.0-only
/*
 * cpubench baseline HOST...: the best model every host of a cluster can
 * run, and who blocks each step up (baseline.h).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/output.h"
#include "cpu/x86_level.h"
#include "emit/emit.h"
#include "host/baseline.h"
#include "lib/err.h"
#include "lib/textesc.h"

#define BLOCKERS_SHOWN	8

static json_t *blocked_json(const struct host_fp *h, unsigned int n,
			    const struct model_catalog *cat, const struct baseline *b)
{
	json_t *a = json_array();

	for (unsigned int l = (unsigned int)(b->best_level + 1); a && l < cat->nlevels; l++) {
		json_t *who = json_array();

		for (unsigned int i = 0; who && i < n; i++) {
			featureset_t miss;

			if (model_missing(&cat->m[l], &h[i].features, &h[i].unknown, &miss))
				json_array_append_new(who, json_pack("{s:s,s:s,s:o}",
					"host", h[i].name, "source", h[i].source,
					"missing", hcmd_features_json(&miss, 0)));
		}
		json_array_append_new(a, json_pack("{s:s,s:o}", "model", cat->m[l].name,
						   "blockers", who));
	}
	return a;
}

static json_t *names_json(const struct model_catalog *cat, const int *idx, unsigned int n)
{
	json_t *a = json_array();

	for (unsigned int i = 0; a && i < n; i++)
		json_array_append_new(a, json_string(cat->m[idx[i]].name));
	return a;
}

static json_t *hosts_json(const struct host_fp *h, unsigned int n,
			  const struct model_catalog *cat)
{
	json_t *a = json_array();

	for (unsigned int i = 0; a && i < n; i++) {
		int best = model_best_level(cat, &h[i].features, &h[i].unknown);

		json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:o,s:s,s:s?}",
			"name", h[i].name, "source", h[i].source,
			"format", host_fp_format_name(h[i].format),
			"vendor", h[i].vendor, "vendor_from", h[i].vendor_from,
			"model_name", h[i].model_name, "is_guest", h[i].is_guest,
			"unknown", hcmd_features_json(&h[i].unknown, 0),
			"x86_64_level", x86_level_name(x86_level_of(&h[i].features)),
			"best_level", best >= 0 ? cat->m[best].name : NULL));
	}
	return a;
}

/* The vendor pick: its spec, what it turns off, and which host lacks what. */
static json_t *pick_json(const struct host_fp *h, unsigned int n,
			 const struct model_catalog *cat, const struct baseline *b)
{
	char spec[512];
	json_t *who;

	if (b->pick.model < 0)
		return json_null();
	model_pick_spec(cat, &b->pick, spec, sizeof(spec));
	who = json_array();
	for (unsigned int i = 0; who && i < n; i++) {
		featureset_t miss;

		if (model_missing(&cat->m[b->pick.model], &h[i].features, &h[i].unknown, &miss))
			json_array_append_new(who, json_pack("{s:s,s:s,s:o}",
				"host", h[i].name, "source", h[i].source,
				"missing", hcmd_features_json(&miss, 0)));
	}
	return json_pack("{s:s,s:s,s:o,s:o,s:o}", "spec", spec,
		"model", cat->m[b->pick.model].name,
		"turned_off", hcmd_features_json(&b->pick.drop, 0),
		"unknown", hcmd_features_json(&b->pick.unknown, 0),
		"blockers", who);
}

static json_t *baseline_json(const struct host_fp *h, unsigned int n,
			     const struct model_catalog *cat, const struct baseline *b)
{
	struct model_pick rec;
	char spec[512] = "";

	if (baseline_recommend(b, cat, &rec))
		model_pick_spec(cat, &rec, spec, sizeof(spec));
	return json_pack("{s:o,s:o,s:o,s:s,s:s?,s:s?,s:o,s:{s:o,s:o},s:o,s:s?}",
		"hosts", hosts_json(h, n, cat),
		"common_features", hcmd_features_json(&b->common, 0),
		"unknown_features", hcmd_features_json(&b->unknown, 0),
		"x86_64_level", x86_level_name(b->psabi_level),
		"best_level", b->best_level >= 0 ? cat->m[b->best_level].name : NULL,
		"vendor", b->vendor[0] ? b->vendor : NULL,
		"vendor_model", pick_json(h, n, cat, b),
		"best_models", "vendor", names_json(cat, b->named, b->nnamed),
		"vendor_neutral", names_json(cat, b->neutral, b->nneutral),
		"blocked", blocked_json(h, n, cat, b),
		"recommended", spec[0] ? spec : NULL);
}

static void print_names(const char *label, const struct model_catalog *cat,
			const int *idx, unsigned int n)
{
	FILE *out = out_stream();

	fprintf(out, "%-18s", label);
	if (!n)
		fprintf(out, "none");
	for (unsigned int i = 0; i < n; i++)
		fprintf(out, "%s%s", i ? " " : "", cat->m[idx[i]].name);
	fprintf(out, "\n");
}

static void print_pick(const struct host_fp *h, unsigned int n,
		       const struct model_catalog *cat, const struct baseline *b)
{
	FILE *out = out_stream();
	char spec[512], name[64];

	if (b->pick.model < 0) {
		fprintf(out, "%-18snone runs on every host\n", "best model");
		return;
	}
	model_pick_spec(cat, &b->pick, spec, sizeof(spec));
	fprintf(out, "%-18s%s\n", "best model", spec);
	if (!featureset_empty(&b->pick.unknown)) {
		fputs("  unknown (the inputs cannot show them): ", out);
		hcmd_features_print(out, &b->pick.unknown, 0);
		fputc('\n', out);
	}
	for (unsigned int i = 0; i < n; i++) {
		featureset_t miss;

		if (!model_missing(&cat->m[b->pick.model], &h[i].features, &h[i].unknown, &miss))
			continue;
		/* the host's name comes from its file: escaped */
		fprintf(out, "  %s blocked by %-20s missing ", cat->m[b->pick.model].name,
			text_safe(name, sizeof(name), h[i].name));
		hcmd_features_print(out, &miss, BLOCKERS_SHOWN);
		fputc('\n', out);
	}
}

static void print_table(const struct host_fp *h, unsigned int n,
			const struct model_catalog *cat, const struct baseline *b)
{
	struct model_pick rec;
	FILE *out = out_stream();
	char label[48], spec[512], name[64], vendor[16];

	fprintf(out, "hosts (%u)\n", n);
	for (unsigned int i = 0; i < n; i++) {
		/* names and models come from the host files: escaped */
		fprintf(out, "  %-20s %-13s %-9s %-10s ", text_safe(name, sizeof(name), h[i].name),
			text_safe(vendor, sizeof(vendor), h[i].vendor),
			host_fp_format_name(h[i].format),
			x86_level_name(x86_level_of(&h[i].features)));
		text_put(out, h[i].model_name);
		fprintf(out, "%s\n", h[i].is_guest ? " (a guest: hypervisor flag)" : "");
	}
	fprintf(out, "common features   %u", featureset_count(&b->common));
	if (!featureset_empty(&b->unknown))
		fprintf(out, " (+%u the inputs cannot show)", featureset_count(&b->unknown));
	fprintf(out, "\nx86-64 level      %s\n", x86_level_name(b->psabi_level));
	fprintf(out, "best level model  %s\n", b->best_level >= 0 ? cat->m[b->best_level].name : "none");
	if (b->vendor[0]) {
		snprintf(label, sizeof(label), "best %s", text_safe(vendor, sizeof(vendor), b->vendor));
		print_names(label, cat, b->named, b->nnamed);
		print_pick(h, n, cat, b);
	} else {
		fprintf(out, "%-18s%s\n", "best per vendor", "hosts do not share one known vendor: the level is the fallback");
		for (unsigned int i = 0; i < n; i++) {
			fprintf(out, "  %-20s ", text_safe(name, sizeof(name), h[i].name));
			text_put(out, h[i].vendor);
			fprintf(out, " (from %s)\n", h[i].vendor_from);
		}
	}
	print_names("vendor-neutral", cat, b->neutral, b->nneutral);
	for (unsigned int l = (unsigned int)(b->best_level + 1); l < cat->nlevels; l++) {
		fprintf(out, "blocked %s by\n", cat->m[l].name);
		for (unsigned int i = 0; i < n; i++) {
			featureset_t miss;

			if (!model_missing(&cat->m[l], &h[i].features, &h[i].unknown, &miss))
				continue;
			fprintf(out, "  %-20s missing ", text_safe(name, sizeof(name), h[i].name));
			hcmd_features_print(out, &miss, BLOCKERS_SHOWN);
			fprintf(out, "\n");
		}
	}
	if (baseline_recommend(b, cat, &rec))
		model_pick_spec(cat, &rec, spec, sizeof(spec));
	fprintf(out, "recommended       %s\n", baseline_recommend(b, cat, &rec) ? spec :
		"none (not even x86-64-v1 runs everywhere)");
}

int cmd_baseline(int argc, char **argv)
{
	const char *dir = NULL;
	int c, json = 0, emit = -1, ret = EXIT_HOLDS;
	const char *format = NULL;
	struct model_catalog cat;
	struct host_fp *hosts;
	struct baseline b;
	unsigned int n;

	optind = 1;
	while ((c = cli_getopt(argc, argv, "baseline")) != -1) {
		switch (c) {
		case 'D': dir = optarg; break;
		case 'f':
			format = optarg;
			if (hcmd_format(optarg, &json))
				return hcmd_usage("baseline", "unknown format '%s': use table or json", optarg);
			break;
		case 'e':
			emit = emit_kind_parse(optarg);
			if (emit < 0)
				return hcmd_usage("baseline", "unknown --emit '%s': use qemu, libvirt, proxmox, nova, kubevirt or firecracker", optarg);
			break;
		case CLI_OPT_OUTPUT:
			if ((ret = cli_output_option("baseline", optarg)))
				return ret;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind >= argc)
		return hcmd_usage("baseline", "%s", "needs at least one HOST file");
	if (emit >= 0 && format)
		return hcmd_usage("baseline", "--format %s does not apply with --emit, which writes the stack's own format: drop one of them", format);
	n = (unsigned int)(argc - optind);
	hosts = calloc(n, sizeof(*hosts));
	if (!hosts)
		return fprintf(stderr, "cpubench: out of memory\n"), EXIT_ENV;
	for (unsigned int i = 0; i < n; i++)
		if (host_fp_load(argv[optind + i], &hosts[i])) {
			free(hosts);
			return hcmd_fail();
		}
	if (model_catalog_load(dir, &cat)) {
		free(hosts);
		return hcmd_fail();
	}
	baseline_compute(hosts, n, &cat, &b);
	if (emit >= 0) {
		struct model_pick rec;
		char spec[512];

		if (!baseline_recommend(&b, &cat, &rec)) {
			ret = (err_set("no catalog model runs on every host: nothing to emit"),
			       err_set_class(EXIT_BROKEN), hcmd_fail());
		} else {
			model_pick_spec(&cat, &rec, spec, sizeof(spec));
			if (hcmd_emit_spec(out_stream(), spec, dir, NULL, emit))
				ret = hcmd_fail();
		}
	} else if (json) {
		if (out_json(out_stream(), baseline_json(hosts, n, &cat, &b)))
			ret = hcmd_fail();
	} else {
		print_table(hosts, n, &cat, &b);
	}
	model_catalog_free(&cat);
	free(hosts);
	return ret;
}
