/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One plan over several vCPUs (vmm/runner.c, --jobs): the plan is cut into
 * contiguous parts, one VM each, and their observations are merged into
 * what one vCPU running the whole plan would have seen, so that a verdict
 * never depends on --jobs.
 *
 * One vCPU running the plan sees a guest that dies (a triple fault, a
 * panic) take every later entry with it, and a guest that overwrites its
 * mailbox make every record of the run untrustworthy. A part's guest does
 * that to its own part only; the merge extends it to the whole plan.
 */
#ifndef CPUBENCH_PLAN_PARTS_H
#define CPUBENCH_PLAN_PARTS_H

#include <stdbool.h>

#include "judge/plan.h"

struct plan_part {
	unsigned int first, n;	/* its entries: [first, first + n) of the plan */
	/* how its run ended */
	bool corrupt;		/* the guest overwrote the plan in its mailbox */
	bool died;		/* the run ended early; fatal says why */
	unsigned int died_at;	/* plan index of the entry it died in (first: before any) */
	char fatal[128];
};

/*
 * Cuts @n entries into min(@jobs, @n) parts (at least one, at most
 * @max) of sizes that differ by one at most, in plan order; returns
 * their number and fills @parts (zeroed, but for first and n).
 */
unsigned int plan_split(unsigned int n, unsigned int jobs, struct plan_part *parts,
			unsigned int max);

/* The error details of entries a run cannot vouch for, as read_result
 * (vmm/runner.c) and plan_merge() write them. */
void obs_set_corrupt(struct probe_obs *o);
void obs_set_not_run(struct probe_obs *o, const char *why);

/*
 * Makes @obs (the whole plan's, each part's filled by its own run) what
 * one vCPU would have seen: a corrupt part makes every entry corrupt; the
 * first part to die, at entry d, makes every entry after d not run, for
 * its reason. Returns false when a part was corrupt (nothing its guest
 * reported may be believed).
 */
bool plan_merge(const struct plan_part *parts, unsigned int k, struct probe_obs *obs);

#endif
