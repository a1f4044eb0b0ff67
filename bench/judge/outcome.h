/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * From what a backend observed to an outcome (shared/DESIGN.md section 2):
 * a probe that completed with the value its architecture defines was
 * `executed`; with any other value (LZCNT run as BSR) `altered`.
 */
#ifndef CPUBENCH_JUDGE_OUTCOME_H
#define CPUBENCH_JUDGE_OUTCOME_H

#include "judge/plan.h"
#include "judge/result.h"

/* Sets @r's outcome, vector, error_code, rip, value and detail from @obs. */
void outcome_observe(struct probe_result *r, const struct probe_obs *obs);

#endif
