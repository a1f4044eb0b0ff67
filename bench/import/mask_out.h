/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Writing one imported mask file, OUT_DIR/NAME.mask: rendered in memory,
 * then put in place whole or not at all (lib/safe_file.h: never through
 * a symbolic link, never into a FIFO). Names are checked first
 * (names.h); every other text from outside (a description, QEMU's
 * version, an XML attribute) goes through text_safe() (lib/textesc.h),
 * which turns newlines and other control bytes into '?': nothing from
 * outside can add a line to a mask file.
 */
#ifndef CPUBENCH_IMPORT_MASK_OUT_H
#define CPUBENCH_IMPORT_MASK_OUT_H

#include <stdio.h>

/* OUT_DIR/@name.mask into @path: 0, or -1 with err_set() if too long. */
int mask_out_path(char *path, size_t size, const char *out_dir, const char *name);

/*
 * Writes OUT_DIR/@name.mask with what @render writes to its stream.
 * Returns 0, or -1 with err_set().
 */
int mask_out_write(const char *out_dir, const char *name,
		   void (*render)(FILE *f, const void *ctx), const void *ctx);

#endif
