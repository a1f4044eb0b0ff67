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
 * exactly those are turned off, recorded with QEMU's words as the run's
 * gaps, and QEMU is started again, still with enforce.
 *
 * A probe that ends the run (QEMU stops on a KVM internal error, the guest
 * hangs) is marked an error with QEMU's words and the rest of the plan
 * runs in a fresh QEMU, as the KVM runner skips such a probe.
 *
 * Migration is QEMU's own: at the migration point the guest prints
 * "@signal MIGR" and spins; save() stops the VM and has QEMU migrate it to
 * a file (QMP migrate "exec:cat > state.bin"); restore() starts a second
 * QEMU with -cpu B that loads it (-incoming "exec:cat state.bin"), keeps
 * it paused as the source was until cpubench says cont; its debug console
 * reads back 'R', which releases the guest (guestcode/platform.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backend/backend.h"
#include "cpu/feature.h"
#include "judge/guest_cpuid.h"
#include "lib/child.h"
#include "lib/err.h"
#include "lib/tmpdir.h"
#include "qemu/qemu_vm.h"
#include "qemu/qmp_client.h"
#include "vmm/guest_image.h"
#include "vmm/kvm.h"

#define QEMU_BOOT_TIMEOUT_MS	10000	/* TCG boots in about 0.1 s; a busy machine is slower */
#define QEMU_PROBE_TIMEOUT_MS	1000	/* a probe takes well under 1 ms in TCG */
#define MIGRATE_STEP_TIMEOUT_MS	5000
#define CATALOG_HELP_TIMEOUT_MS	10000	/* `qemu -cpu help` takes 0.05 s */
#define CATALOG_HELP_MAX	(1024 * 1024)	/* QEMU 7.2 writes 12 KiB */

/* Per backend: QEMU's -cpu help, its model names and CPUID flag names. */
struct qemu_backend {
	char *help;
};

/* Per run, between run(), save() and restore(). */
struct qemu_run_state {
	char dir[4096];			/* private temporary directory (lib/tmpdir.h) */
	struct qemu_vm vm;		/* the source, stopped at the migration point */
	bool vm_running;
};

static struct qemu_backend *qb_of(struct backend *b)
{
	return b->priv;
}

/* --------------------------------------------------------- QEMU catalog */

static int catalog_load(struct backend *b)
{
	struct qemu_backend *qb = qb_of(b);
	const char *argv[] = { b->qemu_binary, "-cpu", "help", NULL };
	int status;

	if (qb->help)
		return 0;
	status = child_output(argv, CATALOG_HELP_MAX, CATALOG_HELP_TIMEOUT_MS, &qb->help);
	if (status < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		free(qb->help);
		qb->help = NULL;
		return err_env(err_set("%s -cpu help failed: install qemu-system-x86 (tools/bootstrap.sh) or set CPUBENCH_QEMU",
				       b->qemu_binary));
	}
	return 0;
}

/* Whether "x86 NAME " is a line of the model list. */
static bool catalog_has_model(struct backend *b, const char *name)
{
	char pat[96];

	snprintf(pat, sizeof(pat), "\nx86 %s ", name);
	return strstr(qb_of(b)->help, pat) != NULL;
}

/* Whether QEMU knows the flag: a word of the "Recognized CPUID flags" list. */
static bool catalog_has_flag(struct backend *b, const char *name)
{
	const char *list = strstr(qb_of(b)->help, "Recognized CPUID flags:");
	size_t n = strlen(name);

	for (const char *p = list; p && (p = strstr(p, name)); p += n)
		if ((p[-1] == ' ' || p[-1] == '\n') &&
		    (p[n] == ' ' || p[n] == '\n' || p[n] == '\0'))
			return true;
	return false;
}

/* QEMU's spelling of a database feature, or NULL if QEMU lacks it. */
static const char *qemu_flag(struct backend *b, int f, char *buf, size_t len)
{
	snprintf(buf, len, "%s", features[f].name);
	if (catalog_has_flag(b, buf))
		return buf;
	for (char *p = buf; *p; p++)
		if (*p == '_')
			*p = '-';
	return catalog_has_flag(b, buf) ? buf : NULL;
}

/* ------------------------------------------------------------- the model */

/* The features of a model QEMU could not provide, as QEMU said. */
struct gap_list {
	struct report_gap *v;
	unsigned int *n;
};

static bool gap_listed(const struct gap_list *g, int f)
{
	for (unsigned int i = 0; i < *g->n; i++)
		if (g->v[i].feature == f)
			return true;
	return false;
}

/* Records @f as a gap, with @why, unless it is one already. */
static bool gap_add(const struct gap_list *gaps, int f, const char *why)
{
	struct report_gap *g;

	if (f < 0 || gap_listed(gaps, f) || *gaps->n >= REPORT_MAX_GAPS)
		return false;
	g = &gaps->v[(*gaps->n)++];
	g->feature = f;
	snprintf(g->why, sizeof(g->why), "%s", why);
	return true;
}

static int build_cpu(struct backend *b, const struct mask *mask,
		     const struct gap_list *gaps, char *cpu, size_t len)
{
	bool named = catalog_has_model(b, mask->name);
	size_t n;

	if (mask->is_host) {
		snprintf(cpu, len, "%s", b->kind == BACKEND_QEMU_KVM ? "host" : "max");
		return 0;
	}
	n = (size_t)snprintf(cpu, len, "%s", named ? mask->name : "qemu64");
	if (!named && mask->identity.set) {
		n += (size_t)snprintf(cpu + n, len - n, ",vendor=%s,family=%u,model=%u,stepping=%u",
				      mask->identity.vendor, mask->identity.family,
				      mask->identity.model, mask->identity.stepping);
		/* the brand string too; QEMU's option syntax doubles a comma */
		if (mask->identity.model_id[0] && n < len)
			n += (size_t)snprintf(cpu + n, len - n, ",model-id=");
		for (const char *p = mask->identity.model_id; *p && n + 2 < len; p++) {
			if (*p == ',')
				cpu[n++] = ',';
			cpu[n++] = *p;
			cpu[n] = '\0';
		}
	}
	for (unsigned int f = 0; f < nfeatures && n < len; f++) {
		char flag[64];
		bool on = featureset_has(&mask->features, (int)f) && !gap_listed(gaps, (int)f);

		if (!qemu_flag(b, (int)f, flag, sizeof(flag))) {
			char why[160];

			/* the model has it, this QEMU cannot give it: say so */
			snprintf(why, sizeof(why), "this QEMU has no CPU flag %s (its -cpu help does not list it): a later QEMU release added it",
				 features[f].name);
			if (on)
				gap_add(gaps, (int)f, why);
			continue;
		}
		n += (size_t)snprintf(cpu + n, len - n, ",%s=%s", flag, on ? "on" : "off");
	}
	if (n < len)
		n += (size_t)snprintf(cpu + n, len - n, ",enforce");
	if (n >= len)
		return err_set("QEMU -cpu argument too long");
	return 0;
}

struct drop_ctx {
	const struct gap_list *gaps;
	int added;
};

static void add_drop(const char *name, const char *line, void *p)
{
	struct drop_ctx *ctx = p;

	ctx->added += gap_add(ctx->gaps, feature_lookup(name), line);
}

/* ------------------------------------------------------- files and QEMUs */

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

/* Mailbox with plan entries [first, plan->n), or the migration request. */
static int write_mailbox(const char *dir, const struct run_plan *plan,
			 unsigned int first)
{
	struct mailbox *mb = calloc(1, sizeof(*mb));
	char path[4200];
	int ret;

	if (!mb)
		return err_set("out of memory");
	mb->plan.magic = MB_MAGIC;
	mb->plan.version = MB_VERSION;
	mb->plan.guest_os = plan->guest_os;
	mb->plan.nprobes = plan->n - first;
	for (unsigned int i = first; i < plan->n; i++) {
		mb->plan.entries[i - first].probe = plan->entries[i].probe->id;
		mb->plan.entries[i - first].ring = plan->entries[i].ring;
	}
	mb->migrate.requested = plan->migrate;
	snprintf(path, sizeof(path), "%s/mailbox.bin", dir);
	ret = write_file(path, mb, sizeof(*mb));
	free(mb);
	return ret;
}

/* The guest's record @m of plan entry @e, checked, as an observation. */
static void obs_from_record(struct probe_obs *o, const struct plan_entry *e,
			    const struct mb_result *m)
{
	memset(o, 0, sizeof(*o));
	o->status = OBS_ERROR;
	if (m->probe != e->probe->id || m->status == MB_NOT_RUN) {
		snprintf(o->detail, sizeof(o->detail), "not run: the guest skipped it");
	} else if (m->status == MB_FAULTED && m->vector <= 31) {
		o->status = OBS_FAULTED;
		o->vector = m->vector;
		o->error_code = m->error_code;
		o->rip = m->rip;
	} else if (m->status == MB_COMPLETED) {
		o->status = OBS_COMPLETED;
		o->value = m->value;
	} else {
		snprintf(o->detail, sizeof(o->detail),
			 "invalid result record from the guest (status %u, vector %u)",
			 m->status, m->vector);
	}
}

/*
 * A private temporary directory with the payload: what every QEMU run
 * needs. A fatal signal removes it with its sockets and state (cleanup.h).
 */
static int workdir_create(char *dir, size_t len)
{
	char path[4200];

	if (tmpdir_create(dir, len, "qemu"))
		return err_env(-1);
	snprintf(path, sizeof(path), "%s/guest.elf", dir);
	return write_file(path, guest_payload, (size_t)(guest_payload_end - guest_payload));
}

/*
 * Starts QEMU for @mask in @dir (mailbox.bin written), turning off (once)
 * the features the accelerator reports it cannot provide into @gaps. On
 * success @vm runs the guest.
 */
static int start_model(struct backend *b, const struct mask *mask,
		       const struct gap_list *gaps, struct qemu_vm *vm,
		       const char *dir, const char *qmp, const char *incoming)
{
	char kernel[4200], mbfile[4200], cpu[8192], why[256];

	if (catalog_load(b))
		return -1;
	snprintf(kernel, sizeof(kernel), "%s/guest.elf", dir);
	snprintf(mbfile, sizeof(mbfile), "%s/mailbox.bin", dir);
	for (int attempt = 0; attempt < 2; attempt++) {
		struct qemu_vm_opts o = {
			.qemu = b->qemu_binary, .kvm = b->kind == BACKEND_QEMU_KVM,
			.cpu = cpu, .kernel = kernel, .mailbox = mbfile,
			.qmp = qmp, .incoming = incoming,
		};
		struct drop_ctx ctx = { gaps, 0 };
		uint32_t sig;
		int w;

		if (build_cpu(b, mask, gaps, cpu, sizeof(cpu)) || qemu_vm_start(vm, &o))
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

/* What the guest recorded at boot: what it was told, what it enabled. */
static void note_boot(struct backend_run *run, const struct mailbox *mb)
{
	if (run->told || !mb->os.booted)
		return;
	run->told = guest_cpuid_from_mailbox(mb);
	run->seen = guest_cpuid_from_mailbox(mb);
	run->told_by_guest = true;
	run->os = mb->os;
}

/* ------------------------------------------------------- the operations */

static int qemu_backend_open(struct backend *b, const char *kvm_device)
{
	(void)kvm_device;
	b->priv = calloc(1, sizeof(struct qemu_backend));
	if (!b->priv)
		return err_set("out of memory");
	b->qemu_binary = getenv("CPUBENCH_QEMU");
	if (!b->qemu_binary || !*b->qemu_binary)
		b->qemu_binary = QEMU_DEFAULT_BINARY;
	if (b->ops == &backend_qemu_tcg_ops) {
		b->kind = b->table = BACKEND_QEMU_TCG;
		return 0;
	}
	/* QEMU runs the guest on this KVM: that KVM's levers judge it. */
	b->kind = BACKEND_QEMU_KVM;
	{
		int k = kvm_detect_backend("/sys/module");

		if (k < 0) {
			free(b->priv);
			b->priv = NULL;
			return err_env(err_set("qemu-kvm: no KVM module is loaded (kvm_intel, kvm_amd or kvm_pvm): use --backend qemu-tcg"));
		}
		b->table = k;
	}
	return 0;
}

static void qemu_backend_close(struct backend *b)
{
	struct qemu_backend *qb = qb_of(b);

	if (qb)
		free(qb->help);
	free(qb);
	b->priv = NULL;
}

static void qemu_backend_release(struct backend *b, struct backend_run *run)
{
	struct qemu_run_state *st = run->priv;

	(void)b;
	if (st->vm_running)
		qemu_vm_stop(&st->vm);
	tmpdir_remove(st->dir);
	free(st);
	run->priv = NULL;
}

/* The plan from entry @first on, in one QEMU; returns the next entry to run. */
static int run_from(struct backend *b, struct backend_run *run, const char *dir,
		    unsigned int first, struct mailbox *mb)
{
	const struct run_plan *plan = run->plan;
	unsigned int timeout = plan->probe_timeout_ms ? plan->probe_timeout_ms
						      : QEMU_PROBE_TIMEOUT_MS;
	struct gap_list gaps = { run->gaps, &run->ngaps };
	struct qemu_vm vm;
	uint32_t sig = 0;
	int w, last_run;
	char why[256];

	if (write_mailbox(dir, plan, first) ||
	    start_model(b, run->mask, &gaps, &vm, dir, NULL, NULL))
		return -1;
	/* The watchdog: each probe must print its "@run" in time. */
	while ((w = qemu_vm_wait(&vm, 50, &sig)) == QEMU_TIMEOUT)
		if (qemu_vm_idle_ms(&vm) > timeout)
			break;
	if (w < 0) {
		qemu_vm_stop(&vm);
		return -1;
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
	note_boot(run, mb);
	if (w == QEMU_SIGNALLED && sig == MB_PORT_DONE) {
		for (unsigned int i = first; i < plan->n; i++)
			obs_from_record(&run->obs[i], &plan->entries[i], &mb->results[i - first]);
		return (int)plan->n;
	}
	if (last_run < 0 || (unsigned int)last_run >= plan->n - first) {
		err_set("the guest did not boot under QEMU: %s", why);
		return err_env(-1);
	}
	/* Entries before last_run finished; last_run ended the run. */
	for (unsigned int i = first; i < first + (unsigned int)last_run; i++)
		obs_from_record(&run->obs[i], &plan->entries[i], &mb->results[i - first]);
	first += (unsigned int)last_run;
	memset(&run->obs[first], 0, sizeof(run->obs[first]));
	run->obs[first].status = OBS_ERROR;
	snprintf(run->obs[first].detail, sizeof(run->obs[first].detail), "QEMU: %.150s", why);
	return (int)first + 1;
}

/* Boots the migration scenario under run->mask until its migration point. */
static int run_to_point(struct backend *b, struct backend_run *run,
			struct qemu_run_state *st, struct mailbox *mb)
{
	struct gap_list gaps = { run->gaps, &run->ngaps };
	char qmp[4200];
	uint32_t sig;
	int w;

	snprintf(qmp, sizeof(qmp), "%s/qmp.sock", st->dir);
	if (write_mailbox(st->dir, run->plan, 0) ||
	    start_model(b, run->mask, &gaps, &st->vm, st->dir, qmp, NULL))
		return -1;
	st->vm_running = true;
	w = qemu_vm_wait(&st->vm, MIGRATE_STEP_TIMEOUT_MS, &sig);
	memset(mb, 0, sizeof(*mb));
	qemu_console_parse(st->vm.out, st->vm.out_len, mb);
	if (w != QEMU_SIGNALLED || sig != MB_PORT_MIGRATE) {
		char why[256];

		qemu_error_line(&st->vm, why, sizeof(why));
		err_set("the guest did not reach the migration point under -cpu %s: %s",
			run->mask->spec, w == QEMU_TIMEOUT ? "timeout" : why);
		return err_env(-1);
	}
	run->at_point = true;
	run->migrate = mb->migrate;
	note_boot(run, mb);
	return 0;
}

static int qemu_backend_run(struct backend *b, struct backend_run *run)
{
	struct mailbox *mb = calloc(1, sizeof(*mb));
	struct qemu_run_state *st = calloc(1, sizeof(*st));
	int next = 0, ret = -1;

	if (!mb || !st) {
		free(mb);
		free(st);
		return err_set("out of memory");
	}
	run->priv = st;
	if (workdir_create(st->dir, sizeof(st->dir)))
		goto out;
	if (run->plan->migrate) {
		ret = run_to_point(b, run, st, mb);
		goto out;
	}
	do {
		next = run_from(b, run, st->dir, (unsigned int)next, mb);
	} while (next >= 0 && (unsigned int)next < run->plan->n);
	ret = next < 0 ? -1 : 0;
out:
	free(mb);
	if (!run->plan->migrate)
		qemu_backend_release(b, run);
	return ret;
}

/* stop, migrate to @file, wait until QEMU says completed. */
static int qmp_migrate_to_file(struct qmp *q, const char *file, char *why, size_t len)
{
	char uri[4300];
	json_t *ret;

	snprintf(uri, sizeof(uri), "exec:cat > '%s'", file);
	ret = qmp_cmd(q, "stop", NULL, MIGRATE_STEP_TIMEOUT_MS);
	if (!ret)
		return -1;
	json_decref(ret);
	ret = qmp_cmd(q, "migrate", json_pack("{s:s}", "uri", uri), MIGRATE_STEP_TIMEOUT_MS);
	if (!ret)
		return -1;
	json_decref(ret);
	for (int i = 0; i < MIGRATE_STEP_TIMEOUT_MS / 5; i++) {
		const char *status;

		ret = qmp_cmd(q, "query-migrate", NULL, MIGRATE_STEP_TIMEOUT_MS);
		if (!ret)
			return -1;
		status = json_string_value(json_object_get(ret, "status"));
		if (status && !strcmp(status, "completed")) {
			json_decref(ret);
			return 0;
		}
		if (status && !strcmp(status, "failed")) {
			const char *desc = json_string_value(json_object_get(ret, "error-desc"));

			snprintf(why, len, "QEMU's migration failed: %s", desc ? desc : "no reason given");
			json_decref(ret);
			return 1;
		}
		json_decref(ret);
		usleep(5000);
	}
	return err_set("QEMU's migration did not complete in %d ms", MIGRATE_STEP_TIMEOUT_MS);
}

/* Waits until the incoming migration is loaded, then resumes the VM. */
static int qmp_resume_incoming(struct qmp *q)
{
	for (int i = 0; i < MIGRATE_STEP_TIMEOUT_MS / 5; i++) {
		json_t *ret = qmp_cmd(q, "query-status", NULL, MIGRATE_STEP_TIMEOUT_MS);
		const char *status;
		bool loading;

		if (!ret)
			return -1;
		status = json_string_value(json_object_get(ret, "status"));
		loading = status && !strcmp(status, "inmigrate");
		json_decref(ret);
		if (!loading) {
			ret = qmp_cmd(q, "cont", NULL, MIGRATE_STEP_TIMEOUT_MS);
			json_decref(ret);
			return ret ? 0 : -1;
		}
		usleep(5000);
	}
	return err_set("QEMU did not load the migration stream in %d ms", MIGRATE_STEP_TIMEOUT_MS);
}

static int qemu_backend_save(struct backend *b, struct backend_run *run)
{
	struct qemu_run_state *st = run->priv;
	struct qmp q = { .fd = -1 };
	char qmp[4200], state[4200];
	int m;

	(void)b;
	snprintf(qmp, sizeof(qmp), "%s/qmp.sock", st->dir);
	snprintf(state, sizeof(state), "%s/state.bin", st->dir);
	if (qmp_open(&q, qmp, MIGRATE_STEP_TIMEOUT_MS, &st->vm.proc))
		return -1;
	m = qmp_migrate_to_file(&q, state, run->refused_by, sizeof(run->refused_by));
	qmp_close(&q);
	qemu_vm_stop(&st->vm);
	st->vm_running = false;
	if (m > 0)
		run->refused = true;
	return m;
}

static int qemu_backend_restore(struct backend *b, struct backend_run *run,
				const struct mask *to)
{
	struct qemu_run_state *st = run->priv;
	struct gap_list gaps = { run->gaps_to, &run->ngaps_to };
	struct mailbox *mb = calloc(1, sizeof(*mb));
	char qmp_in[4200], incoming[4300], resume_err[256] = "";
	struct qmp q = { .fd = -1 };
	uint32_t sig;
	int w;

	if (!mb)
		return err_set("out of memory");
	snprintf(qmp_in, sizeof(qmp_in), "%s/qmp-in.sock", st->dir);
	snprintf(incoming, sizeof(incoming), "exec:cat '%s/state.bin'", st->dir);
	if (start_model(b, to, &gaps, &st->vm, st->dir, qmp_in, incoming)) {
		free(mb);
		return -1;
	}
	st->vm_running = true;
	/*
	 * QEMU accepted the stream: resume the guest. It may finish and QEMU
	 * exit before the answer to "cont" arrives; only the guest's own
	 * signal below tells whether it resumed.
	 */
	if (qemu_vm_running(&st->vm)) {
		if (qmp_open(&q, qmp_in, MIGRATE_STEP_TIMEOUT_MS, &st->vm.proc) ||
		    qmp_resume_incoming(&q))
			snprintf(resume_err, sizeof(resume_err), "%s", err_msg());
		qmp_close(&q);
	}
	run->told_to = to->features;
	for (unsigned int i = 0; i < run->ngaps_to; i++)
		featureset_del(&run->told_to, run->gaps_to[i].feature);
	w = qemu_vm_wait(&st->vm, MIGRATE_STEP_TIMEOUT_MS, &sig);
	qemu_console_parse(st->vm.out, st->vm.out_len, mb);
	if (w == QEMU_SIGNALLED && (sig == MB_PORT_DONE || sig == MB_PORT_PANIC)) {
		run->migrate = mb->migrate;
		if (sig == MB_PORT_PANIC)
			snprintf(run->died, sizeof(run->died),
				 "the guest panicked: exception %u at 0x%llx",
				 mb->status.panic_vector,
				 (unsigned long long)mb->status.panic_rip);
	} else {
		run->refused = true;
		qemu_error_line(&st->vm, run->refused_by, sizeof(run->refused_by));
		if (resume_err[0])
			snprintf(run->refused_by, sizeof(run->refused_by), "%s", resume_err);
		if (w == QEMU_TIMEOUT)
			snprintf(run->refused_by, sizeof(run->refused_by),
				 "the guest did not resume on B within %d ms%s%.200s",
				 MIGRATE_STEP_TIMEOUT_MS, st->vm.err_len ? "; QEMU: " : "",
				 st->vm.err);
	}
	qemu_vm_stop(&st->vm);
	st->vm_running = false;
	free(mb);
	return run->refused;
}

#define QEMU_BACKEND_OPS(name_) {					\
	.name = name_,							\
	.migration = "QEMU migrate to a file, then -incoming with the target model", \
	.open = qemu_backend_open,					\
	.run = qemu_backend_run,					\
	.save = qemu_backend_save,					\
	.restore = qemu_backend_restore,				\
	.release = qemu_backend_release,				\
	.close = qemu_backend_close,					\
}

const struct backend_ops backend_qemu_tcg_ops = QEMU_BACKEND_OPS("qemu-tcg");
const struct backend_ops backend_qemu_kvm_ops = QEMU_BACKEND_OPS("qemu-kvm");
