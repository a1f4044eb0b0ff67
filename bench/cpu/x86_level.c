// SPDX-License-Identifier: GPL-2.0-only
/* x86-64 psABI levels; the lists are the psABI's, in QEMU spelling. */
#include "cpu/x86_level.h"

#include <stddef.h>

#include "cpu/feature.h"

static const char *const level_adds[X86_LEVEL_MAX + 1][10] = {
	[1] = { "lm", "cmov", "cx8", "fpu", "fxsr", "mmx", "syscall", "sse", "sse2" },
	[2] = { "cx16", "lahf_lm", "popcnt", "pni", "sse4.1", "sse4.2", "ssse3" },
	[3] = { "avx", "avx2", "bmi1", "bmi2", "f16c", "fma", "abm", "movbe", "xsave" },
	[4] = { "avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl" },
};

static const char *const level_names[X86_LEVEL_MAX + 1] = {
	"none", "x86-64-v1", "x86-64-v2", "x86-64-v3", "x86-64-v4",
};

void x86_level_features(int level, featureset_t *out)
{
	featureset_clear(out);
	for (int l = 1; l <= level && l <= X86_LEVEL_MAX; l++)
		for (size_t i = 0; i < 10 && level_adds[l][i]; i++)
			featureset_add(out, feature_lookup(level_adds[l][i]));
}

int x86_level_of(const featureset_t *fs)
{
	int level = 0;

	for (int l = 1; l <= X86_LEVEL_MAX; l++) {
		featureset_t need;

		x86_level_features(l, &need);
		if (!featureset_subset(&need, fs))
			break;
		level = l;
	}
	return level;
}

const char *x86_level_name(int level)
{
	return level >= 0 && level <= X86_LEVEL_MAX ? level_names[level] : "none";
}
