/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a backend is asked to run and what it saw, before any judging:
 * the host-side mirror of the mailbox (guestcode/mailbox.h). Backends fill
 * observations; judge/outcome.c turns them into outcomes, judge/verdict.c
 * into verdicts.
 */
#ifndef CPUBENCH_JUDGE_PLAN_H
#define CPUBENCH_JUDGE_PLAN_H

#include <stdbool.h>
#include <stdint.h>

#include "guestcode/mailbox.h"
#include "judge/probe.h"

/* One planned probe. */
struct plan_entry {
	const struct probe_desc *probe;
	uint8_t ring;		/* 0 or 3 */
};

struct run_plan {
	enum guest_os_mode guest_os;
	unsigned int probe_timeout_ms;	/* per-probe watchdog; 0: the backend's default */
	unsigned int n;
	const struct plan_entry *entries;
	bool migrate;			/* run the migration scenario instead (n = 0) */
	/*
	 * vCPUs to spread the plan over, one VM and one thread each, where
	 * the backend can (kvm); 0 or 1: one. The observations are those of
	 * one vCPU running the whole plan.
	 */
	unsigned int jobs;
};

/* How a run went, as far as the backend can tell (-1: it cannot). */
struct run_stats {
	uint64_t wall_ns;	/* the backend's run: first VM created to last one ended */
	uint64_t guest_ns;	/* the vCPUs' time in their run loops, summed */
	unsigned int vcpus;	/* vCPUs (one VM each) that ran the plan */
	unsigned int probes;	/* its entries */
	int64_t kvm_runs;	/* KVM_RUN calls, all vCPUs */
	int64_t exits;		/* guest exits KVM counted (vmm/kvm_stats.h), all vCPUs */
};

/* What happened to one planned probe, as the backend saw it. */
enum obs_status {
	OBS_ERROR,		/* no conclusion: detail says why */
	OBS_COMPLETED,		/* ran to its end: value is its result */
	OBS_FAULTED,		/* took an exception: vector, error_code, rip */
};

struct probe_obs {
	enum obs_status status;
	uint8_t vector;
	uint32_t error_code;
	uint64_t rip;
	uint64_t value;
	char detail[160];	/* why, for OBS_ERROR: "timeout: ...", "QEMU: ..." */
};

#endif
