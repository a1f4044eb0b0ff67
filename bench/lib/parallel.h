/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Work spread over threads, for what runs one guest per vCPU (vmm/runner.c:
 * parts of a plan; backend/model_run.c: the models of a matrix).
 */
#ifndef CPUBENCH_LIB_PARALLEL_H
#define CPUBENCH_LIB_PARALLEL_H

/* More threads than this are never started, whatever is asked. */
#define PARALLEL_MAX_JOBS	256
/*
 * The stack of each thread parallel_for() starts: below 2 MiB, so that
 * transparent huge pages can never back it with a whole zeroed 2 MiB
 * page, as they can glibc's default 8 MiB stack.
 */
#define PARALLEL_STACK_SIZE	(1024 * 1024)

/*
 * The cores this process may run on (sched_getaffinity: the online cores,
 * less any taskset or cgroup cpuset), at least 1, at most
 * PARALLEL_MAX_JOBS: the default number of jobs.
 */
unsigned int parallel_cores(void);

/*
 * Calls @fn(@arg, i) once for each i in [0, @n), on min(@jobs, @n)
 * threads, the caller's among them; each thread takes the next i as soon
 * as it is done with one. Returns once every call has returned. A thread
 * that cannot be created leaves its share to the others (the caller's at
 * least): it never fails. @fn must be safe to run concurrently with
 * itself; the calls end in any order.
 */
void parallel_for(unsigned int n, unsigned int jobs,
		  void (*fn)(void *arg, unsigned int i), void *arg);

/*
 * Runs @work(@arg, i) for each i in [0, @n) on min(@jobs, @n) threads
 * and, on the caller's thread, @done(@arg, i) for each i in order, each
 * as soon as @work(@arg, i) has returned, while the threads go on with
 * later ones; they run at most 2 x @jobs ahead of @done, so what @work
 * leaves for @done stays bounded however large @n. With @jobs < 2 (or
 * when no thread can start) the caller runs work(0), done(0), work(1),
 * ... itself. Returns once done(n - 1) has.
 */
void parallel_ordered(unsigned int n, unsigned int jobs,
		      void (*work)(void *arg, unsigned int i),
		      void (*done)(void *arg, unsigned int i), void *arg);

#endif
