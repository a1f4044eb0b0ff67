// SPDX-License-Identifier: GPL-2.0-only
/*
 * One model on one backend: plan, guest, observations, verdicts; and many
 * models at once, their guests spread over the cores, judged in order.
 */
#include "backend/model_run.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cpu/feature.h"
#include "judge/guest_cpuid.h"
#include "judge/guest_identity.h"
#include "judge/l0_gaps.h"
#include "judge/outcome.h"
#include "judge/plan.h"
#include "judge/verdict.h"
#include "lib/err.h"
#include "lib/parallel.h"
#include "vmm/disasm.h"

bool model_run_guest_fits(const featureset_t *features)
{
	int lm = feature_lookup("lm");

	return lm >= 0 && featureset_has(features, lm);
}

int model_run_supported(const struct mask *mask)
{
	if (model_run_guest_fits(&mask->features))
		return 0;
	err_set("%s has no long mode (lm): cpubench's guest runs in 64-bit mode, so models of 32-bit CPUs cannot be verified; pick a model with lm",
		mask->spec[0] ? mask->spec : mask->name);
	err_set_class(EXIT_USAGE);
	return -1;
}

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

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* One model's guest, from its plan to its observations. */
struct model_job {
	const struct mask *mask;
	struct run_report *report;
	struct plan_entry *entries;
	struct probe_obs *obs;
	struct run_plan plan;
	struct backend_run run;
	int ret;			/* of backend_run() */
	int err_class;
	char err[512];			/* its error, from the thread that ran it */
};

/* Picks each probe's ring and builds @job's plan. 0, or -1 (err_set). */
static int job_prepare(struct model_job *job, const struct mask *mask,
		       const struct model_run_opts *o, struct run_report *report,
		       unsigned int vcpus)
{
	unsigned int n = report->nresults;

	*job = (struct model_job){ .mask = mask, .report = report };
	job->entries = calloc(n ? n : 1, sizeof(*job->entries));
	job->obs = calloc(n ? n : 1, sizeof(*job->obs));
	if (!job->entries || !job->obs)
		return err_set("out of memory");
	report->started = (long long)time(NULL);
	for (unsigned int i = 0; i < n; i++) {
		struct probe_result *r = &report->results[i];

		r->ring = r->probe->ring == 0 ? 0 : (o->ring >= 0 ? o->ring : 3);
		job->entries[i] = (struct plan_entry){ r->probe, r->ring };
	}
	job->plan = (struct run_plan){
		.guest_os = o->guest_os,
		.probe_timeout_ms = o->timeout_ms,
		.n = n,
		.entries = job->entries,
		.jobs = vcpus,
	};
	return 0;
}

/* Runs @job's guest on @b; safe in any thread where b->ops->concurrent. */
static void job_run(struct backend *b, struct model_job *job)
{
	uint64_t start = now_ns();

	job->ret = backend_run(b, &job->run, job->mask, &job->plan, job->obs);
	job->run.stats.wall_ns = now_ns() - start;
	if (job->ret) {
		job->err_class = err_class();
		snprintf(job->err, sizeof(job->err), "%s", err_msg());
	}
}

/*
 * Judges @job's observations into its report (b->table's column), lists
 * what the backend could not provide, compares the CPUID and identity the
 * guest read with the model's, attaches the instruction texts and, in raw
 * guest-OS mode, appends the enable rows. In the caller's thread only:
 * the judge and vmm/disasm.c keep caches.
 */
static void job_judge(struct backend *b, struct model_job *job,
		      const struct model_run_opts *o)
{
	struct run_report *report = job->report;
	struct backend_run *run = &job->run;
	unsigned int n = report->nresults;
	struct guest_view view;
	featureset_t asked;

	report->ngaps = run->ngaps;
	memcpy(report->gaps, run->gaps, run->ngaps * sizeof(run->gaps[0]));
	report->stats = run->stats;
	report->stats.probes = n;
	report->has_stats = true;
	report->duration_ms = (unsigned int)(run->stats.wall_ns / 1000000);
	guest_view_from_cpuid(&view, run->told);
	for (unsigned int i = 0; i < n; i++) {
		struct probe_result *r = &report->results[i];

		outcome_observe(r, &job->obs[i]);
		verdict_decide(r, b->table, &view);
		apply_gaps(r, report);
		l0_gap_apply(r, report->host.l0.kind, b->table);
	}
	asked = job->mask->features;
	for (unsigned int k = 0; k < run->ngaps; k++)
		featureset_del(&asked, run->gaps[k].feature);
	guest_cpuid_check(report, &asked, run->seen);
	guest_identity_read(report, &run->os, &job->mask->identity);
	if (o->guest_os == GUEST_OS_RAW && b->table < BACKEND_NR)
		report->nresults += enables_append(&run->os, b->table, &view,
						   report->results + n);
	for (unsigned int i = 0; i < report->nresults; i++)
		disasm_attach(&report->results[i]);
}

/* Whether it ran or not: job_prepare() zeroed job->run. */
static void job_free(struct backend *b, struct model_job *job)
{
	backend_run_free(b, &job->run);
	free(job->entries);
	free(job->obs);
}

/* Many models: each job allocated by batch_work(), freed by batch_done(). */
struct batch {
	struct backend *b;
	const struct mask *masks;
	const struct model_run_opts *o;
	struct run_report *reports;
	unsigned int vcpus;		/* each model's */
	struct model_job **jobs;
	atomic_bool failed;		/* no later model need run */
	int ret;
};

/* A worker thread: prepares model @m and runs its guest. */
static void batch_work(void *arg, unsigned int m)
{
	struct batch *bt = arg;
	struct model_job *job;

	if (atomic_load(&bt->failed) || !(job = calloc(1, sizeof(*job))))
		return;
	bt->jobs[m] = job;
	bt->reports[m].backend = bt->b->kind;
	if (job_prepare(job, &bt->masks[m], bt->o, &bt->reports[m], bt->vcpus)) {
		job->ret = -1;
		job->err_class = err_class();
		snprintf(job->err, sizeof(job->err), "%s", err_msg());
		return;
	}
	job_run(bt->b, job);
}

/* The caller's thread, model after model: judges @m, or takes its error. */
static void batch_done(void *arg, unsigned int m)
{
	struct batch *bt = arg;
	struct model_job *job = bt->jobs[m];

	if (!bt->ret) {
		if (!job) {
			bt->ret = err_set("out of memory");
		} else if (job->ret) {
			bt->ret = err_set("%s", job->err);
			err_set_class(job->err_class);
		} else {
			job_judge(bt->b, job, bt->o);
			if (bt->o->judged)
				bt->o->judged(bt->o->judged_ctx, m);
		}
		if (bt->ret)
			atomic_store(&bt->failed, true);
	}
	if (job) {
		job_free(bt->b, job);
		free(job);
		bt->jobs[m] = NULL;
	}
}

int model_run_many(struct backend *b, const struct mask *masks,
		   const struct model_run_opts *o, struct run_report *reports,
		   unsigned int n)
{
	unsigned int jobs = o->jobs ? o->jobs : 1;
	unsigned int threads = b->ops->concurrent ? (jobs < n ? jobs : n) : 1;
	struct batch bt = {
		.b = b, .masks = masks, .o = o, .reports = reports,
		/* fewer models than cores: each spreads its own plan over the rest */
		.vcpus = threads >= jobs ? 1 : jobs / (threads ? threads : 1),
		.jobs = calloc(n ? n : 1, sizeof(*bt.jobs)),
	};

	if (!bt.jobs)
		return err_set("out of memory");
	/* before any guest: a model no guest can run is the caller's error */
	for (unsigned int m = 0; m < n; m++)
		if (model_run_supported(&masks[m])) {
			free(bt.jobs);
			return -1;
		}
	atomic_init(&bt.failed, false);
	parallel_ordered(n, threads, batch_work, batch_done, &bt);
	free(bt.jobs);
	return bt.ret;
}

int model_run(struct backend *b, const struct mask *mask,
	      const struct model_run_opts *o, struct run_report *report)
{
	return model_run_many(b, mask, o, report, 1);
}
