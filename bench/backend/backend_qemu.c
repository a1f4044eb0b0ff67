// SPDX-License-Identifier: GPL-2.0-only
/*
 * The qemu-tcg and qemu-kvm backends: the payload booted by
 * qemu-system-x86_64 through its PVH entry (guestcode/boot32.S).
 *
 * The model becomes `-cpu BASE,feat=on|off,...,enforce`: BASE is the
 * model's name when QEMU defines it (its real definition), else qemu64,
 * and every feature of cpubench's database that QEMU knows is set
 * explicitly, so both backends give a model the same feature set. When
 * QEMU refuses to start because the accelerator cannot provide some of
 * them ("TCG doesn't support requested feature: CPUID.01H:ECX.pcid"),
 * exactly those are turned off, recorded with QEMU's words, and QEMU is
 * started again, still with enforce.
 *
 * A probe that ends the run (QEMU stops on a KVM internal error, the guest
 * hangs) is marked `error` with QEMU's words and the rest of the plan runs
 * in a fresh QEMU, as the KVM runner skips such a probe.
 */
#include "backend/backend.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/err.h"
#include "cpu/feature.h"
#include "vmm/guest_image.h"
#include "qemu/qemu_vm.h"

#define QEMU_BOOT_TIMEOUT_MS	3000	/* TCG boots in about 0.1 s */
#define QEMU_PROBE_TIMEOUT_MS	1000	/* a probe takes well under 1 ms in TCG */

/* QEMU's -cpu help: its model names and its CPUID flag names. */
struct qemu_catalog {
	char *text;
	bool loaded;
};

static struct qemu_catalog catalog;

static int catalog_load(const char *qemu)
{
	int fds[2], status;
	size_t len = 0, cap = 65536;
	pid_t pid;

	if (catalog.loaded)
		return 0;
	catalog.text = malloc(cap);
	if (!catalog.text || pipe2(fds, O_CLOEXEC))
		return err_set("out of memory");
	pid = fork();
	if (pid < 0)
		return err_set_errno(errno, "fork failed");
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDWR);

		dup2(devnull, 0);
		dup2(fds[1], 1);
		dup2(devnull, 2);
		execlp(qemu, qemu, "-cpu", "help", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	for (;;) {
		ssize_t n;

		if (len + 1 == cap) {
			char *p = realloc(catalog.text, cap * 2);

			if (!p)
				break;
			catalog.text = p;
			cap *= 2;
		}
		n = read(fds[0], catalog.text + len, cap - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	catalog.text[len] = '\0';
	close(fds[0]);
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return err_env(err_set("%s -cpu help failed: install qemu-system-x86 (tools/bootstrap.sh) or set CPUBENCH_QEMU",
				       qemu));
	catalog.loaded = true;
	return 0;
}

/* Whether "x86 NAME " is a line of the model list. */
static bool catalog_has_model(const char *name)
{
	char pat[96];

	snprintf(pat, sizeof(pat), "\nx86 %s ", name);
	return strstr(catalog.text, pat) != NULL;
}

/* Whether QEMU knows the flag: a word of the "Recognized CPUID flags" list. */
static bool catalog_has_flag(const char *name)
{
	const char *list = strstr(catalog.text, "Recognized CPUID flags:");
	size_t n = strlen(name);

	for (const char *p = list; p && (p = strstr(p, name)); p += n)
		if ((p[-1] == ' ' || p[-1] == '\n') &&
		    (p[n] == ' ' || p[n] == '\n' || p[n] == '\0'))
			return true;
	return false;
}

/* QEMU's spelling of a database feature, or NULL if QEMU lacks it. */
static const char *qemu_flag(int f, char *buf, size_t len)
{
	snprintf(buf, len, "%s", features[f].name);
	if (catalog_has_flag(buf))
		return buf;
	for (char *p = buf; *p; p++)
		if (*p == '_')
			*p = '-';
	return catalog_has_flag(buf) ? buf : NULL;
}

static bool dropped(const struct backend_result *out, int f)
{
	for (unsigned int i = 0; i < out->ndropped; i++)
		if (out->dropped[i].feature == f)
			return true;
	return false;
}

static int build_cpu(const struct backend *b, const struct mask *mask,
		     const struct backend_result *out, char *cpu, size_t len)
{
	size_t n;

	if (mask->is_host) {
		snprintf(cpu, len, "%s", b->kind == BACKEND_QEMU_KVM ? "host" : "max");
		return 0;
	}
	n = (size_t)snprintf(cpu, len, "%s",
			     catalog_has_model(mask->name) ? mask->name : "qemu64");
	if (!catalog_has_model(mask->name) && mask->identity.set)
		n += (size_t)snprintf(cpu + n, len - n, ",vendor=%s,family=%u,model=%u,stepping=%u",
				      mask->identity.vendor, mask->identity.family,
				      mask->identity.model, mask->identity.stepping);
	for (unsigned int f = 0; f < nfeatures && n < len; f++) {
		char flag[64];
		bool on = featureset_has(&mask->features, (int)f) && !dropped(out, (int)f);

		if (!qemu_flag((int)f, flag, sizeof(flag)))
			continue;
		n += (size_t)snprintf(cpu + n, len - n, ",%s=%s", flag, on ? "on" : "off");
	}
	if (n < len)
		n += (size_t)snprintf(cpu + n, len - n, ",enforce");
	if (n >= len)
		return err_set("QEMU -cpu argument too long");
	return 0;
}

struct drop_ctx {
	struct backend_result *out;
	int added;
};

static void add_drop(const char *name, const char *line, void *p)
{
	struct drop_ctx *ctx = p;
	int f = feature_lookup(name);

	if (f < 0 || dropped(ctx->out, f) || ctx->out->ndropped >= BACKEND_MAX_DROPPED)
		return;
	ctx->out->dropped[ctx->out->ndropped].feature = f;
	snprintf(ctx->out->dropped[ctx->out->ndropped].why,
		 sizeof(ctx->out->dropped[0].why), "%s", line);
	ctx->out->ndropped++;
	ctx->added++;
}

static int write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ssize_t n;

	if (fd < 0)
		return err_set_errno(errno, "cannot create %s", path);
	n = write(fd, data, len);
	close(fd);
	if (n != (ssize_t)len)
		return err_set_errno(errno, "cannot write %s", path);
	return 0;
}

/* Mailbox with plan entries [first, plan->n). */
static int write_mailbox(const char *path, const struct run_plan *plan,
			 unsigned int first, bool migrate)
{
	struct mailbox *mb = calloc(1, sizeof(*mb));
	int ret;

	if (!mb)
		return err_set("out of memory");
	mb->plan.magic = MB_MAGIC;
	mb->plan.version = MB_VERSION;
	mb->plan.guest_os = plan->guest_os;
	mb->plan.nprobes = plan->n - first;
	for (unsigned int i = first; i < plan->n; i++) {
		mb->plan.entries[i - first].probe = plan->results[i].probe->id;
		mb->plan.entries[i - first].ring = plan->results[i].ring;
	}
	mb->migrate.requested = migrate;
	ret = write_file(path, mb, sizeof(*mb));
	free(mb);
	return ret;
}

static void result_from_record(struct probe_result *r, const struct mb_result *m)
{
	r->vector = -1;
	r->detail[0] = '\0';
	if (m->probe != r->probe->id || m->status == MB_NOT_RUN) {
		r->outcome = OUTCOME_ERROR;
		snprintf(r->detail, sizeof(r->detail), "not run: the guest skipped it");
	} else if (m->status == MB_FAULTED) {
		r->outcome = OUTCOME_FAULT;
		r->vector = m->vector;
		r->error_code = m->error_code;
		r->rip = m->rip;
	} else {
		r->value = m->value;
		r->outcome = m->value == r->probe->expected ? OUTCOME_EXECUTED
							     : OUTCOME_ALTERED;
	}
}

/* A temporary directory with the payload: what every QEMU run needs. */
int qemu_workdir_create(char *dir, size_t len)
{
	char path[4200];

	snprintf(dir, len, "%s/cpubench-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir))
		return err_env(err_set_errno(errno, "cannot create a temporary directory %s", dir));
	snprintf(path, sizeof(path), "%s/guest.elf", dir);
	return write_file(path, guest_payload, (size_t)(guest_payload_end - guest_payload));
}

void qemu_workdir_remove(const char *dir)
{
	static const char *const names[] = {
		"guest.elf", "mailbox.bin", "qmp.sock", "qmp-in.sock", "state.bin",
	};
	char path[4200];

	if (getenv("CPUBENCH_KEEP_TMP"))
		return;		/* for debugging QEMU runs by hand */
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

/*
 * Starts QEMU for @mask, turning off (once) the features the accelerator
 * reports it cannot provide. On success @vm runs the guest.
 */
int qemu_start_model(struct backend *b, const struct mask *mask,
		     struct backend_result *out, struct qemu_vm *vm,
		     const char *dir, const char *qmp, const char *incoming)
{
	char kernel[4200], mbfile[4200], cpu[8192], why[256];

	if (catalog_load(b->qemu_binary))
		return -1;
	snprintf(kernel, sizeof(kernel), "%s/guest.elf", dir);
	snprintf(mbfile, sizeof(mbfile), "%s/mailbox.bin", dir);
	for (int attempt = 0; attempt < 2; attempt++) {
		struct qemu_vm_opts o = {
			.qemu = b->qemu_binary, .kvm = b->kind == BACKEND_QEMU_KVM,
			.cpu = cpu, .kernel = kernel, .mailbox = mbfile,
			.qmp = qmp, .incoming = incoming,
		};
		struct drop_ctx ctx = { out, 0 };
		uint32_t sig;
		int w;

		if (build_cpu(b, mask, out, cpu, sizeof(cpu)) || qemu_vm_start(vm, &o))
			return -1;
		/*
		 * QEMU checks the model before the guest runs: wait for the
		 * guest's first output, or QEMU's exit. An incoming migration
		 * prints nothing until it resumes: a short look suffices.
		 */
		w = QEMU_TIMEOUT;
		for (unsigned int t = 0; t < (incoming ? 1000u : QEMU_BOOT_TIMEOUT_MS); t += 10) {
			w = qemu_vm_wait(vm, 10, &sig);
			if (w != QEMU_TIMEOUT || vm->out_len)
				break;
		}
		if (w < 0) {
			qemu_vm_stop(vm);
			return -1;
		}
		if (w == QEMU_TIMEOUT && !vm->out_len && !incoming) {
			bool xsave_bug = b->kind == BACKEND_QEMU_TCG &&
				featureset_has(&mask->features, feature_lookup("xsave")) &&
				!featureset_has(&mask->features, feature_lookup("xsaveopt"));

			qemu_vm_stop(vm);
			err_set("the guest did not boot under QEMU within %u ms%s",
				QEMU_BOOT_TIMEOUT_MS, xsave_bug ?
				" (QEMU 7.2's TCG loops forever on the CR4.OSXSAVE write "
				"when a model has xsave without xsaveopt: try MODEL,+xsaveopt)" :
				b->kind == BACKEND_QEMU_KVM && b->table == BACKEND_KVM_PVM ?
				" (on PVM, QEMU's firmware never finishes: the vCPU stays in "
				"SeaBIOS's 32-bit code; use --backend qemu-tcg or kvm)" : "");
			return err_env(-1);
		}
		if (w != QEMU_EXITED || vm->out_len) {
			vm->scanned = 0;	/* the caller looks for signals again */
			return 0;
		}
		qemu_unavailable_features(vm->err, add_drop, &ctx);
		qemu_error_line(vm, why, sizeof(why));
		qemu_vm_stop(vm);
		if (!ctx.added)
			return err_env(err_set("QEMU did not start: %s", why));
	}
	return err_env(err_set("QEMU still refuses the model after turning off what %s cannot provide: %s",
		       b->kind == BACKEND_QEMU_KVM ? "KVM" : "TCG", why));
}

int backend_qemu_run(struct backend *b, const struct mask *mask,
		     struct run_plan *plan, struct backend_result *out)
{
	struct mailbox *mb = calloc(1, sizeof(*mb));
	char dir[4096], mbfile[4200];
	unsigned int first = 0;
	int ret = -1;

	if (!mb)
		return err_set("out of memory");
	if (qemu_workdir_create(dir, sizeof(dir))) {
		free(mb);
		return -1;
	}
	snprintf(mbfile, sizeof(mbfile), "%s/mailbox.bin", dir);
	while (first < plan->n || (first == 0 && plan->n == 0)) {
		struct qemu_vm vm;
		unsigned int timeout = plan->probe_timeout_ms ? plan->probe_timeout_ms
							      : QEMU_PROBE_TIMEOUT_MS;
		uint32_t sig = 0;
		int w, last_run;
		char why[256];

		if (write_mailbox(mbfile, plan, first, false) ||
		    qemu_start_model(b, mask, out, &vm, dir, NULL, NULL))
			goto out;
		/* The watchdog: each probe must print its "@run" in time. */
		while ((w = qemu_vm_wait(&vm, 50, &sig)) == QEMU_TIMEOUT)
			if (qemu_vm_idle_ms(&vm) > timeout)
				break;
		if (w < 0) {
			qemu_vm_stop(&vm);
			goto out;
		}
		memset(mb, 0, sizeof(*mb));
		last_run = qemu_console_parse(vm.out, vm.out_len, mb);
		if (w == QEMU_TIMEOUT)
			snprintf(why, sizeof(why), "timeout: the probe did not finish in %u ms", timeout);
		else if (w == QEMU_EXITED)
			qemu_error_line(&vm, why, sizeof(why));
		else if (sig == MB_PORT_PANIC)
			snprintf(why, sizeof(why),
				 "guest panic: exception %u (error code 0x%llx) at 0x%llx",
				 mb->status.panic_vector,
				 (unsigned long long)mb->status.panic_error_code,
				 (unsigned long long)mb->status.panic_rip);
		else
			why[0] = '\0';
		qemu_vm_stop(&vm);
		if (!out->told && mb->os.booted) {
			out->told = backend_cpuid_from_guest(mb);
			out->told_by_guest = true;
			out->os = mb->os;
		}
		if (w == QEMU_SIGNALLED && sig == MB_PORT_DONE) {
			for (unsigned int i = first; i < plan->n; i++)
				result_from_record(&plan->results[i], &mb->results[i - first]);
			break;
		}
		if (last_run < 0) {
			err_set("the guest did not boot under QEMU: %s", why);
			err_set_class(EXIT_ENV);
			goto out;
		}
		/* Entries before last_run finished; last_run ended the run. */
		for (unsigned int i = first; i < first + (unsigned int)last_run; i++)
			result_from_record(&plan->results[i], &mb->results[i - first]);
		first += (unsigned int)last_run;
		plan->results[first].outcome = OUTCOME_ERROR;
		plan->results[first].vector = -1;
		snprintf(plan->results[first].detail, sizeof(plan->results[first].detail),
			 "QEMU: %.150s", why);
		first++;
	}
	ret = 0;
out:
	qemu_workdir_remove(dir);
	free(mb);
	return ret;
}
