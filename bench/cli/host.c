// SPDX-License-Identifier: GPL-2.0-only
/*
 * cpubench host: this host's fingerprint (fingerprint.h), its x86-64
 * level, and which catalog models a guest can be given here.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/common.h"
#include "cli/output.h"
#include "cpu/x86_level.h"
#include "host/baseline.h"
#include "host/fingerprint.h"
#include "lib/err.h"
#include "lib/safe_file.h"
#include "lib/textesc.h"
#include "vmm/kvm.h"

#define BLOCKERS_SHOWN	4

static const char host_help[] =
	"usage: cpubench host [--save FILE] [--format table|json] [--masks-dir DIR]\n"
	"                     [--kvm-device PATH]\n"
	"\n"
	"Fingerprints this host: raw CPUID, KVM's supported CPUID, /proc/cpuinfo,\n"
	"kernel, KVM modules and parameters; its x86-64 level (as ld.so --help\n"
	"reports it) and the catalog models a guest can run here.\n"
	"\n"
	"  --save FILE   also write the fingerprint (JSON) to FILE, for\n"
	"                cpubench baseline/compare/diff on another machine\n"
	"  --format FMT  table (default) or json (the fingerprint)\n"
	CLI_OUTPUT_HELP;

struct host_opts {
	const char *save, *masks_dir, *device;
	int json;
};

static int parse_opts(int argc, char **argv, struct host_opts *o)
{
	static const struct option longopts[] = {
		{ "save", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ "masks-dir", required_argument, NULL, 'D' },
		{ "kvm-device", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		CLI_OUTPUT_LONGOPT,
		{ NULL, 0, NULL, 0 },
	};
	int c, ret;

	*o = (struct host_opts){ .device = getenv("CPUBENCH_KVM_DEVICE") };
	if (!o->device || !*o->device)
		o->device = KVM_DEFAULT_DEVICE;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 's': o->save = optarg; break;
		case 'D': o->masks_dir = optarg; break;
		case 'd': o->device = optarg; break;
		case 'h':
			fputs(host_help, out_stream());
			exit(cli_finish("host", EXIT_HOLDS));
		case CLI_OPT_OUTPUT:
			if ((ret = cli_output_option("host", optarg)))
				return ret;
			break;
		case 'f':
			if (hcmd_format(optarg, &o->json))
				return hcmd_usage("host", "unknown format '%s': use table or json", optarg);
			break;
		default:
			return hcmd_usage("host", "unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return hcmd_usage("host", "unexpected argument '%s'", argv[optind]);
	return 0;
}

static json_t *models_json(const struct model_catalog *cat, const featureset_t *fs)
{
	json_t *run = json_array(), *norun = json_array();

	for (unsigned int i = 0; run && norun && i < cat->n; i++) {
		featureset_t miss;
		unsigned int n = model_missing(&cat->m[i], fs, &miss);

		if (!n)
			json_array_append_new(run, json_string(cat->m[i].name));
		else
			json_array_append_new(norun, json_pack("{s:s,s:o,s:i}",
				"model", cat->m[i].name,
				"missing", hcmd_features_json(&miss, BLOCKERS_SHOWN),
				"nmissing", (int)n));
	}
	return json_pack("{s:o,s:o}", "runnable", run, "not_runnable", norun);
}

static void print_modules(FILE *out, const struct host_fingerprint *fp)
{
	fputs("kvm modules   ", out);
	if (!fp->nmodules)
		fputs("none loaded", out);
	for (unsigned int i = 0; i < fp->nmodules; i++) {
		const struct fp_module *m = &fp->modules[i];

		fputs(i ? ", " : "", out);
		text_put(out, m->name);
		for (unsigned int k = 0; k < m->nparams; k++) {
			if (strcmp(m->params[k].name, "nested"))
				continue;
			fputs(" (nested=", out);
			text_put(out, m->params[k].value);
			fputc(')', out);
		}
	}
	fputc('\n', out);
}

/* What /proc, uname and sysfs said is escaped like any outside text. */
static void print_table(const struct host_fingerprint *fp, const struct model_catalog *cat)
{
	FILE *out = out_stream();
	const featureset_t *g = &fp->guest_features;

	fputs("host          ", out);
	text_put(out, fp->hostname);
	fputs("\ncpu           ", out);
	text_put(out, fp->info.vendor);
	fputs(", ", out);
	text_put(out, fp->info.model_name);
	fprintf(out, " (family %u model %u stepping %u, microcode ", fp->family,
		fp->model, fp->stepping);
	text_put(out, fp->microcode);
	fputs(")\nkernel        ", out);
	text_put(out, fp->info.kernel);
	fprintf(out, "\nbackend       %s%s", fp->backend >= 0 ?
		backend_kind_name(fp->backend) : "none",
		fp->kvm_available ? "" : "; KVM unusable: ");
	text_put(out, fp->kvm_available ? "" : fp->kvm_error);
	fputc('\n', out);
	print_modules(out, fp);
	fprintf(out, "x86-64 level  %s (CPU, as ld.so --help reports it)\n",
	       x86_level_name(x86_level_of(&fp->cpu_features)));
	fprintf(out, "features      CPU %u, KVM supported %u, guest %u (%s)\n",
	       featureset_count(&fp->cpu_features), featureset_count(&fp->kvm_features),
	       featureset_count(g),
	       fp->guest_from_kvm ? "KVM's supported CPUID" :
	       fp->backend == BACKEND_KVM_PVM ?
	       "the CPU's: PVM runs guest user code natively; its supported CPUID is minimal" :
	       "the CPU's: no usable KVM");
	fprintf(out, "guest level   %s\n", x86_level_name(x86_level_of(g)));
	fprintf(out, "runnable     ");
	for (unsigned int i = 0; i < cat->n; i++)
		if (featureset_subset(&cat->m[i].features, g))
			fprintf(out, " %s", cat->m[i].name);
	fprintf(out, "\nnot runnable\n");
	for (unsigned int i = 0; i < cat->n; i++) {
		featureset_t miss;

		if (!model_missing(&cat->m[i], g, &miss))
			continue;
		fprintf(out, "  %-28s missing ", cat->m[i].name);
		hcmd_features_print(out, &miss, BLOCKERS_SHOWN);
		fprintf(out, "\n");
	}
}

/* --save FILE: replaced whole or not at all (lib/safe_file.h). */
static int save(const char *path, const struct host_fingerprint *fp, json_t *models)
{
	struct safe_file sf;
	json_t *j;
	char *text;

	json_incref(models);
	j = fingerprint_to_json(fp, models);
	text = j ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
	json_decref(j);
	if (!text)
		return err_set("out of memory building the fingerprint");
	if (safe_file_open(&sf, path)) {
		free(text);
		return -1;
	}
	safe_file_put(&sf, text, strlen(text));
	safe_file_put(&sf, "\n", 1);
	free(text);
	return safe_file_commit(&sf);
}

int cmd_host(int argc, char **argv)
{
	struct fp_paths paths = { 0 };
	struct host_fingerprint fp;
	struct model_catalog cat;
	struct host_opts o;
	json_t *models;
	int ret = parse_opts(argc, argv, &o);

	if (ret)
		return ret;
	if (model_catalog_load(o.masks_dir, &cat))
		return hcmd_fail();
	paths.kvm_device = o.device;
	if (fingerprint_collect(&fp, &paths)) {
		ret = hcmd_fail();
		goto out;
	}
	models = models_json(&cat, &fp.guest_features);
	if (!models || (o.save && save(o.save, &fp, models))) {
		json_decref(models);
		ret = hcmd_fail();
		goto out;
	}
	if (o.json) {
		if (out_json(out_stream(), fingerprint_to_json(&fp, models)))
			ret = hcmd_fail();
	} else {
		json_decref(models);
		print_table(&fp, &cat);
	}
out:
	fingerprint_free(&fp);
	model_catalog_free(&cat);
	return ret;
}
