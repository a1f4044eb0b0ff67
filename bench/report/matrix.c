// SPDX-License-Identifier: GPL-2.0-only
/*
 * `cpubench matrix` as text and JSON: every model x every probe.
 *
 * Text: a header naming host and backend, then one screen's summary: how
 * many models hold and fail, the failing ones grouped by why ("missing
 * pcid (9): Broadwell-v1 ..."). With --all or --wide (report/style.h),
 * then one row per probe, one column per model with a short verdict
 * (report_grid.h), one line per model with its summary and PASS/FAIL,
 * and the legend.
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

#include <jansson.h>
#include <stdlib.h>

#include "lib/term.h"
#include "lib/textesc.h"
#include "report/grid.h"
#include "report/style.h"

#ifndef CPUBENCH_VERSION
#define CPUBENCH_VERSION "0.1.0"
#endif

static const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

/* Why @s fails, in words: "missing hle rtm; error vmx"; "" when it holds. */
static char *why_text(const struct run_report *s)
{
	const char **names = calloc(s->nresults + 1, sizeof(*names));
	int *ranks = calloc(s->nresults + 1, sizeof(*ranks));
	unsigned int n = names && ranks ? report_failing(s, names, ranks) : 0;
	char *text = NULL;
	size_t len = 0;
	FILE *f = names && ranks ? open_memstream(&text, &len) : NULL;

	for (unsigned int i = 0; f && i < n; i++) {
		if (!i || ranks[i] != ranks[i - 1])
			fprintf(f, "%s%s", i ? "; " : "", report_fail_rank_name(ranks[i]));
		fputc(' ', f);
		text_put(f, names[i]);
	}
	free(names);
	free(ranks);
	if (!f || fclose(f)) {
		free(text);
		return NULL;
	}
	return text;
}

/*
 * "42 models: 30 hold, 12 fail", then one line per reason, the most
 * frequent first: "  missing pcid (9): Broadwell-v1 Haswell-v1 ...",
 * wrapped to @width. Returns 0, or -1 with err_set().
 */
static int put_overview(FILE *out, const struct run_report *s, unsigned int n,
			unsigned int width)
{
	char **why = calloc(n, sizeof(*why));
	bool *done = calloc(n, sizeof(*done));
	unsigned int fail = 0;
	int ret = 0;

	if (!why || !done) {
		free(why);
		free(done);
		return err_set("out of memory");
	}
	for (unsigned int m = 0; m < n; m++) {
		fail += !s[m].passed;
		if (!s[m].passed && !(why[m] = why_text(&s[m])))
			ret = err_set("out of memory");
	}
	fprintf(out, "%u model%s: %u hold%s, %u fail%s\n", n, n == 1 ? "" : "s",
		n - fail, n - fail == 1 ? "s" : "", fail, fail == 1 ? "s" : "");
	for (unsigned int left = fail; !ret && left; ) {
		unsigned int best = n, count = 0, col;

		/* the most frequent reason not yet listed */
		for (unsigned int m = 0; m < n; m++) {
			unsigned int c = 0;

			if (!why[m] || done[m])
				continue;
			for (unsigned int k = m; k < n; k++)
				c += why[k] && !done[k] && !strcmp(why[k], why[m]);
			if (c > count)
				best = m, count = c;
		}
		char num[32];

		/* the reason's words can wrap too: a model fails on many */
		fputs("  ", out);
		col = term_wrap(out, why[best], 2, 4, width);
		snprintf(num, sizeof(num), " (%u):", count);
		col = term_wrap(out, num, col, 4, width);
		for (unsigned int m = best; m < n; m++) {
			if (!why[m] || done[m] || strcmp(why[m], why[best]))
				continue;
			done[m] = true;
			left--;
			char word[300];		/* " " and a model spec */

			snprintf(word, sizeof(word), " %s", or_dash(s[m].mask));
			col = term_wrap(out, word, col, 4, width);
		}
		fputc('\n', out);
	}
	for (unsigned int m = 0; m < n; m++)
		free(why[m]);
	free(why);
	free(done);
	return ret;
}

int report_write_matrix_table(FILE *out, const struct run_report *r,
			      unsigned int n)
{
	const struct report_style *st = report_style_get();
	struct run_report *s;
	struct grid g;
	int pw = 5;

	if (!n)
		return err_set("no report to write");
	s = run_reports_summarized(r, n);
	if (!s)
		return -1;
	if (grid_build(&g, r, n)) {
		free(s);
		return -1;
	}
	fprintf(out, "backend   %s\nhost      ", backend_kind_name(r[0].backend));
	text_put(out, or_dash(r[0].host.vendor));
	fputs(", ", out);
	text_put(out, or_dash(r[0].host.model_name));
	fputs("\nkernel    ", out);
	text_put(out, or_dash(r[0].host.kernel));
	fprintf(out, "\nguest OS  %s\n\n", or_dash(r[0].guest_os));
	if (put_overview(out, s, n, report_width(out))) {
		grid_free(&g);
		free(s);
		return -1;
	}
	if (!st->all && !st->wide) {
		fputs("\n--all shows the model x probe grid\n", out);
		grid_free(&g);
		free(s);
		return out_flush(out);
	}
	fputc('\n', out);
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
	free(s);
	return out_flush(out);
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

	if (!n)
		return err_set("no report to write");
	if (grid_build(&g, r, n))
		return -1;
	root = matrix_json(r, n, &g);
	grid_free(&g);
	return out_json(out, root);
}
