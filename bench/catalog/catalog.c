// SPDX-License-Identifier: GPL-2.0-only
/*
 * The mask catalog: loading (built-ins, a directory) and memoized
 * inheritance (catalog/catalog.h).
 */
#include "catalog/catalog.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "lib/file_read.h"
#include "lib/suggest.h"
#include "lib/text_check.h"

#define MASK_FILE_MAX	(1024 * 1024)

enum { RESOLVE_NOT_YET, RESOLVE_UNDER_WAY, RESOLVE_DONE };

void catalog_free(struct catalog *cat)
{
	free(cat->files);
	free(cat->origin);
	free(cat->resolved);
	free(cat->state);
	memset(cat, 0, sizeof(*cat));
}

int catalog_find(const struct catalog *cat, const char *name)
{
	for (unsigned int i = 0; i < cat->n; i++)
		if (!strcmp(cat->files[i].name, name))
			return (int)i;
	return -1;
}

const char *catalog_suggest(const struct catalog *cat, const char *name)
{
	unsigned int best = name_distance(name, MASK_HOST);
	const char *found = MASK_HOST;

	for (unsigned int i = 0; i < cat->n; i++) {
		unsigned int d = name_distance(name, cat->files[i].name);

		/* on a tie prefer the later name: "x86-64-v9" -> "x86-64-v4" */
		if (d < best || (d == best && strcmp(cat->files[i].name, found) > 0)) {
			best = d;
			found = cat->files[i].name;
		}
	}
	return name_close_enough(best, (unsigned int)strlen(name)) ? found : NULL;
}

/* ---------------------------------------------------------------- loading */

/* Adds @mf; a same-named mask from another origin is overridden. */
static int cat_add(struct catalog *cat, const struct mask_file *mf,
		   unsigned char origin)
{
	int i = catalog_find(cat, mf->name);

	if (i >= 0 && cat->origin[i] == origin)
		return err_set("%s:%u: duplicate mask '%s': %s defines it too; rename one",
			       mf->file, mf->name_line, mf->name, cat->files[i].file);
	if (i >= 0) {
		cat->files[i] = *mf;
		cat->origin[i] = origin;
		return 0;
	}
	if (cat->n == cat->cap) {
		unsigned int cap = cat->cap ? cat->cap * 2 : 16;
		struct mask_file *f = realloc(cat->files, cap * sizeof(*f));
		unsigned char *o;

		if (!f)
			return err_set("out of memory");
		cat->files = f;
		o = realloc(cat->origin, cap);
		if (!o)
			return err_set("out of memory");
		cat->origin = o;
		cat->cap = cap;
	}
	cat->files[cat->n] = *mf;
	cat->origin[cat->n++] = origin;
	return 0;
}

static int cat_add_text(struct catalog *cat, const char *file, const char *text,
			unsigned char origin)
{
	struct mask_file mf;

	if (mask_parse_text(file, text, &mf))
		return -1;
	return cat_add(cat, &mf, origin);
}

static int cat_add_sources(struct catalog *cat, const struct mask_source *src,
			   unsigned int n, unsigned char origin)
{
	for (unsigned int i = 0; i < n; i++)
		if (cat_add_text(cat, src[i].file, src[i].text, origin))
			return -1;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool has_mask_suffix(const char *name)
{
	size_t len = strlen(name), slen = strlen(MASK_SUFFIX);

	return len > slen && !strcmp(name + len - slen, MASK_SUFFIX) && name[0] != '.';
}

static int cat_add_file(struct catalog *cat, const char *dir, const char *name)
{
	char path[4096];
	char *text;
	size_t len;
	int ret;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
		return err_set("%s/%s: path too long", dir, name);
	if (file_read_text(path, MASK_FILE_MAX, "a mask file", &text, &len))
		return -1;
	/* a NUL would end the text early: refused with its line, never cut */
	ret = text_check(path, text, len, "a mask file") ? -1 :
	      cat_add_text(cat, path, text, 1);
	free(text);
	return ret;
}

/* Every *.mask in @dir, in name order (so errors are deterministic). */
static int cat_add_dir(struct catalog *cat, const char *dir)
{
	DIR *d = opendir(dir);
	char **names = NULL;
	unsigned int n = 0, cap = 0;
	struct dirent *de;
	int ret = 0;

	if (!d)
		return err_set_errno(errno, "cannot read mask directory '%s'", dir);
	while (!ret && (de = readdir(d))) {
		if (!has_mask_suffix(de->d_name))
			continue;
		if (n == cap) {
			char **nn = realloc(names, (cap = cap ? cap * 2 : 16) * sizeof(*nn));

			if (!nn) {
				ret = err_set("out of memory");
				break;
			}
			names = nn;
		}
		names[n] = strdup(de->d_name);
		if (!names[n])
			ret = err_set("out of memory");
		else
			n++;
	}
	closedir(d);
	if (names)
		qsort(names, n, sizeof(*names), cmp_str);
	for (unsigned int i = 0; i < n; i++) {
		if (!ret)
			ret = cat_add_file(cat, dir, names[i]);
		free(names[i]);
	}
	free(names);
	return ret;
}

/* Room for the memo, once every file is in. */
static int cat_finish(struct catalog *cat)
{
	cat->resolved = calloc(cat->n ? cat->n : 1, sizeof(*cat->resolved));
	cat->state = calloc(cat->n ? cat->n : 1, 1);
	if (!cat->resolved || !cat->state)
		return err_set("out of memory");
	return 0;
}

int catalog_from_sources(const struct mask_source *src, unsigned int n,
			 struct catalog *out)
{
	memset(out, 0, sizeof(*out));
	if (cat_add_sources(out, src, n, 0) || cat_finish(out)) {
		catalog_free(out);
		return -1;
	}
	return 0;
}

/* The built-in files cannot change within a process: parsed once. */
static struct catalog builtin;
static bool builtin_loaded;

static int cat_copy_builtin(struct catalog *cat)
{
	if (!builtin_loaded) {
		if (cat_add_sources(&builtin, mask_builtin, mask_nbuiltin, 0)) {
			catalog_free(&builtin);
			return -1;
		}
		builtin_loaded = true;
	}
	memset(cat, 0, sizeof(*cat));
	cat->cap = builtin.n ? builtin.n : 1;
	cat->files = malloc(cat->cap * sizeof(*cat->files));
	cat->origin = malloc(cat->cap);
	if (!cat->files || !cat->origin)
		return err_set("out of memory");
	memcpy(cat->files, builtin.files, builtin.n * sizeof(*cat->files));
	memcpy(cat->origin, builtin.origin, builtin.n);
	cat->n = builtin.n;
	return 0;
}

int catalog_open(const char *extra_dir, struct catalog *out)
{
	if (cat_copy_builtin(out) || (extra_dir && cat_add_dir(out, extra_dir)) ||
	    cat_finish(out)) {
		catalog_free(out);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ inheritance */

static void apply_file(featureset_t *fs, uint32_t *msr, const struct mask_file *mf)
{
	featureset_union(fs, fs, &mf->add);
	featureset_diff(fs, fs, &mf->del);
	*msr = (*msr | mf->msr_add) & ~mf->msr_del;
}

/* Mask @i from its file and its resolved parent (NULL for a root). */
static void resolve_one(struct catalog *cat, unsigned int i, const struct mask *parent)
{
	const struct mask_file *mf = &cat->files[i];
	struct mask *m = &cat->resolved[i];

	memset(m, 0, sizeof(*m));
	if (parent) {
		m->inherited = parent->features;
		m->msr_inherited = parent->msr_features;
	}
	m->features = m->inherited;
	m->msr_features = m->msr_inherited;
	apply_file(&m->features, &m->msr_features, mf);
	m->removed = mf->del;
	m->msr_removed = mf->msr_del;
	featureset_diff(&m->added, &m->features, &m->inherited);
	m->identity = mf->identity.set || !parent ? mf->identity : parent->identity;
	snprintf(m->provenance, sizeof(m->provenance), "%s",
		 mf->provenance[0] || !parent ? mf->provenance : parent->provenance);
	snprintf(m->description, sizeof(m->description), "%s", mf->description);
	/* not inherited: it dates the name, and a child is another name */
	snprintf(m->qemu_since, sizeof(m->qemu_since), "%s", mf->qemu_since);
	snprintf(m->inherits, sizeof(m->inherits), "%s", mf->inherits);
	snprintf(m->name, sizeof(m->name), "%s", mf->name);
	snprintf(m->spec, sizeof(m->spec), "%s", mf->name);
	cat->state[i] = RESOLVE_DONE;
}

/* Clears the marks a failed walk left on @chain[0..@n-1]; returns -1. */
static int walk_failed(struct catalog *cat, const unsigned int *chain, unsigned int n)
{
	for (unsigned int k = 0; k < n; k++)
		cat->state[chain[k]] = RESOLVE_NOT_YET;
	return -1;
}

/* "FILE: inheritance loop: a -> b -> a", from where @again is in @chain. */
static int loop_error(const struct catalog *cat, const unsigned int *chain,
		      unsigned int n, unsigned int again)
{
	char path[512] = "";
	size_t len = 0;
	unsigned int k = 0;

	while (k < n && chain[k] != again)
		k++;
	for (; k < n && len < sizeof(path); k++)
		len += (size_t)snprintf(path + len, sizeof(path) - len, "%s -> ",
					cat->files[chain[k]].name);
	return err_set("%s: inheritance loop: %s%s", cat->files[again].file, path,
		       cat->files[again].name);
}

int catalog_resolve(struct catalog *cat, int idx, struct mask *out)
{
	unsigned int chain[CATALOG_MAX_DEPTH + 1], n = 0;
	const struct mask *top = NULL;

	if (idx < 0 || (unsigned int)idx >= cat->n)
		return err_set("internal error: no mask %d in the catalog", idx);
	/* up the chain to a root or a mask already resolved */
	for (unsigned int i = (unsigned int)idx; cat->state[i] != RESOLVE_DONE;) {
		const struct mask_file *mf = &cat->files[i];
		char hint[96];
		int parent;

		if (n == CATALOG_MAX_DEPTH) {
			walk_failed(cat, chain, n);
			return err_set("%s: inheritance deeper than %d levels (from '%s'): flatten the chain",
				       cat->files[idx].file, CATALOG_MAX_DEPTH,
				       cat->files[idx].name);
		}
		cat->state[i] = RESOLVE_UNDER_WAY;
		chain[n++] = i;
		if (!mf->inherits[0])
			break;
		parent = catalog_find(cat, mf->inherits);
		if (parent < 0) {
			walk_failed(cat, chain, n);
			return err_set("%s:%u: '%s' inherits unknown mask '%s'%s",
				       mf->file, mf->inherits_line, mf->name, mf->inherits,
				       did_you_mean(hint, sizeof(hint),
						    catalog_suggest(cat, mf->inherits)));
		}
		if (cat->state[parent] == RESOLVE_UNDER_WAY) {
			loop_error(cat, chain, n, (unsigned int)parent);
			return walk_failed(cat, chain, n);
		}
		if (cat->state[parent] == RESOLVE_DONE)
			top = &cat->resolved[parent];
		i = (unsigned int)parent;
	}
	/* down again, each from its parent */
	for (unsigned int k = n; k-- > 0;) {
		resolve_one(cat, chain[k], top);
		top = &cat->resolved[chain[k]];
	}
	*out = cat->resolved[idx];
	return 0;
}
