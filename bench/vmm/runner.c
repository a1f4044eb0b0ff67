// SPDX-License-Identifier: GPL-2.0-only
#include "vmm/runner.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "cpu/cpuid_builder.h"
#include "judge/guest_cpuid.h"
#include "lib/err.h"
#include "vmm/guest_image.h"
#include "vmm/guest_layout.h"

/*
 * Watchdog: a periodic SIGALRM sets kvm_run.immediate_exit, so KVM_RUN
 * returns EINTR even if the signal lands just before the ioctl enters the
 * guest. The run loop then checks whether the current probe overran.
 */
#define WATCHDOG_TICK_MS 50

static struct kvm_run *volatile watchdog_run;

static void watchdog_handler(int sig)
{
	(void)sig;
	if (watchdog_run)
		watchdog_run->immediate_exit = 1;
}

struct watchdog {
	struct sigaction old_action;
	struct itimerval old_timer;
};

static int watchdog_start(struct watchdog *wd, struct kvm_run *run)
{
	struct sigaction sa = { .sa_handler = watchdog_handler };
	struct itimerval it = {
		.it_interval = { 0, WATCHDOG_TICK_MS * 1000 },
		.it_value = { 0, WATCHDOG_TICK_MS * 1000 },
	};

	watchdog_run = run;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, &wd->old_action))
		return err_set_errno(errno, "sigaction(SIGALRM) failed");
	if (setitimer(ITIMER_REAL, &it, &wd->old_timer))
		return err_set_errno(errno, "setitimer failed");
	return 0;
}

static void watchdog_stop(struct watchdog *wd)
{
	setitimer(ITIMER_REAL, &wd->old_timer, NULL);
	sigaction(SIGALRM, &wd->old_action, NULL);
	watchdog_run = NULL;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Per-run state of the run loop. */
struct run_ctx {
	struct vm *vm;
	struct mailbox *mb;
	const struct run_plan *plan;
	struct probe_obs *obs;		/* plan->n, filled by runner_end() */
	uint32_t probe_index;		/* mb->status.current when last seen */
	uint64_t probe_started_ms;
	char host_error[MB_MAX_PROBES][128];	/* host-side outcome override */
	char fatal[128];			/* why the run ended early */
	struct mb_plan plan_sent;		/* the plan as the host wrote it */
	bool corrupt;				/* the guest overwrote it */
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
 * If the guest is inside a probe or a guarded set-up step (fixup armed:
 * R15 = FIXUP_MAGIC), marks that probe failed with @why (during set-up,
 * tells the guest through mb_status.host_skipped, which counts it as a
 * refused enable) and resumes the guest at the fixup's resume address
 * (R14). Returns 0 if resumed, -1 if the guest cannot go on.
 */
static int skip_current_probe(struct run_ctx *ctx, const char *why)
{
	uint32_t current = ctx->mb->status.current;
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
	uint64_t now = now_ms();

	ctx->vm->vcpu.run->immediate_exit = 0;
	if (ctx->mb->status.current != ctx->probe_index) {
		ctx->probe_index = ctx->mb->status.current;
		ctx->probe_started_ms = now;
		return STEP_CONTINUE;
	}
	if (now - ctx->probe_started_ms < limit)
		return STEP_CONTINUE;
	ctx->probe_started_ms = now;
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
 * Turns mailbox record @i (and any host-side error) into an observation.
 * The guest wrote the record: every field is checked before it is believed.
 */
static void read_result(struct run_ctx *ctx, unsigned int i)
{
	struct probe_obs *o = &ctx->obs[i];
	const struct mb_result *m = &ctx->mb->results[i];

	memset(o, 0, sizeof(*o));
	o->status = OBS_ERROR;
	if (ctx->corrupt) {
		snprintf(o->detail, sizeof(o->detail),
			 "mailbox corrupted: the guest overwrote the probe plan, so no record of this run can be trusted");
		return;
	}
	if (ctx->host_error[i][0]) {
		snprintf(o->detail, sizeof(o->detail), "%s", ctx->host_error[i]);
		return;
	}
	if (m->probe != ctx->plan->entries[i].probe->id || m->status == MB_NOT_RUN) {
		snprintf(o->detail, sizeof(o->detail), "not run: %s",
			 ctx->fatal[0] ? ctx->fatal : "the guest skipped it");
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
	struct watchdog wd;

	ctx->probe_started_ms = now_ms();
	if (watchdog_start(&wd, ctx->vm->vcpu.run)) {
		snprintf(ctx->fatal, sizeof(ctx->fatal), "%s", err_msg());
		return RUNNER_STOP_FATAL;
	}
	while (step == STEP_CONTINUE)
		step = run_step(ctx);
	watchdog_stop(&wd);
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
}

void runner_end(struct runner *r, struct mb_os *os_out, struct kvm_cpuid2 **seen_out)
{
	struct run_ctx *ctx = &r->ctx;

	if (os_out)
		memset(os_out, 0, sizeof(*os_out));
	if (seen_out)
		*seen_out = NULL;
	if (ctx->mb) {
		ctx->corrupt = memcmp(&ctx->mb->plan, &ctx->plan_sent,
				      sizeof(ctx->plan_sent));
		/* what ended the run happened in the probe under way, if any */
		if (ctx->fatal[0] && !ctx->corrupt)
			set_probe_error(ctx, ctx->mb->status.current, ctx->fatal);
		for (unsigned int i = 0; i < ctx->plan->n; i++)
			read_result(ctx, i);
		/* nothing the guest reported is believed from a corrupt mailbox */
		if (os_out && !ctx->corrupt)
			*os_out = ctx->mb->os;
		if (seen_out && !ctx->corrupt && ctx->mb->os.booted)
			*seen_out = guest_cpuid_from_mailbox(ctx->mb);
	}
	vm_destroy(ctx->vm);
	free(r);
}

int runner_run(struct kvm_sys *kvm, const struct kvm_cpuid2 *cpuid,
	       const struct run_plan *plan, struct probe_obs *obs,
	       struct mb_os *os_out, struct kvm_cpuid2 **seen_out)
{
	struct runner *r = runner_start(kvm, cpuid, plan, obs);

	if (!r)
		return -1;
	runner_continue(r);
	runner_end(r, os_out, seen_out);
	return 0;
}
