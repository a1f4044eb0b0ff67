/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Model names from outside (QEMU's QMP answers, libvirt's XML) become
 * file names (OUT/NAME.mask) and lines of mask files: an importer checks
 * them all before it writes anything, so that no name escapes --out
 * ("../x"), injects a line ("x\nfeatures: +avx512f"), is cut to fit, or
 * lands on another model's file; and no mask it writes inherits a model
 * that is missing, or itself.
 */
#ifndef CPUBENCH_IMPORT_NAMES_H
#define CPUBENCH_IMPORT_NAMES_H

#include <stddef.h>

/* One mask an import would write. */
struct import_name {
	const char *name;	/* the mask's name, so its file's */
	const char *parent;	/* the mask it inherits; NULL or "" for none */
	const char *origin;	/* where it comes from, for messages */
};

/*
 * Whether @name (a model name of @origin, which an importer will prefix
 * with @prefix_len bytes) can become a mask name: 1 to
 * MASK_NAME_MAX - 1 - @prefix_len letters, digits, '.', '_' or '-', not
 * starting with '.'. Returns 0, or -1 with err_set() stating the rule and
 * the limit ("ORIGIN: model name 'x/y' cannot name a mask file: ...").
 */
int import_name_check(const char *origin, const char *name, size_t prefix_len);

/*
 * Checks what an import of @v[0..@n-1] would write, before it is written:
 * every name and parent as import_name_check() wants them; no two names
 * equal, or equal but for case (one file on a case-insensitive
 * filesystem); every parent one of the names; no inheritance loop.
 * Returns 0, or -1 with err_set() naming the origin and the model.
 */
int import_names_check(const struct import_name *v, unsigned int n);

#endif
