// SPDX-License-Identifier: GPL-2.0-only
#include "vmm/runner.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cpu/cpuid_builder.h"
#include "judge/guest_cpuid.h"
#include "lib/err.h"
#include "lib/parallel.h"
#include "vmm/guest_image.h"
#include "vmm/guest_layout.h"
#include "vmm/kvm_stats.h"
#include "vmm/plan_parts.h"

/*
 * Watchdog, one per vCPU thread: a timer of that thread's own
 * (SIGEV_THREAD_ID) sends it SIGALRM every tick, whose handler sets its
 * kvm_run.immediate_exit, so KVM_RUN returns EINTR even if the signal
 * lands just before the ioctl enters the guest. The run loop then checks
 * whether the current probe overran. The handler, once installed, stays:
 * a tick already queued when a timer is deleted must never meet SIGALRM's
 * default action, which ends the process.
 */
#define WATCHDOG_TICK_MS 50

#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id _sigev_un._tid	/* glibc < 2.35 */
#endif

static _Thread_local struct kvm_run *volatile watchdog_run;

static void watchdog_handler(int sig)
{
	(void)sig;
	if (watchdog_run)
		watchdog_run->immediate_exit = 1;
}

static pthread_once_t watchdog_once = PTHREAD_ONCE_INIT;
static int watchdog_install_errno;

static void watchdog_install(void)
{
	struct sigaction sa = { .sa_handler = watchdog_handler };

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL))
		watchdog_install_errno = errno;
}

struct watchdog {
	timer_t timer;
};

static int watchdog_start(struct watchdog *wd, struct kvm_run *run)
{
	struct sigevent sev = { .sigev_notify = SIGEV_THREAD_ID, .sigev_signo = SIGALRM };
	struct itimerspec it = {
		.it_interval = { 0, WATCHDOG_TICK_MS * 1000000L },
		.it_value = { 0, WATCHDOG_TICK_MS * 1000000L },
	};

	pthread_once(&watchdog_once, watchdog_install);
	if (watchdog_install_errno)
		return err_set_errno(watchdog_install_errno, "sigaction(SIGALRM) failed");
	sev.sigev_notify_thread_id = gettid();
	if (timer_create(CLOCK_MONOTONIC, &sev, &wd->timer))
		return err_set_errno(errno, "timer_create for the watchdog failed");
	watchdog_run = run;
	if (timer_settime(wd->timer, 0, &it, NULL)) {
		int e = errno;

		watchdog_run = NULL;
		timer_delete(wd->timer);
		return err_set_errno(e, "timer_settime for the watchdog failed");
	}
	return 0;
}

static void watchdog_stop(struct watchdog *wd)
{
	timer_delete(wd->timer);
	watchdog_run = NULL;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Per-run state of the run loop. */
struct run_ctx {
	struct vm *vm;
	struct mailbox *mb;
	struct mb_stint *stint;			/* the guest's stint record */
	const struct run_plan *plan;
	struct probe_obs *obs;		/* plan->n, filled by runner_end() */
	uint32_t probe_index;		/* the entry under way when last seen */
	uint64_t probe_started_ns;
	char host_error[MB_MAX_PROBES][128];	/* host-side outcome override */
	char fatal[128];			/* why the run ended early */
	struct mb_plan plan_sent;		/* the plan as the host wrote it */
	bool corrupt;				/* the guest overwrote it */
	int64_t kvm_runs;			/* KVM_RUN calls */
	uint64_t guest_ns;			/* time in runner_continue() */
};

/* A run that can stop at the guest's migration point (runner.h). */
struct runner {
	struct run_ctx ctx;
};

static void set_probe_error(struct run_ctx *ctx, uint32_t i, const char *why)
{
	if (i < ctx->plan->n)
		snprintf(ctx->host_error[i], sizeof(ctx->host_error[i]), "%s", why);
}

/*
 * The plan entry the guest is running (mailbox.h: mb_status.current, or
 * in a stint the stint record's next), or MB_SETUP; anything else is
 * what a confused guest wrote, which callers check against plan->n.
 */
static uint32_t guest_current(const struct run_ctx *ctx)
{
	uint32_t current = ctx->mb->status.current;

	return current == MB_STINT ? ctx->stint->next : current;
}

/*
 * If the guest is inside a probe or a guarded set-up step (fixup armed:
 * R15 = FIXUP_MAGIC), marks that probe failed with @why (during set-up,
 * tells the guest through mb_status.host_skipped, which counts it as a
 * refused enable) and resumes the guest at the fixup's resume address
 * (R14). Returns 0 if resumed, -1 if the guest cannot go on.
 */
static int skip_current_probe(struct run_ctx *ctx, const char *why)
{
	uint32_t current = guest_current(ctx);
	struct kvm_regs regs;

	if (vcpu_get_regs(&ctx->vm->vcpu, &regs))
		return -1;
	if (regs.r15 != FIXUP_MAGIC ||
	    (current >= ctx->plan->n && current != MB_SETUP))
		return -1;
	if (current == MB_SETUP)
		ctx->mb->status.host_skipped = 1;
	else
		set_probe_error(ctx, current, why);
	regs.rip = regs.r14;
	regs.r15 = 0;
	return vcpu_set_regs(&ctx->vm->vcpu, &regs);
}

enum loop_step { STEP_CONTINUE, STEP_DONE, STEP_FATAL, STEP_MIGRATE };

static enum loop_step handle_io(struct run_ctx *ctx)
{
	struct kvm_run *run = ctx->vm->vcpu.run;
	uint32_t val = 0;

	if (run->io.port == MB_PORT_DEBUGCON)
		return STEP_CONTINUE;
	if (run->io.port != MB_PORT || run->io.direction != KVM_EXIT_IO_OUT ||
	    run->io.size != 4) {
		snprintf(ctx->fatal, sizeof(ctx->fatal),
			 "guest did unexpected I/O on port 0x%x", run->io.port);
		return STEP_FATAL;
	}
	memcpy(&val, (uint8_t *)run + run->io.data_offset, 4);
	if (val == MB_PORT_DONE)
		return STEP_DONE;
	if (val == MB_PORT_MIGRATE && ctx->plan->migrate)
		return STEP_MIGRATE;
	if (val == MB_PORT_PANIC) {
		snprintf(ctx->fatal, sizeof(ctx->fatal),
			 "guest panic: exception %u (error code 0x%llx) at 0x%llx",
			 ctx->mb->status.panic_vector,
			 (unsigned long long)ctx->mb->status.panic_error_code,
			 (unsigned long long)ctx->mb->status.panic_rip);
		return STEP_FATAL;
	}
	snprintf(ctx->fatal, sizeof(ctx->fatal),
		 "guest wrote unknown value 0x%x to its mailbox port", val);
	return STEP_FATAL;
}

static enum loop_step handle_internal_error(struct run_ctx *ctx)
{
	struct kvm_run *run = ctx->vm->vcpu.run;
	const char *why = run->internal.suberror == KVM_INTERNAL_ERROR_EMULATION ?
		"KVM could not emulate the instruction (internal error: emulation failure)" :
		"KVM internal error";

	struct kvm_regs regs;

	if (!skip_current_probe(ctx, why))
		return STEP_CONTINUE;
	if (vcpu_get_regs(&ctx->vm->vcpu, &regs))
		regs.rip = 0;
	snprintf(ctx->fatal, sizeof(ctx->fatal),
		 "KVM internal error %u outside a probe, RIP 0x%llx",
		 run->internal.suberror, (unsigned long long)regs.rip);
	return STEP_FATAL;
}

/* The watchdog fired: end the current probe if it overran its time. */
static enum loop_step handle_tick(struct run_ctx *ctx)
{
	unsigned int limit = ctx->plan->probe_timeout_ms ?
		ctx->plan->probe_timeout_ms : RUNNER_DEFAULT_PROBE_TIMEOUT_MS;
	uint64_t now = now_ns();
	uint32_t current = guest_current(ctx);

	ctx->vm->vcpu.run->immediate_exit = 0;
	if (current != ctx->probe_index) {
		ctx->probe_index = current;
		ctx->probe_started_ns = now;
		return STEP_CONTINUE;
	}
	if (now - ctx->probe_started_ns < limit * 1000000ULL)
		return STEP_CONTINUE;
	ctx->probe_started_ns = now;
	if (!skip_current_probe(ctx, "timeout: the probe did not finish"))
		return STEP_CONTINUE;
	snprintf(ctx->fatal, sizeof(ctx->fatal),
		 "timeout: the guest hung outside a probe");
	return STEP_FATAL;
}

static enum loop_step run_step(struct run_ctx *ctx)
{
	struct kvm_run *run = ctx->vm->vcpu.run;
	int ret = vcpu_run(&ctx->vm->vcpu);

	ctx->kvm_runs++;
	if (ret < 0) {
		snprintf(ctx->fatal, sizeof(ctx->fatal), "%s", err_msg());
		return STEP_FATAL;
	}
	if (ret == 1)
		return handle_tick(ctx);
	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		return handle_io(ctx);
	case KVM_EXIT_INTERNAL_ERROR:
		return handle_internal_error(ctx);
	case KVM_EXIT_INTR:
		return handle_tick(ctx);
	case KVM_EXIT_HLT:
		snprintf(ctx->fatal, sizeof(ctx->fatal), "guest halted unexpectedly");
		return STEP_FATAL;
	case KVM_EXIT_SHUTDOWN:
		snprintf(ctx->fatal, sizeof(ctx->fatal), "guest triple fault (KVM_EXIT_SHUTDOWN)");
		return STEP_FATAL;
	case KVM_EXIT_FAIL_ENTRY:
		snprintf(ctx->fatal, sizeof(ctx->fatal),
			 "VM entry failed (KVM_EXIT_FAIL_ENTRY, reason 0x%llx)",
			 (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
		return STEP_FATAL;
	case KVM_EXIT_MMIO:
		snprintf(ctx->fatal, sizeof(ctx->fatal),
			 "guest accessed unbacked memory at 0x%llx",
			 (unsigned long long)run->mmio.phys_addr);
		return STEP_FATAL;
	default:
		snprintf(ctx->fatal, sizeof(ctx->fatal),
			 "unexpected KVM exit reason %u", run->exit_reason);
		return STEP_FATAL;
	}
}

static void write_plan(struct mailbox *mb, const struct run_plan *plan)
{
	memset(mb, 0, sizeof(*mb));
	mb->plan.magic = MB_MAGIC;
	mb->plan.version = MB_VERSION;
	mb->plan.guest_os = plan->guest_os;
	mb->plan.nprobes = plan->n;
	for (unsigned int i = 0; i < plan->n; i++) {
		mb->plan.entries[i].probe = plan->entries[i].probe->id;
		mb->plan.entries[i].ring = plan->entries[i].ring;
	}
}

/*
 * The guest's record of entry @i: the kernel's, in the mailbox, once it
 * wrote one; else the stint loop's, where the guest died in a stint
 * before its kernel copied it (mailbox.h: struct mb_stint).
 */
static const struct mb_result *result_record(const struct run_ctx *ctx, unsigned int i)
{
	if (ctx->mb->results[i].status == MB_NOT_RUN)
		return &ctx->stint->results[i];
	return &ctx->mb->results[i];
}

/*
 * Turns the guest's record of entry @i (and any host-side error) into an
 * observation. The guest wrote the record: every field is checked before
 * it is believed.
 */
static void read_result(struct run_ctx *ctx, unsigned int i)
{
	struct probe_obs *o = &ctx->obs[i];
	const struct mb_result *m = result_record(ctx, i);

	memset(o, 0, sizeof(*o));
	o->status = OBS_ERROR;
	if (ctx->corrupt) {
		obs_set_corrupt(o);
		return;
	}
	if (ctx->host_error[i][0]) {
		snprintf(o->detail, sizeof(o->detail), "%s", ctx->host_error[i]);
		return;
	}
	if (m->probe != ctx->plan->entries[i].probe->id || m->status == MB_NOT_RUN) {
		obs_set_not_run(o, ctx->fatal[0] ? ctx->fatal : "the guest skipped it");
		return;
	}
	if ((m->status != MB_COMPLETED && m->status != MB_FAULTED) ||
	    m->ring != ctx->mb->plan.entries[i].ring ||
	    (m->status == MB_FAULTED && m->vector > 31)) {
		snprintf(o->detail, sizeof(o->detail),
			 "invalid result record from the guest (status %u, ring %u, vector %u)",
			 m->status, m->ring, m->vector);
		return;
	}
	if (m->status == MB_FAULTED) {
		o->status = OBS_FAULTED;
		o->vector = m->vector;
		o->error_code = m->error_code;
		o->rip = m->rip;
		return;
	}
	o->status = OBS_COMPLETED;
	o->value = m->value;
}

static int set_guest_cpuid(struct vcpu *vcpu, const struct kvm_cpuid2 *cpuid)
{
	char why[256];

	if (!vcpu_set_cpuid(vcpu, cpuid))
		return 0;
	snprintf(why, sizeof(why), "%s", err_msg());
	return err_set("%s: KVM refuses this model's CPUID; 'cpubench host' lists the models this host can run",
		       why);
}
/* Whether @cpuid tells the guest la57 (CPUID.7.0:ECX[16]). */
static bool told_la57(const struct kvm_cpuid2 *cpuid)
{
	const struct kvm_cpuid_entry2 *e = cpuid_find((struct kvm_cpuid2 *)cpuid, 7, 0);

	return e && (e->ecx & CPUID_7_ECX_LA57);
}

/*
 * Enters the guest with 5-level paging where it is told la57, as Linux
 * boots. Where KVM refuses CR4.LA57 (this host cannot give it), the guest
 * runs with 4-level paging, and its la57 probe faults: the model promises
 * what this host lacks.
 */
static int enter_guest(struct vcpu *vcpu, uint64_t entry, const struct kvm_cpuid2 *cpuid)
{
	if (told_la57(cpuid)) {
		if (!guest_layout_enter_long_mode(vcpu, entry, true))
			return 0;
		err_clear();
	}
	return guest_layout_enter_long_mode(vcpu, entry, false);
}

static int runner_boot(struct run_ctx *ctx, const struct kvm_cpuid2 *cpuid)
{
	struct vm *vm = ctx->vm;
	uint64_t entry;

	/* CPUID first: KVM validates SREGS (CR4, EFER) against it. */
	if (set_guest_cpuid(&vm->vcpu, cpuid))
		return -1;
	if (guest_layout_write(vm) ||
	    guest_image_load(vm, guest_payload, guest_payload_end - guest_payload, &entry))
		return -1;
	ctx->mb = vm_gpa(vm, MB_GPA, sizeof(struct mailbox));
	ctx->stint = vm_gpa(vm, MB_STINT_GPA, sizeof(struct mb_stint));
	write_plan(ctx->mb, ctx->plan);
	ctx->plan_sent = ctx->mb->plan;
	return enter_guest(&vm->vcpu, entry, cpuid);
}

struct runner *runner_start(struct kvm_sys *kvm, const struct kvm_cpuid2 *cpuid,
			    const struct run_plan *plan, struct probe_obs *obs)
{
	struct runner *r;

	if (plan->n > MB_MAX_PROBES) {
		err_set("too many probes in one run (%u, at most %d)",
			plan->n, MB_MAX_PROBES);
		return NULL;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		err_set("out of memory");
		return NULL;
	}
	r->ctx.plan = plan;
	r->ctx.obs = obs;
	r->ctx.vm = vm_create(kvm, GUEST_MEM_SIZE);
	if (!r->ctx.vm) {
		free(r);
		return NULL;
	}
	if (runner_boot(&r->ctx, cpuid)) {
		err_set_class(EXIT_ENV);
		runner_end(r, NULL, NULL);
		return NULL;
	}
	if (plan->migrate)
		r->ctx.mb->migrate.requested = 1;
	return r;
}

enum runner_stop runner_continue(struct runner *r)
{
	struct run_ctx *ctx = &r->ctx;
	enum loop_step step = STEP_CONTINUE;
	uint64_t start = now_ns();
	struct watchdog wd;

	ctx->probe_started_ns = start;
	if (watchdog_start(&wd, ctx->vm->vcpu.run)) {
		snprintf(ctx->fatal, sizeof(ctx->fatal), "%s", err_msg());
		return RUNNER_STOP_FATAL;
	}
	while (step == STEP_CONTINUE)
		step = run_step(ctx);
	watchdog_stop(&wd);
	ctx->guest_ns += now_ns() - start;
	return step == STEP_DONE ? RUNNER_STOP_DONE :
	       step == STEP_MIGRATE ? RUNNER_STOP_MIGRATE : RUNNER_STOP_FATAL;
}

struct vm *runner_vm(struct runner *r)
{
	return r->ctx.vm;
}

struct mailbox *runner_mailbox(struct runner *r)
{
	return r->ctx.mb;
}

const char *runner_fatal(struct runner *r)
{
	return r->ctx.fatal;
}

void runner_replace_vm(struct runner *r, struct vm *vm)
{
	vm_destroy(r->ctx.vm);
	r->ctx.vm = vm;
	r->ctx.mb = vm_gpa(vm, MB_GPA, sizeof(struct mailbox));
	r->ctx.stint = vm_gpa(vm, MB_STINT_GPA, sizeof(struct mb_stint));
}

/*
 * runner_end(), and how the run ended, for a part of a plan run over
 * several vCPUs (@part's plan indices start at part->first; may be NULL),
 * and its statistics (@stats, may be NULL).
 */
static void runner_finish(struct runner *r, struct mb_os *os_out,
			  struct kvm_cpuid2 **seen_out, struct plan_part *part,
			  struct run_stats *stats)
{
	struct run_ctx *ctx = &r->ctx;

	if (os_out)
		memset(os_out, 0, sizeof(*os_out));
	if (seen_out)
		*seen_out = NULL;
	if (ctx->mb) {
		uint32_t current = guest_current(ctx);

		ctx->corrupt = memcmp(&ctx->mb->plan, &ctx->plan_sent,
				      sizeof(ctx->plan_sent));
		/* what ended the run happened in the probe under way, if any */
		if (ctx->fatal[0] && !ctx->corrupt)
			set_probe_error(ctx, current, ctx->fatal);
		for (unsigned int i = 0; i < ctx->plan->n; i++)
			read_result(ctx, i);
		/* nothing the guest reported is believed from a corrupt mailbox */
		if (os_out && !ctx->corrupt)
			*os_out = ctx->mb->os;
		if (seen_out && !ctx->corrupt && ctx->mb->os.booted)
			*seen_out = guest_cpuid_from_mailbox(ctx->mb);
		if (part) {
			part->corrupt = ctx->corrupt;
			part->died = ctx->fatal[0];
			part->died_at = part->first +
				(current == MB_SETUP ? 0 : current < part->n ? current : part->n);
			snprintf(part->fatal, sizeof(part->fatal), "%s", ctx->fatal);
		}
	}
	if (stats) {
		stats->vcpus = 1;
		stats->kvm_runs = ctx->kvm_runs;
		stats->guest_ns = ctx->guest_ns;
		stats->exits = ctx->vm ? vcpu_exits(&ctx->vm->vcpu) : -1;
	}
	vm_destroy(ctx->vm);
	free(r);
}

void runner_end(struct runner *r, struct mb_os *os_out, struct kvm_cpuid2 **seen_out)
{
	runner_finish(r, os_out, seen_out, NULL, NULL);
}

/* One part of a plan, on one vCPU in a thread of its own (runner_run). */
struct part_run {
	struct plan_part part;
	struct run_plan plan;		/* its entries */
	struct mb_os os;
	struct kvm_cpuid2 *seen;
	struct run_stats stats;
	int ret;
	int err_class;
	char err[512];			/* why it could not run, from its thread */
};

struct runner_job {
	struct kvm_sys *kvm;
	const struct kvm_cpuid2 *cpuid;
	struct probe_obs *obs;
	struct part_run *parts;
};

static void run_part(void *arg, unsigned int p)
{
	struct runner_job *job = arg;
	struct part_run *pr = &job->parts[p];
	struct runner *r = runner_start(job->kvm, job->cpuid, &pr->plan,
					job->obs + pr->part.first);

	if (!r) {
		pr->ret = -1;
		pr->err_class = err_class();
		snprintf(pr->err, sizeof(pr->err), "%s", err_msg());
		return;
	}
	runner_continue(r);
	runner_finish(r, &pr->os, p ? NULL : &pr->seen, &pr->part, &pr->stats);
}

/* The parts' statistics, as one run's. */
static void sum_stats(const struct part_run *parts, unsigned int k, struct run_stats *stats)
{
	*stats = (struct run_stats){ .vcpus = k };
	for (unsigned int p = 0; p < k; p++) {
		stats->guest_ns += parts[p].stats.guest_ns;
		stats->kvm_runs += parts[p].stats.kvm_runs;
		if (stats->exits >= 0)
			stats->exits = parts[p].stats.exits < 0 ? -1 :
				       stats->exits + parts[p].stats.exits;
	}
}

int runner_run(struct kvm_sys *kvm, const struct kvm_cpuid2 *cpuid,
	       const struct run_plan *plan, struct probe_obs *obs,
	       struct mb_os *os_out, struct kvm_cpuid2 **seen_out,
	       struct run_stats *stats)
{
	struct plan_part split[RUNNER_MAX_VCPUS];
	unsigned int k = plan_split(plan->n, plan->jobs, split, RUNNER_MAX_VCPUS);
	struct part_run *parts = calloc(k, sizeof(*parts));
	struct runner_job job = { kvm, cpuid, obs, parts };
	uint64_t start = now_ns();
	int ret = 0;
	bool believed;

	if (!parts)
		return err_set("out of memory");
	for (unsigned int p = 0; p < k; p++) {
		parts[p].part = split[p];
		parts[p].plan = *plan;
		parts[p].plan.n = split[p].n;
		parts[p].plan.entries = plan->entries + split[p].first;
	}
	parallel_for(k, k, run_part, &job);
	/* the first part that could not run a guest at all, in plan order */
	for (unsigned int p = 0; p < k && !ret; p++) {
		if (!parts[p].ret)
			continue;
		err_set("%s", parts[p].err);
		err_set_class(parts[p].err_class);
		ret = -1;
	}
	for (unsigned int p = 0; p < k; p++)
		split[p] = parts[p].part;
	believed = !ret && plan_merge(split, k, obs);
	if (os_out)
		*os_out = believed ? parts[0].os : (struct mb_os){ 0 };
	if (seen_out)
		*seen_out = believed ? parts[0].seen : NULL;
	if (!believed || !seen_out)
		free(parts[0].seen);
	if (stats) {
		sum_stats(parts, k, stats);
		stats->wall_ns = now_ns() - start;
	}
	free(parts);
	return ret;
}
