/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The backend table for qemu-tcg (QEMU 7.2's software emulation): per
 * feature, whether TCG consults the CPUID bit when it executes the
 * instruction, with the reason. TCG is the reference for enforcement:
 * where it checks, a hidden feature must fault, and a leak is unexpected
 * (a probe bug or a QEMU regression); where it does not, the leak is
 * expected and the reason says why.
 */
#ifndef CPUBENCH_TCG_TABLE_H
#define CPUBENCH_TCG_TABLE_H

#include <stdbool.h>

#include "cpu/featureset.h"
#include "judge/result.h"

enum tcg_check {
	TCG_CHECKS,		/* TCG's decoder #UDs when the bit is clear */
	TCG_NO_CHECK,		/* TCG runs it whatever CPUID says */
	TCG_ABSENT,		/* not implemented: #UD always; cannot be provided */
};

/*
 * What TCG does with @feature (an index in the feature database), with the
 * reason. Features without a row: TCG_NO_CHECK with a generic reason, and
 * *@listed false.
 */
enum tcg_check tcg_feature_check(int feature, const char **reason, bool *listed);

/*
 * The leak kind of a hidden @feature that executed under qemu-tcg, given
 * what the guest was told (@advertised): a row whose bit TCG does not
 * check itself leaks as expected while the bit it checks is advertised.
 */
enum leak_kind tcg_leak_kind(int feature, const featureset_t *advertised,
			     const char **reason);

#endif
