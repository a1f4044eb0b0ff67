/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A minimal QMP client (QEMU Machine Protocol, docs/interop/qmp-spec):
 * one Unix socket, one command at a time, asynchronous events skipped.
 */
#ifndef CPUBENCH_QMP_CLIENT_H
#define CPUBENCH_QMP_CLIENT_H

#include <jansson.h>

#include "lib/child.h"

struct qmp {
	int fd;
	char buf[65536];
	size_t len;		/* bytes buffered, not yet a whole line */
};

/*
 * Connects to the QMP socket at @path (retrying while QEMU creates it, up
 * to @timeout_ms), reads the greeting and negotiates capabilities. When
 * @qemu (the process that serves it) exits meanwhile, that is noticed at
 * once, not at the timeout. Returns 0, or -1 with err_set().
 */
int qmp_open(struct qmp *q, const char *path, unsigned int timeout_ms,
	     struct child *qemu);
void qmp_close(struct qmp *q);

/*
 * Runs @cmd with @args (may be NULL; the reference is stolen) and returns
 * its "return" value (a new reference), or NULL with err_set() naming the
 * command and QEMU's error description.
 */
json_t *qmp_cmd(struct qmp *q, const char *cmd, json_t *args,
		unsigned int timeout_ms);

#endif
