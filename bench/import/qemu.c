// SPDX-License-Identifier: GPL-2.0-only
/*
 * `cpubench import qemu`: QEMU's CPU models, versions and aliases from an
 * installed QEMU's own QMP answers (qemu.h), as a struct qemu_import for
 * the mask writer (qemu_import.c). Models are QMP's static expansion:
 * every property that is true; aliases what query-cpu-definitions says
 * they are an alias of (for bare names that is the version the machine
 * type picks; -machine none and the 7.2 machine types both pick v1).
 * True properties cpubench has no row for are listed in the files and
 * reported on stderr, never dropped silently. "max", "host" and "base"
 * are not models: skipped.
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
	if (maj > 0 && maj < 1000 && min >= 0 && min < 1000)
		snprintf(qc->release, sizeof(qc->release), "%d.%d", (int)maj, (int)min);
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

int qemu_model_from_props(json_t *props, struct qemu_model *out)
{
	const char *key;
	json_t *v;

	memset(out, 0, sizeof(*out));
	if (!json_is_object(props))
		return err_set("QEMU's model expansion has no properties");
	json_object_foreach(props, key, v) {
		if (json_is_true(v))
			qemu_model_add_feature(out, key);
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

/* ---------------------------------------------------------------- reading */

static const struct qemu_import_text qmp_text = {
	.model = "QEMU's CPU model as `cpubench import qemu` read it (QMP\n"
		 "# query-cpu-model-expansion, type static: every property that is true;\n"
		 "# min-level and min-xlevel are left to the CPUID builder).",
	.alias_how = "QMP query-cpu-definitions,\n# alias-of",
	.bare = "A bare model name is the version the machine type picks:\n"
		"# -machine none and QEMU 7.2's pc-i440fx/pc-q35 machine types pick this one.",
};

static bool skipped_model(const char *name)
{
	return !strcmp(name, "max") || !strcmp(name, "host") || !strcmp(name, "base");
}

/* The first release that defines @name: the table's, else "<=" this QEMU. */
static void since(struct qemu_import_model *e, const struct qemu_catalog *qc)
{
	const char *first = qemu_first_release(e->name);

	if (first)
		snprintf(e->qemu_since, sizeof(e->qemu_since), "%s", first);
	else if (qc->release[0] && strlen(qc->release) + 2 < sizeof(e->qemu_since))
		snprintf(e->qemu_since, sizeof(e->qemu_since), "<=%.*s",
			 (int)(sizeof(e->qemu_since) - 3), qc->release);
}

static int imp_add(struct qemu_import *im, struct qemu_catalog *qc, json_t *def)
{
	const char *name = json_string_value(json_object_get(def, "name"));
	const char *alias = json_string_value(json_object_get(def, "alias-of"));
	struct qemu_import_model *e;

	if (!name || skipped_model(name))
		return 0;
	e = qemu_import_add(im, name, alias);
	if (!e)
		return -1;
	if (alias)
		snprintf(e->provenance, sizeof(e->provenance),
			 "%s, query-cpu-definitions alias-of %s", qc->version, alias);
	else if (qemu_catalog_model(qc, name, &e->m))
		return -1;
	else
		snprintf(e->provenance, sizeof(e->provenance),
			 "%s, query-cpu-model-expansion static %s", qc->version, name);
	since(e, qc);
	im->nunmapped += e->m.nunmapped != 0;
	return 0;
}

int qemu_import_read(struct qemu_import *im, struct qemu_catalog *qc,
		     void (*step)(unsigned int done, unsigned int total, const char *name))
{
	json_t *defs = qemu_catalog_definitions(qc), *def;
	size_t i;
	int ret = 0;

	if (!defs)
		return -1;
	memset(im, 0, sizeof(*im));
	im->source = qc->version;
	im->text = &qmp_text;
	json_array_foreach(defs, i, def) {
		if (step)
			step((unsigned int)i, (unsigned int)json_array_size(defs),
			     json_string_value(json_object_get(def, "name")));
		if ((ret = imp_add(im, qc, def)))
			break;
	}
	json_decref(defs);
	return ret;
}
