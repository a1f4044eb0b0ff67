/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The mask catalog: the built-in mask files (embedded in cpubench) plus
 * those of a --masks-dir, which override built-ins of the same name, and
 * their inheritance resolved.
 *
 * Each mask is resolved at most once per catalog (memoized), walking its
 * chain without recursion, so a catalog resolves in time linear in its
 * size; a chain deeper than CATALOG_MAX_DEPTH, a loop or an unknown parent
 * is an error naming the file and line.
 */
#ifndef CPUBENCH_CATALOG_H
#define CPUBENCH_CATALOG_H

#include "catalog/mask.h"
#include "catalog/mask_file.h"

#define CATALOG_MAX_DEPTH	128

struct catalog {
	struct mask_file *files;
	unsigned char *origin;		/* 0: built-in, 1: the extra directory */
	unsigned int n, cap;
	struct mask *resolved;		/* memo: files[i] resolved */
	unsigned char *state;		/* RESOLVE_* of each file */
};

/*
 * The catalog of the built-ins (parsed once per process) plus
 * @extra_dir's *.mask files (NULL: none), every file parsed. Returns 0,
 * or -1 with err_set() when a file is malformed. Free with catalog_free().
 */
int catalog_open(const char *extra_dir, struct catalog *out);

/* A catalog of exactly @src[0..@n-1] (tests, fuzzing); free with catalog_free(). */
int catalog_from_sources(const struct mask_source *src, unsigned int n,
			 struct catalog *out);
void catalog_free(struct catalog *cat);

/* The index of mask @name, or -1. */
int catalog_find(const struct catalog *cat, const char *name);

/* The catalog's name closest to @name ("host" included), or NULL. */
const char *catalog_suggest(const struct catalog *cat, const char *name);

/*
 * Mask @idx resolved through its parents (name and spec: its own name).
 * Returns 0, or -1 with err_set().
 */
int catalog_resolve(struct catalog *cat, int idx, struct mask *out);

#endif
