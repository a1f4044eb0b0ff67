/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the hypervisor below KVM (L0, cpu/hypervisor.h) fails to provide
 * to a nested KVM: like the backend table, one row per gap with its
 * evidence. A result such a gap explains is `untestable` with the row's
 * reason, never `missing` or an unexpected leak, and only where that L0
 * was detected: the model is not to blame for the emulator.
 */
#ifndef CPUBENCH_JUDGE_L0_GAPS_H
#define CPUBENCH_JUDGE_L0_GAPS_H

#include "cpu/backend_kind.h"
#include "cpu/hypervisor.h"
#include "judge/result.h"

/*
 * If @r (judged) counts against the model (missing, error, unexpected
 * leak) and a gap of @l0 under @backend explains it, makes it untestable
 * with the gap's reason; returns whether it did.
 */
bool l0_gap_apply(struct probe_result *r, enum l0_kind l0, enum backend_kind backend);

#endif
