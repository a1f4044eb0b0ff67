/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One model on one backend, from plan to judged results: the one pipeline
 * behind `verify`, `run`, `matrix` and `--compare-backends`.
 */
#ifndef CPUBENCH_MODEL_RUN_H
#define CPUBENCH_MODEL_RUN_H

#include <stdbool.h>

#include "backend/backend.h"
#include "catalog/mask.h"
#include "guestcode/mailbox.h"
#include "judge/enables.h"
#include "judge/result.h"

struct model_run_opts {
	enum guest_os_mode guest_os;
	int ring;			/* -1: each probe's default */
	unsigned int timeout_ms;	/* per probe; 0: the backend's default */
	unsigned int jobs;		/* vCPUs (threads) to use at most; 0: one */
	/* model_run_many(): called in the caller's thread after model @m is
	 * judged, in order (progress); may be NULL */
	void (*judged)(void *ctx, unsigned int m);
	void *judged_ctx;
};

/*
 * Whether cpubench's guest can run under a model of @features: the
 * payload runs in 64-bit mode, so a model without long mode (lm: 486,
 * pentium, qemu32 ...) cannot be verified by execution.
 */
bool model_run_guest_fits(const featureset_t *features);

/* model_run_guest_fits() for @mask: 0, or -1 with err_set() (class
 * EXIT_USAGE) naming the model. */
int model_run_supported(const struct mask *mask);

/*
 * Runs @report->results[0..nresults-1] (whose .probe the caller set) under
 * the resolved model @mask on @b, in one fresh guest: picks each probe's
 * ring, observes, judges (b->table's column), lists what the backend
 * could not provide (report->gaps, their probes untestable), compares the
 * CPUID and identity the guest read with the model's, attaches the
 * instruction texts, and in raw guest-OS mode appends the enable rows
 * (enables.h): @report->results must have room for ENABLES_MAX more.
 * Sets report->backend, ->started, ->duration_ms and ->stats. With o->jobs > 1 the plan is
 * spread over that many vCPUs where the backend can (kvm); the results
 * are those of one. Returns 0, or -1 with err_set() (no guest ran).
 */
int model_run(struct backend *b, const struct mask *mask,
	      const struct model_run_opts *o, struct run_report *report);

/*
 * model_run() for @n models (@masks[m] into @reports[m]), their guests
 * run at once on up to o->jobs threads where the backend allows
 * (b->ops->concurrent), each judged in the caller's thread: the reports
 * are those of running them one after the other. Returns 0, or -1 with
 * the error of the first model, in order, whose guest could not run.
 */
int model_run_many(struct backend *b, const struct mask *masks,
		   const struct model_run_opts *o, struct run_report *reports,
		   unsigned int n);

#endif
