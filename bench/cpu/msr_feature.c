// SPDX-License-Identifier: GPL-2.0-only
/*
 * Feature-enumeration MSR bits (Intel SDM vol. 4, table 2-2:
 * IA32_ARCH_CAPABILITIES = 0x10a, IA32_CORE_CAPABILITIES = 0xcf).
 */
#include "cpu/msr_feature.h"

#include <stddef.h>

#define MSR_ARCH_CAP	0x10a
#define MSR_CORE_CAP	0xcf

const struct msr_feature msr_features[] = {
	{ "rdctl-no", MSR_ARCH_CAP, 0, "not susceptible to rogue data cache load (Meltdown)" },
	{ "ibrs-all", MSR_ARCH_CAP, 1, "enhanced IBRS" },
	{ "rsba", MSR_ARCH_CAP, 2, "return stack buffer alternate prediction" },
	{ "skip-l1dfl-vmentry", MSR_ARCH_CAP, 3, "no L1D flush needed on VM entry" },
	{ "ssb-no", MSR_ARCH_CAP, 4, "not susceptible to speculative store bypass" },
	{ "mds-no", MSR_ARCH_CAP, 5, "not susceptible to microarchitectural data sampling" },
	{ "pschange-mc-no", MSR_ARCH_CAP, 6, "no machine check on page size change" },
	{ "tsx-ctrl", MSR_ARCH_CAP, 7, "IA32_TSX_CTRL MSR present" },
	{ "taa-no", MSR_ARCH_CAP, 8, "not susceptible to TSX asynchronous abort" },
	{ "sbdr-ssdp-no", MSR_ARCH_CAP, 13, "not susceptible to shared buffers data read / sideband stale data propagator" },
	{ "fbsdp-no", MSR_ARCH_CAP, 14, "not susceptible to fill buffer stale data propagator" },
	{ "psdp-no", MSR_ARCH_CAP, 15, "not susceptible to primary stale data propagator" },
	{ "bhi-no", MSR_ARCH_CAP, 20, "not susceptible to branch history injection" },
	{ "pbrsb-no", MSR_ARCH_CAP, 24, "not susceptible to post-barrier return stack buffer predictions" },
	{ "gds-no", MSR_ARCH_CAP, 26, "not susceptible to gather data sampling" },
	{ "rfds-no", MSR_ARCH_CAP, 27, "not susceptible to register file data sampling" },
	{ "split-lock-detect", MSR_CORE_CAP, 5, "split-lock #AC detection" },
};

#define NMSR_FEATURES (sizeof(msr_features) / sizeof(msr_features[0]))
/* masks keep them as bits of a uint32_t */
_Static_assert(NMSR_FEATURES <= 32, "too many MSR features for struct mask");

const unsigned int nmsr_features = NMSR_FEATURES;

static int lower_sep(int c)
{
	return c == '_' ? '-' : c;
}

int msr_feature_lookup(const char *name)
{
	for (unsigned int i = 0; name && i < nmsr_features; i++) {
		const char *a = msr_features[i].name, *b = name;

		while (*a && lower_sep(*a) == lower_sep(*b))
			a++, b++;
		if (!*a && !*b)
			return (int)i;
	}
	return -1;
}
