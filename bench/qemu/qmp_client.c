// SPDX-License-Identifier: GPL-2.0-only
#include "qemu/qmp_client.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "lib/clock.h"
#include "lib/err.h"

/* Next JSON message (one line) as a new reference, or NULL on error. */
static json_t *qmp_read(struct qmp *q, long long deadline)
{
	for (;;) {
		char *nl = memchr(q->buf, '\n', q->len);
		struct pollfd pfd = { .fd = q->fd, .events = POLLIN };
		long long left;
		ssize_t n;

		if (nl) {
			json_error_t jerr;
			size_t line = (size_t)(nl - q->buf) + 1;
			json_t *msg = json_loadb(q->buf, line, 0, &jerr);

			memmove(q->buf, q->buf + line, q->len - line);
			q->len -= line;
			if (!msg) {
				err_set("QEMU sent malformed QMP (%s)", jerr.text);
				return NULL;
			}
			return msg;
		}
		if (q->len == sizeof(q->buf)) {
			err_set("QEMU sent a QMP message over %zu bytes", sizeof(q->buf));
			return NULL;
		}
		left = deadline - clock_ms();
		if (left <= 0) {
			err_set("QEMU did not answer on QMP in time");
			return NULL;
		}
		if (poll(&pfd, 1, (int)left) < 0 && errno != EINTR) {
			err_set_errno(errno, "poll on the QMP socket failed");
			return NULL;
		}
		if (!(pfd.revents & (POLLIN | POLLHUP)))
			continue;
		n = read(q->fd, q->buf + q->len, sizeof(q->buf) - q->len);
		if (n <= 0) {
			err_set("QEMU closed its QMP socket (it exited)");
			return NULL;
		}
		q->len += (size_t)n;
	}
}

json_t *qmp_cmd(struct qmp *q, const char *cmd, json_t *args,
		unsigned int timeout_ms)
{
	long long deadline = clock_ms() + timeout_ms;
	json_t *req = json_pack("{s:s}", "execute", cmd);
	char *text;
	size_t len;

	if (args)
		json_object_set_new(req, "arguments", args);
	text = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	if (!text) {
		err_set("out of memory");
		return NULL;
	}
	len = strlen(text);
	text[len] = '\n';	/* json_dumps leaves room for the NUL */
	/* MSG_NOSIGNAL: a QEMU that is gone is this error, not a SIGPIPE */
	if (send(q->fd, text, len + 1, MSG_NOSIGNAL) != (ssize_t)len + 1) {
		free(text);
		err_set("QMP %s: QEMU is gone (write failed)", cmd);
		return NULL;
	}
	free(text);
	for (;;) {
		json_t *msg = qmp_read(q, deadline), *ret;
		const char *desc;

		if (!msg)
			return NULL;
		ret = json_object_get(msg, "return");
		if (ret) {
			json_incref(ret);
			json_decref(msg);
			return ret;
		}
		if (json_object_get(msg, "error")) {
			desc = json_string_value(json_object_get(
				json_object_get(msg, "error"), "desc"));
			err_set("QEMU refused QMP %s: %s", cmd, desc ? desc : "no reason given");
			json_decref(msg);
			return NULL;
		}
		json_decref(msg);	/* an event */
	}
}

int qmp_open(struct qmp *q, const char *path, unsigned int timeout_ms,
	     struct child *qemu)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	long long deadline = clock_ms() + timeout_ms;
	json_t *msg;

	q->len = 0;
	if (strlen(path) >= sizeof(addr.sun_path))
		return err_set("QMP socket path too long (%zu bytes at most): %s: set a "
			       "shorter TMPDIR", sizeof(addr.sun_path) - 1, path);
	strcpy(addr.sun_path, path);
	for (;;) {
		q->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (q->fd < 0)
			return err_set_errno(errno, "socket(AF_UNIX) failed");
		if (!connect(q->fd, (struct sockaddr *)&addr, sizeof(addr)))
			break;
		close(q->fd);
		q->fd = -1;
		if (qemu && child_exited(qemu)) {
			char how[64];

			return err_set("QEMU exited (%s) before it opened its QMP socket",
				       child_status_text(qemu, how, sizeof(how)));
		}
		if (clock_ms() >= deadline)
			return err_set("QEMU did not open its QMP socket %s within %u ms",
				       path, timeout_ms);
		usleep(5000);
	}
	msg = qmp_read(q, deadline);	/* {"QMP": {...}} greeting */
	if (!msg || !json_object_get(msg, "QMP")) {
		json_decref(msg);
		qmp_close(q);
		return err_set("QEMU's QMP greeting is missing");
	}
	json_decref(msg);
	msg = qmp_cmd(q, "qmp_capabilities", NULL, timeout_ms);
	if (!msg) {
		qmp_close(q);
		return -1;
	}
	json_decref(msg);
	return 0;
}

void qmp_close(struct qmp *q)
{
	if (q->fd >= 0)
		close(q->fd);
	q->fd = -1;
}
