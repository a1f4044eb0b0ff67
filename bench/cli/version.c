// SPDX-License-Identifier: GPL-2.0-only
/*
 * `cpubench --version`: the release, and the QEMU releases (or source
 * commits) the built-in models were imported from, read from the
 * "provenance:" line `cpubench import` writes in each mask file, so that
 * the answer follows the catalog when masks/ is imported again.
 */
#include <string.h>

#include "catalog/mask.h"
#include "cli/cmd.h"
#include "cli/commands.h"

#define SOURCES_MAX	8

struct source {
	char label[64];		/* "QEMU 7.2.22", "QEMU source 0048035a8703" */
	unsigned int models;
};

/* The source the provenance value @p names in @label, or -1 for none of QEMU's. */
static int provenance_source(const char *p, char *label, size_t size)
{
	static const char src[] = "QEMU source, commit ";

	if (!strncmp(p, src, sizeof(src) - 1)) {
		snprintf(label, size, "QEMU source %.12s", p + sizeof(src) - 1);
		return 0;
	}
	if (strncmp(p, "QEMU ", 5) || p[5] < '0' || p[5] > '9')
		return -1;
	snprintf(label, size, "QEMU %.*s", (int)strcspn(p + 5, " ,\n"), p + 5);
	return 0;
}

void cli_version_print(FILE *out)
{
	static const char key[] = "\nprovenance: ";
	struct source s[SOURCES_MAX];
	unsigned int n = 0;
	char label[64];

	for (unsigned int i = 0; i < mask_nbuiltin; i++) {
		const char *p = strstr(mask_builtin[i].text, key);
		unsigned int k = 0;

		if (!p || provenance_source(p + sizeof(key) - 1, label, sizeof(label)))
			continue;
		while (k < n && strcmp(s[k].label, label))
			k++;
		if (k == n) {
			if (n == SOURCES_MAX)
				continue;
			snprintf(s[n++].label, sizeof(s[0].label), "%s", label);
			s[k].models = 0;
		}
		s[k].models++;
	}
	fprintf(out, "cpubench %s", CPUBENCH_VERSION);
	for (unsigned int k = 0; k < n; k++)
		fprintf(out, "%s%u models from %s", k ? ", " : " (catalog: ", s[k].models,
			s[k].label);
	fputs(n ? ")\n" : "\n", out);
}
