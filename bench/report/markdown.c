// SPDX-License-Identifier: GPL-2.0-only
/*
 * Markdown for a pull-request or merge-request comment (GitHub/GitLab
 * flavoured): a headline with the verdict, the rows that fail first, and
 * every row inside a collapsed <details> block. Several reports (matrix)
 * give one line per model and a model x probe grid.
 */
#include "report/report.h"

#include <stdlib.h>

#include "lib/textesc.h"
#include "report/grid.h"

static const char *const cell_mark[CELL_NR] = {
	[CELL_OK] = "\xe2\x9c\x85",			/* U+2705 check mark */
	[CELL_HIDDEN] = "\xf0\x9f\x94\x92",		/* U+1F512 lock */
	[CELL_LEAK_EXPECTED] = "\xf0\x9f\x9f\xa1",	/* U+1F7E1 yellow circle */
	[CELL_LEAK_UNEXPECTED] = "\xf0\x9f\x94\xb4",	/* U+1F534 red circle */
	[CELL_MISSING] = "\xe2\x9d\x8c",		/* U+274C cross mark */
	[CELL_UNTESTABLE] = "\xe2\x9a\xaa",		/* U+26AA white circle */
	[CELL_ERROR] = "\xf0\x9f\x92\xa5",		/* U+1F4A5 collision */
	[CELL_NONE] = "",
};

static void put_cell(FILE *out, const char *s)
{
	fputs(" ", out);
	md_put_cell(out, s);
	fputs(" |", out);
}

/* `code` in a cell; md_put_cell() escapes any backquote inside. */
static void put_code_cell(FILE *out, const char *s)
{
	if (!s || !*s) {
		fputs(" |", out);
		return;
	}
	fputs(" `", out);
	for (; *s; s++)		/* inside a code span only '|' needs escaping */
		if (*s == '|')
			fputs("\\|", out);
		else if (*s != '`' && (unsigned char)*s >= 0x20)
			fputc(*s, out);
	fputs("` |", out);
}

static void put_verdict_cell(FILE *out, const struct probe_result *res)
{
	enum cell_class c = cell_class_of(res);
	const char *leak = leak_name(report_leak_kind(res));

	fprintf(out, " %s %s%s%s%s |", cell_mark[c], verdict_name(res->verdict),
		leak ? " (" : "", leak ? leak : "", leak ? ")" : "");
}

static void put_row(FILE *out, const struct probe_result *res)
{
	const struct probe_desc *p = res->probe;
	char fault[256], outcome[300];

	result_fault_text(res, fault, sizeof(fault));
	snprintf(outcome, sizeof(outcome), "%s%s%s", outcome_name(res->outcome),
		 fault[0] ? " " : "", fault);
	fputs("|", out);
	put_cell(out, p && p->name ? p->name : "?");
	put_cell(out, p && p->feature[0] ? p->feature : "-");
	fprintf(out, " %u | %s |", (unsigned int)res->ring,
		res->advertised ? "yes" : "no");
	put_code_cell(out, res->insn ? res->insn : "");
	put_cell(out, outcome);
	put_verdict_cell(out, res);
	put_cell(out, res->reason ? res->reason : "");
	fputc('\n', out);
}

static void put_table_head(FILE *out)
{
	fputs("| Probe | Feature | Ring | Advertised | Instruction | Outcome | "
	      "Verdict | Reason |\n|---|---|---|---|---|---|---|---|\n", out);
}

static void put_counts(FILE *out, const struct run_report *s)
{
	const char *sep = "";

	for (int v = 0; v < VERDICT_NR; v++) {
		if (!s->summary[v])
			continue;
		fprintf(out, "%s%u %s", sep, s->summary[v], verdict_name(v));
		if (v == VERDICT_LEAK)
			fprintf(out, " (%u expected, %u unexpected)",
				s->leaks[LEAK_EXPECTED], s->leaks[LEAK_UNEXPECTED]);
		sep = ", ";
	}
	if (!*sep)
		fputs("no results", out);
}

static void put_host(FILE *out, const struct run_report *s)
{
	fprintf(out, "Backend **%s**; host ", backend_kind_name(s->backend));
	md_put_cell(out, s->host.vendor);
	fputs(", ", out);
	md_put_cell(out, s->host.model_name);
	fputs("; kernel ", out);
	md_put_cell(out, s->host.kernel);
	fputs("; guest OS ", out);
	md_put_cell(out, s->guest_os ? s->guest_os : "-");
	fputs(s->strict ? "; strict (every leak fails).\n" : ".\n", out);
	if (s->guest_cpuid_checked && !s->guest_cpuid_matches) {
		fputs("\nNote: ", out);
		md_put_cell(out, s->guest_cpuid_note);
		fputs(".\n", out);
	}
}

static void put_one(FILE *out, const struct run_report *s)
{
	unsigned int nfail = 0;

	fputs("## cpubench: `", out);
	md_put_cell(out, s->mask ? s->mask : "-");
	fprintf(out, "` on %s \xe2\x80\x94 %s\n\n", backend_kind_name(s->backend),
		s->passed ? "\xe2\x9c\x85 PASS" : "\xe2\x9d\x8c FAIL");
	put_host(out, s);
	fputs("\n**Summary:** ", out);
	put_counts(out, s);
	fputs("\n\n", out);
	for (unsigned int i = 0; i < s->nresults; i++)
		nfail += result_fails(&s->results[i], s->strict);
	if (nfail) {
		fprintf(out, "### %u failing row%s\n\n", nfail, nfail == 1 ? "" : "s");
		put_table_head(out);
		for (unsigned int i = 0; i < s->nresults; i++)
			if (result_fails(&s->results[i], s->strict))
				put_row(out, &s->results[i]);
		fputc('\n', out);
	}
	if (!s->nresults)
		return;
	fprintf(out, "<details><summary>All %u results</summary>\n\n", s->nresults);
	put_table_head(out);
	for (unsigned int i = 0; i < s->nresults; i++)
		put_row(out, &s->results[i]);
	fputs("\n</details>\n", out);
}

static int put_many(FILE *out, struct run_report *s, unsigned int n)
{
	struct grid g;

	if (grid_build(&g, s, n))
		return -1;
	fprintf(out, "## cpubench matrix on %s\n\n", backend_kind_name(s[0].backend));
	put_host(out, &s[0]);
	fputs("\n| Model | Result | Summary |\n|---|---|---|\n", out);
	for (unsigned int m = 0; m < n; m++) {
		fputs("|", out);
		put_code_cell(out, s[m].mask ? s[m].mask : "-");
		fprintf(out, " %s | ", s[m].passed ? "\xe2\x9c\x85 PASS" :
			"\xe2\x9d\x8c FAIL");
		put_counts(out, &s[m]);
		fputs(" |\n", out);
	}
	fprintf(out, "\n<details><summary>Model \xc3\x97 probe grid (%u rows)</summary>\n\n"
		"| Probe |", g.nrows);
	for (unsigned int m = 0; m < n; m++)
		put_code_cell(out, s[m].mask ? s[m].mask : "-");
	fputs("\n|---|", out);
	for (unsigned int m = 0; m < n; m++)
		fputs("---|", out);
	fputc('\n', out);
	for (unsigned int row = 0; row < g.nrows; row++) {
		fputs("|", out);
		put_cell(out, g.rows[row]->name);
		for (unsigned int m = 0; m < n; m++) {
			enum cell_class c = cell_class_of(grid_cell(&g, &s[m], row));

			fprintf(out, " %s %s |", cell_mark[c], cell_class_short(c));
		}
		fputc('\n', out);
	}
	fputs("\nLegend:", out);
	for (int c = 0; c < CELL_NONE; c++)
		fprintf(out, " %s %s%s", cell_mark[c], cell_class_legend(c),
			c + 1 < CELL_NONE ? ";" : ".");
	fputs("\n\n</details>\n", out);
	grid_free(&g);
	return 0;
}

int report_write_markdown(FILE *out, const struct run_report *r, unsigned int n)
{
	struct run_report *s;
	int ret = 0;

	s = run_reports_summarized(r, n);
	if (!s)
		return -1;
	if (n == 1)
		put_one(out, s);
	else
		ret = put_many(out, s, n);
	free(s);
	if (ret)
		return ret;
	return out_flush(out);
}
