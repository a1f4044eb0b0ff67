// SPDX-License-Identifier: GPL-2.0-only
#include "judge/probe.h"

#include <string.h>

const struct probe_desc probes[] = {
#define PROBE(sym_, name_, feature_, ring_, expected_)			\
	{ .id = PROBE_ID_##sym_, .sym = #sym_, .name = name_, .feature = feature_,		\
	  .ring = ring_, .expected = expected_ },
#include "guestcode/probes.def"
#undef PROBE
};

const unsigned int nprobes = sizeof(probes) / sizeof(probes[0]);

const struct probe_desc *probe_find(const char *name)
{
	for (unsigned int i = 0; i < nprobes; i++)
		if (!strcmp(probes[i].name, name))
			return &probes[i];
	return NULL;
}

bool probe_is_selftest(const struct probe_desc *p)
{
	return p->feature[0] == '\0';
}

#define R_STRING_HINT "a performance hint: REP MOVSB/STOSB/CMPSB/SCASB run on every CPU, only faster where the bit is set"

const struct unprobed_feature unprobed_features[] = {
	{ "prefetchiti", "PREFETCHIT0/1 (0F 18 /7, /6) sit in the hint space: a CPU without them runs them as NOPs, and prefetching has no result to check" },
	{ "fzrm", R_STRING_HINT },
	{ "fsrs", R_STRING_HINT },
	{ "fsrc", R_STRING_HINT },
	{ "fsrm", R_STRING_HINT },
	{ "erms", R_STRING_HINT },
	{ "cldemote", "CLDEMOTE (0F 1C /0) sits in the hint space: a CPU without it runs it as a NOP, and cache demotion has no result to check" },
};

const unsigned int nunprobed_features = sizeof(unprobed_features) / sizeof(unprobed_features[0]);
