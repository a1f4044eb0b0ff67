// SPDX-License-Identifier: GPL-2.0-only
/*
 * Files replaced atomically (safe_file.h).
 */
#include "lib/safe_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/err.h"
#include "lib/file_read.h"

/* Whether @path may be replaced; the permission bits the new file gets. */
static int check_target(const char *path, mode_t *mode)
{
	struct stat st;
	mode_t mask;

	if (lstat(path, &st)) {
		if (errno != ENOENT)
			return err_set_errno(errno, "cannot write %s", path);
		mask = umask(0);
		umask(mask);
		*mode = 0666 & ~mask;
		return 0;
	}
	if (S_ISLNK(st.st_mode))
		return err_set("%s: a symbolic link: cpubench replaces files, never what "
			       "a link points to; give the file's own path", path);
	if (!S_ISREG(st.st_mode))
		return err_set("%s: not a regular file (a %s): give the path of a file "
			       "to write", path, file_type_name(st.st_mode));
	*mode = st.st_mode & 07777;
	return 0;
}

/* "DIR/.BASE.tmp-XXXXXX" for mkostemp(); NULL (err_set) on a bad path. */
static char *tmp_template(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	int dirlen = slash ? (int)(slash - path) + 1 : 0;
	char *tmp;

	if (!*base || !strcmp(base, ".") || !strcmp(base, "..")) {
		err_set("%s: not a file name: give the path of a file to write", path);
		return NULL;
	}
	if (asprintf(&tmp, "%.*s.%s.tmp-XXXXXX", dirlen, path, base) < 0) {
		err_set("out of memory");
		return NULL;
	}
	return tmp;
}

static void release(struct safe_file *sf)
{
	if (sf->fd >= 0)
		close(sf->fd);
	if (sf->tmp) {
		sigset_t old;

		cleanup_block(&old);
		unlink(sf->tmp);
		cleanup_del_file(sf->tmp);
		cleanup_unblock(&old);
	}
	free(sf->tmp);
	free(sf->target);
	*sf = (struct safe_file){ .fd = -1 };
}

int safe_file_open(struct safe_file *sf, const char *path)
{
	sigset_t old;
	mode_t mode = 0600;
	int e = 0;

	*sf = (struct safe_file){ .fd = -1 };
	if (check_target(path, &mode))
		return -1;
	sf->target = strdup(path);
	sf->tmp = tmp_template(path);
	if (!sf->target || !sf->tmp) {
		if (!sf->target)
			err_set("out of memory");
		free(sf->target);
		free(sf->tmp);
		*sf = (struct safe_file){ .fd = -1 };
		return -1;
	}
	/* created and registered with no fatal signal in between */
	cleanup_block(&old);
	sf->fd = mkostemp(sf->tmp, O_CLOEXEC);
	if (sf->fd < 0)
		e = errno;
	else if (cleanup_add_file(sf->tmp))
		e = EMFILE;
	cleanup_unblock(&old);
	if (sf->fd < 0) {
		free(sf->tmp);
		sf->tmp = NULL;
		release(sf);
		return err_set_errno(e, "cannot write %s (a temporary file beside it)", path);
	}
	if (e || fchmod(sf->fd, mode)) {
		e = e ? e : errno;
		release(sf);
		return err_set_errno(e, "cannot write %s", path);
	}
	return 0;
}

void safe_file_put(struct safe_file *sf, const void *data, size_t len)
{
	const char *p = data;

	while (len && !sf->err) {
		ssize_t n = write(sf->fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			sf->err = n < 0 ? errno : EIO;
			break;
		}
		p += n;
		len -= (size_t)n;
	}
}

/* After the rename: the directory entry itself reaches the disk. */
static void sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? strndup(path, (size_t)(slash - path) + 1) : strdup(".");
	int fd = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

int safe_file_commit(struct safe_file *sf)
{
	int e = sf->err;

	if (!e && fsync(sf->fd))
		e = errno;
	if (!e) {
		int fd = sf->fd;

		sf->fd = -1;
		if (close(fd))
			e = errno;
	}
	if (!e && rename(sf->tmp, sf->target))
		e = errno;
	if (e) {
		char *target = sf->target;

		sf->target = NULL;
		release(sf);
		err_set_errno(e, "cannot write %s", target);
		free(target);
		return -1;
	}
	sync_dir(sf->target);
	cleanup_del_file(sf->tmp);
	free(sf->tmp);
	sf->tmp = NULL;		/* renamed: nothing to remove */
	release(sf);
	return 0;
}

void safe_file_discard(struct safe_file *sf)
{
	release(sf);
}

int safe_file_write(const char *path, const void *data, size_t len)
{
	struct safe_file sf;

	if (safe_file_open(&sf, path))
		return -1;
	safe_file_put(&sf, data, len);
	return safe_file_commit(&sf);
}
