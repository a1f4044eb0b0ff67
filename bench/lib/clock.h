/* SPDX-License-Identifier: GPL-2.0-only */
/* Milliseconds for deadlines and durations: CLOCK_MONOTONIC, never set back. */
#ifndef CPUBENCH_LIB_CLOCK_H
#define CPUBENCH_LIB_CLOCK_H

#include <time.h>

/* Async-signal-safe (clock_gettime is). */
static inline long long clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#endif
