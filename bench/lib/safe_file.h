/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Replacing a file so that nothing is lost: the new content goes to a
 * temporary file in the target's directory (so on its filesystem), is
 * fsynced and renamed over the target, and the directory is fsynced. A
 * reader sees the old file or the whole new one, never a part; a failure
 * at any step (a full disk, a signal) leaves the old file as it was and
 * removes the temporary one (registered with cleanup.h meanwhile).
 *
 * The target must be absent or a regular file. A symbolic link is
 * refused, as are FIFOs (a write would wait for a reader), devices,
 * sockets and directories; and rename() replaces a link that appears
 * meanwhile by the file, never writing through it. The new file keeps the
 * old one's permission bits (0666 less the umask for a new file); hard
 * links to the old file keep the old content.
 */
#ifndef CPUBENCH_LIB_SAFE_FILE_H
#define CPUBENCH_LIB_SAFE_FILE_H

#include <stddef.h>

struct safe_file {
	char *target;		/* the path given (malloc'ed) */
	char *tmp;		/* the temporary file beside it; NULL when none */
	int fd;			/* open on tmp; -1 when none */
	int err;		/* first errno of safe_file_put(); 0 if none */
};

/*
 * Checks @path and creates the temporary file (sf->fd). Returns 0, or -1
 * with err_set() naming @path ("PATH: a symbolic link: ...").
 */
int safe_file_open(struct safe_file *sf, const char *path);

/* Writes @len bytes to sf->fd; the first failure is kept in sf->err. */
void safe_file_put(struct safe_file *sf, const void *data, size_t len);

/*
 * Fsyncs, closes and renames the temporary file over the target. Returns
 * 0, or -1 with err_set() ("cannot write PATH: why"; sf->err first), the
 * temporary file removed. Either way @sf is released.
 */
int safe_file_commit(struct safe_file *sf);

/* Removes the temporary file and releases @sf; the target is untouched. */
void safe_file_discard(struct safe_file *sf);

/* The whole cycle for @len bytes of @data. 0, or -1 with err_set(). */
int safe_file_write(const char *path, const void *data, size_t len);

#endif
