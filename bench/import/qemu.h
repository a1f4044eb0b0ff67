/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * QEMU's CPU model catalog, read over QMP from an installed
 * qemu-system-x86_64 started with `-machine none` (no guest runs):
 * query-cpu-definitions names every model, version and alias;
 * query-cpu-model-expansion type=static gives each model's definition
 * as "base" plus properties. Used by `cpubench import qemu` and by the
 * consistency test of masks/ against the installed QEMU.
 */
#ifndef CPUBENCH_IMPORT_QEMU_H
#define CPUBENCH_IMPORT_QEMU_H

#include <stdint.h>

#include "catalog/mask.h"
#include "cpu/cpuid_builder.h"
#include "cpu/featureset.h"
#include "lib/child.h"
#include "qemu/qmp_client.h"

#define QEMU_UNMAPPED_MAX	32

/*
 * One running `qemu-system-x86_64 -machine none` and its QMP socket, in a
 * private directory under TMPDIR; QEMU dies with cpubench (lib/child.h).
 */
struct qemu_catalog {
	struct child proc;
	char dir[4096];			/* lib/tmpdir.h */
	struct qmp qmp;
	char version[128];		/* "QEMU 7.2.22 (Debian ...)" */
};

/* One model as QEMU's static expansion defines it. */
struct qemu_model {
	struct cpu_identity identity;
	featureset_t features;		/* properties that are true */
	uint32_t msr_features;		/* bits of msr_features[] */
	unsigned int nunmapped;		/* true properties cpubench cannot name */
	char unmapped[QEMU_UNMAPPED_MAX][48];
};

/*
 * Starts @qemu (NULL: qemu-system-x86_64 from PATH) and connects; a QEMU
 * that exits at once is noticed at once. Returns 0, or -1 with err_set()
 * (class EXIT_ENV).
 */
int qemu_catalog_open(struct qemu_catalog *qc, const char *qemu);
void qemu_catalog_close(struct qemu_catalog *qc);

/* query-cpu-definitions: a new reference to the array, or NULL. */
json_t *qemu_catalog_definitions(struct qemu_catalog *qc);

/* The static expansion of model @name, converted. 0, or -1 with err_set(). */
int qemu_catalog_model(struct qemu_catalog *qc, const char *name,
		       struct qemu_model *out);

/* Converts a static expansion's "props" object (tests use it directly). */
int qemu_model_from_props(json_t *props, struct qemu_model *out);

/*
 * The models, versions and aliases of one QEMU, as `cpubench import qemu`
 * writes them (one NAME.mask each; file shape in import/qemu.c).
 */
struct qemu_import_model {
	char name[MASK_NAME_MAX];
	char alias_of[MASK_NAME_MAX];	/* "" for a model */
	struct qemu_model m;
};

struct qemu_import {
	const char *version;		/* the QEMU it came from, for provenance */
	struct qemu_import_model *v;
	unsigned int n;
	unsigned int nunmapped;		/* models with unmapped features */
};

/* Reads every model of @qc into @im (free with qemu_import_free()). */
int qemu_import_read(struct qemu_import *im, struct qemu_catalog *qc);
/*
 * Writes OUT_DIR/NAME.mask for each, once import_names_check() found no
 * collision, duplicate, loop or missing parent (nothing is written
 * otherwise); each file whole or not at all. 0, or -1 with err_set().
 */
int qemu_import_write(const struct qemu_import *im, const char *out_dir);
void qemu_import_free(struct qemu_import *im);

#endif
