/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `cpubench import qemu-source`: QEMU's models read from its C source
 * (import/qemu_source.h) as mask files the way `import qemu` writes them
 * (import/qemu_import.h). What the conversion adds and leaves out is
 * described in import/qemu_source_import.c.
 */
#ifndef CPUBENCH_IMPORT_QEMU_SOURCE_IMPORT_H
#define CPUBENCH_IMPORT_QEMU_SOURCE_IMPORT_H

#include <stddef.h>

#include "import/qemu_import.h"
#include "import/qemu_source.h"

/*
 * Fills @im with every model version and alias of @q, in
 * builtin_x86_defs[] order. @source (of @size bytes) receives the line
 * naming the source, which @im->source points to. Returns 0, or -1 with
 * err_set(); free @im with qemu_import_free() either way.
 */
int qemu_import_from_source(struct qemu_import *im, const struct qsrc *q,
			    char *source, size_t size);

#endif
