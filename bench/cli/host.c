// SPDX-License-Identifier: GPL-2.0-only
/*
 * cpubench host: this host's fingerprint (fingerprint.h), its x86-64
 * level, and which catalog models a guest can be given here.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/common.h"
#include "cpu/cpuid_builder.h"
#include "cpu/x86_level.h"
#include "host/baseline.h"
#include "host/fingerprint.h"
#include "host/host_fp.h"
#include "lib/err.h"
#include "lib/file_read.h"
#include "vmm/kvm.h"

#define BLOCKERS_SHOWN	4

static const char host_help[] =
	"usage: cpubench host [--save FILE] [--format table|json] [--masks-dir DIR]\n"
	"                     [--kvm-device PATH] [--cpuinfo FILE]\n"
	"\n"
	"Fingerprints this host: raw CPUID, KVM's supported CPUID, /proc/cpuinfo,\n"
	"kernel, KVM modules and parameters; its x86-64 level (as ld.so --help\n"
	"reports it) and the catalog models a guest can run here.\n"
	"\n"
	"  --save FILE   also write the fingerprint (JSON) to FILE, for\n"
	"                cpubench baseline/compare/diff on another machine\n"
	"  --format FMT  table (default) or json (the fingerprint)\n"
	"  --cpuinfo FILE  describe the CPU of FILE (a saved /proc/cpuinfo, its\n"
	"                flags line or lscpu output) instead of this machine's:\n"
	"                no CPUID, KVM or modules are read; the fingerprint\n"
	"                names FILE (\"cpuinfo_file\") and is named after it\n";

struct host_opts {
	const char *save, *masks_dir, *device, *cpuinfo;
	int json;
};

static int parse_opts(int argc, char **argv, struct host_opts *o)
{
	static const struct option longopts[] = {
		{ "save", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ "masks-dir", required_argument, NULL, 'D' },
		{ "kvm-device", required_argument, NULL, 'd' },
		{ "cpuinfo", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

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
		case 'c': o->cpuinfo = optarg; break;
		case 'h':
			fputs(host_help, stdout);
			exit(EXIT_HOLDS);
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

/* The value of the first "KEY : value" line of @text, or NULL. */
static const char *text_find(const char *text, const char *key)
{
	for (const char *line = text; line && *line; ) {
		const char *v = cpuinfo_line_value(line, key);

		if (v)
			return v;
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return NULL;
}

static uint32_t text_number(const char *text, const char *key)
{
	const char *v = text_find(text, key);

	return v ? (uint32_t)strtoul(v, NULL, 10) : 0;
}

/*
 * The value up to the end of its line, malloc'ed, as printable ASCII (TAB
 * becomes a blank, other bytes '?'), trailing blanks cut; NULL when absent.
 */
static char *text_value(const char *text, const char *key)
{
	const char *v = text_find(text, key);
	char *s = v ? strndup(v, strcspn(v, "\r\n")) : NULL;
	size_t n = s ? strlen(s) : 0;

	for (size_t i = 0; i < n; i++)
		if (s[i] == '\t')
			s[i] = ' ';
		else if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			s[i] = '?';
	while (n && s[n - 1] == ' ')
		s[--n] = '\0';
	return s;
}

/*
 * --cpuinfo FILE: the fingerprint of the CPU that FILE describes, not of
 * this machine. Its flags are the CPU's and a guest's features (Linux
 * already drops what the OS cannot use, e.g. avx without YMM in XCR0);
 * vendor, model name, family/model/stepping, microcode and flags come
 * from FILE; no CPUID instruction, KVM device or module is read (cpuid
 * [], xcr0 0, backend null, kvm.error says so); the kernel is unknown.
 */
static int collect_from_file(struct host_fingerprint *fp, const char *path)
{
	int lscpu;
	struct host_fp h;
	char *text, *mc;
	size_t len;

	memset(fp, 0, sizeof(*fp));
	fp->backend = -1;
	if (file_read_text(path, HOST_FP_FILE_MAX, "a saved /proc/cpuinfo or lscpu output",
			   &text, &len))
		return -1;
	if (host_fp_parse(path, text, len, &h)) {
		free(text);
		return -1;
	}
	if (h.format == HOST_FP_FINGERPRINT) {
		free(text);
		return err_set("%s: already a cpubench fingerprint: give it to baseline, compare or diff as it is",
			       path);
	}
	lscpu = h.format == HOST_FP_LSCPU;
	snprintf(fp->hostname, sizeof(fp->hostname), "%s", h.name);
	snprintf(fp->info.vendor, sizeof(fp->info.vendor), "%s", h.vendor);
	snprintf(fp->info.model_name, sizeof(fp->info.model_name), "%s", h.model_name);
	snprintf(fp->info.kernel, sizeof(fp->info.kernel), HOST_FP_UNKNOWN);
	mc = lscpu ? NULL : text_value(text, "microcode");
	snprintf(fp->microcode, sizeof(fp->microcode), "%s", mc && *mc ? mc : HOST_FP_UNKNOWN);
	free(mc);
	fp->family = text_number(text, lscpu ? "CPU family" : "cpu family");
	fp->model = text_number(text, lscpu ? "Model" : "model");
	fp->stepping = text_number(text, lscpu ? "Stepping" : "stepping");
	fp->cpuinfo_flags = text_value(text, lscpu ? "Flags" : "flags");
	free(text);
	fp->cpuid = cpuid2_alloc(0);
	if (!fp->cpuid || !fp->cpuinfo_flags)
		return err_set("out of memory");
	snprintf(fp->kvm_error, sizeof(fp->kvm_error),
		 "not probed: this fingerprint describes the CPU of %s (--cpuinfo), not this machine",
		 path);
	fp->cpu_features = fp->guest_features = h.features;
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

static void print_modules(const struct host_fingerprint *fp)
{
	printf("kvm modules   ");
	if (!fp->nmodules)
		printf("none loaded");
	for (unsigned int i = 0; i < fp->nmodules; i++) {
		const struct fp_module *m = &fp->modules[i];

		printf("%s%s", i ? ", " : "", m->name);
		for (unsigned int k = 0; k < m->nparams; k++)
			if (!strcmp(m->params[k].name, "nested"))
				printf(" (nested=%s)", m->params[k].value);
	}
	printf("\n");
}

static void print_table(const struct host_fingerprint *fp, const struct model_catalog *cat,
			const char *cpuinfo)
{
	const featureset_t *g = &fp->guest_features;

	printf("host          %s\n", fp->hostname);
	if (cpuinfo)
		printf("described     the CPU of %s (--cpuinfo), not this machine\n", cpuinfo);
	printf("cpu           %s, %s (family %u model %u stepping %u, microcode %s)\n",
	       fp->info.vendor, fp->info.model_name, fp->family, fp->model,
	       fp->stepping, fp->microcode);
	printf("kernel        %s\n", fp->info.kernel);
	printf("backend       %s%s%s\n",
	       fp->backend >= 0 ? backend_kind_name(fp->backend) : "none",
	       fp->kvm_available ? "" : "; KVM unusable: ",
	       fp->kvm_available ? "" : fp->kvm_error);
	print_modules(fp);
	printf("x86-64 level  %s (CPU, as ld.so --help reports it)\n",
	       x86_level_name(x86_level_of(&fp->cpu_features)));
	printf("features      CPU %u, KVM supported %u, guest %u (%s)\n",
	       featureset_count(&fp->cpu_features), featureset_count(&fp->kvm_features),
	       featureset_count(g),
	       fp->guest_from_kvm ? "KVM's supported CPUID" :
	       fp->backend == BACKEND_KVM_PVM ?
	       "the CPU's: PVM runs guest user code natively; its supported CPUID is minimal" :
	       "the CPU's: no usable KVM");
	printf("guest level   %s\n", x86_level_name(x86_level_of(g)));
	printf("runnable     ");
	for (unsigned int i = 0; i < cat->n; i++)
		if (featureset_subset(&cat->m[i].features, g))
			printf(" %s", cat->m[i].name);
	printf("\nnot runnable\n");
	for (unsigned int i = 0; i < cat->n; i++) {
		featureset_t miss;

		if (!model_missing(&cat->m[i], g, &miss))
			continue;
		printf("  %-28s missing ", cat->m[i].name);
		hcmd_features_print(stdout, &miss, BLOCKERS_SHOWN);
		printf("\n");
	}
}

/* The fingerprint's JSON, with "cpuinfo_file": FILE of --cpuinfo, or null. */
static json_t *to_json(const struct host_fingerprint *fp, json_t *models, const char *cpuinfo)
{
	json_t *j = fingerprint_to_json(fp, models);

	if (j && json_object_set_new(j, "cpuinfo_file",
				     cpuinfo ? json_string(cpuinfo) : json_null())) {
		json_decref(j);
		return NULL;
	}
	return j;
}

static int save(const char *path, const struct host_fingerprint *fp, json_t *models,
		const char *cpuinfo)
{
	FILE *f = fopen(path, "w");
	int ret;

	if (!f)
		return err_set_errno(errno, "cannot write --save file %s", path);
	json_incref(models);
	ret = hcmd_json_print(f, to_json(fp, models, cpuinfo));
	if (fclose(f) && !ret)
		ret = err_set_errno(errno, "cannot write --save file %s", path);
	return ret;
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
	if (o.cpuinfo ? collect_from_file(&fp, o.cpuinfo) : fingerprint_collect(&fp, &paths)) {
		ret = hcmd_fail();
		goto out;
	}
	models = models_json(&cat, &fp.guest_features);
	if (!models || (o.save && save(o.save, &fp, models, o.cpuinfo))) {
		json_decref(models);
		ret = hcmd_fail();
		goto out;
	}
	if (o.json) {
		if (hcmd_json_print(stdout, to_json(&fp, models, o.cpuinfo)))
			ret = hcmd_fail();
	} else {
		json_decref(models);
		print_table(&fp, &cat, o.cpuinfo);
	}
out:
	fingerprint_free(&fp);
	model_catalog_free(&cat);
	return ret;
}
