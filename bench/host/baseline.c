// SPDX-License-Identifier: GPL-2.0-only
/* Catalog models against host feature sets (see baseline.h). */
#include "host/baseline.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/feature.h"
#include "cpu/x86_level.h"
#include "judge/probe.h"
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
		m->msr_features = mask.msr_features;
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

unsigned int model_missing(const struct model *m, const featureset_t *have,
			   const featureset_t *unknown, featureset_t *missing)
{
	featureset_diff(missing, &m->features, have);
	if (unknown)
		featureset_diff(missing, missing, unknown);
	return featureset_count(missing);
}

static bool runs(const struct model *m, const featureset_t *have,
		 const featureset_t *unknown)
{
	featureset_t miss;

	return !model_missing(m, have, unknown, &miss);
}

int model_best_level(const struct model_catalog *cat, const featureset_t *have,
		     const featureset_t *unknown)
{
	int best = -1;

	for (unsigned int i = 0; i < cat->nlevels; i++)
		if (runs(&cat->m[i], have, unknown))
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
			      const featureset_t *have, const featureset_t *unknown,
			      const char *vendor, int *out, unsigned int max)
{
	unsigned int n = 0;

	/* repeatedly take the largest runnable model no listed one covers */
	while (n < max) {
		int pick = -1;

		for (unsigned int i = 0; i < cat->n; i++) {
			const struct model *m = &cat->m[i];
			bool covered = false;

			if (!vendor_fits(m, vendor) || !runs(m, have, unknown))
				continue;
			for (unsigned int k = 0; k < n && !covered; k++)
				covered = featureset_subset(&m->features, &cat->m[out[k]].features);
			if (covered)
				continue;
			if (pick < 0 || rank_key(m) > rank_key(&cat->m[pick]))
				pick = (int)i;
		}
		if (pick < 0)
			break;
		out[n++] = pick;
	}
	return n;
}

bool model_fit(const struct model_catalog *cat, int m, const featureset_t *have,
	       const featureset_t *unknown, unsigned int max_drop,
	       struct model_pick *out)
{
	const struct model *mod = &cat->m[m];

	out->model = m;
	if (model_missing(mod, have, unknown, &out->drop) > max_drop)
		return false;
	featureset_diff(&out->unknown, &mod->features, have);
	featureset_diff(&out->unknown, &out->unknown, &out->drop);
	return true;
}

/*
 * What a guest keeps under @p that the hosts are known to have: its
 * x86-64 level first (what compiled software asks for), then its number
 * of features; an Atom model with many small features does not beat a
 * Core model with AVX2. Features the hosts' files cannot tell count for
 * nothing here.
 */
static unsigned int kept(const struct model_catalog *cat, const struct model_pick *p,
			 const featureset_t *have)
{
	featureset_t k;

	featureset_diff(&k, &cat->m[p->model].features, &p->drop);
	featureset_intersect(&k, &k, have);
	return (unsigned int)x86_level_of(&k) * FEATURESET_MAX + featureset_count(&k);
}

/* The features with an instruction a guest would run: those probes test. */
static const featureset_t *instruction_features(void)
{
	static featureset_t fs;
	static bool done;

	if (!done) {
		featureset_clear(&fs);
		for (unsigned int i = 0; i < nprobes; i++)
			if (!probe_is_selftest(&probes[i]))
				featureset_add(&fs, feature_lookup(probes[i].feature));
		done = true;
	}
	return &fs;
}

/* How many instructions of @p the hosts' files cannot vouch for. */
static unsigned int unknown_instructions(const struct model_pick *p)
{
	featureset_t u;

	featureset_intersect(&u, &p->unknown, instruction_features());
	return featureset_count(&u);
}

/*
 * Whether @a is the better pick than @b: the higher x86-64 level of what
 * is known, then the fewer instructions nobody can vouch for (a model that
 * leans on instructions Linux does not print, say cmpccxadd, is a guess
 * that crashes a guest; an unprinted capability bit such as svme-addr-chk
 * is not), then the more known features, then the fewer dropped.
 */
static bool better(const struct model_catalog *cat, const struct model_pick *a,
		   const struct model_pick *b, const featureset_t *have)
{
	unsigned int ka = kept(cat, a, have), kb = kept(cat, b, have);
	unsigned int la = ka / FEATURESET_MAX, lb = kb / FEATURESET_MAX;
	unsigned int ua = unknown_instructions(a), ub = unknown_instructions(b);

	if (la != lb)
		return la > lb;
	if (ua != ub)
		return ua < ub;
	if (ka != kb)
		return ka > kb;
	return featureset_count(&a->drop) < featureset_count(&b->drop);
}

bool model_nearest(const struct model_catalog *cat, const featureset_t *have,
		   const featureset_t *unknown, const char *vendor,
		   unsigned int max_drop, struct model_pick *out)
{
	struct model_pick p;

	out->model = -1;
	for (unsigned int i = 0; i < cat->n; i++) {
		if (!vendor_fits(&cat->m[i], vendor) ||
		    !model_fit(cat, (int)i, have, unknown, max_drop, &p))
			continue;
		if (out->model < 0 || better(cat, &p, out, have))
			*out = p;
	}
	return out->model >= 0;
}

void spec_without(const char *spec, const featureset_t *drop, char *out, size_t len)
{
	size_t n = (size_t)snprintf(out, len, "%s", spec);

	for (int f = featureset_next(drop, -1); f >= 0 && n < len;
	     f = featureset_next(drop, f))
		n += (size_t)snprintf(out + n, len - n, ",-%s", features[f].name);
}

void model_pick_spec(const struct model_catalog *cat, const struct model_pick *p,
		     char *out, size_t len)
{
	spec_without(p->model >= 0 ? cat->m[p->model].name : "none", &p->drop, out, len);
}

void model_suggest(const struct model_catalog *cat, const struct mask *m,
		   const featureset_t *failing, char *out, size_t len)
{
	struct model_pick pick = { .model = -1 };
	featureset_t have, drop;
	size_t n = 0;

	out[0] = '\0';
	featureset_diff(&have, &m->features, failing);
	featureset_intersect(&drop, &m->features, failing);
	if (m->identity.set)
		model_nearest(cat, &have, NULL, m->identity.vendor, 0, &pick);
	else
		pick.model = model_best_level(cat, &have, NULL);
	if (pick.model >= 0)
		n = (size_t)snprintf(out, len, "%s", cat->m[pick.model].name);
	if (featureset_empty(&drop) || featureset_count(&drop) > MODEL_DROP_MAX || n >= len)
		return;
	n += (size_t)snprintf(out + n, len - n, "%s", n ? " or " : "");
	if (n < len)
		spec_without(m->spec, &drop, out + n, len - n);
}

void baseline_compute(const struct host_fp *hosts, unsigned int n,
		      const struct model_catalog *cat, struct baseline *b)
{
	featureset_t possible;

	memset(b, 0, sizeof(*b));
	b->common = hosts[0].features;
	featureset_union(&possible, &hosts[0].features, &hosts[0].unknown);
	snprintf(b->vendor, sizeof(b->vendor), "%s", hosts[0].vendor);
	for (unsigned int i = 1; i < n; i++) {
		featureset_t p;

		featureset_intersect(&b->common, &b->common, &hosts[i].features);
		featureset_union(&p, &hosts[i].features, &hosts[i].unknown);
		featureset_intersect(&possible, &possible, &p);
		if (strcmp(b->vendor, hosts[i].vendor))
			b->vendor[0] = '\0';
	}
	featureset_diff(&b->unknown, &possible, &b->common);
	if (!strcmp(b->vendor, HOST_FP_UNKNOWN))
		b->vendor[0] = '\0';
	b->psabi_level = x86_level_of(&b->common);
	b->best_level = model_best_level(cat, &b->common, &b->unknown);
	b->pick.model = -1;
	if (b->vendor[0]) {
		b->nnamed = model_best_named(cat, &b->common, &b->unknown, b->vendor,
					     b->named, BASELINE_BEST_MAX);
		model_nearest(cat, &b->common, &b->unknown, b->vendor, MODEL_DROP_MAX,
			      &b->pick);
	}
	b->nneutral = model_best_named(cat, &b->common, &b->unknown, NULL, b->neutral,
				       BASELINE_BEST_MAX);
}

bool baseline_recommend(const struct baseline *b, const struct model_catalog *cat,
			struct model_pick *out)
{
	const struct model *level = b->best_level >= 0 ? &cat->m[b->best_level] : NULL;

	if (b->pick.model >= 0) {
		featureset_t k;

		featureset_diff(&k, &cat->m[b->pick.model].features, &b->pick.drop);
		if (!level || featureset_subset(&level->features, &k)) {
			*out = b->pick;
			return true;
		}
	}
	if (!level)
		return false;
	model_fit(cat, b->best_level, &b->common, &b->unknown, 0, out);
	return true;
}
