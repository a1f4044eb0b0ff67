// SPDX-License-Identifier: GPL-2.0-only
/*
 * cpubench host: collect this host's fingerprint, write it as JSON, and
 * read a saved one back as a struct host_fp (schema: fingerprint.h).
 */
#include "host/fingerprint.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpu/cpuid_builder.h"
#include "cpu/feature.h"
#include "cpu/host_cpu.h"
#include "cpu/vendor.h"
#include "cpu/x86_level.h"
#include "host/guest_caps.h"
#include "host/host_fp.h"
#include "host/host_info.h"
#include "lib/err.h"
#include "lib/file_read.h"
#include "vmm/kvm.h"

#ifndef CPUBENCH_VERSION
#define CPUBENCH_VERSION "0.1.0"
#endif

static const char *const kvm_modules[FP_MAX_MODULES] = {
	"kvm", "kvm_intel", "kvm_amd", "kvm_pvm",
};

/* ------------------------------------------------------------ collecting */

static void trim(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	for (char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			*p = '?';
}

/* "key<blanks>: value" of a cpuinfo line, or NULL. */
static char *cpuinfo_value(char *line, const char *key)
{
	size_t n = strlen(key);

	if (strncmp(line, key, n))
		return NULL;
	line += n;
	while (*line == ' ' || *line == '\t')
		line++;
	if (*line++ != ':')
		return NULL;
	while (*line == ' ')
		line++;
	trim(line);
	return line;
}

/* First CPU's microcode and flags lines. */
static void read_cpuinfo(struct host_fingerprint *fp, const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, *v;
	size_t cap = 0;

	snprintf(fp->microcode, sizeof(fp->microcode), "unknown");
	if (!f)
		return;
	while (getline(&line, &cap, f) >= 0) {
		if ((v = cpuinfo_value(line, "microcode")))
			snprintf(fp->microcode, sizeof(fp->microcode), "%s", v);
		else if ((v = cpuinfo_value(line, "flags")) && !fp->cpuinfo_flags)
			fp->cpuinfo_flags = strdup(v);
		if (!*line || *line == '\n')
			if (fp->cpuinfo_flags)
				break;	/* end of the first CPU */
	}
	free(line);
	fclose(f);
}

static void read_params(struct fp_module *m, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d)) && m->nparams < FP_MAX_PARAMS) {
		struct fp_param *p = &m->params[m->nparams];
		char path[512];
		FILE *f;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;	/* some parameters are root-only */
		if (fgets(p->value, sizeof(p->value), f)) {
			trim(p->value);
			snprintf(p->name, sizeof(p->name), "%.*s",
				 (int)sizeof(p->name) - 1, de->d_name);
			m->nparams++;
		}
		fclose(f);
	}
	closedir(d);
}

static int param_cmp(const void *a, const void *b)
{
	return strcmp(((const struct fp_param *)a)->name,
		      ((const struct fp_param *)b)->name);
}

static void read_modules(struct host_fingerprint *fp, const char *sysfs)
{
	for (unsigned int i = 0; i < FP_MAX_MODULES; i++) {
		struct fp_module *m = &fp->modules[fp->nmodules];
		char dir[256];
		DIR *d;

		snprintf(dir, sizeof(dir), "%s/%s", sysfs, kvm_modules[i]);
		d = opendir(dir);
		if (!d)
			continue;
		closedir(d);
		memset(m, 0, sizeof(*m));
		snprintf(m->name, sizeof(m->name), "%s", kvm_modules[i]);
		snprintf(dir, sizeof(dir), "%s/%s/parameters", sysfs, kvm_modules[i]);
		read_params(m, dir);
		qsort(m->params, m->nparams, sizeof(m->params[0]), param_cmp);
		fp->nmodules++;
	}
}

/* Displayed family/model/stepping from leaf 1 EAX (SDM vol. 2A, CPUID). */
static void decode_fms(struct host_fingerprint *fp)
{
	struct kvm_cpuid_entry2 *e = cpuid_find(fp->cpuid, 1, 0);
	uint32_t a = e ? e->eax : 0, fam = (a >> 8) & 0xf, mod = (a >> 4) & 0xf;

	fp->stepping = a & 0xf;
	fp->family = fam == 0xf ? fam + ((a >> 20) & 0xff) : fam;
	fp->model = (fam == 6 || fam == 0xf) ? mod | ((a >> 16) & 0xf) << 4 : mod;
}

static struct kvm_cpuid2 *cpuid_copy(const struct kvm_cpuid2 *c)
{
	struct kvm_cpuid2 *n = cpuid2_alloc(c->nent);

	if (n)
		memcpy(n->entries, c->entries, c->nent * sizeof(c->entries[0]));
	return n;
}

static void read_kvm(struct host_fingerprint *fp, const char *device)
{
	struct kvm_sys kvm;

	if (kvm_sys_open(&kvm, device)) {
		snprintf(fp->kvm_error, sizeof(fp->kvm_error), "%s", err_msg());
		return;
	}
	fp->kvm_cpuid = cpuid_copy(kvm.supported);
	cpuid_clear_cpu_ids(fp->kvm_cpuid);	/* KVM passes leaf 1's APIC ID through */
	fp->kvm_available = fp->kvm_cpuid != NULL;
	fp->backend = kvm.kind;
	kvm_sys_close(&kvm);
}

int fingerprint_collect(struct host_fingerprint *fp, const struct fp_paths *paths)
{
	const char *cpuinfo = paths && paths->cpuinfo ? paths->cpuinfo : HOST_CPUINFO_PATH;
	const char *sysfs = paths && paths->sysfs_module ? paths->sysfs_module : "/sys/module";
	const char *dev = paths && paths->kvm_device ? paths->kvm_device : KVM_DEFAULT_DEVICE;

	memset(fp, 0, sizeof(*fp));
	fp->backend = -1;
	if (gethostname(fp->hostname, sizeof(fp->hostname) - 1))
		snprintf(fp->hostname, sizeof(fp->hostname), "unknown");
	host_info_read(&fp->info, cpuinfo);
	read_cpuinfo(fp, cpuinfo);
	read_modules(fp, sysfs);
	fp->cpuid = host_cpuid_read();
	if (!fp->cpuid)
		return -1;
	/* a fingerprint describes the host, whichever CPU ran this */
	cpuid_clear_cpu_ids(fp->cpuid);
	decode_fms(fp);
	fp->xcr0 = host_xcr0(fp->cpuid);
	host_usable_features(&fp->cpu_features, fp->cpuid, fp->xcr0);
	read_kvm(fp, dev);
	if (fp->backend < 0)
		fp->backend = kvm_detect_backend(sysfs);
	featureset_from_cpuid(&fp->kvm_features, fp->kvm_cpuid);
	fp->guest_from_kvm = fp->kvm_available && fp->backend != BACKEND_KVM_PVM;
	fp->guest_features = fp->guest_from_kvm ? fp->kvm_features : fp->cpu_features;
	if (fp->kvm_available) {
		guest_caps_verify(&fp->verify_features, &fp->verify_refused, fp->backend,
				  &fp->kvm_features, &fp->cpu_features);
		guest_caps_qemu(&fp->qemu_features, &fp->kvm_features);
	}
	return 0;
}

/* The value of the first "KEY : value" line of @text, to its line's end, malloc'ed; NULL if none. */
static char *text_value(const char *text, const char *key)
{
	for (const char *line = text; line && *line; ) {
		const char *v = cpuinfo_line_value(line, key);

		if (v) {
			char *s = strndup(v, strcspn(v, "\r\n"));

			if (s)
				trim(s);
			return s;
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return NULL;
}

static uint32_t text_number(const char *text, const char *key)
{
	char *v = text_value(text, key);
	uint32_t n = v ? (uint32_t)strtoul(v, NULL, 0) : 0;

	free(v);
	return n;
}

int fingerprint_from_cpuinfo(struct host_fingerprint *fp, const char *path)
{
	struct host_fp h;
	char *text, *mc;
	size_t len;
	int lscpu;

	memset(fp, 0, sizeof(*fp));
	fp->backend = -1;
	fp->cpuinfo_file = path;
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
	fp->family = h.family;
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
	fp->guest_unknown = h.unknown;
	return 0;
}

void fingerprint_free(struct host_fingerprint *fp)
{
	free(fp->cpuid);
	free(fp->kvm_cpuid);
	free(fp->cpuinfo_flags);
	fp->cpuid = fp->kvm_cpuid = NULL;
	fp->cpuinfo_flags = NULL;
}

/* ----------------------------------------------------------------- JSON */

static json_t *jhex(uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
	return json_string(buf);
}

static json_t *cpuid_json(const struct kvm_cpuid2 *c)
{
	json_t *a;

	if (!c)
		return json_null();
	a = json_array();
	for (unsigned int i = 0; a && i < c->nent; i++) {
		const struct kvm_cpuid_entry2 *e = &c->entries[i];

		json_array_append_new(a, json_pack("{s:o,s:o,s:o,s:o,s:o,s:o}",
			"leaf", jhex(e->function), "subleaf", jhex(e->index),
			"eax", jhex(e->eax), "ebx", jhex(e->ebx),
			"ecx", jhex(e->ecx), "edx", jhex(e->edx)));
	}
	return a;
}

static json_t *features_json(const featureset_t *fs)
{
	json_t *a = json_array();

	for (int i = featureset_next(fs, -1); a && i >= 0; i = featureset_next(fs, i))
		json_array_append_new(a, json_string(features[i].name));
	return a;
}

static json_t *words_json(const char *s)
{
	json_t *a = json_array();
	char *copy = s ? strdup(s) : NULL, *save = NULL;

	for (char *w = copy ? strtok_r(copy, " ", &save) : NULL; a && w;
	     w = strtok_r(NULL, " ", &save))
		json_array_append_new(a, json_string(w));
	free(copy);
	return a;
}

static json_t *modules_json(const struct host_fingerprint *fp)
{
	json_t *mods = json_object();

	for (unsigned int i = 0; mods && i < fp->nmodules; i++) {
		const struct fp_module *m = &fp->modules[i];
		json_t *p = json_object();

		for (unsigned int k = 0; p && k < m->nparams; k++)
			json_object_set_new(p, m->params[k].name,
					    json_string(m->params[k].value));
		json_object_set_new(mods, m->name, p);
	}
	return mods;
}

/* @fs as names, or null when KVM could not be asked. */
static json_t *answer_json(const struct host_fingerprint *fp, const featureset_t *fs)
{
	return fp->kvm_available ? features_json(fs) : json_null();
}

json_t *fingerprint_to_json(const struct host_fingerprint *fp, json_t *models,
			    json_t *qemu_models)
{
	const char *backend = fp->backend >= 0 ? backend_kind_name(fp->backend) : NULL;

	return json_pack("{s:i,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:i,s:i,s:s?,"
			 "s:{s:b,s:s?,s:o},s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:s,"
			 "s:s,s:s,s:o,s:o,s:o,s:s?,s:o,s:o,s:o}",
		"cpubench_fingerprint", FP_FORMAT_VERSION,
		"cpubench_version", CPUBENCH_VERSION,
		"hostname", fp->hostname,
		"vendor", fp->info.vendor,
		"model_name", fp->info.model_name,
		"microcode", fp->microcode,
		"kernel", fp->info.kernel,
		"family", (int)fp->family, "model", (int)fp->model,
		"stepping", (int)fp->stepping,
		"backend", backend,
		"kvm", "available", fp->kvm_available,
		"error", fp->kvm_error[0] ? fp->kvm_error : NULL,
		"modules", modules_json(fp),
		"xcr0", jhex(fp->xcr0),
		"cpuid", cpuid_json(fp->cpuid),
		"kvm_supported_cpuid", cpuid_json(fp->kvm_cpuid),
		"cpuinfo_flags", words_json(fp->cpuinfo_flags),
		"cpu_features", features_json(&fp->cpu_features),
		"kvm_features", features_json(&fp->kvm_features),
		"guest_features", features_json(&fp->guest_features),
		"guest_features_from", fp->guest_from_kvm ? "kvm" : "cpu",
		"x86_64_level", x86_level_name(x86_level_of(&fp->cpu_features)),
		"guest_x86_64_level", x86_level_name(x86_level_of(&fp->guest_features)),
		"verify_features", answer_json(fp, &fp->verify_features),
		"verify_refused", features_json(&fp->verify_refused),
		"qemu_features", answer_json(fp, &fp->qemu_features),
		"cpuinfo_file", fp->cpuinfo_file,
		"guest_features_unknown", features_json(&fp->guest_unknown),
		"models", models ? models : json_null(),
		"qemu_models", qemu_models ? qemu_models : json_null());
}

/* -------------------------------------------------------------- reading */

/*
 * Copies string member @key, if present and not empty, as printable ASCII:
 * other bytes (a JSON "\n" or "\u001b" included) become '?', so that a
 * name never breaks a report's or an error's line.
 */
static void copy_str(char *out, size_t len, json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));
	size_t i;

	if (!s || !*s)
		return;
	for (i = 0; s[i] && i < len - 1; i++)
		out[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	out[i] = '\0';
}

int fingerprint_parse(const char *file, const char *text, size_t len,
		      struct host_fp *out)
{
	json_error_t jerr;
	json_t *root = json_loadb(text, len, 0, &jerr), *feats, *v;
	char vendor[13] = "";
	size_t i;

	if (!root)
		return err_set("%s:%d: invalid JSON (%s): give a file written by 'cpubench host --save'",
			       file, jerr.line, jerr.text);
	feats = json_object_get(root, "guest_features");
	if (!json_is_object(root) || !json_is_array(feats)) {
		json_decref(root);
		return err_set("%s: not a cpubench fingerprint (no 'guest_features' array): write one with 'cpubench host --save FILE'",
			       file);
	}
	out->format = HOST_FP_FINGERPRINT;
	snprintf(out->model_name, sizeof(out->model_name), HOST_FP_UNKNOWN);
	copy_str(out->name, sizeof(out->name), root, "hostname");
	copy_str(vendor, sizeof(vendor), root, "vendor");
	copy_str(out->model_name, sizeof(out->model_name), root, "model_name");
	host_fp_set_vendor(out, vendor, "vendor");
	v = json_object_get(root, "family");
	out->family = json_is_integer(v) && json_integer_value(v) > 0 ?
		      (unsigned int)json_integer_value(v) : 0;
	featureset_clear(&out->features);
	featureset_clear(&out->unknown);	/* from CPUID: nothing is unknown */
	out->is_guest = false;
	out->linux_cpu = (struct linux_cpu){ vendor_from_id(out->vendor), out->family, 0 };
	json_array_foreach(feats, i, v) {
		const char *name = json_string_value(v);

		if (!name) {
			json_decref(root);
			return err_set("%s: guest_features[%zu] is not a string", file, i);
		}
		/* a newer cpubench may know features this one does not */
		featureset_add(&out->features, feature_lookup(name));
	}
	/* host --cpuinfo: what that file's flags could not tell */
	json_array_foreach(json_object_get(root, "guest_features_unknown"), i, v)
		if (json_string_value(v))
			featureset_add(&out->unknown, feature_lookup(json_string_value(v)));
	json_decref(root);
	return 0;
}
