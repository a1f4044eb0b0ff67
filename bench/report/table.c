// SPDX-License-Identifier: GPL-2.0-only
/*
 * The human report: a header naming what ran where, one aligned row per
 * result, and a one-line summary ending in PASS or FAIL.
 *
 * Column widths come from the content; the reason is the last column and
 * is never truncated or padded, so no line carries trailing blanks.
 */
#include "cpu/feature.h"
#include "report/report.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>

#include "lib/term.h"
#include "lib/textesc.h"
#include "report/style.h"

#define COL_GAP 2

enum col {
	COL_PROBE,
	COL_FEATURE,
	COL_INSTRUCTION,
	COL_RING,
	COL_ADVERTISED,
	COL_OUTCOME,
	COL_VERDICT,
	COL_REASON,
	COL_NR,
};

static const char *const col_titles[COL_NR] = {
	"PROBE", "FEATURE", "INSTRUCTION", "RING", "ADVERTISED", "OUTCOME", "VERDICT", "REASON",
};

/* SGR sequences; NULL or "" means no colour. */
#define C_BOLD	"1"
#define C_GREEN	"32"
#define C_YELLOW "33"
#define C_RED	"1;31"
#define C_DIM	"2"

/* The text cells of one row; the reason is printed straight from the result. */
struct row {
	char ring[8];
	char outcome[192];
	char verdict[32];
};

struct writer {
	FILE *out;
	bool colour;
	bool all;		/* --all: every row */
	unsigned int width;	/* the terminal's columns; 0: unlimited */
	unsigned int col;	/* the column the row's cells have reached */
	int pending;		/* blanks owed before the next non-empty cell */
};

/* Text under its row (a long outcome, a long reason) starts here. */
#define UNDER_INDENT 6
/* Header lines continue under their value: "mask      " is 10 wide. */
#define HEADER_INDENT 10

static void put_counts(struct writer *w, const struct run_report *s);

static const char *str_or(const char *s, const char *fallback)
{
	return s && *s ? s : fallback;
}

static const char *probe_name(const struct probe_result *res)
{
	return res->probe ? str_or(res->probe->name, "?") : "?";
}

static const char *probe_feature(const struct probe_result *res)
{
	return res->probe ? str_or(res->probe->feature, "-") : "-";
}

static int detail_len(const struct probe_result *res)
{
	return (int)strnlen(res->detail, sizeof(res->detail));
}

/* Vectors that push an error code (SDM vol. 3A, table 6-1; AMD #VC, #SX). */
static bool has_error_code(int vector)
{
	switch (vector) {
	case 8: case 10: case 11: case 12: case 13: case 14:
	case 17: case 21: case 29: case 30:
		return true;
	}
	return false;
}

static void format_fault(char *buf, size_t len, const struct probe_result *res)
{
	const char *name = exception_name(res->vector);
	char code[24] = "";

	if (has_error_code(res->vector) && res->error_code)
		snprintf(code, sizeof(code), " (error 0x%" PRIx32 ")",
			 res->error_code);
	if (name)
		snprintf(buf, len, "fault %s%s", name, code);
	else if (res->vector >= 0)
		snprintf(buf, len, "fault vector %d%s", res->vector, code);
	else
		snprintf(buf, len, "fault");
}

/* "executed", "fault #UD", "altered (value 0x0, expected 0x3f)", "error: ..." */
static void format_outcome(char *buf, size_t len, const struct probe_result *res)
{
	uint64_t expected = res->probe ? res->probe->expected : 0;

	switch (res->outcome) {
	case OUTCOME_FAULT:
		format_fault(buf, len, res);
		break;
	case OUTCOME_ALTERED:
		snprintf(buf, len, "altered (value 0x%" PRIx64 ", expected 0x%"
			 PRIx64 ")", res->value, expected);
		break;
	case OUTCOME_ERROR:
		if (detail_len(res))
			snprintf(buf, len, "error: %.*s", detail_len(res),
				 res->detail);
		else
			snprintf(buf, len, "error");
		break;
	default:
		snprintf(buf, len, "%s", outcome_name(res->outcome));
		break;
	}
}

static void format_verdict(char *buf, size_t len, const struct probe_result *res)
{
	const char *kind = leak_name(report_leak_kind(res));

	if (kind)
		snprintf(buf, len, "%s (%s)", verdict_name(res->verdict), kind);
	else
		snprintf(buf, len, "%s", verdict_name(res->verdict));
}

static const char *verdict_colour(const struct probe_result *res)
{
	switch (res->verdict) {
	case VERDICT_OK:
	case VERDICT_HIDDEN:
		return C_GREEN;
	case VERDICT_LEAK:
		return report_leak_kind(res) == LEAK_EXPECTED ? C_YELLOW : C_RED;
	case VERDICT_UNTESTABLE:
		return C_DIM;
	default:
		return C_RED;
	}
}

static void fill_row(struct row *row, const struct probe_result *res)
{
	char outcome[sizeof(row->outcome)];

	snprintf(row->ring, sizeof(row->ring), "%u", (unsigned int)res->ring);
	/* an error's detail may quote QEMU or the guest: escaped */
	format_outcome(outcome, sizeof(outcome), res);
	text_safe(row->outcome, sizeof(row->outcome), outcome);
	format_verdict(row->verdict, sizeof(row->verdict), res);
}

/* The text of column @c (except the reason) for @res, or the title. */
static const char *cell_text(enum col c, const struct probe_result *res,
			     const struct row *row)
{
	if (!res)
		return col_titles[c];
	switch (c) {
	case COL_PROBE:
		return probe_name(res);
	case COL_FEATURE:
		return probe_feature(res);
	case COL_INSTRUCTION:
		return str_or(res->insn, "-");
	case COL_RING:
		return row->ring;
	case COL_ADVERTISED:
		return res->advertised ? "yes" : "no";
	case COL_OUTCOME:
		return row->outcome;
	case COL_VERDICT:
		return row->verdict;
	default:
		return "";
	}
}

/* Prints @text in colour @sgr, then owes the blanks up to column @width. */
static void put_cell(struct writer *w, const char *text, int width,
		     const char *sgr)
{
	int len = (int)term_text_columns(text);

	if (len) {
		fprintf(w->out, "%*s", w->pending, "");
		w->col += (unsigned int)(w->pending + len);
		w->pending = 0;
		if (w->colour && sgr)
			fprintf(w->out, "\033[%sm%s\033[0m", sgr, text);
		else
			fputs(text, w->out);
	}
	w->pending += (width > len ? width - len : 0) + COL_GAP;
}

static bool row_shown(const struct writer *w, const struct probe_result *res,
		      bool strict)
{
	return w->all || report_fail_rank(res, strict) >= 0;
}

/*
 * Narrows the widest column of @group (down to its minimum) by one
 * column; whether one could give way.
 */
static bool give_way(int width[COL_NR], const enum col *group, size_t n,
		     const int min[COL_REASON])
{
	int pick = -1;

	for (size_t k = 0; k < n; k++)
		if (width[group[k]] > min[group[k]] &&
		    (pick < 0 || width[group[k]] > width[pick]))
			pick = group[k];
	if (pick < 0)
		return false;
	width[pick]--;
	return true;
}

/*
 * Widths from the cells of the rows shown, each at most its cap; when the
 * line is still wider than the terminal, the columns of details give way
 * first, the widest first, then the names, down to their minimum (their
 * cells are then cut with "…").
 */
static void compute_widths(const struct writer *w, const struct run_report *r,
			   int width[COL_NR])
{
	static const int cap[COL_REASON] = { 20, 20, 24, 4, 10, 20, 17 };
	static const int min[COL_REASON] = { 8, 8, 10, 4, 4, 10, 8 };
	static const enum col details[] = {
		COL_INSTRUCTION, COL_OUTCOME, COL_FEATURE, COL_ADVERTISED,
	};
	static const enum col names[] = { COL_PROBE, COL_VERDICT };
	struct row row;
	int total = 0;

	for (int c = 0; c < COL_REASON; c++)
		width[c] = (int)strlen(col_titles[c]);
	for (unsigned int i = 0; i < r->nresults; i++) {
		if (!row_shown(w, &r->results[i], r->strict))
			continue;
		fill_row(&row, &r->results[i]);
		for (int c = 0; c < COL_REASON; c++) {
			int len = (int)term_text_columns(cell_text(c, &r->results[i], &row));

			if (len > width[c])
				width[c] = len;
		}
	}
	if (!w->width)
		return;
	for (int c = 0; c < COL_REASON; c++) {
		if (width[c] > cap[c])
			width[c] = cap[c];
		total += width[c] + COL_GAP;
	}
	/* the reason's title ends the line: it needs its own columns */
	total += (int)strlen(col_titles[COL_REASON]);
	while (total > (int)w->width &&
	       (give_way(width, details, sizeof(details) / sizeof(details[0]), min) ||
		give_way(width, names, sizeof(names) / sizeof(names[0]), min)))
		total--;
}

/* The reason of @res, where it faulted and its detail: escaped, in @buf. */
static const char *reason_text(char *buf, size_t size, const struct probe_result *res)
{
	const char *reason = str_or(res->reason, NULL);
	char raw[sizeof(res->detail) + sizeof(res->fault_insn) +
		 sizeof(res->fault_where) + 512];
	int dlen = detail_len(res);
	size_t n = 0;

	/* an error's detail already stands in its outcome cell */
	if (res->outcome == OUTCOME_ERROR)
		dlen = 0;
	raw[0] = '\0';
	if (reason)
		n += (size_t)snprintf(raw, sizeof(raw), "%s", reason);
	if (dlen && n < sizeof(raw))
		n += (size_t)snprintf(raw + n, sizeof(raw) - n, "%s%.*s",
				      n ? "; " : "", dlen, res->detail);
	/* where it faulted: RIP, symbol and the instruction there */
	if (res->fault_insn[0] && res->rip && n < sizeof(raw))
		snprintf(raw + n, sizeof(raw) - n, "%sat 0x%" PRIx64 " %s: %s",
			 n ? "; " : "", res->rip, res->fault_where, res->fault_insn);
	return text_safe(buf, size, raw);
}

/* Text under a row, indented and wrapped to the terminal. */
static void put_under(struct writer *w, const char *text)
{
	fprintf(w->out, "\n%*s", UNDER_INDENT, "");
	term_wrap(w->out, text, UNDER_INDENT, UNDER_INDENT, w->width);
}

/*
 * The reason after the cells when the whole of it fits the line, else
 * under the row, as an outcome cut short in its cell is.
 */
static void put_tail(struct writer *w, const struct row *row,
		     const struct probe_result *res, bool outcome_cut)
{
	char reason[1024];
	unsigned int at = w->col + (unsigned int)w->pending;

	reason_text(reason, sizeof(reason), res);
	if (!outcome_cut && *reason &&
	    (!w->width || at + term_text_columns(reason) <= w->width)) {
		fprintf(w->out, "%*s%s", w->pending, "", reason);
		return;
	}
	if (outcome_cut)
		put_under(w, row->outcome);
	if (*reason)
		put_under(w, reason);
}

/* One table line: the titles when @res is NULL. */
static void put_row(struct writer *w, const int width[COL_NR],
		    const struct probe_result *res)
{
	struct row row;
	bool outcome_cut = false;

	if (res)
		fill_row(&row, res);
	w->pending = 0;
	w->col = 0;
	for (int c = 0; c < COL_REASON; c++) {
		const char *sgr = !res ? C_BOLD :
				  c == COL_VERDICT ? verdict_colour(res) : NULL;
		const char *text = cell_text(c, res, &row);
		char cut[256];

		if (w->width && (int)term_text_columns(text) > width[c]) {
			outcome_cut |= res && c == COL_OUTCOME;
			text = term_fit(cut, sizeof(cut), text, (unsigned int)width[c]);
		}
		put_cell(w, text, width[c], sgr);
	}
	if (res)
		put_tail(w, &row, res, outcome_cut);
	else
		put_cell(w, col_titles[COL_REASON], 0, C_BOLD);
	fputc('\n', w->out);
}

/*
 * The rows of @s: every one with --all, else those that fail the model,
 * missing first, then errors, then unexpected leaks; the others counted
 * on one line, per verdict.
 */
static void put_rows(struct writer *w, const struct run_report *s)
{
	struct run_report rest = { .nresults = 0 };
	int width[COL_NR];
	bool any = false;

	for (unsigned int i = 0; i < s->nresults; i++)
		any |= row_shown(w, &s->results[i], s->strict);
	if (any) {
		compute_widths(w, s, width);
		put_row(w, width, NULL);
	}
	for (int rank = w->all ? -1 : 0; rank < (w->all ? 0 : REPORT_FAIL_RANKS); rank++)
		for (unsigned int i = 0; i < s->nresults; i++)
			if (w->all || report_fail_rank(&s->results[i], s->strict) == rank)
				put_row(w, width, &s->results[i]);
	for (unsigned int i = 0; !w->all && i < s->nresults; i++) {
		const struct probe_result *res = &s->results[i];

		if (row_shown(w, res, s->strict))
			continue;
		rest.summary[res->verdict]++;
		rest.leaks[report_leak_kind(res)]++;
		rest.nresults++;
	}
	if (rest.nresults) {
		w->pending = 0;
		fputs(any ? "and " : "", w->out);
		put_counts(w, &rest);
		fputs(" (--all lists every row)\n", w->out);
	}
	fputc('\n', w->out);
}

/*
 * Header values come from outside (the host's /proc/cpuinfo, the bytes
 * the guest wrote, QEMU's words): printed through text_put() only.
 */
static void put_header(FILE *out, const struct run_report *r)
{
	const struct host_info *h = &r->host;

	fputs("mask      ", out);
	text_put(out, str_or(r->mask, "-"));
	fprintf(out, "\nbackend   %s\nhost      ", backend_kind_name(r->backend));
	text_put(out, str_or(h->vendor, "unknown"));
	fputs(", ", out);
	text_put(out, str_or(h->model_name, "unknown"));
	fputs("\nkernel    ", out);
	text_put(out, str_or(h->kernel, "unknown"));
	fprintf(out, "\nruns on   %s", l0_name(h->l0.kind));
	if (h->l0.signature[0]) {
		fputs(" (CPUID signature \"", out);
		text_put(out, h->l0.signature);
		fputs("\")", out);
	}
	fputs("\nguest OS  ", out);
	text_put(out, str_or(r->guest_os, "-"));
	fputc('\n', out);
	if (r->guest_cpuid_checked) {
		fputs("CPUID     ", out);
		text_put(out, r->guest_cpuid_matches ?
			 "the guest reads the model's CPUID" : r->guest_cpuid_note);
		fputc('\n', out);
	}
	if (r->guest_identity.read) {
		fputs("guest id  ", out);
		text_put(out, r->guest_identity.vendor);
		fprintf(out, " family %u model %u stepping %u \"", r->guest_identity.family,
			r->guest_identity.model, r->guest_identity.stepping);
		text_put(out, r->guest_identity.model_id);
		fprintf(out, "\"%s\n", r->guest_identity.matches ? "" :
			": not the model's identity (the guest reads the host's CPUID)");
	}
	for (unsigned int i = 0; i < r->ngaps; i++) {
		fprintf(out, "%s %s untestable here: ", i ? "         " : "cannot   ",
			features[r->gaps[i].feature].name);
		text_put(out, r->gaps[i].why);
		fputc('\n', out);
	}
	if (r->strict)
		fputs("strict    yes: every leak fails\n", out);
	fputc('\n', out);
}

/* "40 ok, 2 hidden, 3 leak (2 expected, 1 unexpected), 1 untestable" */
static void put_counts(struct writer *w, const struct run_report *s)
{
	const char *sep = "";

	for (int v = 0; v < VERDICT_NR; v++) {
		if (!s->summary[v])
			continue;
		fprintf(w->out, "%s%u %s", sep, s->summary[v], verdict_name(v));
		sep = ", ";
		if (v != VERDICT_LEAK)
			continue;
		if (s->leaks[LEAK_EXPECTED] && s->leaks[LEAK_UNEXPECTED])
			fprintf(w->out, " (%u expected, %u unexpected)",
				s->leaks[LEAK_EXPECTED],
				s->leaks[LEAK_UNEXPECTED]);
		else if (s->leaks[LEAK_EXPECTED])
			fprintf(w->out, " (%u expected)", s->leaks[LEAK_EXPECTED]);
		else
			fprintf(w->out, " (%u unexpected)",
				s->leaks[LEAK_UNEXPECTED]);
	}
	if (!*sep)
		fputs("no results", w->out);
}

static void put_failure(struct writer *w, const char **sep, unsigned int n,
			const char *one, const char *many)
{
	if (!n)
		return;
	fprintf(w->out, "%s%u %s", *sep, n, n == 1 ? one : many);
	*sep = ", ";
}

/* "(1 missing, 2 unexpected leaks)": what made the run fail. */
static void put_failures(struct writer *w, const struct run_report *s)
{
	const char *sep = " (";

	put_failure(w, &sep, s->summary[VERDICT_MISSING], "missing", "missing");
	put_failure(w, &sep, s->summary[VERDICT_ERROR], "error", "errors");
	put_failure(w, &sep, s->leaks[LEAK_UNEXPECTED], "unexpected leak",
		    "unexpected leaks");
	if (s->strict)
		put_failure(w, &sep, s->leaks[LEAK_EXPECTED],
			    "expected leak under --strict",
			    "expected leaks under --strict");
	if (*sep == ',')
		fputc(')', w->out);
}

static void put_summary(struct writer *w, const struct run_report *s)
{
	text_put(w->out, str_or(s->mask, "-"));
	fprintf(w->out, " on %s: ", backend_kind_name(s->backend));
	put_counts(w, s);
	fputs(" \xe2\x80\x94 ", w->out);	/* U+2014 em dash */
	if (s->passed) {
		unsigned int hidden = s->summary[VERDICT_HIDDEN] + s->summary[VERDICT_LEAK];

		fputs("PASS", w->out);
		if (s->strict)
			fputs(" (strict)", w->out);
		/* how strong: a PASS where nothing can be enforced proves little */
		if (hidden)
			fprintf(w->out, " \xe2\x80\x94 %u of %u hidden features enforced%s",
				s->summary[VERDICT_HIDDEN], hidden,
				s->leaks[LEAK_EXPECTED] ? ";" : "");
		if (s->leaks[LEAK_EXPECTED])
			fprintf(w->out, " %u cannot be on %s", s->leaks[LEAK_EXPECTED],
				backend_kind_name(s->backend));
	} else {
		fputs("FAIL", w->out);
		put_failures(w, s);
	}
}

/*
 * The last line of a FAIL: the failing features by name, and what holds
 * here instead (the caller's suggestion: a catalog model, or the model
 * with "-feature"s): "FAIL: missing hle rtm â holds here: Broadwell-noTSX
 * or Broadwell-v1,-hle,-rtm".
 */
static void put_next_step(FILE *out, const struct run_report *s)
{
	const char **names = calloc(s->nresults + 1, sizeof(*names));
	int *ranks = calloc(s->nresults + 1, sizeof(*ranks));
	unsigned int n = names && ranks ? report_failing(s, names, ranks) : 0;

	fputs("FAIL:", out);
	for (unsigned int i = 0; i < n; i++) {
		if (!i || ranks[i] != ranks[i - 1])
			fprintf(out, "%s %s", i ? ";" : "", report_fail_rank_name(ranks[i]));
		fprintf(out, " %s", names[i]);
	}
	free(names);
	free(ranks);
	if (s->suggestion && *s->suggestion) {
		fputs(" \xe2\x80\x94 holds here: ", out);
		text_put(out, s->suggestion);
	}
	fputc('\n', out);
}

/*
 * The lines @fill writes for @s, wrapped to the terminal (continued lines
 * indented by @indent), with the first @word after "MASK on BACKEND: "
 * coloured @sgr.
 */
static int put_wrapped(struct writer *w, void (*fill)(FILE *, const struct run_report *),
		       const struct run_report *s, unsigned int indent,
		       const char *word, const char *sgr)
{
	char *plain = NULL, *text = NULL, *at;
	size_t plen = 0, tlen = 0;
	FILE *f = open_memstream(&plain, &plen);
	FILE *g;

	if (!f)
		return err_set("out of memory");
	fill(f, s);
	if (fclose(f) || !(g = open_memstream(&text, &tlen))) {
		free(plain);
		return err_set("out of memory");
	}
	term_wrap_lines(g, plain, indent, w->width);
	free(plain);
	if (fclose(g))
		return free(text), err_set("out of memory");
	/* the word after the "MASK on BACKEND: " (specs have no blanks) */
	at = word && w->colour ? strstr(text, ": ") : NULL;
	at = at ? strstr(at, word) : NULL;
	if (at) {
		fprintf(w->out, "%.*s\033[%sm%s\033[0m%s", (int)(at - text), text,
			sgr, word, at + strlen(word));
	} else {
		fputs(text, w->out);
	}
	free(text);
	return 0;
}

static void fill_summary(FILE *f, const struct run_report *s)
{
	struct writer plain = { .out = f };

	put_summary(&plain, s);
	fputc('\n', f);
}

int report_write_table(FILE *out, const struct run_report *r)
{
	struct run_report s = *r;
	struct writer w = {
		.out = out, .colour = report_colour(out),
		.all = report_style_get()->all, .width = report_width(out),
	};

	run_report_summarize(&s);
	if (put_wrapped(&w, put_header, &s, HEADER_INDENT, NULL, NULL))
		return -1;
	if (s.nresults)
		put_rows(&w, &s);
	if (put_wrapped(&w, fill_summary, &s, 2, s.passed ? "PASS" : "FAIL",
			s.passed ? "1;32" : C_RED))
		return -1;
	if (!s.passed && put_wrapped(&w, put_next_step, &s, 2, NULL, NULL))
		return -1;

	return out_flush(out);
}
