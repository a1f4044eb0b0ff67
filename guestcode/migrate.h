/* SPDX-License-Identifier: GPL-2.0-only */
/* Families and implementations of the migration scenario (migrate.def). */
#ifndef CPUBENCH_GUEST_MIGRATE_H
#define CPUBENCH_GUEST_MIGRATE_H

enum mig_family {
	MIG_MEMCPY,
	MIG_CRC32,
	MIG_POPCOUNT,
	MIG_RANDOM,
	MIG_FAMILY_NR,
};

enum mig_impl {
#define MIG_IMPL(sym, family, name, feature) MIG_IMPL_##sym,
#include "migrate.def"
#undef MIG_IMPL
	MIG_IMPL_NR,
};

#endif
