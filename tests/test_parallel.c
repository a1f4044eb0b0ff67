// SPDX-License-Identifier: GPL-2.0-only
/*
 * lib/parallel.c (parallel_for, parallel_ordered) and the per-thread
 * errors of lib/err.c; vmm/plan_parts.c
 * (one plan over several vCPUs: the split, and the merge that makes the
 * observations those of one vCPU); vmm/kvm_stats.c's reading of KVM's
 * binary statistics. None of it needs /dev/kvm.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "lib/err.h"
#include "lib/parallel.h"
#include "vmm/kvm_stats.h"
#include "vmm/plan_parts.h"

/* ---- parallel_for ------------------------------------------------------ */

#define MAX_N 1000

struct count {
	atomic_uint calls[MAX_N];
};

static void count_call(void *arg, unsigned int i)
{
	struct count *c = arg;

	atomic_fetch_add(&c->calls[i], 1);
}

static void test_every_index_once(void **state)
{
	static const unsigned int ns[] = { 0, 1, 2, 7, 135, MAX_N };
	static const unsigned int jobs[] = { 0, 1, 2, 3, 16, PARALLEL_MAX_JOBS + 5 };
	static struct count c;

	(void)state;
	for (size_t a = 0; a < sizeof(ns) / sizeof(ns[0]); a++) {
		for (size_t b = 0; b < sizeof(jobs) / sizeof(jobs[0]); b++) {
			for (unsigned int i = 0; i < MAX_N; i++)
				atomic_init(&c.calls[i], 0);
			parallel_for(ns[a], jobs[b], count_call, &c);
			for (unsigned int i = 0; i < MAX_N; i++)
				assert_int_equal(atomic_load(&c.calls[i]), i < ns[a] ? 1 : 0);
		}
	}
}

/* parallel_ordered: every work once, done in order after its work, and
 * the works never more than 2 x jobs ahead of done. */
struct ordered_check {
	atomic_uint worked[MAX_N];
	atomic_uint begun;
	unsigned int next_done, jobs;
	bool ok;
};

static void ordered_work(void *arg, unsigned int i)
{
	struct ordered_check *c = arg;

	atomic_fetch_add(&c->begun, 1);
	atomic_fetch_add(&c->worked[i], 1);
}

static void ordered_done(void *arg, unsigned int i)
{
	struct ordered_check *c = arg;
	unsigned int ahead = c->jobs < 2 ? 1 : 2 * c->jobs;

	c->ok &= i == c->next_done++ && atomic_load(&c->worked[i]) == 1 &&
		 atomic_load(&c->begun) <= i + 1 + ahead;
}

static void test_ordered(void **state)
{
	static const unsigned int ns[] = { 0, 1, 5, 135, MAX_N };
	static const unsigned int jobs[] = { 0, 1, 2, 3, 16 };
	static struct ordered_check c;

	(void)state;
	for (size_t a = 0; a < sizeof(ns) / sizeof(ns[0]); a++) {
		for (size_t b = 0; b < sizeof(jobs) / sizeof(jobs[0]); b++) {
			for (unsigned int i = 0; i < MAX_N; i++)
				atomic_init(&c.worked[i], 0);
			atomic_init(&c.begun, 0);
			c.next_done = 0;
			c.jobs = jobs[b];
			c.ok = true;
			parallel_ordered(ns[a], jobs[b], ordered_work, ordered_done, &c);
			assert_true(c.ok);
			assert_int_equal(c.next_done, ns[a]);
			for (unsigned int i = 0; i < MAX_N; i++)
				assert_int_equal(atomic_load(&c.worked[i]), i < ns[a] ? 1 : 0);
		}
	}
}

static void test_cores(void **state)
{
	unsigned int n = parallel_cores();

	(void)state;
	assert_true(n >= 1 && n <= PARALLEL_MAX_JOBS);
}

/* A thread's error is its own: a worker starts with none, and what it
 * sets leaves the error of the thread that reports. */
static void *worker_error(void *arg)
{
	char *seen = arg;

	snprintf(seen, 64, "[%s]/%d", err_msg(), err_class());
	err_set("the worker's error");
	err_set_class(EXIT_ENV);
	return NULL;
}

static void test_errors_are_per_thread(void **state)
{
	char seen[64];
	pthread_t t;

	(void)state;
	err_set("the caller's error");
	err_set_class(EXIT_BROKEN);
	assert_int_equal(pthread_create(&t, NULL, worker_error, seen), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_string_equal(seen, "[]/2");	/* none yet: EXIT_USAGE's class */
	assert_string_equal(err_msg(), "the caller's error");
	assert_int_equal(err_class(), EXIT_BROKEN);
	err_clear();
}

/* ---- plan parts -------------------------------------------------------- */

static void test_split(void **state)
{
	struct plan_part p[8];
	unsigned int k;

	(void)state;
	k = plan_split(87, 2, p, 8);
	assert_int_equal(k, 2);
	assert_int_equal(p[0].first, 0);
	assert_int_equal(p[0].n, 43);
	assert_int_equal(p[1].first, 43);
	assert_int_equal(p[1].n, 44);
	k = plan_split(10, 4, p, 8);
	assert_int_equal(k, 4);
	for (unsigned int i = 0, next = 0; i < k; next += p[i].n, i++) {
		assert_int_equal(p[i].first, next);
		assert_true(p[i].n == 2 || p[i].n == 3);
	}
	assert_int_equal(p[3].first + p[3].n, 10);
	/* fewer entries than jobs, no entries, no jobs, the cap */
	assert_int_equal(plan_split(3, 16, p, 8), 3);
	assert_int_equal(p[2].n, 1);
	assert_int_equal(plan_split(0, 4, p, 8), 1);
	assert_int_equal(p[0].n, 0);
	assert_int_equal(plan_split(5, 0, p, 8), 1);
	assert_int_equal(p[0].n, 5);
	assert_int_equal(plan_split(500, 64, p, 8), 8);
	assert_int_equal(p[7].first + p[7].n, 500);
}

/* Every entry executed, as each part's run left them. */
static void fill(struct probe_obs *obs, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		obs[i] = (struct probe_obs){ .status = OBS_COMPLETED, .value = i };
}

static void test_merge_clean(void **state)
{
	struct plan_part p[3];
	struct probe_obs obs[9];
	unsigned int k = plan_split(9, 3, p, 3);

	(void)state;
	fill(obs, 9);
	assert_true(plan_merge(p, k, obs));
	for (unsigned int i = 0; i < 9; i++) {
		assert_int_equal(obs[i].status, OBS_COMPLETED);
		assert_int_equal(obs[i].value, i);
	}
}

/* One vCPU would have died at entry 4: nothing after it ran. */
static void test_merge_death(void **state)
{
	struct plan_part p[3];
	struct probe_obs obs[9];
	unsigned int k = plan_split(9, 3, p, 3);

	(void)state;
	fill(obs, 9);
	/* part 1 (3..5) died at 4; its run marked 4 and 5 itself */
	p[1].died = true;
	p[1].died_at = 4;
	snprintf(p[1].fatal, sizeof(p[1].fatal), "guest triple fault");
	obs_set_not_run(&obs[5], p[1].fatal);
	/* part 2 died too, later: the earlier death is the one that counts */
	p[2].died = true;
	p[2].died_at = 7;
	snprintf(p[2].fatal, sizeof(p[2].fatal), "guest panic");
	assert_true(plan_merge(p, k, obs));
	for (unsigned int i = 0; i < 4; i++)
		assert_int_equal(obs[i].status, OBS_COMPLETED);
	for (unsigned int i = 5; i < 9; i++) {
		assert_int_equal(obs[i].status, OBS_ERROR);
		assert_string_equal(obs[i].detail, "not run: guest triple fault");
	}
}

/* A part that died before its first entry (at boot) takes the rest. */
static void test_merge_death_at_boot(void **state)
{
	struct plan_part p[2];
	struct probe_obs obs[4];
	unsigned int k = plan_split(4, 2, p, 2);

	(void)state;
	fill(obs, 4);
	p[1].died = true;
	p[1].died_at = p[1].first;
	snprintf(p[1].fatal, sizeof(p[1].fatal), "VM entry failed");
	obs_set_not_run(&obs[2], p[1].fatal);
	obs_set_not_run(&obs[3], p[1].fatal);
	assert_true(plan_merge(p, k, obs));
	assert_int_equal(obs[1].status, OBS_COMPLETED);
	assert_string_equal(obs[3].detail, "not run: VM entry failed");
}

/* One overwritten mailbox and no record of the run can be believed. */
static void test_merge_corrupt(void **state)
{
	struct plan_part p[3];
	struct probe_obs obs[6];
	unsigned int k = plan_split(6, 3, p, 3);

	(void)state;
	fill(obs, 6);
	p[2].corrupt = true;
	p[0].died = true;	/* corruption wins over any death */
	p[0].died_at = 0;
	assert_false(plan_merge(p, k, obs));
	for (unsigned int i = 0; i < 6; i++) {
		assert_int_equal(obs[i].status, OBS_ERROR);
		assert_non_null(strstr(obs[i].detail, "mailbox corrupted"));
	}
}

/* ---- KVM binary statistics ----------------------------------------------- */

#define NAME_SIZE 48

/* A stats file as KVM lays it out: header, then descriptors (each
 * struct kvm_stats_desc and NAME_SIZE bytes of name), then data. */
struct fake_stats {
	struct kvm_stats_header h;
	struct {
		struct kvm_stats_desc d;
		char name[NAME_SIZE];
	} desc[3];
};

static void fake(struct fake_stats *f)
{
	memset(f, 0, sizeof(*f));
	f->h.name_size = NAME_SIZE;
	f->h.num_desc = 3;
	f->h.desc_offset = sizeof(f->h);
	f->h.data_offset = sizeof(*f);
	f->desc[0].d = (struct kvm_stats_desc){ .flags = KVM_STATS_TYPE_PEAK, .size = 1, .offset = 0 };
	snprintf(f->desc[0].name, NAME_SIZE, "exits");	/* a peak, not the counter */
	f->desc[1].d = (struct kvm_stats_desc){ .flags = KVM_STATS_TYPE_CUMULATIVE, .size = 1, .offset = 8 };
	snprintf(f->desc[1].name, NAME_SIZE, "halt_exits");
	f->desc[2].d = (struct kvm_stats_desc){ .flags = KVM_STATS_TYPE_CUMULATIVE, .size = 1, .offset = 16 };
	snprintf(f->desc[2].name, NAME_SIZE, "exits");
}

static void test_stats_find(void **state)
{
	struct fake_stats f;
	uint64_t off = 0;

	(void)state;
	fake(&f);
	assert_int_equal(kvm_stats_find(&f, sizeof(f), "exits", &off), 0);
	assert_int_equal(off, sizeof(f) + 16);
	assert_int_equal(kvm_stats_find(&f, sizeof(f), "halt_exits", &off), 0);
	assert_int_equal(off, sizeof(f) + 8);
	assert_int_equal(kvm_stats_find(&f, sizeof(f), "io_exits", &off), -1);
}

static void test_stats_malformed(void **state)
{
	struct fake_stats f;
	uint64_t off;

	(void)state;
	fake(&f);
	/* cut short: the last descriptor, the header */
	assert_int_equal(kvm_stats_find(&f, sizeof(f) - 1, "exits", &off), -1);
	assert_int_equal(kvm_stats_find(&f, 8, "exits", &off), -1);
	/* more descriptors than the buffer holds, one that overflows */
	f.h.num_desc = 4;
	assert_int_equal(kvm_stats_find(&f, sizeof(f), "exits", &off), -1);
	f.h.num_desc = 0xffffffff;
	assert_int_equal(kvm_stats_find(&f, sizeof(f), "exits", &off), -1);
	fake(&f);
	f.h.desc_offset = 0xfffffff0;
	assert_int_equal(kvm_stats_find(&f, sizeof(f), "exits", &off), -1);
	/* a name without its NUL is no name */
	fake(&f);
	memset(f.desc[2].name, 'x', NAME_SIZE);
	assert_int_equal(kvm_stats_find(&f, sizeof(f), "exits", &off), -1);
	/* no name size at all */
	fake(&f);
	f.h.name_size = 0;
	assert_int_equal(kvm_stats_find(&f, sizeof(f), "exits", &off), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_index_once),
		cmocka_unit_test(test_ordered),
		cmocka_unit_test(test_cores),
		cmocka_unit_test(test_errors_are_per_thread),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_merge_clean),
		cmocka_unit_test(test_merge_death),
		cmocka_unit_test(test_merge_death_at_boot),
		cmocka_unit_test(test_merge_corrupt),
		cmocka_unit_test(test_stats_find),
		cmocka_unit_test(test_stats_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
