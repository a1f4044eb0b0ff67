/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * QEMU's CPU models as the importers read them, and the one writer that
 * turns them into mask files (import/qemu_import.c). Two importers fill a
 * struct qemu_import: `import qemu` from an installed QEMU over QMP
 * (import/qemu.c), `import qemu-source` from QEMU's C source
 * (import/qemu_source_import.c). Each entry carries its own provenance
 * line and, where known, the first QEMU release that defines its name
 * (import/qemu_release.c).
 */
#ifndef CPUBENCH_IMPORT_QEMU_IMPORT_H
#define CPUBENCH_IMPORT_QEMU_IMPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "catalog/mask_file.h"
#include "cpu/cpuid_builder.h"
#include "cpu/featureset.h"

#define QEMU_UNMAPPED_MAX	32
#define QEMU_PROVENANCE_MAX	200	/* struct mask_file's provenance */

/* One model version as QEMU defines it, in cpubench's terms. */
struct qemu_model {
	struct cpu_identity identity;
	featureset_t features;		/* properties that are true */
	uint32_t msr_features;		/* bits of msr_features[] */
	/* true features cpubench cannot name, and properties it cannot
	 * represent ("avx10-version=1"): listed in the file, never dropped */
	unsigned int nunmapped;
	char unmapped[QEMU_UNMAPPED_MAX][48];
};

/* Adds QEMU feature @name to @m: a feature, an MSR feature, or unmapped. */
void qemu_model_add_feature(struct qemu_model *m, const char *name);
/* Records @what (a name or "prop=value") as something @m cannot represent. */
void qemu_model_add_unmapped(struct qemu_model *m, const char *what);

/* One mask file to write: a model version, or an alias of one. */
struct qemu_import_model {
	char name[MASK_NAME_MAX];
	char alias_of[MASK_NAME_MAX];		/* "" for a model */
	char provenance[QEMU_PROVENANCE_MAX];	/* the file's provenance: line */
	char qemu_since[MASK_QEMU_SINCE_MAX];	/* "" when unknown */
	struct qemu_model m;
};

/*
 * How an importer read what it imports, for the comments at the top of
 * each file. Each is one or more comment lines' text, lines joined with
 * "\n# "; @model follows "# NAME: ", @alias_how "an alias QEMU defines
 * for TARGET (".
 */
struct qemu_import_text {
	const char *model;	/* how a model's features were read */
	const char *alias_how;	/* where aliases come from */
	const char *bare;	/* what a bare model name means */
};

struct qemu_import {
	const char *source;	/* "# Source:" line: the QEMU or tree it came from */
	const struct qemu_import_text *text;
	struct qemu_import_model *v;
	unsigned int n, cap;
	unsigned int nunmapped;	/* models with unmapped features */
};

/* A new entry at the end of @im (zeroed), or NULL after err_set(). */
struct qemu_import_model *qemu_import_add(struct qemu_import *im, const char *name,
					  const char *alias_of);

/*
 * Writes OUT_DIR/NAME.mask for each entry; with @keep_existing, a file
 * that exists is left as it is and counted in *@kept (may be NULL).
 * File shape, deterministic so a re-import diffs cleanly:
 *  - NAME-vN inherits NAME-v(N-1) when @im has it, with the features that
 *    version adds and removes; NAME-v1 lists every feature;
 *  - an alias inherits what it is an alias of, nothing else;
 *  - identity always written (vendor, family/model/stepping, model-id);
 *  - what cpubench cannot represent is listed in a comment.
 * Returns 0, or -1 with err_set().
 */
int qemu_import_write(const struct qemu_import *im, const char *out_dir,
		      bool keep_existing, unsigned int *kept);
void qemu_import_free(struct qemu_import *im);

/*
 * The first QEMU release that defines model name @name ("8.1"), for names
 * QEMU 7.2 lacks; NULL when cpubench's table does not know it. The
 * table's evidence is in import/qemu_release.c.
 */
const char *qemu_first_release(const char *name);

#endif
