// SPDX-License-Identifier: GPL-2.0-only
/* Checking imported model names before anything is written (names.h). */
#include "import/names.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "catalog/mask_file.h"
#include "lib/err.h"

int import_name_check(const char *origin, const char *name, size_t prefix_len)
{
	size_t max = MASK_NAME_MAX - 1 - prefix_len;

	/* a name of at most max characters is a mask name with any prefix */
	if (strlen(name) <= max && mask_name_valid(name))
		return 0;
	/* %.80s: the message stays one readable line; err_set() escapes it */
	return err_set("%s: model name '%.80s%s' cannot name a mask file: it must be 1 to "
		       "%zu letters, digits, '.', '_' or '-', not starting with '.'",
		       origin, name, strlen(name) > 80 ? "..." : "", max);
}

static int cmp_index(const void *a, const void *b, void *names)
{
	const struct import_name *v = names;

	return strcasecmp(v[*(const unsigned int *)a].name, v[*(const unsigned int *)b].name);
}

/* The index of @name in @v by @order (sorted without case), or -1. */
static int find(const struct import_name *v, const unsigned int *order,
		unsigned int n, const char *name)
{
	unsigned int lo = 0, hi = n;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;
		int c = strcasecmp(name, v[order[mid]].name);

		if (!c) {
			/* equal without case; the check above left one per name */
			return strcmp(name, v[order[mid]].name) ? -1 : (int)order[mid];
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

static bool has_parent(const struct import_name *e)
{
	return e->parent && e->parent[0];
}

/* Names, then no two alike: sorted without case, neighbours compared. */
static int check_names(const struct import_name *v, unsigned int *order, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		if (import_name_check(v[i].origin, v[i].name, 0) ||
		    (has_parent(&v[i]) && import_name_check(v[i].origin, v[i].parent, 0)))
			return -1;
		order[i] = i;
	}
	qsort_r(order, n, sizeof(*order), cmp_index, (void *)v);
	for (unsigned int i = 1; i < n; i++) {
		const struct import_name *a = &v[order[i - 1]], *b = &v[order[i]];

		if (strcasecmp(a->name, b->name))
			continue;
		if (!strcmp(a->name, b->name))
			return err_set("%s and %s both define model '%s': remove one",
				       a->origin, b->origin, a->name);
		return err_set("%s: model '%s' and %s: model '%s' differ only in case: "
			       "one file on a case-insensitive filesystem; rename one",
			       a->origin, a->name, b->origin, b->name);
	}
	return 0;
}

/* Every parent defined; no chain comes back to where it passed. */
static int check_parents(const struct import_name *v, const unsigned int *order,
			 unsigned int n)
{
	unsigned int *walk = calloc(n ? n : 1, sizeof(*walk));	/* 0: not yet */

	if (!walk)
		return err_set("out of memory");
	for (unsigned int i = 0; i < n; i++) {
		unsigned int k = i;

		/* walk up; walk[k] == i + 1: met on this walk, a loop */
		while (!walk[k]) {
			int p;

			walk[k] = i + 1;
			if (!has_parent(&v[k]))
				break;
			p = find(v, order, n, v[k].parent);
			if (p < 0) {
				free(walk);
				return err_set("%s: model '%s' inherits '%s', which this import "
					       "does not define", v[k].origin, v[k].name,
					       v[k].parent);
			}
			k = (unsigned int)p;
			if (walk[k] == i + 1) {
				free(walk);
				return err_set("%s: model '%s' inherits itself (through '%s')",
					       v[k].origin, v[k].name, v[k].parent);
			}
		}
	}
	free(walk);
	return 0;
}

int import_names_check(const struct import_name *v, unsigned int n)
{
	unsigned int *order = malloc((n ? n : 1) * sizeof(*order));
	int ret;

	if (!order)
		return err_set("out of memory");
	ret = check_names(v, order, n) || check_parents(v, order, n) ? -1 : 0;
	free(order);
	return ret;
}
