/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The floor of this KVM backend (`cpubench floor`, make perf): what the
 * mechanisms a probe run is made of cost here, each measured as the
 * difference between a plan of many self-test probes that use it and as
 * many that do nothing (guestcode/probes.def, "measure the backend's
 * floor"), in the run loop's time and in the guest exits KVM counted.
 */
#ifndef CPUBENCH_FLOOR_H
#define CPUBENCH_FLOOR_H

#include <stdbool.h>

#include "vmm/kvm.h"

enum floor_item {
	FLOOR_BOOT,		/* a VM created, its guest set up, an empty plan run */
	FLOOR_KVM_RUN,		/* a guest exit to cpubench and back into the guest */
	FLOOR_EXCEPTION,	/* an exception at CPL0, delivered and returned (IRETQ) */
	FLOOR_UD_SWITCH,	/* a CPL3 probe that faults with #UD: CPL3 -> 0 -> 3 */
	FLOOR_PF_SWITCH,	/* ... with #PF, the way a CPL3 stint returns */
	FLOOR_STINT_PROBE,	/* a CPL3 probe that completes inside a stint */
	FLOOR_NR,
};

struct floor_figure {
	bool measured;
	double ns;		/* per event: the median run's difference */
	double exits;		/* guest exits per event; < 0: KVM does not count them */
	char why[160];		/* when not measured */
};

struct floor {
	unsigned int per_plan;	/* self-test probes in each plan */
	unsigned int runs;	/* runs of each plan; the figures are medians */
	struct floor_figure fig[FLOOR_NR];
};

/* What @item measures, one line: "KVM_RUN round trip (...)". */
const char *floor_item_text(enum floor_item item);
/* Its key in JSON: "boot", "kvm_run", ... */
const char *floor_item_key(enum floor_item item);

/*
 * Runs each self-test plan @runs times (at least 1) under this KVM's
 * supported CPUID, one vCPU, and fills @f. A figure whose plans did not
 * go as they must (a probe that should fault completed, say) is left
 * unmeasured, with why. Returns 0, or -1 with err_set() when no guest
 * could run (EXIT_ENV).
 */
int floor_measure(struct kvm_sys *kvm, unsigned int runs, struct floor *f);

#endif
