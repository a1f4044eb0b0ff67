/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * "Did you mean" for names users type: models, features, commands and
 * options. Names compare without case and without the separators '.',
 * '-', '_', as QEMU and Linux spell the same feature several ways.
 */
#ifndef CPUBENCH_LIB_SUGGEST_H
#define CPUBENCH_LIB_SUGGEST_H

#include <stddef.h>

/* Levenshtein distance of the folded names; 255 for names over 64 characters. */
unsigned int name_distance(const char *a, const char *b);

/* Whether @d is small enough, for a name of @len, to suggest. */
static inline int name_close_enough(unsigned int d, unsigned int len)
{
	return d <= 1 || (d <= 3 && d * 3 <= len + 2);
}

/*
 * The candidate of @names[0..@n-1] closest to @name, or NULL when none is
 * close enough; on a tie the later one in byte order ("avx3" -> "avx2").
 */
const char *name_suggest(const char *name, const char *const *names, size_t n);

/* ": did you mean 'x'?" in @buf for @sugg, or "" when @sugg is NULL. */
const char *did_you_mean(char *buf, size_t size, const char *sugg);

#endif
