// SPDX-License-Identifier: GPL-2.0-only
/*
 * Mask files from an importer's QEMU models (qemu_import.h): the one
 * writer of `import qemu` and `import qemu-source`.
 */
#include "import/qemu_import.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpu/feature.h"
#include "cpu/msr_feature.h"
#include "lib/err.h"

void qemu_model_add_unmapped(struct qemu_model *m, const char *what)
{
	if (m->nunmapped < QEMU_UNMAPPED_MAX)
		snprintf(m->unmapped[m->nunmapped], sizeof(m->unmapped[0]), "%s", what);
	m->nunmapped++;
}

void qemu_model_add_feature(struct qemu_model *m, const char *name)
{
	int i = feature_lookup(name);

	if (i >= 0) {
		featureset_add(&m->features, i);
		return;
	}
	i = msr_feature_lookup(name);
	if (i >= 0) {
		m->msr_features |= 1u << i;
		return;
	}
	qemu_model_add_unmapped(m, name);
}

struct qemu_import_model *qemu_import_add(struct qemu_import *im, const char *name,
					  const char *alias_of)
{
	struct qemu_import_model *e;

	/* the name becomes a file name: nothing but what a mask name may hold */
	if (!mask_name_valid(name) || (alias_of && !mask_name_valid(alias_of))) {
		err_set("QEMU model name '%.80s' cannot name a mask file (1 to %d letters, digits, '.', '_', '-')",
			mask_name_valid(name) ? alias_of : name, MASK_NAME_MAX - 1);
		return NULL;
	}
	if (im->n == im->cap) {
		unsigned int cap = im->cap ? im->cap * 2 : 64;
		struct qemu_import_model *v = realloc(im->v, cap * sizeof(*v));

		if (!v) {
			err_set("out of memory");
			return NULL;
		}
		im->v = v;
		im->cap = cap;
	}
	e = &im->v[im->n++];
	memset(e, 0, sizeof(*e));
	strcpy(e->name, name);
	if (alias_of)
		strcpy(e->alias_of, alias_of);
	return e;
}

void qemu_import_free(struct qemu_import *im)
{
	free(im->v);
	im->v = NULL;
	im->n = im->cap = 0;
}

/* ---------------------------------------------------------------- writing */

static const struct qemu_import_model *imp_find(const struct qemu_import *im, const char *name)
{
	for (unsigned int i = 0; i < im->n; i++)
		if (!strcmp(im->v[i].name, name))
			return &im->v[i];
	return NULL;
}

/* "Haswell-v4" -> the model "Haswell-v3" if @im has it, else NULL. */
static const struct qemu_import_model *imp_prev_version(const struct qemu_import *im,
							const char *name)
{
	const char *dash = strrchr(name, '-');
	char prev[MASK_NAME_MAX];
	char *end;
	long ver;

	if (!dash || dash[1] != 'v')
		return NULL;
	ver = strtol(dash + 2, &end, 10);
	if (*end || ver < 2)
		return NULL;
	snprintf(prev, sizeof(prev), "%.*s-v%ld", (int)(dash - name), name, ver - 1);
	return imp_find(im, prev);
}

/* Writes "features:" lines of +name / -name tokens, wrapped. */
struct tokens {
	FILE *f;
	size_t col;
};

static void tok_put(struct tokens *t, char sign, const char *name)
{
	size_t len = strlen(name) + 2;

	if (!t->col) {
		fputs("features:", t->f);
		t->col = 9;
	} else if (t->col + len > 76) {
		fputs("\n\t", t->f);
		t->col = 8;
		fprintf(t->f, "%c%s", sign, name);
		t->col += len - 1;
		return;
	}
	fprintf(t->f, " %c%s", sign, name);
	t->col += len;
}

static void write_features(FILE *f, const struct qemu_model *m,
			   const struct qemu_model *parent)
{
	struct tokens t = { f, 0 };
	featureset_t none = { { 0 } };
	const featureset_t *base = parent ? &parent->features : &none;
	uint32_t mbase = parent ? parent->msr_features : 0;

	for (unsigned int i = 0; i < nfeatures; i++) {
		bool has = featureset_has(&m->features, (int)i);

		if (has != featureset_has(base, (int)i))
			tok_put(&t, has ? '+' : '-', features[i].name);
	}
	for (unsigned int i = 0; i < nmsr_features; i++) {
		bool has = m->msr_features >> i & 1;

		if (has != (bool)(mbase >> i & 1))
			tok_put(&t, has ? '+' : '-', msr_features[i].name);
	}
	if (t.col)
		fputc('\n', f);
}

static void write_identity(FILE *f, const struct cpu_identity *id)
{
	fprintf(f, "vendor: %s\nfamily: %u\nmodel: %u\nstepping: %u\n",
		id->vendor, id->family, id->model, id->stepping);
	if (id->model_id[0])
		fprintf(f, "model-id: %s\n", id->model_id);
}

/* name, description, provenance, qemu-since, inherits */
static void write_keys(FILE *f, const struct qemu_import_model *e, const char *description,
		       const char *inherits)
{
	fprintf(f, "\nname: %s\n", e->name);
	fprintf(f, "description: %s\n", description);
	fprintf(f, "provenance: %s\n", e->provenance);
	if (e->qemu_since[0])
		fprintf(f, "qemu-since: %s\n", e->qemu_since);
	if (inherits)
		fprintf(f, "inherits: %s\n", inherits);
}

static void write_model(const struct qemu_import *im, FILE *f, const struct qemu_import_model *e)
{
	const struct qemu_import_model *parent = imp_prev_version(im, e->name);
	const struct qemu_model *m = &e->m;

	fprintf(f, "# %s: %s\n", e->name, im->text->model);
	if (m->nunmapped) {
		fputs("# QEMU features and properties cpubench cannot represent (not in\n"
		      "# bench/cpu/feature.c):", f);
		for (unsigned int i = 0; i < m->nunmapped && i < QEMU_UNMAPPED_MAX; i++)
			fprintf(f, " %s", m->unmapped[i]);
		fputc('\n', f);
	}
	fprintf(f, "# Source: %s\n", im->source);
	write_keys(f, e, m->identity.model_id[0] ? m->identity.model_id : e->name,
		   parent ? parent->name : NULL);
	fputc('\n', f);
	write_identity(f, &m->identity);
	write_features(f, m, parent ? &parent->m : NULL);
}

static void write_alias(const struct qemu_import *im, FILE *f, const struct qemu_import_model *e)
{
	size_t len = strlen(e->name);
	bool bare = !strncmp(e->alias_of, e->name, len) && !strncmp(e->alias_of + len, "-v", 2);
	char description[MASK_NAME_MAX + 16];

	fprintf(f, "# %s: an alias QEMU defines for %s (%s). %s\n# Source: %s\n",
		e->name, e->alias_of, im->text->alias_how,
		bare ? im->text->bare : "A named alias: the same version on every machine type.",
		im->source);
	snprintf(description, sizeof(description), "alias of %s", e->alias_of);
	write_keys(f, e, description, e->alias_of);
}

static int write_file(const struct qemu_import *im, const char *out_dir,
		      const struct qemu_import_model *e, bool keep_existing, unsigned int *kept)
{
	char path[4096];
	FILE *f;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s.mask", out_dir, e->name) >= sizeof(path))
		return err_set("%s: output path too long", out_dir);
	if (keep_existing && !access(path, F_OK)) {
		if (kept)
			(*kept)++;
		return 0;
	}
	f = fopen(path, "w");
	if (!f)
		return err_set_errno(errno, "cannot write %s", path);
	if (e->alias_of[0])
		write_alias(im, f, e);
	else
		write_model(im, f, e);
	if (fclose(f))
		return err_set_errno(errno, "writing %s", path);
	return 0;
}

int qemu_import_write(const struct qemu_import *im, const char *out_dir,
		      bool keep_existing, unsigned int *kept)
{
	if (kept)
		*kept = 0;
	for (unsigned int i = 0; i < im->n; i++)
		if (write_file(im, out_dir, &im->v[i], keep_existing, kept))
			return -1;
	return 0;
}
