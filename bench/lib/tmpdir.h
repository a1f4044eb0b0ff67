/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Private temporary directories: "$TMPDIR/cpubench-TAG-XXXXXX" (TMPDIR
 * unset or empty: /tmp), mode 0700, flat (files only), registered with
 * cleanup.h from creation to removal so that a fatal signal removes them.
 */
#ifndef CPUBENCH_LIB_TMPDIR_H
#define CPUBENCH_LIB_TMPDIR_H

#include <stddef.h>

/* Creates one into @dir (@len bytes). Returns 0, or -1 with err_set(). */
int tmpdir_create(char *dir, size_t len, const char *tag);

/* Removes @dir's files and @dir, unregisters it, empties @dir. */
void tmpdir_remove(char *dir);

#endif
