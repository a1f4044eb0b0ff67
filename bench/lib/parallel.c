// SPDX-License-Identifier: GPL-2.0-only
#include "lib/parallel.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

unsigned int parallel_cores(void)
{
	cpu_set_t set;
	long n = 0;

	if (!sched_getaffinity(0, sizeof(set), &set))
		n = CPU_COUNT(&set);
	if (n < 1)
		n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		return 1;
	return n > PARALLEL_MAX_JOBS ? PARALLEL_MAX_JOBS : (unsigned int)n;
}

/* Starts up to @count threads running @fn(@arg); returns how many started. */
static unsigned int start_threads(pthread_t *threads, unsigned int count,
				  void *(*fn)(void *), void *arg)
{
	unsigned int started = 0;
	pthread_attr_t attr;
	bool sized = !pthread_attr_init(&attr) &&
		     !pthread_attr_setstacksize(&attr, PARALLEL_STACK_SIZE);

	for (unsigned int t = 0; t < count; t++)
		if (!pthread_create(&threads[started], sized ? &attr : NULL, fn, arg))
			started++;
	if (sized)
		pthread_attr_destroy(&attr);
	return started;
}

static void join_threads(pthread_t *threads, unsigned int n)
{
	for (unsigned int t = 0; t < n; t++)
		pthread_join(threads[t], NULL);
}

static unsigned int clamp_jobs(unsigned int jobs, unsigned int n)
{
	if (jobs > n)
		jobs = n;
	return jobs > PARALLEL_MAX_JOBS ? PARALLEL_MAX_JOBS : jobs;
}

struct pool {
	atomic_uint next;
	unsigned int n;
	void (*fn)(void *arg, unsigned int i);
	void *arg;
};

static void *pool_work(void *p)
{
	struct pool *pool = p;
	unsigned int i;

	while ((i = atomic_fetch_add(&pool->next, 1)) < pool->n)
		pool->fn(pool->arg, i);
	return NULL;
}

void parallel_for(unsigned int n, unsigned int jobs,
		  void (*fn)(void *arg, unsigned int i), void *arg)
{
	struct pool pool = { .n = n, .fn = fn, .arg = arg };
	pthread_t threads[PARALLEL_MAX_JOBS];
	unsigned int started = 0;

	atomic_init(&pool.next, 0);
	jobs = clamp_jobs(jobs, n);
	if (jobs >= 2)
		started = start_threads(threads, jobs - 1, pool_work, &pool);
	pool_work(&pool);
	join_threads(threads, started);
}

struct ordered {
	pthread_mutex_t lock;
	pthread_cond_t finished_cv;	/* a work() returned */
	pthread_cond_t window_cv;	/* the caller consumed one */
	unsigned int n, next, consumed, window;
	bool *finished;
	void (*work)(void *arg, unsigned int i);
	void *arg;
};

static void *ordered_work(void *p)
{
	struct ordered *o = p;

	for (;;) {
		unsigned int i;

		pthread_mutex_lock(&o->lock);
		while (o->next < o->n && o->next >= o->consumed + o->window)
			pthread_cond_wait(&o->window_cv, &o->lock);
		if (o->next >= o->n) {
			pthread_mutex_unlock(&o->lock);
			return NULL;
		}
		i = o->next++;
		pthread_mutex_unlock(&o->lock);
		o->work(o->arg, i);
		pthread_mutex_lock(&o->lock);
		o->finished[i] = true;
		pthread_cond_broadcast(&o->finished_cv);
		pthread_mutex_unlock(&o->lock);
	}
}

void parallel_ordered(unsigned int n, unsigned int jobs,
		      void (*work)(void *arg, unsigned int i),
		      void (*done)(void *arg, unsigned int i), void *arg)
{
	struct ordered o = {
		.n = n, .window = 2 * jobs, .work = work, .arg = arg,
		.lock = PTHREAD_MUTEX_INITIALIZER,
		.finished_cv = PTHREAD_COND_INITIALIZER,
		.window_cv = PTHREAD_COND_INITIALIZER,
	};
	pthread_t threads[PARALLEL_MAX_JOBS];
	unsigned int started = 0;

	jobs = clamp_jobs(jobs, n);
	if (jobs >= 2 && (o.finished = calloc(n, sizeof(*o.finished))))
		started = start_threads(threads, jobs, ordered_work, &o);
	if (!started) {		/* one at a time, on the caller's thread */
		for (unsigned int i = 0; i < n; i++) {
			work(arg, i);
			done(arg, i);
		}
		free(o.finished);
		return;
	}
	for (unsigned int i = 0; i < n; i++) {
		pthread_mutex_lock(&o.lock);
		while (!o.finished[i])
			pthread_cond_wait(&o.finished_cv, &o.lock);
		pthread_mutex_unlock(&o.lock);
		done(arg, i);
		pthread_mutex_lock(&o.lock);
		o.consumed = i + 1;
		pthread_cond_broadcast(&o.window_cv);
		pthread_mutex_unlock(&o.lock);
	}
	join_threads(threads, started);
	free(o.finished);
}
