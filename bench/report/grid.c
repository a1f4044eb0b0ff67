// SPDX-License-Identifier: GPL-2.0-only
/*
 * Result classes and the model x probe grid (see report_grid.h).
 */
#include "report/grid.h"

#include <stdlib.h>

enum cell_class cell_class_of(const struct probe_result *res)
{
	if (!res)
		return CELL_NONE;
	switch (res->verdict) {
	case VERDICT_OK:
		return CELL_OK;
	case VERDICT_HIDDEN:
		return CELL_HIDDEN;
	case VERDICT_LEAK:
		return report_leak_kind(res) == LEAK_EXPECTED ?
			CELL_LEAK_EXPECTED : CELL_LEAK_UNEXPECTED;
	case VERDICT_MISSING:
		return CELL_MISSING;
	case VERDICT_UNTESTABLE:
		return CELL_UNTESTABLE;
	default:
		return CELL_ERROR;
	}
}

static const char *const short_names[CELL_NR] = {
	[CELL_OK] = "ok",
	[CELL_HIDDEN] = "hidden",
	[CELL_LEAK_EXPECTED] = "leak",
	[CELL_LEAK_UNEXPECTED] = "LEAK!",
	[CELL_MISSING] = "MISSING",
	[CELL_UNTESTABLE] = "n/t",
	[CELL_ERROR] = "ERROR",
	[CELL_NONE] = "",
};

static const char *const legends[CELL_NR] = {
	[CELL_OK] = "ok: advertised and executed as architected",
	[CELL_HIDDEN] = "hidden: hidden, and it faults (hiding is enforced)",
	[CELL_LEAK_EXPECTED] = "leak (expected): hidden, yet it executes; this backend has no lever",
	[CELL_LEAK_UNEXPECTED] = "LEAK! (unexpected): hidden, yet it executes although a lever exists",
	[CELL_MISSING] = "MISSING: advertised, but faults or misbehaves on this host",
	[CELL_UNTESTABLE] = "n/t (untestable): this backend cannot run the probe",
	[CELL_ERROR] = "ERROR: the probe could not conclude",
	[CELL_NONE] = "blank: not run for this model",
};

const char *cell_class_short(enum cell_class c)
{
	return (unsigned int)c < CELL_NR ? short_names[c] : "?";
}

const char *cell_class_legend(enum cell_class c)
{
	return (unsigned int)c < CELL_NR ? legends[c] : "?";
}

bool result_fails(const struct probe_result *res, bool strict)
{
	switch (cell_class_of(res)) {
	case CELL_MISSING:
	case CELL_ERROR:
	case CELL_LEAK_UNEXPECTED:
		return true;
	case CELL_LEAK_EXPECTED:
		return strict;
	default:
		return false;
	}
}

static bool has_row(const struct grid *g, const struct probe_desc *p)
{
	for (unsigned int i = 0; i < g->nrows; i++)
		if (g->rows[i] == p)
			return true;
	return false;
}

int grid_build(struct grid *g, const struct run_report *r, unsigned int n)
{
	unsigned int max = 0;

	g->nrows = 0;
	g->rows = NULL;
	for (unsigned int m = 0; m < n; m++)
		max += r[m].nresults;
	if (!max)
		return 0;
	g->rows = calloc(max, sizeof(*g->rows));
	if (!g->rows)
		return err_set("building the report grid: out of memory");
	for (unsigned int m = 0; m < n; m++)
		for (unsigned int i = 0; i < r[m].nresults; i++)
			if (!has_row(g, r[m].results[i].probe))
				g->rows[g->nrows++] = r[m].results[i].probe;
	return 0;
}

const struct probe_result *grid_cell(const struct grid *g,
				     const struct run_report *r,
				     unsigned int row)
{
	if (row >= g->nrows)
		return NULL;
	for (unsigned int i = 0; i < r->nresults; i++)
		if (r->results[i].probe == g->rows[row])
			return &r->results[i];
	return NULL;
}

void grid_free(struct grid *g)
{
	free(g->rows);
	g->rows = NULL;
	g->nrows = 0;
}

const char *report_fail_rank_name(int rank)
{
	static const char *const names[REPORT_FAIL_RANKS] = {
		"missing", "error", "unexpected leak", "leak under --strict",
	};

	return rank >= 0 && rank < REPORT_FAIL_RANKS ? names[rank] : "";
}

unsigned int report_failing(const struct run_report *s, const char **names,
			    int *ranks)
{
	unsigned int n = 0;

	for (int rank = 0; rank < REPORT_FAIL_RANKS; rank++) {
		for (unsigned int i = 0; i < s->nresults; i++) {
			const struct probe_result *res = &s->results[i];
			/* a self-test probe has no feature: its own name */
			const char *f = !res->probe ? "-" : res->probe->feature ?
					res->probe->feature : res->probe->name;
			bool seen = false;

			if (report_fail_rank(res, s->strict) != rank)
				continue;
			for (unsigned int k = 0; k < n && !seen; k++)
				seen = ranks[k] == rank && !strcmp(names[k], f);
			if (seen)
				continue;
			names[n] = f;
			ranks[n++] = rank;
		}
	}
	return n;
}
