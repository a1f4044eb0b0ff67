/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `verify --compare-backends A,B`: one model's results from several
 * backends side by side, so a user sees which hidden features one backend
 * leaks that another enforces.
 */
#ifndef CPUBENCH_REPORT_COMPARE_H
#define CPUBENCH_REPORT_COMPARE_H

#include <stdio.h>

#include "judge/result.h"
#include "report/report.h"

#define COMPARE_MAX_BACKENDS 4

/*
 * Writes @n summarized reports of the same probes, in the same order, as a
 * table (REPORT_TABLE) or a JSON document {"backends": [report...],
 * "differences": [...]}; other formats are refused. Returns 0 or -1.
 */
int report_compare_write(FILE *out, const struct run_report *const *reports,
			 unsigned int n, enum report_format format);

#endif
