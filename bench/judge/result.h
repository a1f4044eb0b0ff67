/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Outcomes, verdicts and the report of one run (shared/DESIGN.md section 2).
 */
#ifndef CPUBENCH_RESULT_H
#define CPUBENCH_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cpu/backend_kind.h"
#include "cpu/hypervisor.h"
#include "judge/plan.h"
#include "judge/probe.h"

/* What a probe observed. */
enum outcome {
	OUTCOME_EXECUTED,	/* ran, value as architected */
	OUTCOME_FAULT,		/* took an exception */
	OUTCOME_ALTERED,	/* ran, other value (e.g. LZCNT run as BSR) */
	OUTCOME_ERROR,		/* could not conclude (emulation failure, ...) */
	OUTCOME_NR,
};

/* advertised x outcome, see DESIGN.md */
enum verdict {
	VERDICT_OK,
	VERDICT_MISSING,
	VERDICT_HIDDEN,
	VERDICT_LEAK,
	VERDICT_UNTESTABLE,
	VERDICT_ERROR,
	VERDICT_NR,
};

enum leak_kind {
	LEAK_NONE,		/* not a leak */
	LEAK_EXPECTED,		/* no lever exists on this backend/ring */
	LEAK_UNEXPECTED,	/* a lever exists and did not work */
};

const char *outcome_name(enum outcome o);
const char *verdict_name(enum verdict v);
const char *leak_name(enum leak_kind l);	/* NULL for LEAK_NONE */
/* "#UD", "#GP", ... for an exception vector; NULL if out of range. */
const char *exception_name(int vector);

struct probe_result;
/*
 * One line naming a fault for reports: "#UD at 0x200123 probe_avx2+0x9:
 * vpaddd ymm1, ymm0, ymm0" (parts that are unknown are left out);
 * "" when @res is not a fault.
 */
void result_fault_text(const struct probe_result *res, char *buf, size_t len);

struct probe_result {
	const struct probe_desc *probe;
	int feature;		/* index in the feature database, -1 if none */
	uint8_t ring;		/* the ring it ran at */
	bool advertised;	/* the feature is in the guest's CPUID */
	enum outcome outcome;
	int vector;		/* exception vector, -1 if none */
	uint32_t error_code;
	uint64_t rip;		/* faulting RIP, 0 if none */
	uint64_t value;		/* computed value (executed/altered) */
	enum verdict verdict;
	enum leak_kind leak;
	const char *reason;	/* why this verdict, one line, static */
	char detail[160];	/* run-specific detail: "emulation failure", ... */
	/* Instruction text, attached before any report sees the result */
	const char *insn;	/* the instruction under test; "" if unknown */
	char fault_insn[96];	/* the instruction that faulted; "" if none */
	char fault_where[64];	/* its place, "probe_avx2+0x9"; "" if unknown */
};

struct host_info {
	char vendor[13];	/* CPUID vendor string */
	char model_name[64];	/* /proc/cpuinfo "model name" */
	char kernel[96];	/* uname -r */
	struct l0_info l0;	/* the hypervisor this host runs under, if any */
};

/*
 * A feature of the model the backend could not provide, with the
 * accelerator's own words ("TCG doesn't support requested feature: ...").
 * The backend turned it off: its probe, if any, is `untestable`.
 */
#define REPORT_MAX_GAPS 96

struct report_gap {
	int feature;		/* feature database index */
	char why[200];
};

struct run_report {
	const char *mask;	/* the mask spec as given */
	enum backend_kind backend;
	struct host_info host;
	const char *guest_os;	/* "linux" or "raw" */
	bool guest_cpuid_checked;	/* the guest reported what it read */
	bool guest_cpuid_matches;	/* ... and it is what the model says */
	char guest_cpuid_note[160];	/* why not, when it does not match */
	/* The identity the guest read from its CPUID instruction (issue 3). */
	struct {
		bool read;		/* the guest booted and reported it */
		bool matches;		/* equals the model's identity */
		char vendor[13];
		uint32_t family, model, stepping;	/* decoded leaf 1 EAX */
		char model_id[49];
	} guest_identity;
	bool strict;
	unsigned int nresults;
	struct probe_result *results;
	unsigned int summary[VERDICT_NR];	/* count per verdict */
	unsigned int leaks[3];			/* count per leak_kind */
	bool passed;
	long long started;		/* when the guest run began: Unix time; 0 unknown */
	unsigned int duration_ms;	/* how long the run took, guest and judging */
	/* What holds here when the model fails: a spec, or NULL (the caller's
	 * string, e.g. cli/verify.c's; writers print it, never compute it). */
	const char *suggestion;
	unsigned int ngaps;			/* see struct report_gap */
	struct report_gap gaps[REPORT_MAX_GAPS];	/* owned by this report */
	bool has_stats;				/* a guest ran: stats holds its figures */
	struct run_stats stats;
};

/*
 * Fills summary/leaks and passed: false on any missing, error or unexpected
 * leak, and with @strict on any leak at all.
 */
void run_report_summarize(struct run_report *r);

/*
 * A malloc'ed copy of the @n reports @r, each summarized: writers judge
 * from their own copy, so what they print always matches the rows.
 * NULL (err_set) for n == 0 or out of memory.
 */
struct run_report *run_reports_summarized(const struct run_report *r, unsigned int n);

#endif
