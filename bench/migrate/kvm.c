// SPDX-License-Identifier: GPL-2.0-only
/*
 * `migrate` on cpubench's own KVM userspace: the guest boots in a VM whose
 * CPUID is A and stops at its migration point; its complete state
 * (vcpu_state.c) is restored, as QEMU would restore it, into a fresh VM
 * whose CPUID is B, and it runs on there.
 *
 * KVM checks some of that state against B's CPUID (CR4 in KVM_SET_SREGS,
 * XCR0 in KVM_SET_XCRS, MSRs in KVM_SET_MSRS): a refusal is what makes
 * QEMU fail a live migration. The report names the first refused step;
 * the guest is resumed anyway, without the refused state, to show what it
 * would meet.
 */
#include "migrate/migrate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpuid_builder.h"
#include "lib/err.h"
#include "vmm/runner.h"
#include "vmm/vcpu_state.h"

static struct kvm_cpuid2 *model_cpuid(struct backend *b, const struct mask *m)
{
	return cpuid_build(b->kvm.supported, &m->features,
			   m->identity.set ? &m->identity : NULL);
}

/*
 * What the guest chose from is what its CPUID instruction returned. Where
 * that is not A's (PVM runs CPUID natively), the report says so.
 */
static void note_guest_view(struct migrate_report *r, const struct mailbox *mb)
{
	struct kvm_cpuid2 *seen = backend_cpuid_from_guest(mb);
	featureset_t fs;

	if (!seen)
		return;
	featureset_from_cpuid(&fs, seen);
	free(seen);
	if (featureset_equal(&fs, &r->told_a))
		return;
	r->told_a = fs;
	r->told_by_guest = true;
	snprintf(r->note, sizeof(r->note),
		 "the guest's CPUID instruction did not return %s's features "
		 "(%s): it chose its implementations from what it read, shown "
		 "here as advertised at boot", r->from,
		 r->backend == BACKEND_KVM_PVM ?
		 "PVM runs CPUID natively on the host CPU" :
		 "this KVM does not apply the model's CPUID");
}

/* Moves the stopped guest from the runner's VM into a new one with @cpuid_b. */
static int move_guest(struct backend *b, struct runner *run,
		      const struct kvm_cpuid2 *cpuid_b, struct migrate_report *r)
{
	struct vm *from = runner_vm(run), *to;
	struct vcpu_state st;
	int refused;

	if (vcpu_complete_io(&from->vcpu) || vcpu_state_save(from, &st)) {
		vcpu_state_free(&st);
		return -1;
	}
	to = vm_create(&b->kvm, GUEST_MEM_SIZE);
	if (!to) {
		vcpu_state_free(&st);
		return -1;
	}
	if (vcpu_set_cpuid(&to->vcpu, cpuid_b)) {
		/* no VM with B's CPUID: nothing to resume into */
		r->refused = true;
		snprintf(r->refused_by, sizeof(r->refused_by), "%s", err_msg());
		vm_destroy(to);
		vcpu_state_free(&st);
		return 1;
	}
	refused = vcpu_state_restore(to, &st, r->refused_by, sizeof(r->refused_by));
	vcpu_state_free(&st);
	if (refused < 0) {
		vm_destroy(to);
		return -1;
	}
	r->refused = refused > 0;
	runner_replace_vm(run, to);
	return 0;
}

int migrate_kvm(struct backend *b, struct migrate_report *r)
{
	struct run_plan plan = { .guest_os = GUEST_OS_LINUX, .migrate = true };
	struct kvm_cpuid2 *cpuid_a = model_cpuid(b, &r->a);
	struct kvm_cpuid2 *cpuid_b = model_cpuid(b, &r->b);
	struct runner *run = NULL;
	enum runner_stop stop;
	int ret = -1, moved;

	snprintf(r->how, sizeof(r->how),
		 "KVM state (registers, XSAVE, XCRs, MSRs, events, memory) saved "
		 "and restored into a fresh VM with %s's CPUID", r->to);
	if (!cpuid_a || !cpuid_b)
		goto out;
	featureset_from_cpuid(&r->told_a, cpuid_a);
	featureset_from_cpuid(&r->told_b, cpuid_b);
	run = runner_start(&b->kvm, cpuid_a, &plan);
	if (!run)
		goto out;
	stop = runner_continue(run);
	if (stop != RUNNER_STOP_MIGRATE) {
		err_set("the guest did not reach the migration point under %s: %s",
			r->from, stop == RUNNER_STOP_FATAL ? runner_fatal(run) :
			"it finished without stopping");
		err_set_class(EXIT_ENV);
		goto out;
	}
	r->booted = true;
	r->at_point = runner_mailbox(run)->migrate;
	note_guest_view(r, runner_mailbox(run));
	moved = move_guest(b, run, cpuid_b, r);
	if (moved < 0)
		goto out;
	ret = 0;
	if (moved > 0)
		goto out;
	stop = runner_continue(run);
	r->final = runner_mailbox(run)->migrate;
	r->resumed = r->final.phase == 1;
	if (stop == RUNNER_STOP_FATAL && !r->note[0])
		snprintf(r->note, sizeof(r->note), "on %s the guest died: %s",
			 r->to, runner_fatal(run));
out:
	if (run)
		runner_end(run, NULL);
	free(cpuid_a);
	free(cpuid_b);
	return ret;
}
