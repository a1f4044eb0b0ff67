// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kvm backend: cpubench's own KVM userspace (vmm/) behind the backend
 * interface. The guest CPUID is the model's, built against what this KVM
 * supports (cpu/cpuid_builder.c).
 *
 * save/restore move the guest as a live migration does: its complete state
 * (vmm/vcpu_state.c) is restored, as QEMU would restore it, into a fresh
 * VM whose CPUID is the second model's. KVM checks some of that state
 * against the new CPUID (CR4 in KVM_SET_SREGS, XCR0 in KVM_SET_XCRS, MSRs
 * in KVM_SET_MSRS): a refusal is what makes QEMU fail a live migration.
 * The first refused step is reported and the guest resumed anyway, without
 * the refused state, to show what it would meet.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/backend.h"
#include "cpu/cpuid_builder.h"
#include "judge/guest_cpuid.h"
#include "lib/err.h"
#include "vmm/kvm.h"
#include "vmm/runner.h"
#include "vmm/vcpu_state.h"

/* Between run(), save() and restore(): the runner and the saved state. */
struct kvm_run_state {
	struct runner *runner;
	struct vcpu_state saved;
	bool has_saved;
};

static struct kvm_sys *kvm_of(struct backend *b)
{
	return b->priv;
}

static int kvm_backend_open(struct backend *b, const char *kvm_device)
{
	struct kvm_sys *kvm = calloc(1, sizeof(*kvm));

	if (!kvm)
		return err_set("out of memory");
	if (kvm_sys_open(kvm, kvm_device)) {
		free(kvm);
		return -1;
	}
	b->priv = kvm;
	b->kind = b->table = kvm->kind;
	featureset_from_cpuid(&b->host, kvm->supported);
	return 0;
}

static void kvm_backend_close(struct backend *b)
{
	if (!b->priv)
		return;
	kvm_sys_close(kvm_of(b));
	free(b->priv);
	b->priv = NULL;
}

static struct kvm_cpuid2 *model_cpuid(struct backend *b, const struct mask *m)
{
	return cpuid_build(kvm_of(b)->supported, &m->features,
			   m->identity.set ? &m->identity : NULL);
}

static void kvm_backend_release(struct backend *b, struct backend_run *run)
{
	struct kvm_run_state *st = run->priv;

	(void)b;
	if (st->runner)
		runner_end(st->runner, NULL, NULL);
	if (st->has_saved)
		vcpu_state_free(&st->saved);
	free(st);
	run->priv = NULL;
}

static int kvm_backend_run(struct backend *b, struct backend_run *run)
{
	struct kvm_run_state *st;
	enum runner_stop stop;

	run->told = model_cpuid(b, run->mask);
	if (!run->told)
		return -1;
	if (!run->plan->migrate)
		return runner_run(kvm_of(b), run->told, run->plan, run->obs,
				  &run->os, &run->seen, &run->stats);
	st = calloc(1, sizeof(*st));
	if (!st)
		return err_set("out of memory");
	run->priv = st;
	st->runner = runner_start(kvm_of(b), run->told, run->plan, run->obs);
	if (!st->runner)
		return -1;
	stop = runner_continue(st->runner);
	if (stop != RUNNER_STOP_MIGRATE) {
		err_set("the guest did not reach the migration point under %s: %s",
			run->mask->spec, stop == RUNNER_STOP_FATAL ?
			runner_fatal(st->runner) : "it finished without stopping");
		err_set_class(EXIT_ENV);
		return -1;
	}
	run->at_point = true;
	run->os = runner_mailbox(st->runner)->os;
	run->migrate = runner_mailbox(st->runner)->migrate;
	run->seen = guest_cpuid_from_mailbox(runner_mailbox(st->runner));
	return 0;
}

static int kvm_backend_save(struct backend *b, struct backend_run *run)
{
	struct kvm_run_state *st = run->priv;
	struct vm *from = runner_vm(st->runner);

	(void)b;
	if (vcpu_complete_io(&from->vcpu) || vcpu_state_save(from, &st->saved)) {
		vcpu_state_free(&st->saved);
		return -1;
	}
	st->has_saved = true;
	return 0;
}

static int kvm_backend_restore(struct backend *b, struct backend_run *run,
			       const struct mask *to_mask)
{
	struct kvm_run_state *st = run->priv;
	struct kvm_cpuid2 *cpuid_b = model_cpuid(b, to_mask);
	enum runner_stop stop;
	struct vm *to;
	int refused;

	if (!cpuid_b)
		return -1;
	featureset_from_cpuid(&run->told_to, cpuid_b);
	to = vm_create(kvm_of(b), GUEST_MEM_SIZE);
	if (!to) {
		free(cpuid_b);
		return -1;
	}
	if (vcpu_set_cpuid(&to->vcpu, cpuid_b)) {
		/* no VM with B's CPUID: nothing to resume into */
		run->refused = true;
		snprintf(run->refused_by, sizeof(run->refused_by), "%s", err_msg());
		vm_destroy(to);
		free(cpuid_b);
		return 1;
	}
	free(cpuid_b);
	refused = vcpu_state_restore(to, &st->saved, run->refused_by,
				     sizeof(run->refused_by));
	if (refused < 0) {
		vm_destroy(to);
		return -1;
	}
	run->refused = refused > 0;
	runner_replace_vm(st->runner, to);
	stop = runner_continue(st->runner);
	run->migrate = runner_mailbox(st->runner)->migrate;
	if (stop == RUNNER_STOP_FATAL)
		snprintf(run->died, sizeof(run->died), "%s", runner_fatal(st->runner));
	return run->refused;
}

const struct backend_ops backend_kvm_ops = {
	.name = "kvm",
	.concurrent = true,
	.migration = "KVM state (registers, XSAVE, XCRs, MSRs, events, memory) saved "
		     "and restored into a fresh VM with the target model's CPUID",
	.open = kvm_backend_open,
	.run = kvm_backend_run,
	.save = kvm_backend_save,
	.restore = kvm_backend_restore,
	.release = kvm_backend_release,
	.close = kvm_backend_close,
};
