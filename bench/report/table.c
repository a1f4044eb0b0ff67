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

#include "lib/textesc.h"

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
	int pending;		/* blanks owed before the next non-empty cell */
};

/* NO_COLOR (https://no-color.org): present and non-empty disables colour. */
static bool want_colour(FILE *out)
{
	const char *no = getenv("NO_COLOR");

	if (no && *no)
		return false;
	return out_isatty(out);
}

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
	int len = (int)strlen(text);

	if (len) {
		fprintf(w->out, "%*s", w->pending, "");
		w->pending = 0;
		if (w->colour && sgr)
			fprintf(w->out, "\033[%sm%s\033[0m", sgr, text);
		else
			fputs(text, w->out);
	}
	w->pending += (width > len ? width - len : 0) + COL_GAP;
}

static void compute_widths(const struct run_report *r, int width[COL_NR])
{
	struct row row;

	for (int c = 0; c < COL_REASON; c++)
		width[c] = (int)strlen(col_titles[c]);
	for (unsigned int i = 0; i < r->nresults; i++) {
		fill_row(&row, &r->results[i]);
		for (int c = 0; c < COL_REASON; c++) {
			int len = (int)strlen(cell_text(c, &r->results[i], &row));

			if (len > width[c])
				width[c] = len;
		}
	}
}

static void put_reason(struct writer *w, const struct probe_result *res)
{
	const char *reason = str_or(res->reason, NULL);
	int dlen = detail_len(res);

	/* an error's detail already stands in its outcome cell */
	if (res->outcome == OUTCOME_ERROR)
		dlen = 0;
	bool fault = res->fault_insn[0] != '\0';

	if (!reason && !dlen && !fault)
		return;
	fprintf(w->out, "%*s", w->pending, "");
	if (reason)
		text_put(w->out, reason);
	if (dlen) {
		char detail[sizeof(res->detail) + 1];

		snprintf(detail, sizeof(detail), "%.*s", dlen, res->detail);
		fputs(reason ? "; " : "", w->out);
		text_put(w->out, detail);
	}
	/* where it faulted: RIP, symbol and the instruction there */
	if (fault && res->rip)
		fprintf(w->out, "%sat 0x%" PRIx64 " %s: %s",
			reason || dlen ? "; " : "", res->rip, res->fault_where, res->fault_insn);
}

/* One table line: the titles when @res is NULL. */
static void put_row(struct writer *w, const int width[COL_NR],
		    const struct probe_result *res)
{
	struct row row;

	if (res)
		fill_row(&row, res);
	w->pending = 0;
	for (int c = 0; c < COL_REASON; c++) {
		const char *sgr = !res ? C_BOLD :
				  c == COL_VERDICT ? verdict_colour(res) : NULL;

		put_cell(w, cell_text(c, res, &row), width[c], sgr);
	}
	if (res)
		put_reason(w, res);
	else
		put_cell(w, col_titles[COL_REASON], 0, C_BOLD);
	fputc('\n', w->out);
}

/*
 * Header values come from outside (the host's /proc/cpuinfo, the bytes
 * the guest wrote, QEMU's words): printed through text_put() only.
 */
static void put_header(struct writer *w, const struct run_report *r)
{
	const struct host_info *h = &r->host;
	FILE *out = w->out;

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
		fputs("strict    yes: every leak fails\n", w->out);
	fputc('\n', w->out);
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

		put_cell(w, "PASS", 0, "1;32");
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
		put_cell(w, "FAIL", 0, C_RED);
		put_failures(w, s);
	}
	fputc('\n', w->out);
}

int report_write_table(FILE *out, const struct run_report *r)
{
	struct run_report s = *r;
	struct writer w = { .out = out, .colour = want_colour(out) };
	int width[COL_NR];

	run_report_summarize(&s);
	put_header(&w, &s);
	if (s.nresults) {
		compute_widths(&s, width);
		put_row(&w, width, NULL);
		for (unsigned int i = 0; i < s.nresults; i++)
			put_row(&w, width, &s.results[i]);
		fputc('\n', out);
	}
	w.pending = 0;
	put_summary(&w, &s);

	return out_flush(out);
}
