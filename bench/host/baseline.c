// SPDX-License-Identifier: GPL-2.0-only
/* Catalog models against host feature sets (see baseline.h). */
#include "host/baseline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/x86_level.h"
#include "lib/err.h"

#define LEVEL_PREFIX	"x86-64-"

static bool name_is_neutral(const char *name)
{
	static const char *const generic[] = { "qemu64", "kvm64", "qemu32", "kvm32" };

	for (size_t i = 0; i < sizeof(generic) / sizeof(generic[0]); i++)
		if (!strcmp(name, generic[i]))
			return true;
	return false;
}

static int rank_key(const struct model *m)
{
	return x86_level_of(&m->features) * 1000 + (int)featureset_count(&m->features);
}

static int model_cmp(const void *pa, const void *pb)
{
	const struct model *a = pa, *b = pb;

	if ((a->level_rank >= 0) != (b->level_rank >= 0))
		return a->level_rank >= 0 ? -1 : 1;
	if (a->level_rank >= 0 && rank_key(a) != rank_key(b))
		return rank_key(a) - rank_key(b);
	return strcmp(a->name, b->name);
}

int model_catalog_load(const char *extra_dir, struct model_catalog *cat)
{
	featureset_t none = { { 0 } };
	char **names;
	int n = mask_list(extra_dir, &names);

	memset(cat, 0, sizeof(*cat));
	if (n < 0)
		return -1;
	cat->m = calloc(n ? (size_t)n : 1, sizeof(*cat->m));
	if (!cat->m) {
		mask_list_free(names, n);
		return err_set("out of memory");
	}
	for (int i = 0; i < n; i++) {
		struct model *m = &cat->m[cat->n];
		struct mask mask;

		if (!strcmp(names[i], MASK_HOST))
			continue;
		if (mask_resolve(names[i], extra_dir, &none, &mask)) {
			mask_list_free(names, n);
			model_catalog_free(cat);
			return -1;
		}
		snprintf(m->name, sizeof(m->name), "%s", mask.name);
		m->identity = mask.identity;
		m->features = mask.features;
		m->level_rank = strncmp(m->name, LEVEL_PREFIX, strlen(LEVEL_PREFIX)) ? -1 : 0;
		m->neutral = m->level_rank >= 0 || !m->identity.set ||
			     name_is_neutral(m->name);
		cat->nlevels += m->level_rank >= 0;
		cat->n++;
	}
	mask_list_free(names, n);
	qsort(cat->m, cat->n, sizeof(*cat->m), model_cmp);
	for (unsigned int i = 0; i < cat->nlevels; i++)
		cat->m[i].level_rank = (int)i;
	return 0;
}

void model_catalog_free(struct model_catalog *cat)
{
	free(cat->m);
	memset(cat, 0, sizeof(*cat));
}

unsigned int model_missing(const struct model *m, const featureset_t *fs,
			   featureset_t *missing)
{
	featureset_diff(missing, &m->features, fs);
	return featureset_count(missing);
}

int model_best_level(const struct model_catalog *cat, const featureset_t *fs)
{
	int best = -1;

	for (unsigned int i = 0; i < cat->nlevels; i++)
		if (featureset_subset(&cat->m[i].features, fs))
			best = (int)i;
	return best;
}

static bool vendor_fits(const struct model *m, const char *vendor)
{
	if (m->level_rank >= 0)
		return false;
	if (!vendor)
		return m->neutral;
	return !m->neutral && !strcmp(m->identity.vendor, vendor);
}

unsigned int model_best_named(const struct model_catalog *cat,
			      const featureset_t *fs, const char *vendor,
			      int *out, unsigned int max)
{
	unsigned int n = 0;

	/* repeatedly take the largest runnable model no listed one covers */
	while (n < max) {
		int pick = -1;

		for (unsigned int i = 0; i < cat->n; i++) {
			const struct model *m = &cat->m[i];
			bool covered = false;

			if (!vendor_fits(m, vendor) || !featureset_subset(&m->features, fs))
				continue;
			for (unsigned int k = 0; k < n && !covered; k++)
				covered = featureset_subset(&m->features, &cat->m[out[k]].features);
			if (covered)
				continue;
			if (pick < 0 || featureset_count(&m->features) >
					featureset_count(&cat->m[pick].features))
				pick = (int)i;
		}
		if (pick < 0)
			break;
		out[n++] = pick;
	}
	return n;
}

void baseline_compute(const struct host_fp *hosts, unsigned int n,
		      const struct model_catalog *cat, struct baseline *b)
{
	memset(b, 0, sizeof(*b));
	b->common = hosts[0].features;
	snprintf(b->vendor, sizeof(b->vendor), "%s", hosts[0].vendor);
	for (unsigned int i = 1; i < n; i++) {
		featureset_intersect(&b->common, &b->common, &hosts[i].features);
		if (strcmp(b->vendor, hosts[i].vendor))
			b->vendor[0] = '\0';
	}
	if (!strcmp(b->vendor, HOST_FP_UNKNOWN))
		b->vendor[0] = '\0';
	b->psabi_level = x86_level_of(&b->common);
	b->best_level = model_best_level(cat, &b->common);
	if (b->vendor[0])
		b->nnamed = model_best_named(cat, &b->common, b->vendor, b->named,
					     BASELINE_BEST_MAX);
	b->nneutral = model_best_named(cat, &b->common, NULL, b->neutral,
				       BASELINE_BEST_MAX);
}

const struct model *baseline_recommend(const struct baseline *b,
				       const struct model_catalog *cat)
{
	const struct model *level = b->best_level >= 0 ? &cat->m[b->best_level] : NULL;

	if (b->nnamed) {
		const struct model *named = &cat->m[b->named[0]];

		if (!level || featureset_subset(&level->features, &named->features))
			return named;
	}
	return level;
}
