/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Runs a probe plan in one fresh VM: creates it with the given guest CPUID,
 * loads the payload, runs the vCPU until the guest reports completion, and
 * turns the mailbox's records into observations (judge/plan.h), which it
 * checks but does not judge. A fault never ends the run; an
 * emulation failure or a hang ends only the probe it happened in (the host
 * resumes the guest at the fixup's resume address); a triple fault or panic
 * ends the run and leaves every unfinished probe OBS_ERROR.
 *
 * With plan->jobs > 1 the plan is cut into parts, each run in a VM of its
 * own by a thread of its own, with its own watchdog; the observations are
 * merged into those of one VM running the whole plan (vmm/plan_parts.h).
 */
#ifndef CPUBENCH_RUNNER_H
#define CPUBENCH_RUNNER_H

#include <stdint.h>

#include "guestcode/mailbox.h"
#include "judge/plan.h"
#include "vmm/kvm.h"

#define RUNNER_DEFAULT_PROBE_TIMEOUT_MS 2000
/* vCPUs one plan is spread over at most, whatever plan->jobs says */
#define RUNNER_MAX_VCPUS 64

/*
 * Fills @obs[0..plan->n-1], one per plan entry, and what runner_end()
 * reads (of the first part's VM), and @stats (may be NULL). Returns 0, or
 * -1 when a VM could not be run at all (err_set; EXIT_ENV class).
 */
int runner_run(struct kvm_sys *kvm, const struct kvm_cpuid2 *cpuid,
	       const struct run_plan *plan, struct probe_obs *obs,
	       struct mb_os *os_out, struct kvm_cpuid2 **seen_out,
	       struct run_stats *stats);

/*
 * The same run in steps, for `cpubench migrate` (migrate_kvm.c): start a
 * VM, run it until the guest is done or stops at its migration point
 * (plan->migrate), move the guest into another VM, go on, end.
 */
struct runner;

enum runner_stop {
	RUNNER_STOP_DONE,	/* the guest signalled MB_PORT_DONE */
	RUNNER_STOP_MIGRATE,	/* ... MB_PORT_MIGRATE: the VM is kept as is */
	RUNNER_STOP_FATAL,	/* it cannot go on: runner_fatal() says why */
};

struct runner *runner_start(struct kvm_sys *kvm, const struct kvm_cpuid2 *cpuid,
			    const struct run_plan *plan, struct probe_obs *obs);
enum runner_stop runner_continue(struct runner *r);
struct vm *runner_vm(struct runner *r);
struct mailbox *runner_mailbox(struct runner *r);
const char *runner_fatal(struct runner *r);
/* Continues in @vm from now on (the old VM is destroyed). */
void runner_replace_vm(struct runner *r, struct vm *vm);
/*
 * Reads the observations, what the guest OS enabled (@os_out) and the
 * CPUID leaves the guest read (*@seen_out, malloc'ed; NULL if the guest
 * did not boot or its mailbox cannot be trusted), destroys the VM. Either
 * out pointer may be NULL.
 */
void runner_end(struct runner *r, struct mb_os *os_out, struct kvm_cpuid2 **seen_out);

#endif
