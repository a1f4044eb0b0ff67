// SPDX-License-Identifier: GPL-2.0-only
#include "backend/model_run_qemu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/feature.h"
#include "judge/verdict.h"

static struct backend_gap gaps[BACKEND_MAX_DROPPED];

/*
 * The guest's own CPUID against the model, for features cpubench probes:
 * QEMU adds bits of its own (hypervisor, ...) that no probe depends on.
 */
static void check_told(struct run_report *report, const struct mask *mask,
		       const struct backend_result *res, const featureset_t *seen)
{
	size_t n = 0;

	report->guest_cpuid_checked = res->os.booted;
	report->guest_cpuid_matches = true;
	for (unsigned int i = 0; i < report->nresults; i++) {
		const struct probe_result *r = &report->results[i];
		bool want, got;
		bool gone = false;

		if (r->feature < 0)
			continue;
		for (unsigned int k = 0; k < res->ndropped; k++)
			gone |= res->dropped[k].feature == r->feature;
		want = featureset_has(&mask->features, r->feature) && !gone;
		got = featureset_has(seen, r->feature);
		if (want == got)
			continue;
		if (report->guest_cpuid_matches)
			n = (size_t)snprintf(report->guest_cpuid_note,
					     sizeof(report->guest_cpuid_note),
					     "QEMU's CPUID differs from the model:");
		report->guest_cpuid_matches = false;
		if (n < sizeof(report->guest_cpuid_note))
			n += (size_t)snprintf(report->guest_cpuid_note + n,
					      sizeof(report->guest_cpuid_note) - n,
					      " %c%s", got ? '+' : '-',
					      features[r->feature].name);
	}
}

int model_run_qemu(struct backend *b, const struct model_run_opts *o,
		   struct mask *mask, struct run_report *report,
		   struct backend_result *res)
{
	struct guest_view view;
	struct run_plan plan = {
		.guest_os = o->guest_os,
		.probe_timeout_ms = o->timeout_ms,
		.n = report->nresults,
		.results = report->results,
	};

	if (mask_resolve(o->spec, o->masks_dir, &b->host, mask))
		return -1;
	for (unsigned int i = 0; i < report->nresults; i++) {
		struct probe_result *r = &report->results[i];

		r->ring = r->probe->ring == 0 ? 0 : (o->ring >= 0 ? o->ring : 3);
	}
	if (backend_run(b, mask, &plan, res))
		return -1;
	guest_view_from_cpuid(&view, res->told);
	for (unsigned int i = 0; i < report->nresults; i++) {
		struct probe_result *r = &report->results[i];

		verdict_decide(r, b->table, &view);
		for (unsigned int k = 0; k < res->ndropped; k++) {
			if (res->dropped[k].feature != r->feature)
				continue;
			r->verdict = VERDICT_UNTESTABLE;
			r->leak = LEAK_NONE;
			r->reason = res->dropped[k].why;
		}
	}
	check_told(report, mask, res, &view.advertised);
	for (unsigned int k = 0; k < res->ndropped; k++) {
		gaps[k].feature = features[res->dropped[k].feature].name;
		gaps[k].why = res->dropped[k].why;
	}
	report->ngaps = res->ndropped;
	report->gaps = gaps;
	if (o->guest_os == GUEST_OS_RAW && b->table < BACKEND_NR)
		report->nresults += enables_append(&res->os, b->table, &view,
						   report->results + report->nresults);
	return 0;
}
