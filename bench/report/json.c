// SPDX-License-Identifier: GPL-2.0-only
/*
 * The machine report: one JSON document, built with jansson.
 *
 * Schema (stable; add keys, never rename or retype them):
 *   cpubench_version  string
 *   mask              string | null
 *   backend           string (backend_kind_name)
 *   host              { vendor, model_name, kernel, hypervisor: string,
 *                       hypervisor_signature: string or null }
 *   guest_os          string | null
 *   guest_cpuid       { matches_model: bool | null (not checked),
 *                       note: string | null,
 *                       identity: { vendor, model_id: string, family,
 *                         model, stepping: number, matches_model: bool }
 *                         | null }: whether the CPUID the guest read
 *                     is the model's (PVM runs CPUID natively)
 *   strict            bool
 *   unprovided        array of { feature, reason: string }: features of
 *                     the model the backend could not provide, in the
 *                     accelerator's own words (QEMU backends)
 *   failing           array of { feature: string, why: "missing" | "error"
 *                     | "unexpected leak" | "leak under --strict" }: what
 *                     failed the model, each feature once per why
 *   suggestion        string | null: what holds here instead (a model
 *                     spec), when the command could tell
 *   results           array of {
 *     probe           string
 *     feature         string | null (self-test probes)
 *     ring            number
 *     advertised      bool
 *     outcome         "executed" | "fault" | "altered" | "error"
 *     exception       "#UD", ... | null (fault only; null if unnamed)
 *     vector          number | null (fault only)
 *     error_code      number | null (fault only)
 *     rip             "0x..." | null (fault only)
 *     value           "0x..." | null (executed and altered only)
 *     expected_value  "0x..."
 *     verdict         "ok" | "missing" | "hidden" | "leak" | "untestable" | "error"
 *     leak            "expected" | "unexpected" | null (leak verdict only)
 *     reason          string
 *     detail          string | null (when empty)
 *     instruction     string | null: the instruction under test,
 *                     disassembled (Intel syntax); for a raw-mode enable
 *                     row, the enable ("mov cr4, rax (set CR4.SMEP, ...)")
 *     fault_instruction  string | null (fault only): the instruction at
 *                     the faulting RIP, disassembled
 *     fault_location  string | null (fault only): "probe_avx2+0x9"
 *   }
 *   summary           { ok, missing, hidden, leak, untestable, error,
 *                       leak_expected, leak_unexpected,
 *                       hidden_enforced (= hidden), hidden_probed (hidden
 *                       + leak: hidden features that were probed): number }
 *   passed            bool
 *   stats             { wall_ms: number (the backend's run: VMs created,
 *                       guests run; not the process), vcpus: number (one
 *                       VM each), probes: number, kvm_runs: number | null
 *                       (KVM_RUN calls), exits: number | null (guest exits
 *                       KVM counted, in the kernel or to cpubench),
 *                       exits_per_probe: number | null } | null (no
 *                       guest ran); null where the backend cannot count
 *                       (qemu-*, a kernel before 5.14)
 * Reals have at most JSON_REALS significant digits.
 * When the command fails before any report exists (exit 2 or 3), the
 * document is { cpubench_version, command: string, error: string (the
 * message), exit_status: number, passed: false } instead.
 * Strings that are not valid UTF-8 have their non-ASCII bytes replaced by
 * '?'. 64-bit values are hex strings: JSON numbers lose precision past 2^53.
 */
#include "cpu/feature.h"
#include "report/report.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>


#ifndef CPUBENCH_VERSION
#define CPUBENCH_VERSION "0.1.0"
#endif

/* A JSON string of @n bytes of @s; NULL only when out of memory. */
static json_t *jstrn(const char *s, size_t n)
{
	json_t *v = json_stringn(s, n);
	char *copy;

	if (v)
		return v;
	/* not UTF-8: keep what is ASCII */
	copy = malloc(n + 1);
	if (!copy)
		return NULL;
	for (size_t i = 0; i < n; i++)
		copy[i] = (unsigned char)s[i] < 0x80 ? s[i] : '?';
	v = json_stringn(copy, n);
	free(copy);
	return v;
}

static json_t *jstr(const char *s)
{
	return jstrn(s, strlen(s));
}

json_t *report_json_string(const char *s)
{
	return jstr(s);
}

static json_t *jstr_or_null(const char *s)
{
	return s && *s ? jstr(s) : json_null();
}

/* A char array field that may lack its NUL. */
#define JARRAY(a) jstrn((a), strnlen((a), sizeof(a)))

static json_t *jhex(uint64_t v)
{
	char buf[19];

	snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
	return json_string(buf);
}

/* json_object_set_new() steals @v even on failure; -1 if @v is NULL. */
static int put(json_t *obj, const char *key, json_t *v)
{
	return json_object_set_new(obj, key, v);
}

static json_t *host_json(const struct host_info *h)
{
	json_t *o = json_object();
	int bad = !o;

	if (bad)
		return NULL;
	bad |= put(o, "vendor", JARRAY(h->vendor));
	bad |= put(o, "model_name", JARRAY(h->model_name));
	bad |= put(o, "kernel", JARRAY(h->kernel));
	bad |= put(o, "hypervisor", json_string(l0_name(h->l0.kind)));
	bad |= put(o, "hypervisor_signature", h->l0.signature[0] ?
		   JARRAY(h->l0.signature) : json_null());
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* exception, vector, error_code and rip: values for a fault only. */
static int put_fault(json_t *o, const struct probe_result *res)
{
	bool fault = res->outcome == OUTCOME_FAULT;
	bool vec = fault && res->vector >= 0;
	const char *name = vec ? exception_name(res->vector) : NULL;
	int bad = 0;

	bad |= put(o, "exception", name ? json_string(name) : json_null());
	bad |= put(o, "vector", vec ? json_integer(res->vector) : json_null());
	bad |= put(o, "error_code",
		   fault ? json_integer(res->error_code) : json_null());
	bad |= put(o, "rip", fault ? jhex(res->rip) : json_null());
	return bad;
}

/* instruction, fault_instruction and fault_location (disasm.h) */
static int put_instructions(json_t *o, const struct probe_result *res)
{
	bool fault = res->fault_insn[0] != '\0';
	int bad = 0;

	bad |= put(o, "instruction", jstr_or_null(res->insn));
	bad |= put(o, "fault_instruction", fault ? jstr_or_null(res->fault_insn) : json_null());
	bad |= put(o, "fault_location", fault ? jstr_or_null(res->fault_where) : json_null());
	return bad;
}

static json_t *result_json(const struct probe_result *res)
{
	const struct probe_desc *p = res->probe;
	bool has_value = res->outcome == OUTCOME_EXECUTED ||
			 res->outcome == OUTCOME_ALTERED;
	const char *leak = leak_name(report_leak_kind(res));
	json_t *o = json_object();
	int bad = !o;

	if (bad)
		return NULL;
	bad |= put(o, "probe", p && p->name ? jstr(p->name) : json_null());
	bad |= put(o, "feature", jstr_or_null(p ? p->feature : NULL));
	bad |= put(o, "ring", json_integer(res->ring));
	bad |= put(o, "advertised", json_boolean(res->advertised));
	bad |= put(o, "outcome", json_string(outcome_name(res->outcome)));
	bad |= put_fault(o, res);
	bad |= put(o, "value", has_value ? jhex(res->value) : json_null());
	bad |= put(o, "expected_value", jhex(p ? p->expected : 0));
	bad |= put(o, "verdict", json_string(verdict_name(res->verdict)));
	bad |= put(o, "leak", leak ? json_string(leak) : json_null());
	bad |= put(o, "reason", jstr(res->reason ? res->reason : ""));
	bad |= put(o, "detail", res->detail[0] ? JARRAY(res->detail) :
		   json_null());
	bad |= put_instructions(o, res);
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *results_json(const struct run_report *r)
{
	json_t *a = json_array();

	if (!a)
		return NULL;
	for (unsigned int i = 0; i < r->nresults; i++) {
		if (json_array_append_new(a, result_json(&r->results[i]))) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *summary_json(const struct run_report *s)
{
	json_t *o = json_object();
	int bad = !o;

	if (bad)
		return NULL;
	for (int v = 0; v < VERDICT_NR; v++)
		bad |= put(o, verdict_name(v), json_integer(s->summary[v]));
	bad |= put(o, "leak_expected", json_integer(s->leaks[LEAK_EXPECTED]));
	bad |= put(o, "leak_unexpected",
		   json_integer(s->leaks[LEAK_UNEXPECTED]));
	/* how strong a PASS is: hidden features that fault, of those probed */
	bad |= put(o, "hidden_enforced", json_integer(s->summary[VERDICT_HIDDEN]));
	bad |= put(o, "hidden_probed", json_integer(s->summary[VERDICT_HIDDEN] +
						    s->summary[VERDICT_LEAK]));
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* What the guest's CPUID instruction said it runs on; null if not read. */
static json_t *guest_identity_json(const struct run_report *s)
{
	const __typeof__(s->guest_identity) *g = &s->guest_identity;

	if (!g->read)
		return json_null();
	/* the guest wrote these bytes: anything, valid UTF-8 or not */
	return json_pack("{s:o,s:I,s:I,s:I,s:o,s:b}", "vendor", JARRAY(g->vendor),
			 "family", (json_int_t)g->family, "model", (json_int_t)g->model,
			 "stepping", (json_int_t)g->stepping, "model_id", JARRAY(g->model_id),
			 "matches_model", g->matches);
}

static json_t *guest_cpuid_json(const struct run_report *s)
{
	json_t *o = json_object();

	if (!o)
		return NULL;
	if (put(o, "matches_model", s->guest_cpuid_checked ?
		json_boolean(s->guest_cpuid_matches) : json_null()) ||
	    put(o, "note", s->guest_cpuid_note[0] ?
		jstr_or_null(s->guest_cpuid_note) : json_null()) ||
	    put(o, "identity", guest_identity_json(s))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* [{"feature": ..., "reason": ...}]: what the backend could not provide. */
static json_t *unprovided_json(const struct run_report *s)
{
	json_t *a = json_array();

	for (unsigned int i = 0; a && i < s->ngaps; i++)
		if (json_array_append_new(a, json_pack("{s:s,s:o}",
				"feature", features[s->gaps[i].feature].name,
				"reason", JARRAY(s->gaps[i].why)))) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static json_t *count_or_null(int64_t v)
{
	return v < 0 ? json_null() : json_integer(v);
}

/* How the guests ran (judge/plan.h: struct run_stats). */
static json_t *stats_json(const struct run_report *s)
{
	const struct run_stats *st = &s->stats;
	json_t *o;
	int bad;

	if (!s->has_stats)
		return json_null();
	o = json_object();
	bad = !o;
	if (bad)
		return NULL;
	bad |= put(o, "wall_ms", json_real(st->wall_ns / 1000 / 1000.0));
	bad |= put(o, "vcpus", json_integer(st->vcpus));
	bad |= put(o, "probes", json_integer(st->probes));
	bad |= put(o, "kvm_runs", count_or_null(st->kvm_runs));
	bad |= put(o, "exits", count_or_null(st->exits));
	bad |= put(o, "exits_per_probe", st->exits < 0 || !st->probes ? json_null() :
		   json_real((double)st->exits / st->probes));
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* report_failing() as an array of { feature, why }. */
static json_t *failing_json(const struct run_report *s)
{
	const char **names = calloc(s->nresults + 1, sizeof(*names));
	int *ranks = calloc(s->nresults + 1, sizeof(*ranks));
	json_t *a = names && ranks ? json_array() : NULL;
	unsigned int n = a ? report_failing(s, names, ranks) : 0;

	for (unsigned int i = 0; i < n; i++)
		if (json_array_append_new(a, json_pack("{s:s,s:s}", "feature", names[i],
				"why", report_fail_rank_name(ranks[i])))) {
			json_decref(a);
			a = NULL;
			break;
		}
	free(names);
	free(ranks);
	return a;
}

/* The whole document for the summarized report @s; NULL if out of memory. */
static json_t *report_json(const struct run_report *s)
{
	json_t *root = json_object();
	int bad = !root;

	if (bad)
		return NULL;
	bad |= put(root, "cpubench_version", json_string(CPUBENCH_VERSION));
	bad |= put(root, "mask", jstr_or_null(s->mask));
	bad |= put(root, "backend", json_string(backend_kind_name(s->backend)));
	bad |= put(root, "host", host_json(&s->host));
	bad |= put(root, "guest_os", jstr_or_null(s->guest_os));
	bad |= put(root, "guest_cpuid", guest_cpuid_json(s));
	bad |= put(root, "strict", json_boolean(s->strict));
	bad |= put(root, "results", results_json(s));
	bad |= put(root, "summary", summary_json(s));
	bad |= put(root, "passed", json_boolean(s->passed));
	bad |= put(root, "stats", stats_json(s));
	bad |= put(root, "unprovided", unprovided_json(s));
	bad |= put(root, "failing", failing_json(s));
	bad |= put(root, "suggestion", jstr_or_null(s->suggestion));
	if (bad) {
		json_decref(root);
		return NULL;
	}
	return root;
}

json_t *report_json_object(const struct run_report *r)
{
	struct run_report s = *r;

	run_report_summarize(&s);
	return report_json(&s);
}

int report_write_json(FILE *out, const struct run_report *r)
{
	struct run_report s = *r;
	json_t *root;

	run_report_summarize(&s);
	root = report_json(&s);
	return out_json(out, root);
}

int report_write_json_error(FILE *out, const char *command, const char *message,
			    int status)
{
	return out_json(out, json_pack("{s:s,s:s,s:o,s:i,s:b}", "cpubench_version",
				       CPUBENCH_VERSION, "command", command, "error",
				       jstr(message), "exit_status", status, "passed", 0));
}
