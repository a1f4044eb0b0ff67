// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host inputs: read a file, refuse what is not text, detect its format.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
		return fingerprint_parse(file, text, len, out);
	if (has_key_line(text, "Flags"))
		return lscpu_parse(file, text, out);
	return cpuinfo_parse(file, text, out);
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
