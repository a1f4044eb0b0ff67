// SPDX-License-Identifier: GPL-2.0-only
/*
 * `cpubench matrix` as text and JSON: every model x every probe.
 *
 * Text: a header naming host and backend, one row per probe, one column
 * per model with a short verdict (report_grid.h), then one line per model
 * with its summary and PASS/FAIL, then the legend.
 *
 * JSON (stable; add keys, never rename or retype them):
 *   cpubench_version  string
 *   backend           string
 *   host              { vendor, model_name, kernel }
 *   probes            array of probe names, the grid's rows in order
 *   models            array of report documents, one per model, each
 *                     exactly what `verify --format json` prints for it
 *   passed            bool: every model holds
 */
#include "report/matrix.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>

#include "report/grid.h"

#ifndef CPUBENCH_VERSION
#define CPUBENCH_VERSION "0.1.0"
#endif

static const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

int report_write_matrix_table(FILE *out, const struct run_report *r,
			      unsigned int n)
{
	struct grid g;
	int pw = 5;

	if (!n)
		return err_set("no report to write");
	if (grid_build(&g, r, n))
		return -1;
	errno = 0;
	fprintf(out, "backend   %s\nhost      %s, %s\nkernel    %s\nguest OS  %s\n\n",
		backend_kind_name(r[0].backend), or_dash(r[0].host.vendor),
		or_dash(r[0].host.model_name), or_dash(r[0].host.kernel),
		or_dash(r[0].guest_os));
	for (unsigned int row = 0; row < g.nrows; row++) {
		int len = (int)strlen(g.rows[row]->name);

		if (len > pw)
			pw = len;
	}
	fprintf(out, "%-*s", pw, "PROBE");
	for (unsigned int m = 0; m < n; m++)
		fprintf(out, m + 1 < n ? "  %-7s" : "  %s", or_dash(r[m].mask));
	fputc('\n', out);
	for (unsigned int row = 0; row < g.nrows; row++) {
		const char *name = g.rows[row]->name;
		/* blanks are owed, and written only before a non-empty cell,
		 * so no line carries trailing blanks */
		int pending = pw - (int)strlen(name);

		fputs(name, out);
		for (unsigned int m = 0; m < n; m++) {
			int w = (int)strlen(or_dash(r[m].mask));
			const char *c = cell_class_short(cell_class_of(grid_cell(&g, &r[m], row)));

			pending += 2;
			if (*c) {
				fprintf(out, "%*s%s", pending, "", c);
				pending = 0;
			}
			pending += (w > 7 ? w : 7) - (int)strlen(c);
		}
		fputc('\n', out);
	}
	fputc('\n', out);
	for (unsigned int m = 0; m < n; m++) {
		struct run_report s = r[m];

		run_report_summarize(&s);
		fprintf(out, "%s: %u ok, %u missing, %u hidden, %u leak "
			"(%u unexpected), %u untestable, %u error \xe2\x80\x94 %s\n",
			or_dash(s.mask), s.summary[VERDICT_OK],
			s.summary[VERDICT_MISSING], s.summary[VERDICT_HIDDEN],
			s.summary[VERDICT_LEAK], s.leaks[LEAK_UNEXPECTED],
			s.summary[VERDICT_UNTESTABLE], s.summary[VERDICT_ERROR],
			s.passed ? "PASS" : "FAIL");
	}
	fputs("\nlegend:\n", out);
	for (int c = 0; c < CELL_NONE; c++)
		fprintf(out, "  %s\n", cell_class_legend(c));
	grid_free(&g);
	return report_finish(out);
}

static json_t *matrix_json(const struct run_report *r, unsigned int n,
			   const struct grid *g)
{
	json_t *root = json_object(), *host = json_object();
	json_t *probes = json_array(), *models = json_array();
	bool passed = true;
	int bad = !root || !host || !probes || !models;

	if (bad) {
		json_decref(root);
		json_decref(host);
		json_decref(probes);
		json_decref(models);
		return NULL;
	}
	bad |= json_object_set_new(host, "vendor", json_string(r[0].host.vendor));
	bad |= json_object_set_new(host, "model_name", json_string(r[0].host.model_name));
	bad |= json_object_set_new(host, "kernel", json_string(r[0].host.kernel));
	for (unsigned int row = 0; row < g->nrows; row++)
		bad |= json_array_append_new(probes, json_string(g->rows[row]->name));
	for (unsigned int m = 0; m < n; m++) {
		struct run_report s = r[m];

		run_report_summarize(&s);
		passed &= s.passed;
		bad |= json_array_append_new(models, report_json_object(&r[m]));
	}
	bad |= json_object_set_new(root, "cpubench_version", json_string(CPUBENCH_VERSION));
	bad |= json_object_set_new(root, "backend", json_string(backend_kind_name(r[0].backend)));
	bad |= json_object_set_new(root, "host", host);
	bad |= json_object_set_new(root, "probes", probes);
	bad |= json_object_set_new(root, "models", models);
	bad |= json_object_set_new(root, "passed", json_boolean(passed));
	if (bad) {
		json_decref(root);
		return NULL;
	}
	return root;
}

int report_write_matrix_json(FILE *out, const struct run_report *r,
			     unsigned int n)
{
	struct grid g;
	json_t *root;
	int ret;

	if (!n)
		return err_set("no report to write");
	if (grid_build(&g, r, n))
		return -1;
	root = matrix_json(r, n, &g);
	grid_free(&g);
	if (!root)
		return err_set("building the JSON report: out of memory");
	errno = 0;
	ret = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(JSON_REALS));
	json_decref(root);
	if (ret || fputc('\n', out) == EOF)
		return err_set_errno(errno ? errno : EIO, "writing the report");
	return report_finish(out);
}
