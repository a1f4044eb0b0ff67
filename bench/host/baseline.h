/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Judging catalog models against feature sets: which models a host (or
 * every host of a cluster) can run, the best x86-64 level, the best named
 * models, and who blocks each step up.
 *
 * A model is runnable on a host when every feature it advertises is
 * there or cannot be told from the host's description ("unknown": a flag
 * Linux never prints); it is "missing" only when the description shows
 * it absent. "Level" models are the catalog's x86-64-* masks, ranked
 * by psABI level, then by size (x86-64-v2 < x86-64-v2-AES < x86-64-v3).
 * Vendor-neutral models: the levels, qemu64/kvm64/qemu32/kvm32, and any
 * mask without a CPU identity.
 */
#ifndef CPUBENCH_BASELINE_H
#define CPUBENCH_BASELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "catalog/mask.h"
#include "host/host_fp.h"

#define BASELINE_BEST_MAX	5

struct model {
	char name[MASK_NAME_MAX];
	struct cpu_identity identity;
	featureset_t features;
	uint32_t msr_features;	/* feature-MSR bits (msr_feature.h) QEMU also checks */
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

/*
 * *@missing = what @m advertises that a host with @have lacks, not
 * counting what the host's description cannot tell (@unknown, may be
 * NULL); returns how many.
 */
unsigned int model_missing(const struct model *m, const featureset_t *have,
			   const featureset_t *unknown, featureset_t *missing);

/* The index of the highest-ranked level model runnable there, or -1. */
int model_best_level(const struct model_catalog *cat, const featureset_t *have,
		     const featureset_t *unknown);

/*
 * Up to @max runnable models, highest x86-64 level and most features
 * first, none a subset of
 * another listed one: named models of @vendor (NULL: vendor-neutral ones
 * only, the level models excluded). Returns the count; indices in @out.
 */
unsigned int model_best_named(const struct model_catalog *cat,
			      const featureset_t *have, const featureset_t *unknown,
			      const char *vendor, int *out, unsigned int max);

/* At most this many "-feature" changes make a model "nearly" fit. */
#define MODEL_DROP_MAX	4

/* A catalog model, with the features a host lacks turned off. */
struct model_pick {
	int model;		/* catalog index, -1 for none */
	featureset_t drop;	/* turned off: the spec's "-feature"s */
	featureset_t unknown;	/* needed, but the host's description cannot tell */
};

/*
 * The named model of @vendor (NULL: a vendor-neutral named model) that,
 * with at most @max_drop features turned off, runs there and keeps the
 * highest x86-64 level, then the most features; on a tie, fewer changes,
 * then the first name. Returns
 * whether there is one.
 */
bool model_nearest(const struct model_catalog *cat, const featureset_t *have,
		   const featureset_t *unknown, const char *vendor,
		   unsigned int max_drop, struct model_pick *out);

/* The same for one model @m: whether it fits with at most @max_drop changes. */
bool model_fit(const struct model_catalog *cat, int m, const featureset_t *have,
	       const featureset_t *unknown, unsigned int max_drop,
	       struct model_pick *out);

/* @p as a spec: "Skylake-Client-v4,-pcid". */
void model_pick_spec(const struct model_catalog *cat, const struct model_pick *p,
		     char *out, size_t len);

/* @spec with each feature of @drop turned off: "Haswell-v4,-rtm,-hle". */
void spec_without(const char *spec, const featureset_t *drop, char *out, size_t len);

/*
 * What holds where a run of model @m failed on the features @failing
 * (missing, or probes that could not conclude): the catalog model that
 * keeps most of what @m has less @failing (of @m's vendor, or a level
 * model for a vendor-neutral @m), then " or " @m's spec with @failing
 * turned off when they are at most MODEL_DROP_MAX. "" when neither.
 */
void model_suggest(const struct model_catalog *cat, const struct mask *m,
		   const featureset_t *failing, char *out, size_t len);

struct baseline {
	featureset_t common;		/* what every host has */
	featureset_t unknown;		/* what each host has or cannot tell, less common */
	int psabi_level;		/* x86_level_of(common) */
	int best_level;			/* catalog index, -1 if none */
	char vendor[13];		/* shared vendor, "" if mixed or unknown */
	struct model_pick pick;		/* best named model of that vendor, maybe with changes */
	unsigned int nnamed, nneutral;
	int named[BASELINE_BEST_MAX];	/* best models of the shared vendor, as they are */
	int neutral[BASELINE_BEST_MAX];	/* best vendor-neutral named models */
};

/* Fills @b for @n >= 1 hosts. */
void baseline_compute(const struct host_fp *hosts, unsigned int n,
		      const struct model_catalog *cat, struct baseline *b);

/*
 * The model to deploy: the shared vendor's pick (changes included) when
 * it has at least the best level's features, else the best level model
 * (the fallback for mixed vendors). Returns false if not even x86-64-v1
 * runs everywhere.
 */
bool baseline_recommend(const struct baseline *b, const struct model_catalog *cat,
			struct model_pick *out);

#endif
