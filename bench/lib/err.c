// SPDX-License-Identifier: GPL-2.0-only
#include "lib/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/textesc.h"

/* Per thread: vCPU threads (lib/parallel.h) fail on their own. */
static _Thread_local char err_buf[512];
static _Thread_local int err_status = EXIT_USAGE;

/*
 * Messages quote user input (a model name, a file's line, QEMU's words):
 * control bytes in it (CR, LF, ESC, a C1 CSI) would break the one-line
 * contract or drive the terminal, so text_safe() shows them as '?'.
 */
static void err_vset(const char *fmt, va_list ap)
{
	char raw[sizeof(err_buf)];

	vsnprintf(raw, sizeof(raw), fmt, ap);
	text_safe(err_buf, sizeof(err_buf), raw);
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
