// SPDX-License-Identifier: GPL-2.0-only
#include "lib/parallel.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
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
	pthread_attr_t attr;
	bool sized;

	atomic_init(&pool.next, 0);
	if (jobs > n)
		jobs = n;
	if (jobs > PARALLEL_MAX_JOBS)
		jobs = PARALLEL_MAX_JOBS;
	if (jobs < 2) {
		pool_work(&pool);
		return;
	}
	sized = !pthread_attr_init(&attr) &&
		!pthread_attr_setstacksize(&attr, PARALLEL_STACK_SIZE);
	for (unsigned int t = 1; t < jobs; t++)
		if (!pthread_create(&threads[started], sized ? &attr : NULL, pool_work, &pool))
			started++;
	if (sized)
		pthread_attr_destroy(&attr);
	pool_work(&pool);
	for (unsigned int t = 0; t < started; t++)
		pthread_join(threads[t], NULL);
}
