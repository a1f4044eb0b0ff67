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
