/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the multi-report writers share: the class of one result (its
 * colour in a grid, its status in CI formats) and the model x probe grid
 * of several reports (`cpubench matrix`).
 */
#ifndef CPUBENCH_REPORT_GRID_H
#define CPUBENCH_REPORT_GRID_H

#include <stdbool.h>

#include "report/report.h"

enum cell_class {
	CELL_OK,		/* ok */
	CELL_HIDDEN,		/* hidden: enforced */
	CELL_LEAK_EXPECTED,	/* leak the backend cannot prevent */
	CELL_LEAK_UNEXPECTED,	/* leak where a lever exists: a failure */
	CELL_MISSING,		/* advertised, not there: a failure */
	CELL_UNTESTABLE,	/* the backend cannot run it */
	CELL_ERROR,		/* could not conclude: a failure */
	CELL_NONE,		/* the model has no such row */
	CELL_NR,
};

enum cell_class cell_class_of(const struct probe_result *res);
/* Short text for a grid cell: "ok", "hidden", "leak", "LEAK", ... */
const char *cell_class_short(enum cell_class c);
/* Words for a legend: "leak (unexpected): a lever exists and failed" */
const char *cell_class_legend(enum cell_class c);

/*
 * Whether @res fails its model: missing, error, an unexpected leak, and
 * under @strict any leak (run_report_summarize()'s rule, per row).
 */
bool result_fails(const struct probe_result *res, bool strict);

/* Rows of the grid: every probe that appears in any report, in order of
 * first appearance. */
struct grid {
	unsigned int nrows;
	const struct probe_desc **rows;
};

/* Returns 0, or -1 with err_set() when out of memory. */
int grid_build(struct grid *g, const struct run_report *r, unsigned int n);
/* Report @r's result for grid row @row, or NULL when it has none. */
const struct probe_result *grid_cell(const struct grid *g,
				     const struct run_report *r,
				     unsigned int row);
void grid_free(struct grid *g);

#endif
