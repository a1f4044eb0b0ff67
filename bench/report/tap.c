// SPDX-License-Identifier: GPL-2.0-only
/*
 * TAP version 13 (testanything.org/tap-version-13-specification.html):
 * one test point per result row of every report, in order; "not ok" for
 * a row that fails its model (missing, error, unexpected leak, any leak
 * under --strict), "# SKIP" for an untestable one. Each point carries a
 * YAML block with the verdict, outcome, instructions and reason, so
 * expected leaks stay visible while they pass.
 */
#include "report/report.h"

#include "lib/textesc.h"
#include "report/grid.h"

/*
 * A TAP description: '#' would start a directive, a newline end the line;
 * control bytes are escaped as in every text output (textesc.h).
 */
static void put_desc(FILE *out, const char *s)
{
	while (s && *s) {
		bool shown;
		size_t n = text_char(s, &shown);

		if (!shown) {
			fputc(*s == '\n' || *s == '\r' ? ' ' : '?', out);
		} else {
			if (*s == '#' || *s == '\\')
				fputc('\\', out);
			fwrite(s, 1, n, out);
		}
		s += n;
	}
}

static void put_yaml(FILE *out, const char *key, const char *value)
{
	fprintf(out, "  %s: ", key);
	yaml_put_quoted(out, value);
	fputc('\n', out);
}

static void put_point(FILE *out, unsigned int num, const struct run_report *s,
		      const struct probe_result *res)
{
	const struct probe_desc *p = res->probe;
	enum cell_class c = cell_class_of(res);
	const char *leak = leak_name(report_leak_kind(res));
	const char *insn = res->insn ? res->insn : "";
	char fault[256];

	fprintf(out, "%s %u - ", result_fails(res, s->strict) ? "not ok" : "ok", num);
	put_desc(out, s->mask ? s->mask : "-");
	fputs(": ", out);
	put_desc(out, p && p->name ? p->name : "?");
	fprintf(out, " %s%s%s%s", verdict_name(res->verdict), leak ? " (" : "",
		leak ? leak : "", leak ? ")" : "");
	if (c == CELL_UNTESTABLE) {
		fputs(" # SKIP untestable: ", out);
		put_desc(out, res->reason);
	}
	fputs("\n  ---\n", out);
	put_yaml(out, "verdict", verdict_name(res->verdict));
	if (leak)
		put_yaml(out, "leak", leak);
	put_yaml(out, "outcome", outcome_name(res->outcome));
	put_yaml(out, "feature", p && p->feature[0] ? p->feature : "");
	fprintf(out, "  advertised: %s\n  ring: %u\n",
		res->advertised ? "true" : "false", (unsigned int)res->ring);
	if (*insn)
		put_yaml(out, "instruction", insn);
	result_fault_text(res, fault, sizeof(fault));
	if (fault[0])
		put_yaml(out, "fault", fault);
	put_yaml(out, "reason", res->reason ? res->reason : "");
	if (res->detail[0]) {
		char detail[sizeof(res->detail) + 1];

		snprintf(detail, sizeof(detail), "%.*s", (int)sizeof(res->detail),
			 res->detail);
		put_yaml(out, "detail", detail);
	}
	fputs("  ...\n", out);
}

int report_write_tap(FILE *out, const struct run_report *r, unsigned int n)
{
	unsigned int total = 0, num = 0;

	for (unsigned int m = 0; m < n; m++)
		total += r[m].nresults;
	fputs("TAP version 13\n", out);
	fprintf(out, "1..%u\n", total);
	for (unsigned int m = 0; m < n; m++) {
		struct run_report s = r[m];

		run_report_summarize(&s);
		fputs("# cpubench ", out);
		put_desc(out, s.mask ? s.mask : "-");
		fprintf(out, " on %s, guest OS %s\n", backend_kind_name(s.backend),
			s.guest_os ? s.guest_os : "-");
		fputs("# host ", out);
		put_desc(out, s.host.vendor);
		fputs(", ", out);
		put_desc(out, s.host.model_name);
		fputs(", kernel ", out);
		put_desc(out, s.host.kernel);
		fputc('\n', out);
		for (unsigned int i = 0; i < s.nresults; i++)
			put_point(out, ++num, &s, &s.results[i]);
		fputs("# ", out);
		put_desc(out, s.mask ? s.mask : "-");
		fprintf(out, ": %s\n", s.passed ? "PASS" : "FAIL");
	}
	return out_flush(out);
}

int report_write_tap_error(FILE *out, const char *command, const char *message)
{
	fputs("TAP version 13\nBail out! ", out);
	put_desc(out, command);
	fputs(": ", out);
	put_desc(out, message);
	fputc('\n', out);
	return out_flush(out);
}
