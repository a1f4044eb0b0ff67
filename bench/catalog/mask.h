/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Masks (guest CPU models) resolved: a catalog model (catalog/mask_file.h
 * for the file format, catalog/catalog.h for inheritance) or "host", with
 * the changes of a spec.
 *
 * Spec syntax (QEMU's -cpu suffixes): NAME[,+feat|,-feat|,feat|,feat=on|off]...
 * NAME "host" is what the backend supports, passed in by the caller.
 */
#ifndef CPUBENCH_MASK_H
#define CPUBENCH_MASK_H

#include <stdbool.h>

#include "catalog/mask_file.h"
#include "cpu/cpuid_builder.h"
#include "cpu/featureset.h"

/* One embedded mask file (tools/embed-masks.sh generates the catalog). */
struct mask_source {
	const char *file;	/* path as given to the script, for messages */
	const char *text;
};

/* The built-in catalog (build/masks_embedded.c). */
extern const struct mask_source mask_builtin[];
extern const unsigned int mask_nbuiltin;

struct mask {
	char name[MASK_NAME_MAX];	/* the base model's name */
	char spec[256];			/* the spec as given */
	char description[160], provenance[200];
	char qemu_since[MASK_QEMU_SINCE_MAX];	/* the file's own; "" if none */
	struct cpu_identity identity;	/* nearest in the chain; .set=false if none */
	featureset_t features;		/* resolved, after spec suffixes */
	featureset_t inherited;		/* the parent's resolved features (host: host's) */
	featureset_t added;		/* features - inherited */
	featureset_t removed;		/* explicit -feat of the file itself and the spec */
	/* feature-MSR bits (1 << index in msr_features[]): not in the CPUID */
	uint32_t msr_features, msr_inherited, msr_removed;
	char inherits[MASK_NAME_MAX];	/* the file's parent; "" if none */
	featureset_t spec_add, spec_del;	/* the spec's own +feat / -feat */
	bool is_host;
	bool host_bound;		/* "host": the host's features are in */
};

/*
 * Resolves @spec against the built-in catalog plus, if @extra_dir is not
 * NULL, its *.mask files (which override built-ins of the same name).
 * Every catalog file must parse. Returns 0, or -1 with err_set().
 * @host_features: what the model "host" means on the backend that will
 * run it; NULL leaves a "host" mask unbound (is_host, !host_bound: the
 * spec is checked, its features wait for mask_bind_host()), so that bad
 * input is found before any backend is opened.
 */
int mask_resolve(const char *spec, const char *extra_dir,
		 const featureset_t *host_features, struct mask *out);

/*
 * mask_resolve() of each of @specs[0..@n-1] into @out[i], in order,
 * against one catalog, opened (and @extra_dir read) once for them all.
 * Returns 0, or -1 with the error of the first spec that does not resolve.
 */
int mask_resolve_many(char *const *specs, unsigned int n, const char *extra_dir,
		      const featureset_t *host_features, struct mask *out);

/* Fills an unbound "host" mask with @host and its spec's changes; 0. */
int mask_bind_host(struct mask *m, const featureset_t *host);

/* As mask_resolve(), against exactly @src[0..@nsrc-1] (tests, fuzzing). */
int mask_resolve_sources(const char *spec, const struct mask_source *src,
			 unsigned int nsrc, const featureset_t *host_features,
			 struct mask *out);

/*
 * Every known mask name (built-in, @extra_dir, and "host"), sorted.
 * Returns the count and a malloc'ed array of malloc'ed strings in *@names
 * (free with mask_list_free()), or -1 with err_set().
 */
int mask_list(const char *extra_dir, char ***names);
void mask_list_free(char **names, int n);

/*
 * Every mask of the catalog (built-in plus @extra_dir; not "host"),
 * resolved, sorted by name: a malloc'ed array in *@out (free()), its
 * length returned; -1 with err_set() if any file is malformed.
 */
int mask_resolve_all(const char *extra_dir, struct mask **out);

#endif
