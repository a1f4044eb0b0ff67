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
#include "import/mask_out.h"
#include "import/names.h"
#include "lib/err.h"
#include "lib/textesc.h"

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

	/* the name becomes a file name and a line: checked before it is kept,
	 * never cut, never a path or a line (import/names.h) */
	if (import_name_check(im->source ? im->source : "QEMU", name, 0) ||
	    (alias_of && import_name_check(im->source ? im->source : "QEMU", alias_of, 0)))
		return NULL;
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

/* QEMU's strings go through text_safe(): none can add a line (mask_out.h). */
static void write_identity(FILE *f, const struct cpu_identity *id)
{
	char vendor[sizeof(id->vendor)], model_id[sizeof(id->model_id)];

	fprintf(f, "vendor: %s\nfamily: %u\nmodel: %u\nstepping: %u\n",
		text_safe(vendor, sizeof(vendor), id->vendor), id->family, id->model,
		id->stepping);
	if (id->model_id[0])
		fprintf(f, "model-id: %s\n", text_safe(model_id, sizeof(model_id), id->model_id));
}

/* name, description, provenance, qemu-since, inherits */
static void write_keys(FILE *f, const struct qemu_import_model *e, const char *description,
		       const char *inherits)
{
	char text[QEMU_PROVENANCE_MAX];

	fprintf(f, "\nname: %s\n", e->name);
	fprintf(f, "description: %s\n", text_safe(text, sizeof(text), description));
	fprintf(f, "provenance: %s\n", text_safe(text, sizeof(text), e->provenance));
	if (e->qemu_since[0])
		fprintf(f, "qemu-since: %s\n", e->qemu_since);
	if (inherits)
		fprintf(f, "inherits: %s\n", inherits);
}

static void write_model(const struct qemu_import *im, FILE *f, const struct qemu_import_model *e)
{
	const struct qemu_import_model *parent = imp_prev_version(im, e->name);
	const struct qemu_model *m = &e->m;
	char text[sizeof(m->unmapped[0]) + 1], source[QEMU_PROVENANCE_MAX];

	fprintf(f, "# %s: %s\n", e->name, im->text->model);
	if (m->nunmapped) {
		fputs("# QEMU features and properties cpubench cannot represent (not in\n"
		      "# bench/cpu/feature.c):", f);
		for (unsigned int i = 0; i < m->nunmapped && i < QEMU_UNMAPPED_MAX; i++)
			fprintf(f, " %s", text_safe(text, sizeof(text), m->unmapped[i]));
		fputc('\n', f);
	}
	fprintf(f, "# Source: %s\n", text_safe(source, sizeof(source), im->source));
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
	char description[MASK_NAME_MAX + 16], source[QEMU_PROVENANCE_MAX];

	fprintf(f, "# %s: an alias QEMU defines for %s (%s). %s\n# Source: %s\n",
		e->name, e->alias_of, im->text->alias_how,
		bare ? im->text->bare : "A named alias: the same version on every machine type.",
		text_safe(source, sizeof(source), im->source));
	snprintf(description, sizeof(description), "alias of %s", e->alias_of);
	write_keys(f, e, description, e->alias_of);
}

struct render {
	const struct qemu_import *im;
	const struct qemu_import_model *e;
};

static void write_mask(FILE *f, const void *ctx)
{
	const struct render *r = ctx;

	if (r->e->alias_of[0])
		write_alias(r->im, f, r->e);
	else
		write_model(r->im, f, r->e);
}

int qemu_import_write(const struct qemu_import *im, const char *out_dir,
		      bool keep_existing, unsigned int *kept)
{
	struct import_name *names = calloc(im->n ? im->n : 1, sizeof(*names));
	int ret;

	if (kept)
		*kept = 0;
	if (!names)
		return err_set("out of memory");
	for (unsigned int i = 0; i < im->n; i++) {
		const struct qemu_import_model *e = &im->v[i];
		const struct qemu_import_model *prev = imp_prev_version(im, e->name);

		names[i] = (struct import_name){ e->name,
			e->alias_of[0] ? e->alias_of : prev ? prev->name : NULL,
			im->source ? im->source : "QEMU" };
	}
	/* every collision, loop and missing parent found before a file is written */
	ret = import_names_check(names, im->n);
	for (unsigned int i = 0; !ret && i < im->n; i++) {
		struct render r = { im, &im->v[i] };
		char path[4096];

		if (keep_existing && !mask_out_path(path, sizeof(path), out_dir, r.e->name) &&
		    !access(path, F_OK)) {
			if (kept)
				(*kept)++;
			continue;
		}
		ret = mask_out_write(out_dir, r.e->name, write_mask, &r);
	}
	free(names);
	return ret;
}
