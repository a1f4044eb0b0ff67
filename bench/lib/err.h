/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One-line error reporting.
 *
 * Library code never prints and never exits: a failing function records one
 * line with err_set() (returning -1 for convenience) and the command layer
 * prints it once, prefixed with "cpubench: ", and picks the exit status.
 * The message and its class are per thread: a worker hands its error to
 * the thread that reports it (err_set("%s", msg), err_set_class()).
 */
#ifndef CPUBENCH_ERR_H
#define CPUBENCH_ERR_H

/* Exit statuses, part of the command-line interface (see README). */
enum exit_status {
	EXIT_HOLDS = 0,		/* the model holds */
	EXIT_BROKEN = 1,	/* missing / error / unexpected leak */
	EXIT_USAGE = 2,		/* bad usage or input */
	EXIT_ENV = 3,		/* the environment cannot run guests */
};

/* Records a printf-style message; returns -1. Replaces any earlier one. */
int err_set(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* As err_set(), and appends ": <strerror(errnum)>". */
int err_set_errno(int errnum, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The last recorded message ("" if none). */
const char *err_msg(void);
/* The exit status class of the last error: EXIT_USAGE unless set otherwise. */
int err_class(void);
void err_set_class(int status);

/* Marks the error just recorded as "this environment cannot run guests". */
static inline int err_env(int ret)
{
	err_set_class(EXIT_ENV);
	return ret;
}
void err_clear(void);

#endif
