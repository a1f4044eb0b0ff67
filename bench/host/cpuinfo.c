// SPDX-License-Identifier: GPL-2.0-only
/*
 * Parsers of /proc/cpuinfo (whole, or only its "flags" lines) and of
 * lscpu(1) output, into a struct host_fp.
 *
 * /proc/cpuinfo prints "key<TAB...>: value" per CPU; the flags are Linux's
 * names (arch/x86/include/asm/cpufeatures.h), some of them synthetic. All
 * flags lines are intersected: a hybrid CPU whose cores differ can run a
 * guest only with what every core has. lscpu prints "Key:<spaces>value"
 * with "Flags:", "Vendor ID:" and "Model name:".
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cpu/feature.h"
#include "host/host_fp.h"
#include "lib/err.h"

#define FLAG_MAX 64

/* Linux flags whose name is no spelling of our feature's. */
static const struct {
	const char *flag, *feature;
} flag_renames[] = {
	{ "nonstop_tsc", "invtsc" },	/* 0x80000007 EDX[8] */
	{ "spec_ctrl", "spec-ctrl" },	/* 7.0 EDX[26] (IBRS/IBPB) */
};

int cpuinfo_flag_add(featureset_t *fs, const char *flag)
{
	int i;

	for (size_t k = 0; k < sizeof(flag_renames) / sizeof(flag_renames[0]); k++)
		if (!strcmp(flag, flag_renames[k].flag))
			flag = flag_renames[k].feature;
	/*
	 * Linux spellings and canonical names only: an alias may name a
	 * synthetic Linux flag of another meaning (AMD's "ibrs" is not
	 * 7.0 EDX[26]).
	 */
	for (i = 0; i < (int)nfeatures; i++) {
		const struct feature *f = &features[i];

		if ((f->cpuinfo && !strcmp(f->cpuinfo, flag)) || !strcmp(f->name, flag)) {
			featureset_add(fs, i);
			return 1;
		}
	}
	return 0;
}

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

/* Parses one flags value into @fs; errors name @file:@lineno. */
static int parse_flags(const char *file, unsigned int lineno, const char *val,
		       featureset_t *fs)
{
	unsigned int ntok = 0;

	featureset_clear(fs);
	while (*val && *val != '\n') {
		char flag[FLAG_MAX + 1];
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
			flag[n++] = *val++;
		}
		flag[n] = '\0';
		cpuinfo_flag_add(fs, flag);
		ntok++;
	}
	if (!ntok)
		return err_set("%s:%u: the flags line is empty", file, lineno);
	return 0;
}

struct keys {
	const char *flags, *vendor, *model;
};

static int parse_keyed(const char *file, const char *text, const struct keys *k,
		       enum host_fp_format format, struct host_fp *out)
{
	unsigned int lineno = 0, nflags = 0;
	const char *line = text;

	snprintf(out->vendor, sizeof(out->vendor), HOST_FP_UNKNOWN);
	snprintf(out->model_name, sizeof(out->model_name), HOST_FP_UNKNOWN);
	out->format = format;
	featureset_clear(&out->features);
	while (line && *line) {
		const char *nl = strchr(line, '\n');
		const char *v;

		lineno++;
		if ((v = cpuinfo_line_value(line, k->flags))) {
			featureset_t fs;

			if (parse_flags(file, lineno, v, &fs))
				return -1;
			if (nflags++)
				featureset_intersect(&out->features, &out->features, &fs);
			else
				out->features = fs;
		} else if (!strcmp(out->vendor, HOST_FP_UNKNOWN) &&
			   (v = cpuinfo_line_value(line, k->vendor)) && *v != '\n') {
			copy_value(out->vendor, sizeof(out->vendor), v);
		} else if (!strcmp(out->model_name, HOST_FP_UNKNOWN) &&
			   (v = cpuinfo_line_value(line, k->model)) && *v != '\n') {
			copy_value(out->model_name, sizeof(out->model_name), v);
		}
		line = nl ? nl + 1 : NULL;
	}
	if (!nflags)
		return err_set("%s: no '%s' line: give /proc/cpuinfo, its flags line, lscpu output or a 'cpubench host --save' file",
			       file, k->flags);
	return 0;
}

int cpuinfo_parse(const char *file, const char *text, struct host_fp *out)
{
	static const struct keys k = { "flags", "vendor_id", "model name" };

	return parse_keyed(file, text, &k, HOST_FP_CPUINFO, out);
}

int lscpu_parse(const char *file, const char *text, struct host_fp *out)
{
	static const struct keys k = { "Flags", "Vendor ID", "Model name" };

	return parse_keyed(file, text, &k, HOST_FP_LSCPU, out);
}
