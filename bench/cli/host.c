// SPDX-License-Identifier: GPL-2.0-only
/*
 * cpubench host: this host's fingerprint (fingerprint.h), its x86-64
 * level, and which catalog models a guest can be given here, answered
 * for verify and for QEMU/libvirt (host/guest_caps.h).
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/model_run.h"
#include "cli/cmd.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/output.h"
#include "cpu/feature.h"
#include "cpu/x86_level.h"
#include "host/baseline.h"
#include "host/fingerprint.h"
#include "lib/err.h"
#include "lib/term.h"
#include "lib/safe_file.h"
#include "lib/textesc.h"
#include "vmm/kvm.h"

#define BLOCKERS_SHOWN	4

struct host_opts {
	const char *save, *masks_dir, *device, *cpuinfo;
	int json;
};

static int parse_opts(int argc, char **argv, struct host_opts *o)
{
	int c, ret;

	*o = (struct host_opts){ .device = getenv("CPUBENCH_KVM_DEVICE") };
	if (!o->device || !*o->device)
		o->device = KVM_DEFAULT_DEVICE;
	optind = 1;
	while ((c = cli_getopt(argc, argv, "host")) != -1) {
		switch (c) {
		case 's': o->save = optarg; break;
		case 'D': o->masks_dir = optarg; break;
		case 'd': o->device = optarg; break;
		case 'c': o->cpuinfo = optarg; break;
		case CLI_OPT_OUTPUT:
			if ((ret = cli_output_option("host", optarg)))
				return ret;
			break;
		case 'f':
			if (hcmd_format(optarg, &o->json))
				return hcmd_usage("host", "unknown format '%s': use table or json", optarg);
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return hcmd_usage("host", "unexpected argument '%s'", argv[optind]);
	return 0;
}

/* Why the two answers cannot be given, or NULL when they can. */
static const char *no_answer(const struct host_fingerprint *fp)
{
	return fp->kvm_available ? NULL : fp->kvm_error[0] ? fp->kvm_error : "no usable KVM";
}

/*
 * Whether verify's answer leaves @m out: a model without long mode runs
 * in a guest, but not cpubench's 64-bit one.
 */
static bool unverifiable(const struct model *m)
{
	return !model_run_guest_fits(&m->features);
}

/* @verify: verify's answer, where unverifiable() models are listed apart. */
static json_t *models_json(const struct model_catalog *cat, const featureset_t *fs,
			   const char *why, bool verify)
{
	json_t *run = json_array(), *norun = json_array(), *msr = json_array();
	json_t *unver = json_array();

	for (unsigned int i = 0; !why && run && norun && msr && unver && i < cat->n; i++) {
		featureset_t miss;
		unsigned int n = model_missing(&cat->m[i], fs, NULL, &miss);

		if (n) {
			json_array_append_new(norun, json_pack("{s:s,s:o,s:i}",
				"model", cat->m[i].name,
				"missing", hcmd_features_json(&miss, BLOCKERS_SHOWN),
				"nmissing", (int)n));
		} else if (verify && unverifiable(&cat->m[i])) {
			json_array_append_new(unver, json_string(cat->m[i].name));
		} else {
			json_array_append_new(run, json_string(cat->m[i].name));
			if (cat->m[i].msr_features)
				json_array_append_new(msr, json_string(cat->m[i].name));
		}
	}
	if (!verify) {
		json_decref(unver);
		unver = NULL;
	}
	return json_pack("{s:b,s:s?,s:o,s:o,s:o,s:o*}", "known", !why, "why", why,
			 "runnable", run, "not_runnable", norun, "msr_unchecked", msr,
			 "unverifiable", unver);
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

/*
 * The catalog models @fs runs, on one line after @label; for @verify's
 * answer, those cpubench's guest cannot run on a line of their own.
 */
static void print_runnable(const char *label, const struct model_catalog *cat,
			   const featureset_t *fs, bool verify)
{
	FILE *out = out_stream();
	unsigned int n = 0, u = 0, col = 14, width = out_columns(out);

	fprintf(out, "%-14s", label);
	/* wrapped to the terminal, continued under the first name */
	for (unsigned int i = 0; i < cat->n; i++) {
		char word[MASK_NAME_MAX + 2];

		if (!featureset_subset(&cat->m[i].features, fs) ||
		    (verify && unverifiable(&cat->m[i])))
			continue;
		snprintf(word, sizeof(word), "%s%s", n++ ? " " : "", cat->m[i].name);
		col = term_wrap(out, word, col, 14, width);
	}
	fprintf(out, "%s\n", n ? "" : "none");
	for (unsigned int i = 0; verify && i < cat->n; i++) {
		char word[MASK_NAME_MAX + 2];

		if (!featureset_subset(&cat->m[i].features, fs) || !unverifiable(&cat->m[i]))
			continue;
		if (!u++)
			fprintf(out, "  runnable, not verifiable (no long mode: cpubench's guest is 64-bit):\n%14s", "");
		snprintf(word, sizeof(word), "%s%s", u > 1 ? " " : "", cat->m[i].name);
		col = term_wrap(out, word, u > 1 ? col : 14, 14, width);
	}
	if (u)
		fputc('\n', out);
}

/* Models one answer accepts and the other does not, with the features why. */
static void print_differences(const struct model_catalog *cat, const featureset_t *a,
			      const featureset_t *b, const char *what)
{
	FILE *out = out_stream();
	unsigned int n = 0;

	for (unsigned int i = 0; i < cat->n; i++) {
		featureset_t miss;

		if (!featureset_subset(&cat->m[i].features, a) ||
		    !model_missing(&cat->m[i], b, NULL, &miss))
			continue;
		if (!n++)
			fprintf(out, "  %s\n", what);
		fprintf(out, "    %-28s QEMU lacks ", cat->m[i].name);
		hcmd_features_print(out, &miss, BLOCKERS_SHOWN);
		fprintf(out, "\n");
	}
}

/*
 * QEMU also refuses a model whose feature-MSR bits (IA32_ARCH_CAPABILITIES
 * ...) KVM's feature MSRs lack; cpubench does not read those, so the
 * models of the QEMU answer that have some are named, not vouched for.
 */
static void print_msr_unchecked(const struct model_catalog *cat, const featureset_t *fs)
{
	FILE *out = out_stream();
	unsigned int n = 0;

	for (unsigned int i = 0; i < cat->n; i++)
		if (cat->m[i].msr_features && featureset_subset(&cat->m[i].features, fs))
			fprintf(out, "%s%s", n++ ? " " : "  not checked: feature-MSR bits "
			       "(KVM_GET_MSRS on /dev/kvm) of ", cat->m[i].name);
	if (n)
		fprintf(out, "\n");
}

static void print_answers(const struct host_fingerprint *fp, const struct model_catalog *cat)
{
	FILE *out = out_stream();
	const char *why = no_answer(fp);

	if (why) {
		fprintf(out, "verify here   cannot tell: %s\n", why);
		fprintf(out, "QEMU/libvirt  cannot tell what -accel kvm,enforce accepts: %s\n", why);
		return;
	}
	fprintf(out, "verify here   %s: %s", backend_kind_name(fp->backend),
	       fp->backend == BACKEND_KVM_PVM ?
	       "the CPU's features (guest user code runs natively)" :
	       "KVM's supported CPUID");
	if (!featureset_empty(&fp->verify_refused)) {
		fprintf(out, ", less what %s refuses: ", backend_kind_name(fp->backend));
		hcmd_features_print(out, &fp->verify_refused, 0);
	}
	fprintf(out, "\n");
	print_runnable("  runnable", cat, &fp->verify_features, true);
	fprintf(out, "  not runnable\n");
	for (unsigned int i = 0; i < cat->n; i++) {
		featureset_t miss;

		if (!model_missing(&cat->m[i], &fp->verify_features, NULL, &miss))
			continue;
		fprintf(out, "    %-28s missing ", cat->m[i].name);
		hcmd_features_print(out, &miss, BLOCKERS_SHOWN);
		fprintf(out, "\n");
	}
	fprintf(out, "QEMU/libvirt  -accel kvm,enforce: KVM's supported CPUID with QEMU's own additions\n");
	print_runnable("  runnable", cat, &fp->qemu_features, false);
	print_msr_unchecked(cat, &fp->qemu_features);
	print_differences(cat, &fp->verify_features, &fp->qemu_features,
			  "verify holds, QEMU refuses (QEMU asks KVM_GET_SUPPORTED_CPUID; "
			  "cpubench's guest has the features above):");
}

static void print_table(const struct host_fingerprint *fp, const struct model_catalog *cat)
{
	FILE *out = out_stream();
	/* what /proc, uname, sysfs and --cpuinfo said is escaped like any outside text */
	fputs("host          ", out);
	text_put(out, fp->hostname);
	if (fp->cpuinfo_file) {
		fputs("\ndescribed     the CPU of ", out);
		text_put(out, fp->cpuinfo_file);
		fputs(" (--cpuinfo), not this machine", out);
	}
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
	fprintf(out, "features      CPU %u, KVM supported %u\n",
	       featureset_count(&fp->cpu_features), featureset_count(&fp->kvm_features));
	print_answers(fp, cat);
}

/* --save FILE: replaced whole or not at all (lib/safe_file.h). */
static int save(const char *path, const struct host_fingerprint *fp, json_t *models,
		json_t *qemu_models)
{
	struct safe_file sf;
	json_t *j;
	char *text;

	json_incref(models);
	json_incref(qemu_models);
	j = fingerprint_to_json(fp, models, qemu_models);
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
	json_t *models, *qemu_models;
	int ret = parse_opts(argc, argv, &o);

	if (ret)
		return ret;
	if (model_catalog_load(o.masks_dir, &cat))
		return hcmd_fail();
	paths.kvm_device = o.device;
	if (o.cpuinfo ? fingerprint_from_cpuinfo(&fp, o.cpuinfo) :
			fingerprint_collect(&fp, &paths)) {
		ret = hcmd_fail();
		goto out;
	}
	models = models_json(&cat, &fp.verify_features, no_answer(&fp), true);
	qemu_models = models_json(&cat, &fp.qemu_features, no_answer(&fp), false);
	if (!models || !qemu_models || (o.save && save(o.save, &fp, models, qemu_models))) {
		json_decref(models);
		json_decref(qemu_models);
		ret = hcmd_fail();
		goto out;
	}
	if (o.json) {
		if (out_json(out_stream(), fingerprint_to_json(&fp, models, qemu_models)))
			ret = hcmd_fail();
	} else {
		json_decref(models);
		json_decref(qemu_models);
		print_table(&fp, &cat);
	}
out:
	fingerprint_free(&fp);
	model_catalog_free(&cat);
	return ret;
}
