/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The QEMU source tree the reference tests read: $QSRC_QEMU_DIR, else
 * ../shared/reference/qemu (from the repository root, as make runs
 * tests): QEMU 10.0 development, target/i386/cpu.{c,h} unmodified.
 *
 * A clean clone (CI) may have no ../shared at all: then, and only then,
 * the reference tests skip, naming the directory. A tree that is there
 * must read without an error, and a $QSRC_QEMU_DIR that is set must
 * exist: those fail.
 */
#ifndef CPUBENCH_TESTS_QEMU_REF_H
#define CPUBENCH_TESTS_QEMU_REF_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "import/qemu_source.h"
#include "lib/err.h"

#define QEMU_REF_DEFAULT_DIR	"../shared/reference/qemu"
#define QEMU_REF_COMMIT		"0048035a870312f2fd0f3dd28115398d26e419bb"

/*
 * Loads the reference tree into @q. Returns 0, 1 when the default
 * directory is absent (@why says so: a reason to skip), or -1 when the
 * tree cannot be read (@why holds the error: a failure).
 */
static inline int qemu_ref_load(struct qsrc *q, char *why, size_t size)
{
	const char *env = getenv("QSRC_QEMU_DIR");
	const char *dir = env && *env ? env : QEMU_REF_DEFAULT_DIR;
	struct stat st;

	if (!(env && *env) && stat(dir, &st) && errno == ENOENT) {
		snprintf(why, size, "no QEMU reference tree at %s (a clone without ../shared; set QSRC_QEMU_DIR to a QEMU source tree)",
			 dir);
		return 1;
	}
	if (qsrc_load(dir, q)) {
		snprintf(why, size, "cannot read the QEMU tree %s: %s", dir, err_msg());
		return -1;
	}
	return 0;
}

#endif
