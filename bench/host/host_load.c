// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host inputs: read a file, refuse what is not text, detect its format.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/linux_flags.h"
#include "cpu/vendor.h"
#include "host/host_fp.h"
#include "lib/err.h"
#include "lib/file_read.h"
#include "lib/text_check.h"

const char *host_fp_format_name(enum host_fp_format f)
{
	switch (f) {
	case HOST_FP_FINGERPRINT:
		return "fingerprint";
	case HOST_FP_CPUINFO:
		return "cpuinfo";
	default:
		return "lscpu";
	}
}

/* Whether some line starts with "@key<blanks>:". */
static bool has_key_line(const char *text, const char *key)
{
	size_t n = strlen(key);

	for (const char *line = text; line; ) {
		if (!strncmp(line, key, n)) {
			const char *p = line + n;

			while (*p == ' ' || *p == '\t')
				p++;
			if (*p == ':')
				return true;
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return false;
}

/* The file name without directory and extension: a host's default name. */
static void name_from_path(char *out, size_t len, const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strcspn(base, ".");
	if (!n)
		n = strlen(base);
	snprintf(out, len, "%.*s", (int)n, base);
}

void host_fp_set_vendor(struct host_fp *h, const char *vendor_id, const char *key)
{
	enum cpu_vendor v = vendor_from_id(vendor_id);
	bool named = strcmp(h->model_name, HOST_FP_UNKNOWN) != 0;

	if (vendor_id && !strcmp(vendor_id, HOST_FP_UNKNOWN))
		vendor_id = NULL;	/* a fingerprint of a CPU of no known vendor */

	if (v != VENDOR_UNKNOWN) {
		snprintf(h->vendor_from, sizeof(h->vendor_from), "%s", key);
	} else if (named && (v = vendor_from_brand(h->model_name)) != VENDOR_UNKNOWN) {
		snprintf(h->vendor_from, sizeof(h->vendor_from), "the model name");
	} else if (vendor_id && *vendor_id) {
		snprintf(h->vendor_from, sizeof(h->vendor_from),
			 "unknown: '%.12s' is no vendor cpubench knows", vendor_id);
	} else {
		snprintf(h->vendor_from, sizeof(h->vendor_from), "unknown: no %s line, and %s",
			 key, named ? "the model name names no vendor" : "no model name");
	}
	snprintf(h->vendor, sizeof(h->vendor), "%s", vendor_id_string(v));
}

/* What a guest gets on any KVM host counts as the host's. */
static int finish(int ret, struct host_fp *out)
{
	featureset_t always;

	if (ret)
		return ret;
	linux_guest_always(&always);
	featureset_union(&out->features, &out->features, &always);
	featureset_diff(&out->unknown, &out->unknown, &out->features);
	return 0;
}

int host_fp_parse(const char *file, const char *text, size_t len,
		  struct host_fp *out)
{
	size_t i = 0;

	memset(out, 0, sizeof(*out));
	snprintf(out->source, sizeof(out->source), "%s", file);
	name_from_path(out->name, sizeof(out->name), file);
	while (i < len && strchr(" \t\r\n", text[i]))
		i++;
	if (i == len)
		return err_set("%s: empty file: give /proc/cpuinfo, lscpu output or a 'cpubench host --save' file",
			       file);
	if (text_check(file, text, len, "/proc/cpuinfo, lscpu output or a 'cpubench host --save' file"))
		return -1;
	if (text[i] == '{')
		return finish(fingerprint_parse(file, text, len, out), out);
	if (has_key_line(text, "Flags"))
		return finish(lscpu_parse(file, text, out), out);
	return finish(cpuinfo_parse(file, text, out), out);
}

int host_fp_load(const char *path, struct host_fp *out)
{
	char *buf;
	size_t len;
	int ret;

	if (file_read_text(path, HOST_FP_FILE_MAX,
			   "a host description (/proc/cpuinfo, lscpu output or a 'cpubench host --save' file)",
			   &buf, &len))
		return -1;
	ret = host_fp_parse(path, buf, len, out);
	free(buf);
	return ret;
}
