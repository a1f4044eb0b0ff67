/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reading a small text file a user names (a mask, a host description)
 * without trusting it: only regular files (a FIFO would block forever, a
 * device could be endless), refused by size before a byte is read, and
 * never more than the cap read, even from /proc files that report size 0.
 */
#ifndef CPUBENCH_FILE_READ_H
#define CPUBENCH_FILE_READ_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Reads @path into a malloc'ed, NUL-terminated buffer (*@out, length
 * *@len). @what names the expected content in errors ("a mask file").
 * Returns 0, or -1 with err_set(): "cannot open PATH: why", "PATH: not a
 * regular file ...", "PATH: larger than N KiB/MiB: not WHAT".
 */
int file_read_text(const char *path, size_t max, const char *what,
		   char **out, size_t *len);

/* "directory", "FIFO", "symbolic link", "device", "socket" or "file". */
const char *file_type_name(mode_t mode);

#endif
