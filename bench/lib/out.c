// SPDX-License-Identifier: GPL-2.0-only
/*
 * The program's output (out.h): a stdio stream over a cookie that writes
 * to a descriptor and keeps the first error with its errno. (A plain
 * stdio stream drops its buffer on a failed write and a later fflush()
 * succeeds: only ferror() would remain, without the reason.)
 */
#include "lib/out.h"

#include <errno.h>
#include <jansson.h>
#include <unistd.h>

#include "lib/err.h"
#include "lib/safe_file.h"
#include "lib/term.h"

static struct {
	FILE *f;
	int fd;
	int err;			/* first failed write's errno */
	bool reported;			/* out_flush() returned the error */
	bool to_file;			/* --output: sf holds the file */
	struct safe_file sf;
} out = { .fd = STDOUT_FILENO };

static ssize_t cookie_write(void *cookie, const char *buf, size_t len)
{
	size_t done = 0;

	(void)cookie;
	if (out.err) {
		errno = out.err;
		return 0;
	}
	while (done < len) {
		ssize_t n = write(out.fd, buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			out.err = n < 0 ? errno : EIO;
			errno = out.err;
			return 0;	/* glibc: 0 is an error here */
		}
		done += (size_t)n;
	}
	return (ssize_t)len;
}

/* The stream over out.fd, line-buffered on a terminal as stdout would be. */
static FILE *make_stream(void)
{
	cookie_io_functions_t io = { .write = cookie_write };
	FILE *f = fopencookie(NULL, "w", io);

	if (f && isatty(out.fd))
		setvbuf(f, NULL, _IOLBF, 0);
	return f;
}

FILE *out_stream(void)
{
	if (!out.f)
		out.f = make_stream();
	/* out of memory before anything was written: stdio's stdout still checks */
	return out.f ? out.f : stdout;
}

const char *out_name(void)
{
	return out.to_file ? out.sf.target : "standard output";
}

int out_open(const char *path)
{
	if (out.to_file)
		return err_set("--output given twice: give it once");
	if (safe_file_open(&out.sf, path))
		return -1;
	if (out.f)
		fclose(out.f);		/* nothing written yet: only the stream goes */
	out.to_file = true;
	out.fd = out.sf.fd;
	out.f = make_stream();
	if (!out.f) {
		safe_file_discard(&out.sf);
		out.to_file = false;
		out.fd = STDOUT_FILENO;
		return err_set("out of memory");
	}
	return 0;
}

int out_flush(FILE *f)
{
	int e;

	if (f != out.f) {
		errno = 0;
		if (fflush(f) == EOF || ferror(f))
			return err_set_errno(errno ? errno : EIO, "cannot write the output");
		return 0;
	}
	if (fflush(f) == EOF && !out.err)
		out.err = errno ? errno : EIO;
	if (!out.err && ferror(f))
		out.err = EIO;
	if (!out.err)
		return 0;
	e = out.err;
	out.reported = true;
	return err_set_errno(e, "cannot write %s", out_name());
}

int out_json(FILE *f, json_t *j)
{
	int ret;

	if (!j)
		return err_set("out of memory building the JSON output");
	ret = json_dumpf(j, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
			 JSON_REAL_PRECISION(OUT_JSON_REALS));
	json_decref(j);
	fputc('\n', f);
	/* jansson fails on a failed write too: the output says which it was */
	if (out_flush(f))
		return -1;
	return ret ? err_set("out of memory writing the JSON output") : 0;
}

bool out_failed(void)
{
	return out.reported;
}

bool out_isatty(FILE *f)
{
	int fd = f == out.f ? out.fd : fileno(f);

	return fd >= 0 && !(f == out.f && out.to_file) && isatty(fd);
}

unsigned int out_columns(FILE *f)
{
	return term_columns(out_isatty(f) ? (f == out.f ? out.fd : fileno(f)) : -1);
}

int out_close(bool keep)
{
	int ret = 0;

	if (out.f) {
		ret = out_flush(out.f);
		fclose(out.f);		/* the cookie has no close: fd stays open */
		out.f = NULL;
	}
	/* whatever went to stdio's stdout directly is checked as well */
	if (!ret && (fflush(stdout) == EOF || ferror(stdout))) {
		out.reported = true;
		ret = err_set_errno(errno ? errno : EIO, "cannot write standard output");
	}
	if (out.to_file) {
		if (keep && !ret) {
			ret = safe_file_commit(&out.sf);
			out.reported |= ret != 0;
		} else {
			safe_file_discard(&out.sf);
		}
		out.to_file = false;
		out.fd = STDOUT_FILENO;
	}
	return ret;
}
