/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A set of features, by index in the feature database (feature.h).
 * A plain value type: copy it, compare it, keep it on the stack.
 */
#ifndef CPUBENCH_FEATURESET_H
#define CPUBENCH_FEATURESET_H

#include <stdbool.h>
#include <stdint.h>

#define FEATURESET_WORDS	4
#define FEATURESET_MAX		(FEATURESET_WORDS * 64)

struct kvm_cpuid2;

typedef struct {
	uint64_t w[FEATURESET_WORDS];
} featureset_t;

/* Indices outside 0..FEATURESET_MAX-1 are ignored (has: false). */
static inline bool featureset_valid_index(int i)
{
	return i >= 0 && i < FEATURESET_MAX;
}

static inline void featureset_clear(featureset_t *fs)
{
	for (int i = 0; i < FEATURESET_WORDS; i++)
		fs->w[i] = 0;
}

static inline void featureset_add(featureset_t *fs, int i)
{
	if (featureset_valid_index(i))
		fs->w[i / 64] |= 1ULL << (i % 64);
}

static inline void featureset_del(featureset_t *fs, int i)
{
	if (featureset_valid_index(i))
		fs->w[i / 64] &= ~(1ULL << (i % 64));
}

static inline bool featureset_has(const featureset_t *fs, int i)
{
	return featureset_valid_index(i) && (fs->w[i / 64] >> (i % 64)) & 1;
}

static inline unsigned int featureset_count(const featureset_t *fs)
{
	unsigned int n = 0;

	for (int i = 0; i < FEATURESET_WORDS; i++)
		n += (unsigned int)__builtin_popcountll(fs->w[i]);
	return n;
}

static inline bool featureset_empty(const featureset_t *fs)
{
	return featureset_count(fs) == 0;
}

/* *dst = a | b (dst may alias a or b; likewise below) */
static inline void featureset_union(featureset_t *dst, const featureset_t *a,
				    const featureset_t *b)
{
	for (int i = 0; i < FEATURESET_WORDS; i++)
		dst->w[i] = a->w[i] | b->w[i];
}

/* *dst = a & b */
static inline void featureset_intersect(featureset_t *dst, const featureset_t *a,
					const featureset_t *b)
{
	for (int i = 0; i < FEATURESET_WORDS; i++)
		dst->w[i] = a->w[i] & b->w[i];
}

/* *dst = a & ~b */
static inline void featureset_diff(featureset_t *dst, const featureset_t *a,
				   const featureset_t *b)
{
	for (int i = 0; i < FEATURESET_WORDS; i++)
		dst->w[i] = a->w[i] & ~b->w[i];
}

static inline bool featureset_equal(const featureset_t *a, const featureset_t *b)
{
	for (int i = 0; i < FEATURESET_WORDS; i++)
		if (a->w[i] != b->w[i])
			return false;
	return true;
}

/* Whether every member of @sub is in @super. */
static inline bool featureset_subset(const featureset_t *sub,
				     const featureset_t *super)
{
	for (int i = 0; i < FEATURESET_WORDS; i++)
		if (sub->w[i] & ~super->w[i])
			return false;
	return true;
}

/* Iterate: for (i = featureset_next(fs, -1); i >= 0; i = featureset_next(fs, i)) */
static inline int featureset_next(const featureset_t *fs, int prev)
{
	for (int i = prev + 1; i < FEATURESET_MAX; i++)
		if (featureset_has(fs, i))
			return i;
	return -1;
}

/*
 * Sets @fs to every database feature whose bit is set in @cpuid's matching
 * leaf/subleaf entry (KVM's supported CPUID, or a built guest CPUID).
 */
void featureset_from_cpuid(featureset_t *fs, const struct kvm_cpuid2 *cpuid);

#endif
