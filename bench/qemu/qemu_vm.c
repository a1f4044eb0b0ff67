// SPDX-License-Identifier: GPL-2.0-only
#include "qemu/qemu_vm.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/clock.h"
#include "lib/err.h"

#define QEMU_MAX_ARGS 48

int qemu_vm_start(struct qemu_vm *vm, const struct qemu_vm_opts *o)
{
	char initrd[4200], qmp[4200], debugcon[128];
	const char *argv[QEMU_MAX_ARGS];
	int out[2], err[2], n = 0, ret;

	memset(vm, 0, sizeof(*vm));
	vm->out_fd = vm->err_fd = -1;
	vm->last_run = -1;
	vm->progress_ms = clock_ms();
	snprintf(initrd, sizeof(initrd), "%s", o->mailbox);
	snprintf(debugcon, sizeof(debugcon),
		 "isa-debugcon,iobase=0x%x,chardev=con%s", MB_PORT_DEBUGCON,
		 o->incoming ? ",readback=0x52" : "");
	_Static_assert(MB_RESUME_READBACK == 0x52, "readback in the option");

	argv[n++] = o->qemu;
	argv[n++] = "-nodefaults";
	argv[n++] = "-no-user-config";
	argv[n++] = "-no-reboot";
	argv[n++] = "-display";
	argv[n++] = "none";
	argv[n++] = "-machine";
	argv[n++] = "pc";
	argv[n++] = "-accel";
	argv[n++] = o->kvm ? "kvm" : "tcg";
	argv[n++] = "-m";
	argv[n++] = "32";
	argv[n++] = "-cpu";
	argv[n++] = o->cpu;
	argv[n++] = "-kernel";
	argv[n++] = o->kernel;
	argv[n++] = "-initrd";
	argv[n++] = initrd;
	argv[n++] = "-chardev";
	argv[n++] = "stdio,id=con,signal=off";
	argv[n++] = "-device";
	argv[n++] = debugcon;
	argv[n++] = "-device";
	argv[n++] = "isa-debug-exit,iobase=0xf4,iosize=4";
	argv[n++] = "-serial";
	argv[n++] = "none";
	argv[n++] = "-monitor";
	argv[n++] = "none";
	if (o->qmp) {
		snprintf(qmp, sizeof(qmp), "unix:%s,server=on,wait=off", o->qmp);
		argv[n++] = "-qmp";
		argv[n++] = qmp;
	}
	if (o->incoming) {
		argv[n++] = "-incoming";
		argv[n++] = o->incoming;
	}
	argv[n] = NULL;

	if (pipe2(out, O_CLOEXEC))
		return err_env(err_set_errno(errno, "pipe failed"));
	if (pipe2(err, O_CLOEXEC)) {
		close(out[0]);
		close(out[1]);
		return err_env(err_set_errno(errno, "pipe failed"));
	}
	ret = child_start(&vm->proc, argv, -1, out[1], err[1]);
	close(out[1]);
	close(err[1]);
	vm->out_fd = out[0];
	vm->err_fd = err[0];
	if (ret) {
		qemu_vm_stop(vm);
		if (vm->proc.exec_errno == ENOENT)
			err_set("%s not found: install qemu-system-x86 (tools/bootstrap.sh) or set CPUBENCH_QEMU",
				o->qemu);
		return err_env(-1);
	}
	return 0;
}

static int append_out(struct qemu_vm *vm, const char *buf, size_t n)
{
	if (vm->out_len + n + 1 > vm->out_cap) {
		size_t cap = vm->out_cap ? vm->out_cap * 2 : 65536;
		char *p;

		while (cap < vm->out_len + n + 1)
			cap *= 2;
		p = realloc(vm->out, cap);
		if (!p)
			return err_set("out of memory");
		vm->out = p;
		vm->out_cap = cap;
	}
	memcpy(vm->out + vm->out_len, buf, n);
	vm->out_len += n;
	vm->out[vm->out_len] = '\0';
	return 0;
}

/* Finds the next complete "@signal XXXXXXXX" line after vm->scanned. */
static bool find_signal(struct qemu_vm *vm, uint32_t *signal)
{
	while (vm->scanned < vm->out_len) {
		char *line = vm->out + vm->scanned;
		char *nl = memchr(line, '\n', vm->out_len - vm->scanned);

		if (!nl)
			return false;
		vm->scanned = (size_t)(nl - vm->out) + 1;
		if (!strncmp(line, "@run ", 5)) {
			vm->last_run = (int)strtol(line + 5, NULL, 10);
			vm->progress_ms = clock_ms();
		}
		if (!strncmp(line, "@signal ", 8)) {
			*signal = (uint32_t)strtoul(line + 8, NULL, 16);
			return true;
		}
	}
	return false;
}

int qemu_vm_wait(struct qemu_vm *vm, unsigned int timeout_ms, uint32_t *signal)
{
	long long deadline = clock_ms() + timeout_ms;
	char buf[16384];

	for (;;) {
		struct pollfd pfd[2] = {
			{ .fd = vm->out_fd, .events = POLLIN },
			{ .fd = vm->err_fd, .events = POLLIN },
		};
		long long left;
		ssize_t n;

		if (find_signal(vm, signal))
			return QEMU_SIGNALLED;
		if (vm->out_fd < 0 && vm->err_fd < 0) {
			/* both closed: it exits now, or it is stopped */
			child_wait(&vm->proc, CHILD_GRACE_MS);
			return QEMU_EXITED;
		}
		left = deadline - clock_ms();
		if (left <= 0)
			return QEMU_TIMEOUT;
		if (poll(pfd, 2, (int)left) < 0) {
			if (errno == EINTR)
				continue;
			return err_set_errno(errno, "poll on QEMU's output failed");
		}
		if (pfd[0].revents) {
			n = read(vm->out_fd, buf, sizeof(buf));
			if (n > 0) {
				if (append_out(vm, buf, (size_t)n))
					return -1;
			} else {
				close(vm->out_fd);
				vm->out_fd = -1;
			}
		}
		if (pfd[1].revents) {
			n = read(vm->err_fd, buf, sizeof(buf));
			if (n > 0) {
				size_t room = sizeof(vm->err) - 1 - vm->err_len;

				if ((size_t)n > room)
					n = (ssize_t)room;
				memcpy(vm->err + vm->err_len, buf, (size_t)n);
				vm->err_len += (size_t)n;
				vm->err[vm->err_len] = '\0';
			} else {
				close(vm->err_fd);
				vm->err_fd = -1;
			}
		}
	}
}

long long qemu_vm_idle_ms(const struct qemu_vm *vm)
{
	return clock_ms() - vm->progress_ms;
}

bool qemu_vm_running(struct qemu_vm *vm)
{
	return !child_exited(&vm->proc);
}

void qemu_vm_stop(struct qemu_vm *vm)
{
	/* its results are in (or it failed): nothing to wait for */
	child_kill(&vm->proc);
	if (vm->out_fd >= 0)
		close(vm->out_fd);
	if (vm->err_fd >= 0)
		close(vm->err_fd);
	vm->out_fd = vm->err_fd = -1;
	free(vm->out);
	vm->out = NULL;
	vm->out_len = vm->out_cap = vm->scanned = 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int qemu_console_parse(const char *text, size_t len, struct mailbox *mb)
{
	const char *p = text, *end = text + len;
	int last_run = -1;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *q;
		unsigned long off;
		char *after;

		if (!nl)
			break;		/* an incomplete last line is ignored */
		if (!strncmp(p, "@run ", 5)) {
			last_run = (int)strtol(p + 5, NULL, 10);
		} else if (!strncmp(p, "@mb ", 4)) {
			off = strtoul(p + 4, &after, 16);
			q = after;
			if (*q == ' ')
				q++;
			while (q + 1 < nl && off < sizeof(*mb)) {
				int hi = hexval(q[0]), lo = hexval(q[1]);

				if (hi < 0 || lo < 0)
					break;
				((uint8_t *)mb)[off++] = (uint8_t)(hi << 4 | lo);
				q += 2;
			}
		}
		p = nl + 1;
	}
	return last_run;
}

/* "qemu-system-x86_64: warning: X" -> "X" */
static const char *strip_prefix(const char *line, const char *nl)
{
	const char *c = memchr(line, ':', (size_t)(nl - line));

	if (c && c[1] == ' ' && !memchr(line, ' ', (size_t)(c - line)))
		line = c + 2;
	if (!strncmp(line, "warning: ", 9))
		line += 9;
	return line;
}

int qemu_unavailable_features(const char *err,
			      void (*fn)(const char *feature, const char *line, void *ctx),
			      void *ctx)
{
	static const char *const markers[] = {
		"doesn't support requested feature: ",
	};
	const char *p = err;
	int found = 0;

	while (*p) {
		const char *nl = strchr(p, '\n');
		const char *m, *line;

		if (!nl)
			nl = p + strlen(p);
		line = strip_prefix(p, nl);
		for (size_t i = 0; i < sizeof(markers) / sizeof(markers[0]); i++) {
			char text[256], feat[64];
			const char *colon, *dot, *name, *sp;

			m = strstr(line, markers[i]);
			if (!m || m > nl)
				continue;
			/* "CPUID.01H:ECX.sse4.2 [bit 20]": after the register's '.' */
			name = m + strlen(markers[i]);
			sp = memchr(name, ' ', (size_t)(nl - name));
			if (!sp)
				sp = nl;
			colon = memchr(name, ':', (size_t)(sp - name));
			dot = colon ? memchr(colon, '.', (size_t)(sp - colon)) : NULL;
			if (dot)
				name = dot + 1;
			snprintf(feat, sizeof(feat), "%.*s", (int)(sp - name), name);
			snprintf(text, sizeof(text), "%.*s", (int)(nl - line), line);
			fn(feat, text, ctx);
			found++;
		}
		p = *nl ? nl + 1 : nl;
	}
	return found;
}

void qemu_error_line(const struct qemu_vm *vm, char *buf, size_t len)
{
	const char *p = vm->err;
	char how[64];

	/* -no-reboot: a reset (a triple fault) is a clean exit without a word */
	if (vm->proc.pid <= 0 && vm->proc.status == 0)
		snprintf(buf, len, "guest triple fault or reset: QEMU (-no-reboot) "
			 "shut the machine down");
	else
		snprintf(buf, len, "QEMU exited (%s) without a message",
			 child_status_text(&vm->proc, how, sizeof(how)));
	while (*p) {
		const char *nl = strchr(p, '\n');
		const char *line;

		if (!nl)
			nl = p + strlen(p);
		line = strip_prefix(p, nl);
		if (!memmem(p, (size_t)(nl - p), "warning: ", 9) && nl > line) {
			snprintf(buf, len, "%.*s", (int)(nl - line), line);
			return;
		}
		p = *nl ? nl + 1 : nl;
	}
}
