/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Report writers: one run_report, rendered as a human table
 * (report_table.c) or as JSON with a stable schema (report_json.c).
 *
 * Writers derive the summary and the pass/fail decision from the results
 * themselves (run_report_summarize() on a copy), so what they print always
 * matches the rows, whether or not the caller summarized @r.
 */
#ifndef CPUBENCH_REPORT_H
#define CPUBENCH_REPORT_H

#include <stdio.h>
#include <string.h>

#include "err.h"
#include "result.h"

enum report_format {
	REPORT_TABLE,
	REPORT_JSON,
};

/* Human table; colour only when @out is a terminal and NO_COLOR is unset. */
int report_write_table(FILE *out, const struct run_report *r);
/* JSON document (schema in report_json.c), ending with a newline. */
int report_write_json(FILE *out, const struct run_report *r);

/* Parses "table" or "json"; returns -1 for anything else. */
static inline int report_format_parse(const char *s)
{
	if (!s)
		return -1;
	if (!strcmp(s, "table"))
		return REPORT_TABLE;
	if (!strcmp(s, "json"))
		return REPORT_JSON;
	return -1;
}

/*
 * Writes @r to @out in format @f and flushes @out. Returns 0, or -1 with
 * err_set() on an unknown format, an allocation or a write failure.
 */
static inline int report_write(FILE *out, const struct run_report *r,
			       enum report_format f)
{
	switch (f) {
	case REPORT_TABLE:
		return report_write_table(out, r);
	case REPORT_JSON:
		return report_write_json(out, r);
	}
	return err_set("unknown report format %d", (int)f);
}

/*
 * The leak kind a writer shows for @res, consistent with the counts of
 * run_report_summarize(): none unless the verdict is leak, and a leak whose
 * kind was never decided is unexpected.
 */
static inline enum leak_kind report_leak_kind(const struct probe_result *res)
{
	if (res->verdict != VERDICT_LEAK)
		return LEAK_NONE;
	return res->leak == LEAK_EXPECTED ? LEAK_EXPECTED : LEAK_UNEXPECTED;
}

#endif
