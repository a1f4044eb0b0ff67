// SPDX-License-Identifier: GPL-2.0-only
/*
 * Names of outcomes, verdicts, leak kinds and exception vectors, and the
 * summary of one run (shared/DESIGN.md section 2).
 */
#include "judge/result.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"

static const char *const outcome_names[OUTCOME_NR] = {
	[OUTCOME_EXECUTED]	= "executed",
	[OUTCOME_FAULT]		= "fault",
	[OUTCOME_ALTERED]	= "altered",
	[OUTCOME_ERROR]		= "error",
};

static const char *const verdict_names[VERDICT_NR] = {
	[VERDICT_OK]		= "ok",
	[VERDICT_MISSING]	= "missing",
	[VERDICT_HIDDEN]	= "hidden",
	[VERDICT_LEAK]		= "leak",
	[VERDICT_UNTESTABLE]	= "untestable",
	[VERDICT_ERROR]		= "error",
};

/*
 * Architectural exception mnemonics: Intel SDM vol. 3A, table 6-1, plus the
 * AMD-only vectors 28..30 (APM vol. 2, section 8.2). Reserved vectors (15,
 * 22..27, 31) have no name.
 */
static const char *const exception_names[32] = {
	[0]  = "#DE",	/* divide error */
	[1]  = "#DB",	/* debug */
	[2]  = "NMI",
	[3]  = "#BP",	/* breakpoint */
	[4]  = "#OF",	/* overflow */
	[5]  = "#BR",	/* BOUND range exceeded */
	[6]  = "#UD",	/* invalid opcode */
	[7]  = "#NM",	/* device not available */
	[8]  = "#DF",	/* double fault */
	[9]  = "#CSO",	/* coprocessor segment overrun (reserved since 486) */
	[10] = "#TS",	/* invalid TSS */
	[11] = "#NP",	/* segment not present */
	[12] = "#SS",	/* stack-segment fault */
	[13] = "#GP",	/* general protection */
	[14] = "#PF",	/* page fault */
	[16] = "#MF",	/* x87 floating-point error */
	[17] = "#AC",	/* alignment check */
	[18] = "#MC",	/* machine check */
	[19] = "#XM",	/* SIMD floating-point exception */
	[20] = "#VE",	/* virtualization exception */
	[21] = "#CP",	/* control protection */
	[28] = "#HV",	/* AMD: hypervisor injection */
	[29] = "#VC",	/* AMD: VMM communication (SEV-ES) */
	[30] = "#SX",	/* AMD: security exception */
};

const char *outcome_name(enum outcome o)
{
	return (unsigned int)o < OUTCOME_NR ? outcome_names[o] : "unknown";
}

const char *verdict_name(enum verdict v)
{
	return (unsigned int)v < VERDICT_NR ? verdict_names[v] : "unknown";
}

const char *leak_name(enum leak_kind l)
{
	switch (l) {
	case LEAK_EXPECTED:
		return "expected";
	case LEAK_UNEXPECTED:
		return "unexpected";
	default:
		return NULL;
	}
}

const char *exception_name(int vector)
{
	if (vector < 0 || vector >= 32)
		return NULL;
	return exception_names[vector];
}

/*
 * Counts are conservative: a verdict outside the enum counts as an error,
 * and a leak whose kind was never decided (LEAK_NONE) as an unexpected one,
 * since nobody showed it to be expected. leak kinds of non-leak verdicts
 * are ignored; leaks[LEAK_NONE] counts the results that are not leaks.
 */
void run_report_summarize(struct run_report *r)
{
	memset(r->summary, 0, sizeof(r->summary));
	memset(r->leaks, 0, sizeof(r->leaks));

	for (unsigned int i = 0; i < r->nresults; i++) {
		const struct probe_result *res = &r->results[i];
		enum verdict v = res->verdict;

		if ((unsigned int)v >= VERDICT_NR)
			v = VERDICT_ERROR;
		r->summary[v]++;
		if (v != VERDICT_LEAK)
			r->leaks[LEAK_NONE]++;
		else if (res->leak == LEAK_EXPECTED)
			r->leaks[LEAK_EXPECTED]++;
		else
			r->leaks[LEAK_UNEXPECTED]++;
	}

	r->passed = !r->summary[VERDICT_MISSING] &&
		    !r->summary[VERDICT_ERROR] &&
		    !r->leaks[LEAK_UNEXPECTED] &&
		    !(r->strict && r->summary[VERDICT_LEAK]);
}

struct run_report *run_reports_summarized(const struct run_report *r, unsigned int n)
{
	struct run_report *s;

	if (!n) {
		err_set("no report to write");
		return NULL;
	}
	s = calloc(n, sizeof(*s));
	if (!s) {
		err_set("writing the report: out of memory");
		return NULL;
	}
	for (unsigned int m = 0; m < n; m++) {
		s[m] = r[m];
		run_report_summarize(&s[m]);
	}
	return s;
}

void result_fault_text(const struct probe_result *res, char *buf, size_t len)
{
	const char *exc;
	int n;

	if (!len)
		return;
	buf[0] = '\0';
	if (res->outcome != OUTCOME_FAULT)
		return;
	exc = exception_name(res->vector);
	if (exc)
		n = snprintf(buf, len, "%s", exc);
	else if (res->vector >= 0)
		n = snprintf(buf, len, "vector %d", res->vector);
	else
		n = snprintf(buf, len, "fault");
	if (n < 0 || (size_t)n >= len)
		return;
	if (res->rip)
		n += snprintf(buf + n, len - n, " at 0x%llx",
			      (unsigned long long)res->rip);
	if ((size_t)n >= len || !res->fault_insn[0])
		return;
	snprintf(buf + n, len - n, "%s%s: %s", res->fault_where[0] ? " " : "",
		 res->fault_where, res->fault_insn);
}
