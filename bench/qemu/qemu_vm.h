/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One qemu-system-x86_64 process running the guest payload: started with
 * the payload as its PVH kernel and the mailbox (with the plan) as its
 * module, watched through its debug console, whose text protocol is in
 * guestcode/mailbox.h. No network, no disk, no display, no firmware
 * console; QEMU's own messages are kept for reports. -no-reboot: a guest
 * that resets (a triple fault) makes QEMU exit, never boot again.
 *
 * QEMU is a child of lib/child.h: it dies with cpubench, and stopping it
 * is bounded (SIGTERM, then SIGKILL).
 */
#ifndef CPUBENCH_QEMU_VM_H
#define CPUBENCH_QEMU_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "guestcode/mailbox.h"
#include "lib/child.h"
#include "lib/err.h"

#define QEMU_DEFAULT_BINARY "qemu-system-x86_64"

struct qemu_vm_opts {
	const char *qemu;		/* binary (PATH is searched) */
	bool kvm;			/* -accel kvm; else tcg */
	const char *cpu;		/* -cpu argument */
	const char *kernel;		/* the payload ELF file */
	const char *mailbox;		/* file with the whole struct mailbox */
	const char *qmp;		/* QMP socket path, or NULL for none */
	const char *incoming;		/* -incoming URI, or NULL */
};

struct qemu_vm {
	struct child proc;		/* proc.status: waitpid status once it exited */
	int out_fd, err_fd;		/* QEMU's stdout (the debug console), stderr */
	char *out;			/* console text so far */
	size_t out_len, out_cap;
	size_t scanned;			/* console text already searched for signals */
	int last_run;			/* N of the last "@run N" line seen, or -1 */
	long long progress_ms;		/* CLOCK_MONOTONIC ms of the last "@run" or start */
	char err[8192];			/* QEMU's stderr, truncated */
	size_t err_len;
};

enum qemu_wait {
	QEMU_SIGNALLED,		/* the guest printed "@signal VALUE" */
	QEMU_EXITED,		/* QEMU exited first */
	QEMU_TIMEOUT,		/* neither within the time given */
};

/* Starts QEMU; returns 0, or -1 with err_set() (EXIT_ENV class). */
int qemu_vm_start(struct qemu_vm *vm, const struct qemu_vm_opts *o);
/*
 * Collects console and stderr output until the next "@signal" line (its
 * value in *@signal), QEMU's exit, or @timeout_ms. Returns enum qemu_wait,
 * or -1 with err_set().
 */
int qemu_vm_wait(struct qemu_vm *vm, unsigned int timeout_ms, uint32_t *signal);
/* Milliseconds since the guest last printed "@run" (or QEMU started). */
long long qemu_vm_idle_ms(const struct qemu_vm *vm);
/* Whether QEMU still runs (an exit is noticed at once, and reaped). */
bool qemu_vm_running(struct qemu_vm *vm);
/* Kills QEMU if it still runs (child_kill()), reaps it, frees the buffers. */
void qemu_vm_stop(struct qemu_vm *vm);

/*
 * Applies the console's "@mb" lines to @mb (bytes not printed keep their
 * value) and returns the index of the last "@run N" line, or -1 if none.
 */
int qemu_console_parse(const char *text, size_t len, struct mailbox *mb);

/*
 * QEMU's message lines on stderr that explain a refusal: "TCG doesn't
 * support requested feature: CPUID.01H:ECX.pcid [bit 17]" and the like,
 * program-name prefixes removed. Calls @fn for each line with the feature
 * name QEMU used; returns how many were found.
 */
int qemu_unavailable_features(const char *err,
			      void (*fn)(const char *feature, const char *line, void *ctx),
			      void *ctx);

/*
 * The first line of QEMU's stderr that is not a warning, for messages; or
 * what its exit says (a clean exit without a word: the guest reset).
 */
void qemu_error_line(const struct qemu_vm *vm, char *buf, size_t len);

#endif
