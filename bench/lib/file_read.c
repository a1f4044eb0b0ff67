// SPDX-License-Identifier: GPL-2.0-only
#include "lib/file_read.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/err.h"

const char *file_type_name(mode_t mode)
{
	if (S_ISDIR(mode))
		return "directory";
	if (S_ISFIFO(mode))
		return "FIFO";
	if (S_ISLNK(mode))
		return "symbolic link";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "device";
	if (S_ISSOCK(mode))
		return "socket";
	return "file";
}

static int too_large(const char *path, size_t max, const char *what)
{
	if (max >= 1024u * 1024)
		return err_set("%s: larger than %zu MiB: not %s", path, max >> 20, what);
	return err_set("%s: larger than %zu KiB: not %s", path, max >> 10, what);
}

int file_read_text(const char *path, size_t max, const char *what,
		   char **out, size_t *len)
{
	/* O_NONBLOCK: opening a FIFO must not wait for a writer */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	size_t n = 0, cap;
	struct stat st;
	char *buf;

	*out = NULL;
	*len = 0;
	if (fd < 0)
		return err_set_errno(errno, "cannot open %s", path);
	if (fstat(fd, &st)) {
		close(fd);
		return err_set_errno(errno, "cannot read %s", path);
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return err_set("%s: not a regular file (a %s): give %s",
			       path, file_type_name(st.st_mode), what);
	}
	if ((unsigned long long)st.st_size > max) {
		close(fd);
		return too_large(path, max, what);
	}
	/* st_size is a hint: 0 for /proc files, stale if the file grows */
	cap = (size_t)st.st_size + 1 < 4096 ? 4096 : (size_t)st.st_size + 1;
	buf = malloc(cap + 1);
	if (!buf) {
		close(fd);
		return err_set("out of memory");
	}
	for (;;) {
		ssize_t r;

		if (n == cap) {
			char *nb;

			if (cap > max) {
				free(buf);
				close(fd);
				return too_large(path, max, what);
			}
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			nb = realloc(buf, cap + 1);
			if (!nb) {
				free(buf);
				close(fd);
				return err_set("out of memory");
			}
			buf = nb;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			free(buf);
			close(fd);
			return err_set_errno(e, "cannot read %s", path);
		}
		if (!r)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (n > max) {
		free(buf);
		return too_large(path, max, what);
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}
