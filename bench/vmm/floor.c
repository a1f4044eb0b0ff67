// SPDX-License-Identifier: GPL-2.0-only
#include "vmm/floor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guestcode/mailbox.h"
#include "judge/probe.h"
#include "lib/err.h"
#include "vmm/runner.h"

/* Self-test probes in each plan: many, so that a VM's set-up does not
 * drown what they add. */
#define FLOOR_PER_PLAN 256

enum floor_plan { P_EMPTY, P_NOP0, P_NOP3, P_EXITS, P_EXCEPTIONS, P_UD3, P_PF3, P_NR };

/* Each plan: FLOOR_PER_PLAN times one probe at one ring, and what every
 * one of them must observe. */
static const struct {
	const char *probe;	/* NULL: an empty plan */
	uint8_t ring;
	enum obs_status want;
	uint8_t vector;		/* for OBS_FAULTED */
} plans[P_NR] = {
	[P_EMPTY] = { NULL, 0, OBS_COMPLETED, 0 },
	[P_NOP0] = { "selftest-nop", 0, OBS_COMPLETED, 0 },
	[P_NOP3] = { "selftest-nop", 3, OBS_COMPLETED, 0 },
	[P_EXITS] = { "selftest-exits", 0, OBS_COMPLETED, 0 },
	[P_EXCEPTIONS] = { "selftest-exceptions", 0, OBS_COMPLETED, 0 },
	[P_UD3] = { "selftest-ud2", 3, OBS_FAULTED, 6 },
	[P_PF3] = { "selftest-pf", 3, OBS_FAULTED, 14 },
};

/* Each figure: (plan - base) / (events per plan). */
static const struct {
	const char *key, *text;
	enum floor_plan plan, base;
	unsigned int events;	/* per probe of the plan */
} items[FLOOR_NR] = {
	[FLOOR_BOOT] = { "boot", "boot: VM created, guest set up, empty plan run",
			 P_EMPTY, P_NR, 0 },
	[FLOOR_KVM_RUN] = { "kvm_run", "KVM_RUN round trip: a guest exit to cpubench and back",
			    P_EXITS, P_NOP0, FLOOR_REPEAT },
	[FLOOR_EXCEPTION] = { "exception", "exception at CPL0, delivered and returned",
			      P_EXCEPTIONS, P_NOP0, FLOOR_REPEAT },
	[FLOOR_UD_SWITCH] = { "ring_switch_ud", "CPL3 probe faulting with #UD: CPL3 -> 0 -> 3",
			      P_UD3, P_NOP3, 1 },
	[FLOOR_PF_SWITCH] = { "ring_switch_pf", "CPL3 probe faulting with #PF: CPL3 -> 0 -> 3",
			      P_PF3, P_NOP3, 1 },
	[FLOOR_STINT_PROBE] = { "stint_probe", "CPL3 probe completing inside a stint",
				P_NOP3, P_EMPTY, 1 },
};

const char *floor_item_text(enum floor_item item)
{
	return item < FLOOR_NR ? items[item].text : "";
}

const char *floor_item_key(enum floor_item item)
{
	return item < FLOOR_NR ? items[item].key : "";
}

/* What the runs of one plan gave. */
struct plan_runs {
	double *loop_ns, *wall_ns, *exits;	/* per run */
	char wrong[160];	/* why the plan did not go as it must, or "" */
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Runs plan @p once as run @r. 0, or -1 (err_set) when no guest ran. */
static int run_plan(struct kvm_sys *kvm, enum floor_plan p, struct plan_entry *entries,
		    struct probe_obs *obs, struct plan_runs *out, unsigned int r)
{
	const struct probe_desc *probe = plans[p].probe ? probe_find(plans[p].probe) : NULL;
	struct run_plan plan = { .guest_os = GUEST_OS_LINUX, .entries = entries, .jobs = 1 };
	struct run_stats st;

	if (plans[p].probe && !probe)
		return err_set("no probe %s in this cpubench", plans[p].probe);
	if (probe)
		plan.n = FLOOR_PER_PLAN;
	for (unsigned int i = 0; i < plan.n; i++)
		entries[i] = (struct plan_entry){ probe, plans[p].ring };
	if (runner_run(kvm, kvm->supported, &plan, obs, NULL, NULL, &st))
		return -1;
	out->loop_ns[r] = st.guest_ns;
	out->wall_ns[r] = st.wall_ns;
	out->exits[r] = st.exits;
	for (unsigned int i = 0; i < plan.n && !out->wrong[0]; i++) {
		if (obs[i].status == plans[p].want &&
		    (obs[i].status != OBS_FAULTED || obs[i].vector == plans[p].vector))
			continue;
		snprintf(out->wrong, sizeof(out->wrong), "%s at CPL%u did not %s: %.100s",
			 plans[p].probe, plans[p].ring,
			 plans[p].want == OBS_FAULTED ? "fault as it must" : "complete",
			 obs[i].status == OBS_ERROR ? obs[i].detail :
			 obs[i].status == OBS_FAULTED ? "it faulted" : "it completed");
	}
	return 0;
}

static void figure(struct floor *f, enum floor_item item, struct plan_runs *runs,
		   unsigned int nruns)
{
	struct floor_figure *fig = &f->fig[item];
	enum floor_plan p = items[item].plan, base = items[item].base;
	double ns, exits, per = items[item].events * (double)FLOOR_PER_PLAN;

	if (runs[p].wrong[0] || (base < P_NR && runs[base].wrong[0])) {
		snprintf(fig->why, sizeof(fig->why), "%s",
			 runs[p].wrong[0] ? runs[p].wrong : runs[base].wrong);
		return;
	}
	if (base == P_NR) {	/* the boot: a whole run, VM creation included */
		fig->ns = median(runs[p].wall_ns, nruns);
		fig->exits = median(runs[p].exits, nruns);
	} else {
		ns = median(runs[p].loop_ns, nruns) - median(runs[base].loop_ns, nruns);
		exits = median(runs[p].exits, nruns) - median(runs[base].exits, nruns);
		fig->ns = ns > 0 ? ns / per : 0;
		fig->exits = median(runs[base].exits, nruns) < 0 ? -1 :
			     exits > 0 ? exits / per : 0;
	}
	fig->measured = true;
}

int floor_measure(struct kvm_sys *kvm, unsigned int runs, struct floor *f)
{
	struct plan_entry *entries = calloc(FLOOR_PER_PLAN, sizeof(*entries));
	struct probe_obs *obs = calloc(FLOOR_PER_PLAN, sizeof(*obs));
	double *samples;
	struct plan_runs pr[P_NR];
	int ret = 0;

	if (!runs)
		runs = 1;
	memset(f, 0, sizeof(*f));
	memset(pr, 0, sizeof(pr));
	f->per_plan = FLOOR_PER_PLAN;
	f->runs = runs;
	samples = calloc((size_t)P_NR * 3 * runs, sizeof(*samples));
	if (!entries || !obs || !samples) {
		ret = err_set("out of memory");
		goto out;
	}
	for (unsigned int p = 0; p < P_NR; p++) {
		pr[p].loop_ns = samples + (size_t)p * 3 * runs;
		pr[p].wall_ns = pr[p].loop_ns + runs;
		pr[p].exits = pr[p].wall_ns + runs;
	}
	/* the plans in turn, so that a slower spell of the host spreads */
	for (unsigned int r = 0; r < runs && !ret; r++)
		for (unsigned int p = 0; p < P_NR && !ret; p++)
			ret = run_plan(kvm, p, entries, obs, &pr[p], r);
	for (unsigned int i = 0; i < FLOOR_NR && !ret; i++)
		figure(f, i, pr, runs);
out:
	free(samples);
	free(entries);
	free(obs);
	return ret;
}
