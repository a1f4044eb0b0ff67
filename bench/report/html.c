// SPDX-License-Identifier: GPL-2.0-only
/*
 * The matrix as one self-contained HTML page: inline CSS, no script, no
 * external resource, so it opens from a CI artifact with no network. A
 * header names the host, backend, kernel and guest OS; one column per
 * model with its PASS/FAIL, one row per probe, one coloured cell per
 * result whose tooltip (title) carries the verdict, instruction, fault
 * and reason; a legend explains the colours.
 */
#include "report/report.h"

#include <stdlib.h>
#include <time.h>

#include "lib/textesc.h"
#include "report/grid.h"

#ifndef CPUBENCH_VERSION
#define CPUBENCH_VERSION "0.1.0"
#endif

/* Colour of each class; the CSS class is "c<N>". */
static const char *const cell_colour[CELL_NR] = {
	[CELL_OK] = "#2e9e4f",
	[CELL_HIDDEN] = "#2b7bba",
	[CELL_LEAK_EXPECTED] = "#f2c744",
	[CELL_LEAK_UNEXPECTED] = "#f26b21",
	[CELL_MISSING] = "#b1002a",
	[CELL_UNTESTABLE] = "#b8b8b8",
	[CELL_ERROR] = "#7b3294",
	[CELL_NONE] = "#ffffff",
};

static const char css[] =
	"body{font:14px/1.4 system-ui,sans-serif;margin:16px;color:#222;background:#fafafa}"
	"h1{font-size:20px;margin:0 0 4px}"
	".meta{color:#555;margin-bottom:12px}"
	"table.grid{border-collapse:collapse;background:#fff}"
	".grid th,.grid td{border:1px solid #ddd;padding:2px 6px;text-align:center;white-space:nowrap}"
	".grid th.probe,.grid td.probe{text-align:left;font-family:ui-monospace,monospace}"
	".grid thead th{position:sticky;top:0;background:#eee}"
	".grid td.cell{min-width:56px;font-size:12px}"
	".pass{color:#1a7f37;font-weight:bold}.fail{color:#b1002a;font-weight:bold}"
	".legend{margin:12px 0;display:flex;flex-wrap:wrap;gap:8px 18px}"
	".legend span.sw{display:inline-block;width:14px;height:14px;vertical-align:middle;"
	"margin-right:4px;border:1px solid #999}"
	".insn{color:#666;font-size:11px}";

static void put_head(FILE *out, const struct run_report *s, unsigned int n)
{
	char date[40] = "";
	time_t now = time(NULL);
	struct tm tm;

	if (gmtime_r(&now, &tm))
		strftime(date, sizeof(date), "%Y-%m-%d %H:%M UTC", &tm);
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<title>cpubench matrix: ", out);
	xml_put(out, s->host.model_name, 0);
	fprintf(out, " (%s)</title>\n<style>%s", backend_kind_name(s->backend), css);
	for (int c = 0; c < CELL_NR; c++)
		fprintf(out, ".c%d{background:%s;color:%s}", c, cell_colour[c],
			c == CELL_LEAK_EXPECTED || c == CELL_UNTESTABLE ||
			c == CELL_NONE ? "#222" : "#fff");
	fputs("</style></head>\n<body>\n<h1>cpubench: ", out);
	fprintf(out, "%u model%s \xc3\x97 probes on ", n, n == 1 ? "" : "s");
	xml_put(out, s->host.model_name, 0);
	fputs("</h1>\n<div class=\"meta\">backend <b>", out);
	fputs(backend_kind_name(s->backend), out);
	fputs("</b> \xc2\xb7 vendor ", out);
	xml_put(out, s->host.vendor, 0);
	fputs(" \xc2\xb7 kernel ", out);
	xml_put(out, s->host.kernel, 0);
	fputs(" \xc2\xb7 guest OS ", out);
	xml_put(out, s->guest_os ? s->guest_os : "-", 0);
	fprintf(out, " \xc2\xb7 cpubench %s \xc2\xb7 %s%s</div>\n", CPUBENCH_VERSION,
		date, s->strict ? " \xc2\xb7 strict: every leak fails" : "");
	if (s->guest_cpuid_checked && !s->guest_cpuid_matches) {
		fputs("<div class=\"meta\">Note: ", out);
		xml_put(out, s->guest_cpuid_note, 0);
		fputs("</div>\n", out);
	}
}

static void put_legend(FILE *out)
{
	fputs("<div class=\"legend\">", out);
	for (int c = 0; c < CELL_NONE; c++) {
		fprintf(out, "<span><span class=\"sw c%d\"></span>", c);
		xml_put(out, cell_class_legend(c), 0);
		fputs("</span>", out);
	}
	fputs("</div>\n", out);
}

static void put_cell(FILE *out, const struct run_report *s,
		     const struct probe_result *res)
{
	enum cell_class c = cell_class_of(res);
	char fault[256];
	const char *leak;

	if (!res) {
		fprintf(out, "<td class=\"cell c%d\"></td>", c);
		return;
	}
	leak = leak_name(report_leak_kind(res));
	fprintf(out, "<td class=\"cell c%d\" title=\"", c);
	xml_put(out, s->mask ? s->mask : "-", 1);
	fputs(" / ", out);
	xml_put(out, res->probe->name, 1);
	fprintf(out, ": %s%s%s%s&#10;%s, %s, ring %u", verdict_name(res->verdict),
		leak ? " (" : "", leak ? leak : "", leak ? ")" : "",
		res->advertised ? "advertised" : "hidden",
		outcome_name(res->outcome), (unsigned int)res->ring);
	result_fault_text(res, fault, sizeof(fault));
	if (fault[0]) {
		fputs("&#10;", out);
		xml_put(out, fault, 1);
	}
	fputs("&#10;", out);
	xml_put(out, res->reason ? res->reason : "", 1);
	fprintf(out, "\">%s</td>", cell_class_short(c));
}

static int put_grid(FILE *out, const struct run_report *s, unsigned int n)
{
	struct grid g;

	if (grid_build(&g, s, n))
		return -1;
	fputs("<table class=\"grid\">\n<thead><tr><th class=\"probe\">probe</th>"
	      "<th class=\"probe\">instruction</th>", out);
	for (unsigned int m = 0; m < n; m++) {
		fputs("<th>", out);
		xml_put(out, s[m].mask ? s[m].mask : "-", 0);
		fprintf(out, "<br><span class=\"%s\">%s</span></th>",
			s[m].passed ? "pass" : "fail", s[m].passed ? "PASS" : "FAIL");
	}
	fputs("</tr></thead>\n<tbody>\n", out);
	for (unsigned int row = 0; row < g.nrows; row++) {
		const struct probe_desc *p = g.rows[row];
		const char *insn = "";

		/* the instruction text the results carry (the same in every column) */
		for (unsigned int m = 0; m < n && !insn[0]; m++) {
			const struct probe_result *c = grid_cell(&g, &s[m], row);

			if (c && c->insn)
				insn = c->insn;
		}
		fputs("<tr><td class=\"probe\">", out);
		xml_put(out, p->name, 0);
		fputs("</td><td class=\"probe insn\">", out);
		xml_put(out, insn, 0);
		fputs("</td>", out);
		for (unsigned int m = 0; m < n; m++)
			put_cell(out, &s[m], grid_cell(&g, &s[m], row));
		fputs("</tr>\n", out);
	}
	fputs("</tbody></table>\n", out);
	grid_free(&g);
	return 0;
}

int report_write_html(FILE *out, const struct run_report *r, unsigned int n)
{
	struct run_report *s;
	int ret;

	s = run_reports_summarized(r, n);
	if (!s)
		return -1;
	put_head(out, s, n);
	put_legend(out);
	ret = put_grid(out, s, n);
	fputs("</body></html>\n", out);
	free(s);
	if (ret)
		return ret;
	return out_flush(out);
}
