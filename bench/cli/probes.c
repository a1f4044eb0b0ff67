// SPDX-License-Identifier: GPL-2.0-only
/*
 * `cpubench probes`: the probe catalog. Per probe: the feature, the ring,
 * the instruction under test (disassembled from the embedded payload),
 * and per backend the enforcement mechanism of the feature database and
 * whether a hidden feature is expected to fault (verdict_leak_kind() with
 * nothing advertised: the most a backend can enforce).
 *
 * JSON (stable; add keys, never rename or retype them):
 *   cpubench_version  string
 *   count             number of probes
 *   probes            array of {
 *     name, feature (string | null for self-tests), ring (number),
 *     selftest (bool), instruction (string | null), expected_value "0x...",
 *     backends { "kvm-vmx": { mechanism: "none" | "xcr0" | "cr4" | "efer"
 *                             | "intercept", hidden_faults: bool,
 *                             reason: string }, ... } | null (self-tests) }
 *   not_testable      array of { feature, reason }: features whose
 *                     instructions cannot fault by design (judge/probe.h)
 */
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/output.h"
#include "cpu/feature.h"
#include "judge/probe.h"
#include "judge/verdict.h"
#include "lib/err.h"
#include "vmm/disasm.h"

/* Whether a hidden @p is expected to fault on @b, with the reason. */
static bool hidden_faults(const struct probe_desc *p, int feature,
			  enum backend_kind b, const char **reason)
{
	struct guest_view none = { .xcr0_allowed = X86_XSTATE_X87 | X86_XSTATE_SSE };

	return verdict_leak_kind(feature, b, p->ring == 0 ? 0 : 3, &none,
				 reason) == LEAK_UNEXPECTED;
}

static json_t *backends_json(const struct probe_desc *p, int f)
{
	json_t *o = json_object();

	for (int b = 0; o && b < BACKEND_NR; b++) {
		const char *reason;
		bool faults = hidden_faults(p, f, b, &reason);
		json_t *e = json_pack("{s:s, s:b, s:s}", "mechanism",
				      enforce_mech_name(features[f].enforce[b].mech),
				      "hidden_faults", faults, "reason", reason);

		if (json_object_set_new(o, backend_kind_name(b), e)) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

static int write_json(void)
{
	json_t *root = json_object(), *a = json_array();
	int bad = !root || !a;

	for (unsigned int i = 0; !bad && i < nprobes; i++) {
		const struct probe_desc *p = &probes[i];
		int f = probe_is_selftest(p) ? -1 : feature_lookup(p->feature);
		const char *insn = probe_instruction(p);
		char hex[19];
		json_t *o;

		snprintf(hex, sizeof(hex), "0x%" PRIx64, p->expected);
		o = json_pack("{s:s, s:o, s:i, s:b, s:o, s:s, s:o}",
			      "name", p->name,
			      "feature", f >= 0 ? json_string(p->feature) : json_null(),
			      "ring", p->ring, "selftest", probe_is_selftest(p),
			      "instruction", *insn ? json_string(insn) : json_null(),
			      "expected_value", hex,
			      "backends", f >= 0 ? backends_json(p, f) : json_null());
		bad |= json_array_append_new(a, o);
	}
	if (!bad) {
		bad |= json_object_set_new(root, "cpubench_version", json_string(CPUBENCH_VERSION));
		bad |= json_object_set_new(root, "count", json_integer(nprobes));
		bad |= json_object_set_new(root, "probes", a);
		a = json_array();
		for (unsigned int i = 0; a && i < nunprobed_features; i++)
			bad |= json_array_append_new(a, json_pack("{s:s, s:s}",
				"feature", unprobed_features[i].feature,
				"reason", unprobed_features[i].reason));
		bad |= !a || json_object_set_new(root, "not_testable", a);
		a = NULL;
	}
	json_decref(a);
	if (bad) {
		json_decref(root);
		fprintf(stderr, "cpubench: building the probe catalog: out of memory\n");
		return EXIT_ENV;
	}
	return out_json(out_stream(), root) ? hcmd_fail() : EXIT_HOLDS;
}

/* "xcr0:faults", "none:leaks", "-" for self-tests */
static void backend_cell(char *buf, size_t len, const struct probe_desc *p,
			 int f, enum backend_kind b)
{
	const char *reason;

	if (f < 0) {
		snprintf(buf, len, "-");
		return;
	}
	snprintf(buf, len, "%s:%s", enforce_mech_name(features[f].enforce[b].mech),
		 hidden_faults(p, f, b, &reason) ? "faults" : "leaks");
}

static int write_table(void)
{
	FILE *out = out_stream();
	int nw = 5, fw = 7, iw = 11;
	char cell[40];

	for (unsigned int i = 0; i < nprobes; i++) {
		int l = (int)strlen(probes[i].name);

		nw = l > nw ? l : nw;
		l = (int)strlen(probes[i].feature);
		fw = l > fw ? l : fw;
		l = (int)strlen(probe_instruction(&probes[i]));
		iw = l > iw ? l : iw;
	}
	fprintf(out, "%-*s  %-*s  RING  %-*s", nw, "PROBE", fw, "FEATURE", iw, "INSTRUCTION");
	for (int b = 0; b < BACKEND_NR; b++)
		fprintf(out, b + 1 < BACKEND_NR ? "  %-16s" : "  %s", backend_kind_name(b));
	fputc('\n', out);
	for (unsigned int i = 0; i < nprobes; i++) {
		const struct probe_desc *p = &probes[i];
		int f = probe_is_selftest(p) ? -1 : feature_lookup(p->feature);
		const char *insn = probe_instruction(p);

		fprintf(out, "%-*s  %-*s  %-4u  %-*s", nw, p->name, fw,
		       f >= 0 ? p->feature : "-", (unsigned int)p->ring, iw,
		       *insn ? insn : "-");
		for (int b = 0; b < BACKEND_NR; b++) {
			backend_cell(cell, sizeof(cell), p, f, b);
			if (b + 1 < BACKEND_NR)
				fprintf(out, "  %-16s", cell);
			else
				fprintf(out, "  %s", cell);
		}
		fputc('\n', out);
	}
	fprintf(out, "\n%u probes. Per backend: the lever KVM has to hide the feature "
	       "(none, xcr0, cr4, efer, intercept), and whether a hidden feature "
	       "faults there (faults) or still executes (leaks).\n"
	       "'cpubench probes --format json' gives the reason for each.\n", nprobes);
	fprintf(out, "\nNot testable by execution (their instructions cannot fault by design):\n");
	for (unsigned int i = 0; i < nunprobed_features; i++)
		fprintf(out, "  %-*s  %s\n", fw, unprobed_features[i].feature, unprobed_features[i].reason);
	return EXIT_HOLDS;	/* a failed write: cli_finish() says so, exit 2 */
}

int cmd_probes(int argc, char **argv)
{
	int c, json = 0;

	optind = 1;
	while ((c = cli_getopt(argc, argv, "probes")) != -1) {
		switch (c) {
		case 'f':
			if (hcmd_format(optarg, &json))
				return hcmd_usage("probes", "unknown format '%s': use table or json", optarg);
			break;
		case CLI_OPT_OUTPUT:
			if ((c = cli_output_option("probes", optarg)))
				return c;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return hcmd_usage("probes", "unexpected argument '%s'", argv[optind]);
	return json ? write_json() : write_table();
}
