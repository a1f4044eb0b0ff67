/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What cpubench must undo when a signal ends it: child processes to stop
 * (QEMU), temporary files (a half-written --output) and temporary
 * directories (QEMU's sockets, mailbox and migration state).
 *
 * cleanup_install() makes SIGINT, SIGTERM and SIGHUP stop every registered
 * child (SIGTERM to its process group, SIGKILL after CHILD_GRACE_MS),
 * remove every registered file and directory, and exit 128 + the signal
 * (130, 143, 129). It also ignores SIGPIPE: a reader that goes away is a
 * write error (EPIPE) that out.h reports, and a QMP socket whose QEMU died
 * is an error of that command, never a silent death that orphans QEMU.
 *
 * The handler uses async-signal-safe calls only; registration blocks
 * those signals while it changes the lists, so the handler never sees
 * half an entry. Children start with the handlers reset (child.h).
 */
#ifndef CPUBENCH_LIB_CLEANUP_H
#define CPUBENCH_LIB_CLEANUP_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#define CLEANUP_MAX		8	/* of each kind at once */
#define CHILD_GRACE_MS		1000	/* from SIGTERM to SIGKILL */

/* Installs the handlers and ignores SIGPIPE (cpubench's main does). */
void cleanup_install(void);

/*
 * In a forked child, before exec: the default action for the signals
 * cleanup_install() handles and for SIGPIPE, and no signal blocked.
 */
void cleanup_child_reset(void);

/*
 * Blocks SIGINT, SIGTERM and SIGHUP until cleanup_unblock(@old): around
 * fork() and around changes that must not be cut in half.
 */
void cleanup_block(sigset_t *old);
void cleanup_unblock(const sigset_t *old);

/*
 * Registers what the handler must undo. Each returns 0, or -1 with
 * err_set() when CLEANUP_MAX entries of that kind are registered already.
 * The paths are copied.
 */
int cleanup_add_child(pid_t pid);
int cleanup_add_file(const char *path);
int cleanup_add_dir(const char *path);
void cleanup_del_child(pid_t pid);
void cleanup_del_file(const char *path);
void cleanup_del_dir(const char *path);

/*
 * Removes the files of directory @dir (not recursively: cpubench's
 * temporary directories are flat) and @dir itself; async-signal-safe.
 */
void cleanup_remove_dir(const char *dir);

/*
 * Stops process group @pid: SIGTERM, then SIGKILL once @grace_ms passed
 * without an exit (0: SIGKILL at once); reaps @pid. Returns its wait status, or -1 when @pid
 * was no child of ours. Async-signal-safe.
 */
int cleanup_stop_child(pid_t pid, unsigned int grace_ms);

#endif
