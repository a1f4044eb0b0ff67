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

#include "judge/result.h"
#include "lib/err.h"
#include "lib/out.h"

enum report_format {
	REPORT_TABLE,
	REPORT_JSON,
	REPORT_JUNIT,
	REPORT_TAP,
	REPORT_MARKDOWN,
	REPORT_HTML,
	REPORT_FORMAT_NR,
};

/* Names as --format takes them, indexed by enum report_format. */
static const char *const report_format_names[REPORT_FORMAT_NR] = {
	"table", "json", "junit", "tap", "markdown", "html",
};

/* Human table; colour only when @out is a terminal and NO_COLOR is unset. */
int report_write_table(FILE *out, const struct run_report *r);
/* Significant digits of the reals in JSON documents (json_dumpf's
 * JSON_REAL_PRECISION): run statistics, not 17 digits of noise. */
#define JSON_REALS OUT_JSON_REALS

/* JSON document (schema in report_json.c), ending with a newline. */
int report_write_json(FILE *out, const struct run_report *r);
/* The same document as a jansson object (a new reference); NULL when out
 * of memory. */
struct json_t;
struct json_t *report_json_object(const struct run_report *r);

/*
 * A JSON string of @s; text that is not UTF-8 keeps its ASCII bytes and
 * has the others replaced by '?'. NULL only when out of memory.
 */
struct json_t *report_json_string(const char *s);

/*
 * Writers over @n >= 1 reports, one per model (`verify` passes one,
 * `matrix` every model's): JUnit XML (report_junit.c), TAP version 13
 * (report_tap.c), Markdown for a PR comment (report_markdown.c), and the
 * self-contained HTML grid (report_html.c).
 */
int report_write_junit(FILE *out, const struct run_report *r, unsigned int n);
int report_write_tap(FILE *out, const struct run_report *r, unsigned int n);
int report_write_markdown(FILE *out, const struct run_report *r, unsigned int n);
int report_write_html(FILE *out, const struct run_report *r, unsigned int n);

/*
 * The documents CI formats write when @command failed with exit @status (2
 * or 3) before any report existed, so a job's report file always parses:
 * JUnit with an <error>, TAP with "Bail out!", JSON with an "error" member
 * and "passed": false. Each flushes @out; 0, or -1 with err_set().
 */
int report_write_junit_error(FILE *out, const char *command, const char *message,
			     int status);
int report_write_tap_error(FILE *out, const char *command, const char *message);
int report_write_json_error(FILE *out, const char *command, const char *message,
			    int status);

/*
 * The error document of format @f (above); table, Markdown and HTML have
 * none: they write nothing and return 0.
 */
static inline int report_write_error(FILE *out, enum report_format f,
				     const char *command, const char *message,
				     int status)
{
	switch (f) {
	case REPORT_JSON:
		return report_write_json_error(out, command, message, status);
	case REPORT_JUNIT:
		return report_write_junit_error(out, command, message, status);
	case REPORT_TAP:
		return report_write_tap_error(out, command, message);
	default:
		return 0;
	}
}

/* Whether format @f writes an error document (report_write_error()). */
static inline bool report_format_has_error_doc(enum report_format f)
{
	return f == REPORT_JSON || f == REPORT_JUNIT || f == REPORT_TAP;
}

/* Parses a report_format_names entry; returns -1 for anything else. */
static inline int report_format_parse(const char *s)
{
	if (!s)
		return -1;
	for (int f = 0; f < REPORT_FORMAT_NR; f++)
		if (!strcmp(s, report_format_names[f]))
			return f;
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
	case REPORT_JUNIT:
		return report_write_junit(out, r, 1);
	case REPORT_TAP:
		return report_write_tap(out, r, 1);
	case REPORT_MARKDOWN:
		return report_write_markdown(out, r, 1);
	case REPORT_HTML:
		return report_write_html(out, r, 1);
	case REPORT_FORMAT_NR:
		break;
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

/*
 * Where @res stands among the rows that fail its model: 0 missing,
 * 1 error, 2 unexpected leak, 3 a leak that fails under @strict; -1 for
 * a row that does not fail it. The order in which writers list them.
 */
#define REPORT_FAIL_RANKS 4
static inline int report_fail_rank(const struct probe_result *res, bool strict)
{
	if (res->verdict == VERDICT_MISSING)
		return 0;
	if (res->verdict == VERDICT_ERROR)
		return 1;
	if (report_leak_kind(res) == LEAK_UNEXPECTED)
		return 2;
	return strict && res->verdict == VERDICT_LEAK ? 3 : -1;
}

/* "missing", "error", "unexpected leak", "leak under --strict" */
const char *report_fail_rank_name(int rank);

/*
 * The features of @s's failing rows (a self-test probe's name where it
 * has none), each once per rank, in rank order and then row order: names into @names and ranks into @ranks, both with
 * room for s->nresults. Returns the count.
 */
unsigned int report_failing(const struct run_report *s, const char **names,
			    int *ranks);

#endif
