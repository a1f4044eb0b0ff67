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

#include "import/qemu_import.h"
#include "lib/child.h"
#include "qemu/qmp_client.h"

/*
 * One running `qemu-system-x86_64 -machine none` and its QMP socket, in a
 * private directory under TMPDIR; QEMU dies with cpubench (lib/child.h).
 */
struct qemu_catalog {
	struct child proc;
	char dir[4096];			/* lib/tmpdir.h */
	struct qmp qmp;
	char version[128];		/* "QEMU 7.2.22 (Debian ...)" */
	char release[16];		/* "7.2" */
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
 * Reads every model of @qc into @im (free with qemu_import_free()). When
 * @step is not NULL it is called before each definition with how many
 * are done, how many there are and the next one's name (progress).
 */
int qemu_import_read(struct qemu_import *im, struct qemu_catalog *qc,
		     void (*step)(unsigned int done, unsigned int total, const char *name));

#endif
