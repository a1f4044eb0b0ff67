// SPDX-License-Identifier: GPL-2.0-only
/*
 * Child processes that die with cpubench (child.h).
 */
#include "lib/child.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/clock.h"
#include "lib/err.h"

/* In the child, between fork and exec: only async-signal-safe calls. */
static void __attribute__((noreturn))
child_exec(const char *const *argv, pid_t parent, int fd[3], int report)
{
	int null = open("/dev/null", O_RDWR);
	int err;

	cleanup_child_reset();
	/* dies with cpubench; the check closes the race with its exit */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
	setpgid(0, 0);
	for (int i = 0; i < 3; i++) {
		int src = fd[i] >= 0 ? fd[i] : null;

		/* dup2 onto itself would keep O_CLOEXEC: clear it instead */
		if (src == i)
			fcntl(i, F_SETFD, 0);
		else if (src >= 0)
			dup2(src, i);
	}
	execvp(argv[0], (char *const *)argv);
	err = errno;
	if (write(report, &err, sizeof(err)) < 0)
		_exit(127);
	_exit(127);
}

int child_start(struct child *c, const char *const *argv, int fd_in,
		int fd_out, int fd_err)
{
	int fd[3] = { fd_in, fd_out, fd_err }, report[2];
	pid_t parent = getpid();
	sigset_t old;
	ssize_t got;
	int err = 0;

	*c = (struct child){ .pid = 0, .status = -1 };
	if (pipe2(report, O_CLOEXEC))
		return err_set_errno(errno, "cannot run %s: pipe", argv[0]);
	/* no fatal signal between fork and registration */
	cleanup_block(&old);
	c->pid = fork();
	if (c->pid == 0)
		child_exec(argv, parent, fd, report[1]);
	if (c->pid > 0) {
		setpgid(c->pid, c->pid);	/* either side may win the race */
		if (cleanup_add_child(c->pid)) {
			cleanup_unblock(&old);
			close(report[0]);
			close(report[1]);
			child_stop(c);
			return -1;
		}
	}
	cleanup_unblock(&old);
	close(report[1]);
	if (c->pid < 0) {
		close(report[0]);
		c->pid = 0;
		return err_set_errno(errno, "cannot run %s: fork", argv[0]);
	}
	/* 0 bytes: exec closed the pipe (O_CLOEXEC), the program runs */
	while ((got = read(report[0], &err, sizeof(err))) < 0 && errno == EINTR)
		;
	close(report[0]);
	if (got == sizeof(err)) {
		child_stop(c);
		c->exec_errno = err;
		return err_set_errno(err, "cannot run %s", argv[0]);
	}
	return 0;
}

static void reaped(struct child *c, int status)
{
	cleanup_del_child(c->pid);
	c->status = status;
	c->pid = 0;
}

bool child_exited(struct child *c)
{
	int status;
	pid_t r;

	if (c->pid <= 0)
		return true;
	while ((r = waitpid(c->pid, &status, WNOHANG)) < 0 && errno == EINTR)
		;
	if (r == c->pid || r < 0) {
		reaped(c, r < 0 ? -1 : status);
		return true;
	}
	return false;
}

bool child_wait(struct child *c, unsigned int timeout_ms)
{
	long long deadline = clock_ms() + timeout_ms;

	while (!child_exited(c)) {
		struct timespec ts = { 0, 5 * 1000000 };

		if (clock_ms() >= deadline) {
			child_stop(c);
			return false;
		}
		nanosleep(&ts, NULL);
	}
	return true;
}

static void stop(struct child *c, unsigned int grace_ms)
{
	sigset_t old;

	if (c->pid <= 0)
		return;
	/* reaped and unregistered together: the handler never sees a stale pid */
	cleanup_block(&old);
	reaped(c, cleanup_stop_child(c->pid, grace_ms));
	cleanup_unblock(&old);
}

void child_stop(struct child *c)
{
	stop(c, CHILD_GRACE_MS);
}

void child_kill(struct child *c)
{
	stop(c, 0);
}

const char *child_status_text(const struct child *c, char *buf, size_t len)
{
	if (c->pid > 0)
		snprintf(buf, len, "still running");
	else if (c->status >= 0 && WIFEXITED(c->status))
		snprintf(buf, len, "exit status %d", WEXITSTATUS(c->status));
	else if (c->status >= 0 && WIFSIGNALED(c->status))
		snprintf(buf, len, "killed by signal %d", WTERMSIG(c->status));
	else
		snprintf(buf, len, "exit status unknown");
	return buf;
}

int child_output(const char *const *argv, size_t max, unsigned int timeout_ms,
		 char **out)
{
	long long deadline = clock_ms() + timeout_ms;
	size_t len = 0, cap = 65536;
	char *buf = malloc(cap + 1);
	struct child c;
	int fds[2];

	*out = NULL;
	if (!buf)
		return err_set("out of memory");
	if (pipe2(fds, O_CLOEXEC)) {
		free(buf);
		return err_set_errno(errno, "cannot run %s: pipe", argv[0]);
	}
	if (child_start(&c, argv, -1, fds[1], -1)) {
		close(fds[0]);
		close(fds[1]);
		free(buf);
		return -1;
	}
	close(fds[1]);
	for (;;) {
		struct pollfd pfd = { .fd = fds[0], .events = POLLIN };
		long long left = deadline - clock_ms();
		ssize_t n;

		if (left <= 0) {
			close(fds[0]);
			child_stop(&c);
			free(buf);
			return err_set("%s did not finish within %u ms", argv[0], timeout_ms);
		}
		if (poll(&pfd, 1, (int)left) < 0 && errno != EINTR)
			break;
		if (!pfd.revents)
			continue;
		if (len == cap && cap < max) {
			char *p = realloc(buf, (cap = cap * 2 > max ? max : cap * 2) + 1);

			if (!p)
				break;
			buf = p;
		}
		if (len == cap)
			break;		/* more than @max: the rest is not read */
		n = read(fds[0], buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fds[0]);
	buf[len] = '\0';
	child_wait(&c, (unsigned int)(deadline > clock_ms() ? deadline - clock_ms() : 0));
	*out = buf;
	return c.status;
}
