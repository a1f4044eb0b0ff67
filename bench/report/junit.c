// SPDX-License-Identifier: GPL-2.0-only
/*
 * JUnit XML, as Jenkins (junit plugin) and GitLab (artifacts:reports:junit)
 * read it; tests/junit.xsd is the schema the tests validate against.
 *
 *   <testsuites>            one per document
 *     <testsuite>           one per model (verify: one; matrix: every mask)
 *       <properties>        mask, backend, host, guest OS, CPUID check
 *       <testcase>          one per result row (probe, or raw-mode enable)
 *         <failure>         verdict missing, an unexpected leak, and any
 *                           leak under --strict
 *         <error>           verdict error
 *         <skipped>         verdict untestable
 *         <system-out>      every row: verdict, outcome, instruction, the
 *                           faulting instruction, reason; an expected leak
 *                           passes and is visible here
 *
 * <testsuite> carries time (seconds the model's run took) and timestamp
 * (when it began, UTC, ISO 8601 without a zone as Ant's schema wants it);
 * <testsuites> the total time.
 *
 * When the command fails before any report exists (exit 2 or 3), the
 * document still parses: one <testsuite> with one <testcase> holding an
 * <error> with the message (report_write_junit_error()).
 */
#include "report/report.h"

#include <time.h>
#include <unistd.h>

#include "lib/textesc.h"
#include "report/grid.h"

#ifndef CPUBENCH_VERSION
#define CPUBENCH_VERSION "0.1.0"
#endif

static void put_attr(FILE *out, const char *name, const char *value)
{
	fprintf(out, " %s=\"", name);
	xml_put(out, value, 1);
	fputc('"', out);
}

static void put_property(FILE *out, const char *name, const char *value)
{
	fputs("      <property", out);
	put_attr(out, "name", name);
	put_attr(out, "value", value);
	fputs("/>\n", out);
}

static const char *or_unknown(const char *s)
{
	return s && *s ? s : "unknown";
}

static void put_properties(FILE *out, const struct run_report *s)
{
	fputs("    <properties>\n", out);
	put_property(out, "cpubench_version", CPUBENCH_VERSION);
	put_property(out, "mask", or_unknown(s->mask));
	put_property(out, "backend", backend_kind_name(s->backend));
	put_property(out, "host.vendor", or_unknown(s->host.vendor));
	put_property(out, "host.model_name", or_unknown(s->host.model_name));
	put_property(out, "host.kernel", or_unknown(s->host.kernel));
	put_property(out, "guest_os", or_unknown(s->guest_os));
	if (s->guest_cpuid_checked)
		put_property(out, "guest_cpuid", s->guest_cpuid_matches ?
			     "the guest reads the model's CPUID" :
			     s->guest_cpuid_note);
	put_property(out, "strict", s->strict ? "true" : "false");
	put_property(out, "passed", s->passed ? "true" : "false");
	fputs("    </properties>\n", out);
}

/* "leak (expected)", "missing", ... */
static void verdict_text(char *buf, size_t len, const struct probe_result *res)
{
	const char *kind = leak_name(report_leak_kind(res));

	snprintf(buf, len, "%s%s%s%s", verdict_name(res->verdict),
		 kind ? " (" : "", kind ? kind : "", kind ? ")" : "");
}

static void put_system_out(FILE *out, const struct probe_result *res)
{
	const struct probe_desc *p = res->probe;
	char verdict[48], fault[256];
	const char *insn = res->insn ? res->insn : "";

	verdict_text(verdict, sizeof(verdict), res);
	result_fault_text(res, fault, sizeof(fault));
	fputs("      <system-out>", out);
	fprintf(out, "verdict: %s\noutcome: %s\n", verdict, outcome_name(res->outcome));
	fputs("feature: ", out);
	xml_put(out, p && p->feature[0] ? p->feature : "-", 0);
	fprintf(out, " (%s)\nring: %u\n", res->advertised ? "advertised" : "hidden",
		(unsigned int)res->ring);
	if (*insn) {
		fputs("instruction: ", out);
		xml_put(out, insn, 0);
		fputc('\n', out);
	}
	if (fault[0]) {
		fputs("fault: ", out);
		xml_put(out, fault, 0);
		fputc('\n', out);
	}
	if (res->outcome == OUTCOME_EXECUTED || res->outcome == OUTCOME_ALTERED)
		fprintf(out, "value: 0x%llx (expected 0x%llx)\n",
			(unsigned long long)res->value,
			(unsigned long long)(p ? p->expected : 0));
	fputs("reason: ", out);
	xml_put(out, res->reason ? res->reason : "", 0);
	if (res->detail[0]) {
		char detail[sizeof(res->detail) + 1];

		snprintf(detail, sizeof(detail), "%.*s", (int)sizeof(res->detail),
			 res->detail);
		fputs("\ndetail: ", out);
		xml_put(out, detail, 0);
	}
	fputs("</system-out>\n", out);
}

/* <failure>, <error> or <skipped> for @res, or nothing when it passes. */
static void put_status(FILE *out, const struct probe_result *res, bool strict)
{
	enum cell_class c = cell_class_of(res);
	char verdict[48], msg[400];
	const char *elem = NULL, *type = NULL;

	verdict_text(verdict, sizeof(verdict), res);
	snprintf(msg, sizeof(msg), "%s: %s", verdict, res->reason ? res->reason : "");
	if (c == CELL_ERROR) {
		elem = "error";
		type = "error";
	} else if (c == CELL_UNTESTABLE) {
		fputs("      <skipped", out);
		put_attr(out, "message", msg);
		fputs("/>\n", out);
		return;
	} else if (result_fails(res, strict)) {
		elem = "failure";
		type = c == CELL_LEAK_EXPECTED ? "leak-strict" :
		       c == CELL_LEAK_UNEXPECTED ? "leak-unexpected" : "missing";
	}
	if (!elem)
		return;
	fprintf(out, "      <%s", elem);
	put_attr(out, "message", msg);
	put_attr(out, "type", type);
	fputs(">", out);
	xml_put(out, msg, 0);
	fprintf(out, "</%s>\n", elem);
}

static void put_testcase(FILE *out, const struct run_report *s,
			 const struct probe_result *res, const char *classname)
{
	const struct probe_desc *p = res->probe;

	fputs("    <testcase", out);
	put_attr(out, "name", p && p->name ? p->name : "?");
	put_attr(out, "classname", classname);
	fputs(">\n", out);
	put_status(out, res, s->strict);
	put_system_out(out, res);
	fputs("    </testcase>\n", out);
}

/* time="S.mmm" and, when @started is known, timestamp="YYYY-MM-DDTHH:MM:SS". */
static void put_time(FILE *out, unsigned long long ms, long long started)
{
	time_t t = (time_t)started;
	struct tm tm;
	char stamp[32];

	fprintf(out, " time=\"%llu.%03llu\"", ms / 1000, ms % 1000);
	if (started > 0 && gmtime_r(&t, &tm) &&
	    strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm))
		fprintf(out, " timestamp=\"%s\"", stamp);
}

static void put_suite(FILE *out, const struct run_report *r,
		      const char *hostname)
{
	struct run_report s = *r;
	unsigned int failures = 0, errors = 0, skipped = 0;
	char name[320], classname[300];

	run_report_summarize(&s);
	for (unsigned int i = 0; i < s.nresults; i++) {
		enum cell_class c = cell_class_of(&s.results[i]);

		if (c == CELL_ERROR)
			errors++;
		else if (c == CELL_UNTESTABLE)
			skipped++;
		else if (result_fails(&s.results[i], s.strict))
			failures++;
	}
	snprintf(name, sizeof(name), "cpubench %s on %s", or_unknown(s.mask),
		 backend_kind_name(s.backend));
	snprintf(classname, sizeof(classname), "cpubench.%s", or_unknown(s.mask));
	fputs("  <testsuite", out);
	put_attr(out, "name", name);
	fprintf(out, " tests=\"%u\" failures=\"%u\" errors=\"%u\" skipped=\"%u\"",
		s.nresults, failures, errors, skipped);
	put_time(out, s.duration_ms, s.started);
	if (hostname[0])
		put_attr(out, "hostname", hostname);
	fputs(">\n", out);
	put_properties(out, &s);
	for (unsigned int i = 0; i < s.nresults; i++)
		put_testcase(out, &s, &s.results[i], classname);
	fputs("  </testsuite>\n", out);
}

int report_write_junit(FILE *out, const struct run_report *r, unsigned int n)
{
	unsigned int tests = 0, failures = 0, errors = 0, skipped = 0;
	unsigned long long ms = 0;
	char hostname[256] = "";

	if (gethostname(hostname, sizeof(hostname) - 1))
		hostname[0] = '\0';
	for (unsigned int m = 0; m < n; m++) {
		ms += r[m].duration_ms;
		for (unsigned int i = 0; i < r[m].nresults; i++) {
			enum cell_class c = cell_class_of(&r[m].results[i]);

			tests++;
			errors += c == CELL_ERROR;
			skipped += c == CELL_UNTESTABLE;
			failures += c != CELL_ERROR &&
				    result_fails(&r[m].results[i], r[m].strict);
		}
	}
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
	fprintf(out, "<testsuites name=\"cpubench\" tests=\"%u\" failures=\"%u\" "
		"errors=\"%u\" skipped=\"%u\"", tests, failures, errors, skipped);
	put_time(out, ms, 0);
	fputs(">\n", out);
	for (unsigned int m = 0; m < n; m++)
		put_suite(out, &r[m], hostname);
	fputs("</testsuites>\n", out);
	return out_flush(out);
}

int report_write_junit_error(FILE *out, const char *command, const char *message,
			     int status)
{
	const char *type = status == EXIT_ENV ? "environment" : "usage";

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	      "<testsuites name=\"cpubench\" tests=\"1\" failures=\"0\" errors=\"1\" "
	      "skipped=\"0\" time=\"0.000\">\n  <testsuite", out);
	put_attr(out, "name", command);
	fputs(" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\"", out);
	put_time(out, 0, (long long)time(NULL));
	fputs(">\n    <testcase", out);
	put_attr(out, "name", command);
	put_attr(out, "classname", "cpubench");
	fputs(">\n      <error", out);
	put_attr(out, "message", message);
	put_attr(out, "type", type);
	fputs(">", out);
	xml_put(out, message, 0);
	fprintf(out, "\nexit status %d</error>\n    </testcase>\n  </testsuite>\n"
		"</testsuites>\n", status);
	return out_flush(out);
}
