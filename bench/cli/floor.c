// SPDX-License-Identifier: GPL-2.0-only
/*
 * `cpubench floor`: what the mechanisms a probe run is made of cost on
 * this KVM backend (vmm/floor.h), for make perf and for KVM developers.
 *
 * JSON (stable; add keys, never rename or retype them):
 *   cpubench_version  string
 *   backend           string ("kvm-vmx", "kvm-svm", "kvm-pvm")
 *   l0                string: the hypervisor this host runs under
 *                     ("bare metal", "QEMU TCG", ...), whose speed the
 *                     figures are
 *   probes_per_plan, runs   number
 *   figures           array of { key: "boot" | "kvm_run" | "exception" |
 *                     "ring_switch_ud" | "ring_switch_pf" | "stint_probe",
 *                     what: string, ns: number | null (per event),
 *                     exits: number | null (guest exits per event),
 *                     why: string | null (why not measured) }
 *
 * Exit status: 0 every figure measured, 1 one could not be (its self-test
 * plan did not go as it must here), 2 bad usage, 3 no guest can run here.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/output.h"
#include "cli/run_opts.h"
#include "cpu/backend_kind.h"
#include "host/host_info.h"
#include "lib/err.h"
#include "report/report.h"
#include "vmm/floor.h"
#include "vmm/kvm.h"

static void print_table(const struct floor *f, const char *backend,
			const struct host_info *host)
{
	FILE *out = out_stream();

	fprintf(out, "floor of %s", backend);
	if (host->l0.kind != L0_NONE)
		fprintf(out, ", nested under %s: times are that emulator's or hypervisor's",
		       l0_name(host->l0.kind));
	fprintf(out, "\n%u self-test probes a plan, median of %u runs\n\n", f->per_plan, f->runs);
	fprintf(out, "%-56s %12s %12s\n", "mechanism", "time", "guest exits");
	for (int i = 0; i < FLOOR_NR; i++) {
		const struct floor_figure *fig = &f->fig[i];
		char t[32], e[32];

		if (!fig->measured) {
			fprintf(out, "%-56s not measured: %s\n", floor_item_text(i), fig->why);
			continue;
		}
		if (fig->ns >= 1e6)
			snprintf(t, sizeof(t), "%.2f ms", fig->ns / 1e6);
		else
			snprintf(t, sizeof(t), "%.2f us", fig->ns / 1e3);
		if (fig->exits < 0)
			snprintf(e, sizeof(e), "-");
		else
			snprintf(e, sizeof(e), "%.2f", fig->exits);
		fprintf(out, "%-56s %12s %12s\n", floor_item_text(i), t, e);
	}
}

static json_t *floor_json(const struct floor *f, const char *backend,
			  const struct host_info *host)
{
	json_t *figs = json_array();
	json_t *root = json_pack("{s:s, s:s, s:s, s:i, s:i}",
				 "cpubench_version", CPUBENCH_VERSION,
				 "backend", backend, "l0", l0_name(host->l0.kind),
				 "probes_per_plan", (int)f->per_plan, "runs", (int)f->runs);

	for (int i = 0; figs && i < FLOOR_NR; i++) {
		const struct floor_figure *fig = &f->fig[i];
		json_t *o = json_pack("{s:s, s:s, s:o, s:o, s:o}",
				      "key", floor_item_key(i), "what", floor_item_text(i),
				      "ns", fig->measured ? json_real(fig->ns) : json_null(),
				      "exits", fig->measured && fig->exits >= 0 ?
				      json_real(fig->exits) : json_null(),
				      "why", fig->measured ? json_null() : json_string(fig->why));

		if (json_array_append_new(figs, o)) {
			json_decref(figs);
			figs = NULL;
		}
	}
	if (!root || !figs || json_object_set_new(root, "figures", figs)) {
		json_decref(root);
		return NULL;
	}
	return root;
}

int cmd_floor(int argc, char **argv)
{
	struct run_opts ro;
	struct host_info host;
	struct kvm_sys kvm;
	struct floor f;
	unsigned int runs = 5;
	int c, ret, json = 0;
	char *end;
	long v;

	run_opts_init(&ro);
	optind = 1;
	while ((c = cli_getopt(argc, argv, "floor")) != -1) {
		switch (c) {
		case 'n':
			v = strtol(optarg, &end, 10);
			if (end == optarg || *end || v < 1 || v > 1000)
				return cmd_usage_error("floor", "--runs takes 1 to 1000, not '%s'",
						       optarg);
			runs = v;
			break;
		case CLI_OPT_OUTPUT:
			if ((ret = cli_output_option("floor", optarg)))
				return ret;
			break;
		case 'f':
			if (hcmd_format(optarg, &json))
				return cmd_usage_error("floor", "--format takes table or json, not '%s'",
						       optarg);
			break;
		case 'd':
			ro.device = optarg;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cmd_usage_error("floor", "unexpected argument '%s'", argv[optind]);
	if (kvm_sys_open(&kvm, ro.device))
		return hcmd_fail();
	host_info_read(&host, HOST_CPUINFO_PATH);
	ret = floor_measure(&kvm, runs, &f);
	if (!ret) {
		const char *backend = backend_kind_name(kvm.kind);

		if (json)
			ret = out_json(out_stream(), floor_json(&f, backend, &host));
		else
			print_table(&f, backend, &host);
	}
	kvm_sys_close(&kvm);
	if (ret)
		return hcmd_fail();
	for (int i = 0; i < FLOOR_NR; i++)
		if (!f.fig[i].measured)
			return EXIT_BROKEN;
	return EXIT_HOLDS;
}
