/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one place cpubench starts and stops child processes (QEMU).
 *
 * A child dies with cpubench: it runs in its own process group (so that a
 * stop reaches what it starts itself), with PR_SET_PDEATHSIG SIGKILL (so
 * that even a SIGKILL of cpubench takes it along), with the signal
 * dispositions cpubench had before cleanup_install(), and registered with
 * cleanup.h until it is reaped. Every wait is bounded: a child that does
 * not exit is sent SIGTERM, then SIGKILL after CHILD_GRACE_MS.
 */
#ifndef CPUBENCH_LIB_CHILD_H
#define CPUBENCH_LIB_CHILD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct child {
	pid_t pid;		/* > 0 while it runs or is unreaped */
	int status;		/* waitpid() status once reaped; -1 before */
	int exec_errno;		/* why exec failed (child_start() returned -1) */
};

/*
 * Starts @argv (argv[0] searched in PATH) with @fd_in, @fd_out and
 * @fd_err as its standard streams (-1: /dev/null). Returns 0 once the
 * program runs, or -1 with err_set() ("cannot run NAME: why"); when exec
 * itself failed, c->exec_errno says why (ENOENT: not installed).
 */
int child_start(struct child *c, const char *const *argv, int fd_in,
		int fd_out, int fd_err);

/* Whether it has exited (then reaped; status in c->status). Never blocks. */
bool child_exited(struct child *c);

/*
 * Waits up to @timeout_ms for it to exit on its own; then stops it
 * (child_stop()). Returns whether it exited on its own.
 */
bool child_wait(struct child *c, unsigned int timeout_ms);

/*
 * Stops it unless it has exited: SIGTERM to its process group, SIGKILL
 * after CHILD_GRACE_MS; reaps it. Safe to call again, or on a child that
 * never started (pid 0).
 */
void child_stop(struct child *c);

/*
 * Ends it at once unless it has exited (SIGKILL to its process group) and
 * reaps it: for a child whose work is done, a VM whose results are in.
 */
void child_kill(struct child *c);

/* "exit status N", "killed by signal N" or "still running", for messages. */
const char *child_status_text(const struct child *c, char *buf, size_t len);

/*
 * Runs @argv to its end with its standard output collected into a
 * malloc'ed, NUL-terminated *@out (at most @max bytes; stderr discarded),
 * bounded by @timeout_ms. Returns its wait status (a timeout stops it and
 * is an error), or -1 with err_set().
 */
int child_output(const char *const *argv, size_t max, unsigned int timeout_ms,
		 char **out);

#endif
