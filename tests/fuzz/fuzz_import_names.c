// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzzes the importers' name checks (bench/import/names.c), what stands
 * between a model name from QEMU or libvirt's XML and a file name: the
 * input is one model per line, "NAME" or "NAME<TAB>PARENT" (at most 64).
 * Whatever the bytes, import_names_check() either fails with one line, or
 * accepts only what is safe to write: valid mask names, no two alike
 * without regard to case, every parent defined, no loop.
 */
#include <stdbool.h>
#include <strings.h>

#include "catalog/mask_file.h"
#include "fuzz.h"
#include "import/names.h"

#define MAX_MODELS 64

/* Whether following parents from @i ends (at a root) within @n steps. */
static bool ends(const struct import_name *v, unsigned int n, unsigned int i)
{
	for (unsigned int step = 0; step <= n; step++) {
		unsigned int k;

		if (!v[i].parent)
			return true;
		for (k = 0; k < n && strcmp(v[k].name, v[i].parent); k++)
			;
		FUZZ_ASSERT(k < n);	/* every parent defined */
		i = k;
	}
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct import_name v[MAX_MODELS];
	char *text = fuzz_text(data, size), *s = text;
	unsigned int n = 0;

	while (s && n < MAX_MODELS) {
		char *nl = strchr(s, '\n'), *tab;

		if (nl)
			*nl = '\0';
		tab = strchr(s, '\t');
		if (tab)
			*tab = '\0';
		v[n++] = (struct import_name){ s, tab ? tab + 1 : NULL, "fuzz" };
		s = nl ? nl + 1 : NULL;
	}
	/* one name alone, as an importer checks it when reading */
	err_clear();
	if (import_name_check("fuzz", v[0].name, strlen("libvirt-")))
		FUZZ_ASSERT_ERROR();
	else
		FUZZ_ASSERT(strlen(v[0].name) <= MASK_NAME_MAX - 1 - strlen("libvirt-") &&
			    mask_name_valid(v[0].name));
	err_clear();
	if (import_names_check(v, n)) {
		FUZZ_ASSERT_ERROR();
	} else {
		for (unsigned int i = 0; i < n; i++) {
			FUZZ_ASSERT(mask_name_valid(v[i].name));
			FUZZ_ASSERT(!v[i].parent || !*v[i].parent || mask_name_valid(v[i].parent));
			for (unsigned int k = i + 1; k < n; k++)
				FUZZ_ASSERT(strcasecmp(v[i].name, v[k].name));
			if (v[i].parent && !*v[i].parent)
				v[i].parent = NULL;
		}
		for (unsigned int i = 0; i < n; i++)
			FUZZ_ASSERT(ends(v, n, i));
	}
	free(text);
	return 0;
}
