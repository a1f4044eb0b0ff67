// SPDX-License-Identifier: GPL-2.0-only
/*
 * One model on one backend: plan, guest, observations, verdicts.
 */
#include "backend/model_run.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "judge/guest_cpuid.h"
#include "judge/guest_identity.h"
#include "judge/l0_gaps.h"
#include "judge/outcome.h"
#include "judge/plan.h"
#include "judge/verdict.h"
#include "lib/clock.h"
#include "lib/err.h"
#include "vmm/disasm.h"

/* A gap (a feature the backend turned off) makes its probe untestable. */
static void apply_gaps(struct probe_result *r, const struct run_report *report)
{
	for (unsigned int k = 0; k < report->ngaps; k++) {
		if (report->gaps[k].feature != r->feature)
			continue;
		r->verdict = VERDICT_UNTESTABLE;
		r->leak = LEAK_NONE;
		r->reason = report->gaps[k].why;
	}
}

int model_run(struct backend *b, const struct mask *mask,
	      const struct model_run_opts *o, struct run_report *report)
{
	unsigned int n = report->nresults;
	struct plan_entry *entries = calloc(n ? n : 1, sizeof(*entries));
	struct probe_obs *obs = calloc(n ? n : 1, sizeof(*obs));
	struct run_plan plan = {
		.guest_os = o->guest_os,
		.probe_timeout_ms = o->timeout_ms,
		.n = n,
		.entries = entries,
	};
	struct backend_run run;
	struct guest_view view;
	featureset_t asked;
	long long start = clock_ms();
	int ret = -1;

	if (!entries || !obs) {
		free(entries);
		free(obs);
		return err_set("out of memory");
	}
	report->backend = b->kind;
	report->started = (long long)time(NULL);
	for (unsigned int i = 0; i < n; i++) {
		struct probe_result *r = &report->results[i];

		r->ring = r->probe->ring == 0 ? 0 : (o->ring >= 0 ? o->ring : 3);
		entries[i] = (struct plan_entry){ r->probe, r->ring };
	}
	if (backend_run(b, &run, mask, &plan, obs))
		goto out;
	report->ngaps = run.ngaps;
	memcpy(report->gaps, run.gaps, run.ngaps * sizeof(run.gaps[0]));
	guest_view_from_cpuid(&view, run.told);
	for (unsigned int i = 0; i < n; i++) {
		struct probe_result *r = &report->results[i];

		outcome_observe(r, &obs[i]);
		verdict_decide(r, b->table, &view);
		apply_gaps(r, report);
		l0_gap_apply(r, report->host.l0.kind, b->table);
	}
	asked = mask->features;
	for (unsigned int k = 0; k < run.ngaps; k++)
		featureset_del(&asked, run.gaps[k].feature);
	guest_cpuid_check(report, &asked, run.seen);
	guest_identity_read(report, &run.os, &mask->identity);
	if (o->guest_os == GUEST_OS_RAW && b->table < BACKEND_NR)
		report->nresults += enables_append(&run.os, b->table, &view,
						   report->results + n);
	for (unsigned int i = 0; i < report->nresults; i++)
		disasm_attach(&report->results[i]);
	report->duration_ms = (unsigned int)(clock_ms() - start);
	ret = 0;
out:
	backend_run_free(b, &run);
	free(entries);
	free(obs);
	return ret;
}
