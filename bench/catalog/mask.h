/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Masks (guest CPU models): mask files, inheritance, the spec syntax.
 *
 * File format (masks/<name>.mask), line based:
 *   # comment            '#' at line start or after whitespace comments out
 *                        the rest of the line
 *   name: x86-64-v3      required; must equal the file name minus ".mask"
 *   description: ...     one line for listings
 *   provenance: ...      where the definition comes from
 *   inherits: x86-64-v2  another mask; its features are the starting point
 *   vendor: GenuineIntel \
 *   family: 6             | identity: all four or none (numbers: decimal
 *   model: 0x55           | or 0x-hex); model-id (the brand string,
 *   stepping: 4          /  48 chars max) only with them
 *   model-id: ...
 *   features: +avx -avx2 fma
 *       +bmi1 +bmi2      indented lines continue the features list;
 *   features: ...        'features:' may repeat
 * Tokens are +feat (add), -feat (remove) or feat (add); any spelling
 * feature_lookup() accepts, or a feature-MSR bit msr_feature_lookup()
 * accepts (msr_feature.h). Adding and removing one feature in one file is
 * an error.
 *
 * Spec syntax (QEMU's -cpu suffixes): NAME[,+feat|,-feat|,feat|,feat=on|off]...
 * NAME "host" is KVM's supported CPUID, passed in by the caller.
 */
#ifndef CPUBENCH_MASK_H
#define CPUBENCH_MASK_H

#include <stdbool.h>

#include "cpu/cpuid_builder.h"
#include "cpu/featureset.h"

#define MASK_NAME_MAX	64
#define MASK_HOST	"host"

/* One embedded mask file (tools/embed-masks.sh generates the catalog). */
struct mask_source {
	const char *file;	/* path as given to the script, for messages */
	const char *text;
};

/* The built-in catalog (build/masks_embedded.c). */
extern const struct mask_source mask_builtin[];
extern const unsigned int mask_nbuiltin;

/* One parsed mask file, before inheritance. */
struct mask_file {
	char file[256];			/* for messages */
	char name[MASK_NAME_MAX];
	char description[160], provenance[200];
	char inherits[MASK_NAME_MAX];	/* "" for a root */
	unsigned int inherits_line;
	unsigned int name_line;
	struct cpu_identity identity;	/* .set iff the file sets one */
	featureset_t add, del;		/* the file's own +feat / -feat */
	uint32_t msr_add, msr_del;	/* the same for msr_features[] bits */
};

struct mask {
	char name[MASK_NAME_MAX];	/* the base model's name */
	char spec[256];			/* the spec as given */
	char description[160], provenance[200];
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
 * Parses one mask file's text. @file names it in messages ("masks/x.mask")
 * and, when it ends in ".mask", fixes the name the file must declare.
 * Returns 0, or -1 with err_set() ("FILE:LINE: what is wrong").
 */
int mask_parse_text(const char *file, const char *text, struct mask_file *out);

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
