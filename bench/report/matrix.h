/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `cpubench matrix` writers for text and JSON (report_matrix.c); the
 * other formats take several reports directly (report.h).
 */
#ifndef CPUBENCH_REPORT_MATRIX_H
#define CPUBENCH_REPORT_MATRIX_H

#include "report/report.h"

/* @n >= 1 reports, one per model, of one host. Return 0, or -1 with
 * err_set(). */
int report_write_matrix_table(FILE *out, const struct run_report *r,
			      unsigned int n);
int report_write_matrix_json(FILE *out, const struct run_report *r,
			     unsigned int n);

#endif
