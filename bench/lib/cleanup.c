// SPDX-License-Identifier: GPL-2.0-only
/*
 * The registry of what a fatal signal must undo, and its handler
 * (cleanup.h). Everything the handler reaches is async-signal-safe:
 * kill, waitpid, nanosleep, clock_gettime, open, getdents64, unlinkat,
 * unlink, rmdir, _exit.
 */
#include "lib/cleanup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/clock.h"
#include "lib/err.h"

static const int fatal_signals[] = { SIGINT, SIGTERM, SIGHUP };
#define NFATAL	(sizeof(fatal_signals) / sizeof(fatal_signals[0]))

static pid_t children[CLEANUP_MAX];
static char files[CLEANUP_MAX][PATH_MAX];
static char dirs[CLEANUP_MAX][PATH_MAX];

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

int cleanup_stop_child(pid_t pid, unsigned int grace_ms)
{
	long long deadline = clock_ms() + grace_ms;
	int status;
	pid_t r;

	if (pid <= 0)
		return -1;
	/* the group: QEMU's own children (a migration's "sh -c cat") too */
	if (grace_ms) {
		kill(-pid, SIGTERM);
		kill(pid, SIGTERM);
	}
	while (grace_ms) {
		r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			return status;
		if (r < 0 && errno != EINTR)
			return -1;
		if (clock_ms() >= deadline)
			break;
		sleep_ms(5);
	}
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	while ((r = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	return r == pid ? status : -1;
}

void cleanup_remove_dir(const char *dir)
{
	char buf[4096];
	ssize_t n;
	int fd;

	if (!dir[0])
		return;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0) {
		while ((n = getdents64(fd, buf, sizeof(buf))) > 0) {
			for (ssize_t off = 0; off < n;) {
				struct dirent64 *de = (struct dirent64 *)(buf + off);

				off += de->d_reclen;
				if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
					unlinkat(fd, de->d_name, 0);
			}
		}
		close(fd);
	}
	rmdir(dir);
}

/* Undoes everything registered. Runs in the signal handler. */
static void cleanup_run(void)
{
	for (int i = 0; i < CLEANUP_MAX; i++)
		if (children[i] > 0)
			kill(-children[i], SIGTERM);
	for (int i = 0; i < CLEANUP_MAX; i++)
		if (children[i] > 0)
			cleanup_stop_child(children[i], CHILD_GRACE_MS);
	for (int i = 0; i < CLEANUP_MAX; i++)
		if (files[i][0])
			unlink(files[i]);
	for (int i = 0; i < CLEANUP_MAX; i++)
		cleanup_remove_dir(dirs[i]);
}

static void on_fatal_signal(int sig)
{
	cleanup_run();
	_exit(128 + sig);
}

void cleanup_install(void)
{
	struct sigaction sa = { .sa_handler = on_fatal_signal };

	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < NFATAL; i++)
		sigaddset(&sa.sa_mask, fatal_signals[i]);
	for (size_t i = 0; i < NFATAL; i++) {
		struct sigaction old;

		/* a signal ignored at start stays ignored (nohup, `cmd &`) */
		if (!sigaction(fatal_signals[i], NULL, &old) && old.sa_handler == SIG_IGN)
			continue;
		sigaction(fatal_signals[i], &sa, NULL);
	}
	signal(SIGPIPE, SIG_IGN);
}

void cleanup_child_reset(void)
{
	sigset_t none;

	for (size_t i = 0; i < NFATAL; i++) {
		struct sigaction cur;

		if (!sigaction(fatal_signals[i], NULL, &cur) &&
		    cur.sa_handler == on_fatal_signal)
			signal(fatal_signals[i], SIG_DFL);
	}
	signal(SIGPIPE, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

void cleanup_block(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	for (size_t i = 0; i < NFATAL; i++)
		sigaddset(&set, fatal_signals[i]);
	sigprocmask(SIG_BLOCK, &set, old);
}

void cleanup_unblock(const sigset_t *old)
{
	sigprocmask(SIG_SETMASK, old, NULL);
}

int cleanup_add_child(pid_t pid)
{
	sigset_t old;
	int slot = -1;

	cleanup_block(&old);
	for (int i = 0; i < CLEANUP_MAX && slot < 0; i++)
		if (children[i] <= 0)
			slot = i;
	if (slot >= 0)
		children[slot] = pid;
	cleanup_unblock(&old);
	if (slot < 0)
		return err_set("more than %d child processes at once", CLEANUP_MAX);
	return 0;
}

void cleanup_del_child(pid_t pid)
{
	sigset_t old;

	cleanup_block(&old);
	for (int i = 0; i < CLEANUP_MAX; i++)
		if (children[i] == pid)
			children[i] = 0;
	cleanup_unblock(&old);
}

static int path_add(char (*list)[PATH_MAX], const char *path, const char *what)
{
	sigset_t old;
	int slot = -1;

	if (strlen(path) >= PATH_MAX)
		return err_set("%s path too long: %s", what, path);
	cleanup_block(&old);
	for (int i = 0; i < CLEANUP_MAX && slot < 0; i++)
		if (!list[i][0])
			slot = i;
	if (slot >= 0)
		strcpy(list[slot], path);
	cleanup_unblock(&old);
	if (slot < 0)
		return err_set("more than %d temporary %ss at once", CLEANUP_MAX, what);
	return 0;
}

static void path_del(char (*list)[PATH_MAX], const char *path)
{
	sigset_t old;

	cleanup_block(&old);
	for (int i = 0; i < CLEANUP_MAX; i++)
		if (!strcmp(list[i], path))
			list[i][0] = '\0';
	cleanup_unblock(&old);
}

int cleanup_add_file(const char *path)
{
	return path_add(files, path, "file");
}

int cleanup_add_dir(const char *path)
{
	return path_add(dirs, path, "directory");
}

void cleanup_del_file(const char *path)
{
	path_del(files, path);
}

void cleanup_del_dir(const char *path)
{
	path_del(dirs, path);
}
