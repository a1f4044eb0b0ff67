/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Judging catalog models against feature sets: which models a host (or
 * every host of a cluster) can run, the best x86-64 level, the best named
 * models, and who blocks each step up.
 *
 * A model is runnable on a feature set when every feature it advertises
 * is in the set. "Level" models are the catalog's x86-64-* masks, ranked
 * by psABI level, then by size (x86-64-v2 < x86-64-v2-AES < x86-64-v3).
 * Vendor-neutral models: the levels, qemu64/kvm64/qemu32/kvm32, and any
 * mask without a CPU identity.
 */
#ifndef CPUBENCH_BASELINE_H
#define CPUBENCH_BASELINE_H

#include "catalog/mask.h"
#include "host/host_fp.h"

#define BASELINE_BEST_MAX	5

struct model {
	char name[MASK_NAME_MAX];
	struct cpu_identity identity;
	featureset_t features;
	int level_rank;		/* order among level models; -1 for others */
	bool neutral;
};

struct model_catalog {
	struct model *m;	/* level models first, by rank; then by name */
	unsigned int n;
	unsigned int nlevels;
};

/* Resolves every catalog model but "host". Returns 0, or -1 with err_set(). */
int model_catalog_load(const char *extra_dir, struct model_catalog *cat);
void model_catalog_free(struct model_catalog *cat);

/* *@missing = what @m advertises that @fs lacks; returns how many. */
unsigned int model_missing(const struct model *m, const featureset_t *fs,
			   featureset_t *missing);

/* The index of the highest-ranked level model runnable on @fs, or -1. */
int model_best_level(const struct model_catalog *cat, const featureset_t *fs);

/*
 * Up to @max runnable models on @fs, most features first, none a subset
 * of another listed one: named models of @vendor (NULL: vendor-neutral
 * ones only, the level models excluded). Returns the count; indices in @out.
 */
unsigned int model_best_named(const struct model_catalog *cat,
			      const featureset_t *fs, const char *vendor,
			      int *out, unsigned int max);

struct baseline {
	featureset_t common;		/* the intersection */
	int psabi_level;		/* x86_level_of(common) */
	int best_level;			/* catalog index, -1 if none */
	char vendor[13];		/* shared vendor, "" if mixed or unknown */
	unsigned int nnamed, nneutral;
	int named[BASELINE_BEST_MAX];	/* best models of the shared vendor */
	int neutral[BASELINE_BEST_MAX];	/* best vendor-neutral named models */
};

/* Fills @b for @n >= 1 hosts. */
void baseline_compute(const struct host_fp *hosts, unsigned int n,
		      const struct model_catalog *cat, struct baseline *b);

/*
 * The model to deploy: the best named model of the shared vendor if it
 * has at least the best level's features, else the best level model.
 * NULL if not even x86-64-v1 runs everywhere.
 */
const struct model *baseline_recommend(const struct baseline *b,
				       const struct model_catalog *cat);

#endif
