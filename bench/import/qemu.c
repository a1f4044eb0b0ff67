// SPDX-License-Identifier: GPL-2.0-only
/*
 * `cpubench import qemu`: writes one mask file per QEMU CPU model, version
 * and alias, from the installed QEMU's own QMP answers (import_qemu.h).
 *
 * File shape, deterministic so that a re-import diffs cleanly:
 *  - NAME-vN: inherits NAME-v(N-1) when QEMU defines it, with the features
 *    that version adds and removes; NAME-v1 lists every feature;
 *  - an alias (Haswell, Haswell-noTSX, ...): inherits what QEMU's
 *    query-cpu-definitions says it is an alias of (for bare names that is
 *    the version the machine type picks; -machine none and the 7.2 machine
 *    types both pick v1), nothing else;
 *  - identity always written (vendor, family/model/stepping, model-id);
 *  - true properties cpubench has no row for are listed in a comment and
 *    reported on stderr, never dropped silently.
 * "max", "host" and "base" are not models: skipped.
 */
#include "import/qemu.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/mask.h"
#include "cpu/feature.h"
#include "cpu/msr_feature.h"
#include "import/mask_out.h"
#include "import/names.h"
#include "lib/child.h"
#include "lib/cleanup.h"
#include "lib/err.h"
#include "lib/textesc.h"
#include "lib/tmpdir.h"

#define QMP_TIMEOUT_MS		10000
#define QMP_QUIT_TIMEOUT_MS	2000

/* ------------------------------------------------------------ QEMU process */

static int catalog_version(struct qemu_catalog *qc)
{
	json_t *v = qmp_cmd(&qc->qmp, "query-version", NULL, QMP_TIMEOUT_MS);
	json_int_t maj = 0, min = 0, mic = 0;
	char version[sizeof(qc->version)];
	const char *pkg = "";

	if (!v)
		return -1;
	json_unpack(v, "{s:{s:I,s:I,s:I}}", "qemu", "major", &maj, "minor", &min,
		    "micro", &mic);
	json_unpack(v, "{s:s}", "package", &pkg);
	snprintf(version, sizeof(version), "QEMU %lld.%lld.%lld%s%s%s",
		 (long long)maj, (long long)min, (long long)mic,
		 *pkg ? " (" : "", pkg, *pkg ? ")" : "");
	/* it goes into files and onto terminals: one line of text */
	text_safe(qc->version, sizeof(qc->version), version);
	json_decref(v);
	return 0;
}

int qemu_catalog_open(struct qemu_catalog *qc, const char *qemu)
{
	char sock[4200], qmp[4300];
	const char *argv[] = {
		qemu ? qemu : "qemu-system-x86_64", "-machine", "none", "-nodefaults",
		"-display", "none", "-S", "-qmp", qmp, NULL,
	};

	memset(qc, 0, sizeof(*qc));
	qc->qmp.fd = -1;
	if (tmpdir_create(qc->dir, sizeof(qc->dir), "qmp"))
		return err_env(-1);
	snprintf(sock, sizeof(sock), "%s/qmp.sock", qc->dir);
	snprintf(qmp, sizeof(qmp), "unix:%s,server=on,wait=off", sock);
	if (child_start(&qc->proc, argv, -1, -1, -1)) {
		if (qc->proc.exec_errno == ENOENT)
			err_set("cannot run %s: install Debian's qemu-system-x86 or pass --qemu PATH",
				argv[0]);
		qemu_catalog_close(qc);
		return err_env(-1);
	}
	if (qmp_open(&qc->qmp, sock, QMP_TIMEOUT_MS, &qc->proc) || catalog_version(qc)) {
		qemu_catalog_close(qc);
		return err_env(-1);
	}
	return 0;
}

void qemu_catalog_close(struct qemu_catalog *qc)
{
	if (qc->qmp.fd >= 0) {
		json_decref(qmp_cmd(&qc->qmp, "quit", NULL, QMP_QUIT_TIMEOUT_MS));
		qmp_close(&qc->qmp);
	}
	/* after "quit" QEMU exits by itself; one that does not is stopped */
	child_wait(&qc->proc, CHILD_GRACE_MS);
	tmpdir_remove(qc->dir);
}

json_t *qemu_catalog_definitions(struct qemu_catalog *qc)
{
	return qmp_cmd(&qc->qmp, "query-cpu-definitions", NULL, QMP_TIMEOUT_MS);
}

/* ------------------------------------------------------------- conversion */

static int identity_prop(struct cpu_identity *id, const char *key, json_t *v)
{
	if (!strcmp(key, "vendor") && json_is_string(v))
		snprintf(id->vendor, sizeof(id->vendor), "%s", json_string_value(v));
	else if (!strcmp(key, "model-id") && json_is_string(v))
		snprintf(id->model_id, sizeof(id->model_id), "%s", json_string_value(v));
	else if (!strcmp(key, "family") && json_is_integer(v))
		id->family = (uint32_t)json_integer_value(v);
	else if (!strcmp(key, "model") && json_is_integer(v))
		id->model = (uint32_t)json_integer_value(v);
	else if (!strcmp(key, "stepping") && json_is_integer(v))
		id->stepping = (uint32_t)json_integer_value(v);
	else
		return -1;
	return 0;
}

static void feature_prop(struct qemu_model *m, const char *key)
{
	int i = feature_lookup(key);

	if (i >= 0) {
		featureset_add(&m->features, i);
		return;
	}
	i = msr_feature_lookup(key);
	if (i >= 0) {
		m->msr_features |= 1u << i;
		return;
	}
	if (m->nunmapped < QEMU_UNMAPPED_MAX)
		snprintf(m->unmapped[m->nunmapped], sizeof(m->unmapped[0]), "%s", key);
	m->nunmapped++;
}

int qemu_model_from_props(json_t *props, struct qemu_model *out)
{
	const char *key;
	json_t *v;

	memset(out, 0, sizeof(*out));
	if (!json_is_object(props))
		return err_set("QEMU's model expansion has no properties");
	json_object_foreach(props, key, v) {
		if (json_is_true(v))
			feature_prop(out, key);
		else if (!json_is_boolean(v) && identity_prop(&out->identity, key, v) &&
			 strcmp(key, "min-level") && strcmp(key, "min-xlevel"))
			return err_set("QEMU property '%s' has a type cpubench does not know: update cpubench",
				       key);
	}
	out->identity.set = out->identity.vendor[0] != '\0';
	return 0;
}

int qemu_catalog_model(struct qemu_catalog *qc, const char *name,
		       struct qemu_model *out)
{
	json_t *args = json_pack("{s:s,s:{s:s}}", "type", "static", "model", "name", name);
	json_t *r, *props;
	int ret;

	if (!args)
		return err_set("out of memory");
	r = qmp_cmd(&qc->qmp, "query-cpu-model-expansion", args, QMP_TIMEOUT_MS);
	if (!r)
		return -1;
	props = json_object_get(json_object_get(r, "model"), "props");
	ret = qemu_model_from_props(props, out);
	json_decref(r);
	return ret;
}

/* ---------------------------------------------------------------- writing */

static const struct qemu_import_model *imp_find(const struct qemu_import *im, const char *name)
{
	for (unsigned int i = 0; i < im->n; i++)
		if (!strcmp(im->v[i].name, name))
			return &im->v[i];
	return NULL;
}

/* "Haswell-v4" -> the model "Haswell-v3" if QEMU defines it, else NULL. */
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

static void write_model(const struct qemu_import *im, FILE *f, const struct qemu_import_model *e)
{
	const struct qemu_import_model *parent = imp_prev_version(im, e->name);
	const struct qemu_model *m = &e->m;
	char text[sizeof(m->identity.model_id) + sizeof(m->unmapped[0])];

	fprintf(f, "# %s: QEMU's CPU model as `cpubench import qemu` read it (QMP\n"
		"# query-cpu-model-expansion, type static: every property that is true;\n"
		"# min-level and min-xlevel are left to the CPUID builder).\n"
		"# Source: %s\n", e->name, im->version);
	if (m->nunmapped) {
		fputs("# QEMU features cpubench cannot represent (not in bench/feature.c):", f);
		for (unsigned int i = 0; i < m->nunmapped && i < QEMU_UNMAPPED_MAX; i++)
			fprintf(f, " %s", text_safe(text, sizeof(text), m->unmapped[i]));
		fputc('\n', f);
	}
	fprintf(f, "\nname: %s\n", e->name);
	fprintf(f, "description: %s\n", m->identity.model_id[0] ?
		text_safe(text, sizeof(text), m->identity.model_id) : e->name);
	fprintf(f, "provenance: %s, query-cpu-model-expansion static %s\n",
		im->version, e->name);
	if (parent)
		fprintf(f, "inherits: %s\n", parent->name);
	fputc('\n', f);
	write_identity(f, &m->identity);
	write_features(f, m, parent ? &parent->m : NULL);
}

static void write_alias(const struct qemu_import *im, FILE *f, const struct qemu_import_model *e)
{
	size_t len = strlen(e->name);
	bool bare = !strncmp(e->alias_of, e->name, len) && !strncmp(e->alias_of + len, "-v", 2);

	fprintf(f, "# %s: an alias QEMU defines for %s (QMP query-cpu-definitions,\n"
		"# alias-of). %s\n# Source: %s\n", e->name, e->alias_of,
		bare ? "A bare model name is the version the machine type picks:\n"
		       "# -machine none and QEMU 7.2's pc-i440fx/pc-q35 machine types pick this one."
		     : "A named alias: the same version on every machine type.",
		im->version);
	fprintf(f, "\nname: %s\n", e->name);
	fprintf(f, "description: alias of %s\n", e->alias_of);
	fprintf(f, "provenance: %s, query-cpu-definitions alias-of %s\n",
		im->version, e->alias_of);
	fprintf(f, "inherits: %s\n", e->alias_of);
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

/* ---------------------------------------------------------------- reading */

static bool skipped_model(const char *name)
{
	return !strcmp(name, "max") || !strcmp(name, "host") || !strcmp(name, "base");
}

static int imp_add(struct qemu_import *im, struct qemu_catalog *qc, json_t *def)
{
	const char *name = json_string_value(json_object_get(def, "name"));
	const char *alias = json_string_value(json_object_get(def, "alias-of"));
	struct qemu_import_model *e;

	if (!name || skipped_model(name))
		return 0;
	/* checked before they are kept: never cut, never a path or a line */
	if (import_name_check(im->version, name, 0) ||
	    (alias && import_name_check(im->version, alias, 0)))
		return -1;
	e = &im->v[im->n];
	memset(e, 0, sizeof(*e));
	strcpy(e->name, name);
	if (alias)
		strcpy(e->alias_of, alias);
	else if (qemu_catalog_model(qc, name, &e->m))
		return -1;
	im->nunmapped += e->m.nunmapped != 0;
	im->n++;
	return 0;
}

int qemu_import_read(struct qemu_import *im, struct qemu_catalog *qc)
{
	json_t *defs = qemu_catalog_definitions(qc), *def;
	size_t i;
	int ret = 0;

	if (!defs)
		return -1;
	memset(im, 0, sizeof(*im));
	im->version = qc->version;
	im->v = calloc(json_array_size(defs) + 1, sizeof(*im->v));
	if (!im->v) {
		json_decref(defs);
		return err_set("out of memory");
	}
	json_array_foreach(defs, i, def) {
		if ((ret = imp_add(im, qc, def)))
			break;
	}
	json_decref(defs);
	return ret;
}

int qemu_import_write(const struct qemu_import *im, const char *out_dir)
{
	struct import_name *names = calloc(im->n ? im->n : 1, sizeof(*names));
	int ret;

	if (!names)
		return err_set("out of memory");
	for (unsigned int i = 0; i < im->n; i++) {
		const struct qemu_import_model *e = &im->v[i];
		const struct qemu_import_model *prev = imp_prev_version(im, e->name);

		names[i] = (struct import_name){ e->name,
			e->alias_of[0] ? e->alias_of : prev ? prev->name : NULL, im->version };
	}
	/* every collision, loop and missing parent found before a file is written */
	ret = import_names_check(names, im->n);
	for (unsigned int i = 0; !ret && i < im->n; i++) {
		struct render r = { im, &im->v[i] };

		ret = mask_out_write(out_dir, im->v[i].name, write_mask, &r);
	}
	free(names);
	return ret;
}

void qemu_import_free(struct qemu_import *im)
{
	free(im->v);
	im->v = NULL;
	im->n = 0;
}
