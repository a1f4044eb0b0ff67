// SPDX-License-Identifier: GPL-2.0-only
#include "lib/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Per thread: vCPU threads (lib/parallel.h) fail on their own. */
static _Thread_local char err_buf[512];
static _Thread_local int err_status = EXIT_USAGE;

/*
 * Messages quote user input (a model name, a file's line): control bytes
 * in it (CR, LF, ESC) would break the one-line contract or drive the
 * terminal, so they are shown as '?'.
 */
static void err_sanitize(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

static void err_vset(const char *fmt, va_list ap)
{
	vsnprintf(err_buf, sizeof(err_buf), fmt, ap);
	err_sanitize(err_buf);
}

int err_set(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(fmt, ap);
	va_end(ap);
	err_status = EXIT_USAGE;
	return -1;
}

int err_set_errno(int errnum, const char *fmt, ...)
{
	size_t len;
	va_list ap;

	va_start(ap, fmt);
	err_vset(fmt, ap);
	va_end(ap);
	len = strlen(err_buf);
	snprintf(err_buf + len, sizeof(err_buf) - len, ": %s", strerror(errnum));
	err_status = EXIT_USAGE;
	return -1;
}

const char *err_msg(void)
{
	return err_buf;
}

int err_class(void)
{
	return err_status;
}

void err_set_class(int status)
{
	err_status = status;
}

void err_clear(void)
{
	err_buf[0] = '\0';
	err_status = EXIT_USAGE;
}
