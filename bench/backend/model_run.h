/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One model on this host, start to verdicts: shared by `verify`, `run`
 * and `matrix`.
 */
#ifndef CPUBENCH_MODEL_RUN_H
#define CPUBENCH_MODEL_RUN_H

#include "guestcode/mailbox.h"
#include "judge/enables.h"
#include "vmm/kvm.h"
#include "catalog/mask.h"
#include "judge/result.h"

struct model_run_opts {
	const char *spec;		/* mask spec, e.g. "x86-64-v3,-avx2" */
	const char *masks_dir;		/* extra *.mask files, or NULL */
	enum guest_os_mode guest_os;
	int ring;			/* -1: each probe's default */
	unsigned int timeout_ms;	/* per probe; 0: the runner's default */
};

/*
 * Resolves @o->spec against @kvm's supported features into @mask, builds
 * the guest CPUID, runs @report->results[0..nresults-1] (whose .probe the
 * caller set) in one fresh VM, judges them, compares the CPUID the guest
 * read with the model's (guest_cpuid_* fields), and in raw guest-OS mode
 * appends the enable rows (enables.h): @report->results must have room
 * for ENABLES_MAX more, and nresults grows by their number.
 * Returns 0, or -1 with err_set() (no VM could run, or a bad spec).
 */
int model_run(struct kvm_sys *kvm, const struct model_run_opts *o,
	      struct mask *mask, struct run_report *report);

#endif
