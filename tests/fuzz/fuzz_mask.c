// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzzes mask files (bench/catalog/mask.c): the input is one or more mask files
 * separated by lines "---"; each is parsed alone with mask_parse_text(),
 * then all together form a catalog that mask_resolve_sources() resolves
 * (inheritance chains, loops, unknown parents, duplicates) under the name
 * each file declares.
 */
#include "catalog/mask.h"
#include "fuzz.h"

#define MAX_FILES 8

/* Splits @text in place at "\n---\n"; returns the number of parts. */
static unsigned int split_files(char *text, char **parts)
{
	unsigned int n = 0;
	char *s = text;

	parts[n++] = s;
	while (n < MAX_FILES && (s = strstr(s, "\n---\n"))) {
		*s = '\0';
		s += 5;
		parts[n++] = s;
	}
	return n;
}

static void check_mask(const struct mask *m)
{
	featureset_t both;

	FUZZ_ASSERT(memchr(m->name, '\0', sizeof(m->name)));
	FUZZ_ASSERT(memchr(m->description, '\0', sizeof(m->description)));
	/* added = features - inherited */
	featureset_intersect(&both, &m->added, &m->inherited);
	FUZZ_ASSERT(featureset_empty(&both));
	featureset_intersect(&both, &m->added, &m->features);
	FUZZ_ASSERT(featureset_equal(&both, &m->added));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[MAX_FILES] = {
		"m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7",
	};
	struct mask_source src[MAX_FILES];
	struct mask_file mf;
	struct mask m;
	featureset_t host = { { 0 } };
	char *parts[MAX_FILES];
	char *text = fuzz_text(data, size);
	unsigned int n = split_files(text, parts);

	featureset_add(&host, 0);
	for (unsigned int i = 0; i < n; i++) {
		src[i] = (struct mask_source){ .file = names[i], .text = parts[i] };
		if (mask_parse_text(names[i], parts[i], &mf)) {
			FUZZ_ASSERT_ERROR();
			continue;
		}
		FUZZ_ASSERT(mf.name[0]);
		/* a parsed file resolves, or fails with one line */
		if (mask_resolve_sources(mf.name, src, i + 1, &host, &m))
			FUZZ_ASSERT_ERROR();
		else
			check_mask(&m);
	}
	/* the whole catalog, resolved under the first file's name */
	if (!mask_parse_text(names[0], parts[0], &mf)) {
		if (mask_resolve_sources(mf.name, src, n, &host, &m))
			FUZZ_ASSERT_ERROR();
		else
			check_mask(&m);
	}
	free(text);
	return 0;
}
