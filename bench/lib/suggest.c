// SPDX-License-Identifier: GPL-2.0-only
#include "lib/suggest.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define DIST_MAXLEN 64

/* Lower case, without '.', '-', '_': "SSE4_1" and "sse41" compare equal. */
static size_t name_fold(const char *s, char *out)
{
	size_t n = 0;

	for (; *s; s++) {
		if (strchr(".-_", *s))
			continue;
		if (n == DIST_MAXLEN)
			return DIST_MAXLEN + 1;
		out[n++] = (char)tolower((unsigned char)*s);
	}
	return n;
}

unsigned int name_distance(const char *a, const char *b)
{
	char fa[DIST_MAXLEN], fb[DIST_MAXLEN];
	unsigned int row[DIST_MAXLEN + 1];
	size_t la = name_fold(a, fa), lb = name_fold(b, fb);

	if (la > DIST_MAXLEN || lb > DIST_MAXLEN)
		return 255;
	for (size_t j = 0; j <= lb; j++)
		row[j] = (unsigned int)j;
	for (size_t i = 1; i <= la; i++) {
		unsigned int diag = row[0];

		row[0] = (unsigned int)i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned int best = diag + (fa[i - 1] != fb[j - 1]);

			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = row[j];
			row[j] = best;
		}
	}
	return row[lb] > 255 ? 255 : row[lb];
}

const char *name_suggest(const char *name, const char *const *names, size_t n)
{
	unsigned int best = 255;
	const char *found = NULL;

	if (!name || !*name)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		unsigned int d;

		if (!names[i])
			continue;
		d = name_distance(name, names[i]);
		if (d < best || (d == best && found && strcmp(names[i], found) > 0)) {
			best = d;
			found = names[i];
		}
	}
	return found && name_close_enough(best, (unsigned int)strlen(name)) ? found : NULL;
}

const char *did_you_mean(char *buf, size_t size, const char *sugg)
{
	if (!sugg)
		return "";
	snprintf(buf, size, ": did you mean '%s'?", sugg);
	return buf;
}
