// SPDX-License-Identifier: GPL-2.0-only
/*
 * Parsers of /proc/cpuinfo (whole, or only its "flags" lines) and of
 * lscpu(1) output, into a struct host_fp.
 *
 * /proc/cpuinfo prints "key<TAB...>: value" per CPU; lscpu prints
 * "Key:<spaces>value". The flags are Linux's names, read as CPUID
 * features for the CPU's vendor and family (cpu/linux_flags.h): what no
 * flag can show is "unknown", never "missing". All flags lines are
 * intersected: a hybrid CPU whose cores differ can run a guest only with
 * what every core has. The "bugs" line and the flags date the kernel,
 * whose age decides whether a missing speculation flag means anything.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/feature.h"
#include "cpu/linux_flags.h"
#include "host/host_fp.h"
#include "lib/err.h"

#define FLAG_MAX 64

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/*
 * If the line at @line is "KEY<blanks>:..." (@key compared exactly),
 * returns the value after ':' and leading blanks; else NULL.
 */
const char *cpuinfo_line_value(const char *line, const char *key)
{
	size_t n = strlen(key);

	if (strncmp(line, key, n))
		return NULL;
	line += n;
	while (is_blank(*line))
		line++;
	if (*line != ':')
		return NULL;
	line++;
	while (is_blank(*line))
		line++;
	return line;
}

/* Copies the value up to end of line, trimmed and printable, into @out. */
static void copy_value(char *out, size_t len, const char *val)
{
	size_t n = strcspn(val, "\n");

	while (n && is_blank(val[n - 1]))
		n--;
	if (n > len - 1)
		n = len - 1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)val[i];

		out[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	out[n] = '\0';
}

static bool flag_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
}

/*
 * Calls @fn for each word of the value at @val (flags or bugs). Errors
 * name @file:@lineno; an empty list is one when @need.
 */
static int for_each_word(const char *file, unsigned int lineno, const char *val,
			 bool need, void (*fn)(const char *, void *), void *ctx)
{
	unsigned int ntok = 0;

	while (*val && *val != '\n') {
		char word[FLAG_MAX + 1];
		size_t n = 0;

		while (is_blank(*val))
			val++;
		if (!*val || *val == '\n')
			break;
		while (*val && *val != '\n' && !is_blank(*val)) {
			if (!flag_char_ok(*val))
				return err_set("%s:%u: unexpected character 0x%02x in the flags list: give /proc/cpuinfo or lscpu output as Linux prints it",
					       file, lineno, (unsigned char)*val);
			if (n == FLAG_MAX)
				return err_set("%s:%u: a flag longer than %d characters: not a cpuinfo flags list",
					       file, lineno, FLAG_MAX);
			word[n++] = *val++;
		}
		word[n] = '\0';
		fn(word, ctx);
		ntok++;
	}
	if (need && !ntok)
		return err_set("%s:%u: the flags line is empty", file, lineno);
	return 0;
}

struct flags_ctx {
	struct linux_cpu *cpu;
	featureset_t fs;
};

/* Raises the kernel's known age to what printing @name needs. */
static void date_kernel(const char *name, void *ctx)
{
	struct linux_cpu *cpu = ctx;
	unsigned int v = linux_name_since(name);

	if (v > cpu->kernel)
		cpu->kernel = v;
}

static void add_flag(const char *flag, void *ctx)
{
	struct flags_ctx *c = ctx;

	featureset_add(&c->fs, linux_flag_feature(flag, c->cpu));
	date_kernel(flag, c->cpu);
}

struct keys {
	const char *flags, *vendor, *model, *family, *bugs;
};

/* Whether @line's key is @key with a non-empty value; the value in *@v. */
static bool keyed(const char *line, const char *key, const char **v)
{
	return key && (*v = cpuinfo_line_value(line, key)) && **v && **v != '\n';
}

/* The first vendor, model name and family lines, and every bugs line. */
static int read_identity(const char *file, const char *text, const struct keys *k,
			 struct host_fp *out, char *vendor_id, struct linux_cpu *cpu)
{
	unsigned int lineno = 0;

	for (const char *line = text; line && *line; ) {
		const char *nl = strchr(line, '\n');
		const char *v;

		lineno++;
		if (!*vendor_id && keyed(line, k->vendor, &v))
			copy_value(vendor_id, 13, v);
		else if (!strcmp(out->model_name, HOST_FP_UNKNOWN) && keyed(line, k->model, &v))
			copy_value(out->model_name, sizeof(out->model_name), v);
		else if (!out->family && keyed(line, k->family, &v))
			out->family = (unsigned int)strtoul(v, NULL, 10);
		else if (keyed(line, k->bugs, &v) &&
			 for_each_word(file, lineno, v, false, date_kernel, cpu))
			return -1;
		line = nl ? nl + 1 : NULL;
	}
	return 0;
}

/* Reads what the flags cannot tell, and what every guest gets anyway. */
static void classify(struct host_fp *out, const struct linux_cpu *cpu)
{
	featureset_clear(&out->unknown);
	out->is_guest = featureset_has(&out->features, feature_lookup("hypervisor"));
	for (unsigned int f = 0; f < nfeatures; f++)
		if (!featureset_has(&out->features, (int)f) &&
		    linux_feature_view((int)f, cpu, NULL) == LINUX_HIDDEN)
			featureset_add(&out->unknown, (int)f);
}

static int parse_keyed(const char *file, const char *text, const struct keys *k,
		       enum host_fp_format format, struct host_fp *out)
{
	struct linux_cpu cpu = { 0 };
	char vendor_id[13] = "";
	unsigned int lineno = 0, nflags = 0;

	snprintf(out->model_name, sizeof(out->model_name), HOST_FP_UNKNOWN);
	out->format = format;
	out->family = 0;
	featureset_clear(&out->features);
	if (read_identity(file, text, k, out, vendor_id, &cpu))
		return -1;
	host_fp_set_vendor(out, vendor_id, k->vendor);
	cpu.vendor = vendor_from_id(out->vendor);
	cpu.family = out->family;
	for (const char *line = text; line && *line; ) {
		const char *nl = strchr(line, '\n');
		const char *v;

		lineno++;
		if ((v = cpuinfo_line_value(line, k->flags))) {
			struct flags_ctx c = { &cpu, { { 0 } } };

			if (for_each_word(file, lineno, v, true, add_flag, &c))
				return -1;
			if (nflags++)
				featureset_intersect(&out->features, &out->features, &c.fs);
			else
				out->features = c.fs;
		}
		line = nl ? nl + 1 : NULL;
	}
	if (!nflags)
		return err_set("%s: no '%s' line: give /proc/cpuinfo, its flags line, lscpu output or a 'cpubench host --save' file",
			       file, k->flags);
	classify(out, &cpu);
	out->linux_cpu = cpu;
	return 0;
}

int cpuinfo_parse(const char *file, const char *text, struct host_fp *out)
{
	static const struct keys k = { "flags", "vendor_id", "model name", "cpu family", "bugs" };

	return parse_keyed(file, text, &k, HOST_FP_CPUINFO, out);
}

int lscpu_parse(const char *file, const char *text, struct host_fp *out)
{
	static const struct keys k = { "Flags", "Vendor ID", "Model name", "CPU family", NULL };

	return parse_keyed(file, text, &k, HOST_FP_LSCPU, out);
}
