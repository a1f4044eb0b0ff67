// SPDX-License-Identifier: GPL-2.0-only
/*
 * `cpubench verify` and `cpubench run`: resolve the model, build the guest
 * CPUID, run the probes in one fresh VM, judge and report.
 */
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cpuid_builder.h"
#include "err.h"
#include "feature.h"
#include "host_info.h"
#include "kvm.h"
#include "mask.h"
#include "report.h"
#include "runner.h"
#include "verdict.h"

struct verify_opts {
	const char *mask;
	const char *probes;		/* --probe LIST (run) */
	const char *device;
	const char *masks_dir;
	enum report_format format;
	int ring;			/* -1: each probe's default */
	enum guest_os_mode guest_os;
	unsigned int timeout_ms;
	bool strict;
};

static const char verify_help[] =
	"usage: cpubench verify --mask MODEL [--format table|json] [--strict]\n"
	"                       [--ring 0|3] [--guest-os linux|raw]\n"
	"       cpubench run --mask MODEL --probe LIST [same options]\n"
	"\n"
	"  --mask MODEL        a model name with QEMU-style changes, e.g.\n"
	"                      x86-64-v3 or x86-64-v3,-avx2,+vmx; 'host' is\n"
	"                      everything this KVM supports\n"
	"  --probe LIST        comma-separated probe names (run only)\n"
	"  --format FMT        table (default) or json\n"
	"  --strict            any leak fails the model, expected ones too\n"
	"  --ring 0|3          run every probe at this ring (privileged probes\n"
	"                      always run at ring 0)\n"
	"  --guest-os MODE     linux (default): enable what CPUID advertises;\n"
	"                      raw: try every enable, record refusals\n"
	"  --timeout MS        per-probe watchdog (default 2000)\n"
	"  --kvm-device PATH   KVM device (default /dev/kvm, or $CPUBENCH_KVM_DEVICE)\n"
	"  --masks-dir DIR     also load *.mask files from DIR\n"
	"\n"
	"exit status: 0 the model holds; 1 a missing feature, a probe error or an\n"
	"unexpected leak (any leak with --strict); 2 bad usage or input;\n"
	"3 this environment cannot run guests.\n";

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "cpubench: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (see 'cpubench verify --help')\n");
	return EXIT_USAGE;
}

static int parse_opts(int argc, char **argv, enum verify_mode mode,
		      struct verify_opts *o)
{
	static const struct option longopts[] = {
		{ "mask", required_argument, NULL, 'm' },
		{ "probe", required_argument, NULL, 'p' },
		{ "format", required_argument, NULL, 'f' },
		{ "strict", no_argument, NULL, 's' },
		{ "ring", required_argument, NULL, 'r' },
		{ "guest-os", required_argument, NULL, 'g' },
		{ "timeout", required_argument, NULL, 't' },
		{ "kvm-device", required_argument, NULL, 'd' },
		{ "masks-dir", required_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*o = (struct verify_opts){ .ring = -1, .format = REPORT_TABLE };
	o->device = getenv("CPUBENCH_KVM_DEVICE");
	if (!o->device || !*o->device)
		o->device = KVM_DEFAULT_DEVICE;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		char *end;
		long v;
		int f;

		switch (c) {
		case 'm': o->mask = optarg; break;
		case 'p': o->probes = optarg; break;
		case 's': o->strict = true; break;
		case 'd': o->device = optarg; break;
		case 'D': o->masks_dir = optarg; break;
		case 'h':
			fputs(verify_help, stdout);
			exit(EXIT_HOLDS);
		case 'f':
			f = report_format_parse(optarg);
			if (f < 0)
				return usage_error("unknown format '%s': use table or json", optarg);
			o->format = f;
			break;
		case 'r':
			if (strcmp(optarg, "0") && strcmp(optarg, "3"))
				return usage_error("--ring takes 0 or 3, not '%s'", optarg);
			o->ring = atoi(optarg);
			break;
		case 'g':
			if (!strcmp(optarg, "linux"))
				o->guest_os = GUEST_OS_LINUX;
			else if (!strcmp(optarg, "raw"))
				o->guest_os = GUEST_OS_RAW;
			else
				return usage_error("unknown guest OS mode '%s': use linux or raw", optarg);
			break;
		case 't':
			v = strtol(optarg, &end, 10);
			if (*end || v < 10 || v > 600000)
				return usage_error("--timeout takes milliseconds from 10 to 600000, not '%s'", optarg);
			o->timeout_ms = v;
			break;
		default:
			return usage_error("unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	if (!o->mask)
		return usage_error("%s needs --mask MODEL", mode == CMD_RUN ? "run" : "verify");
	if (mode == CMD_RUN && !o->probes)
		return usage_error("%s needs --probe LIST (cpubench verify runs them all)", "run");
	if (mode == CMD_VERIFY && o->probes)
		return usage_error("%s: use 'cpubench run' to pick probes", "--probe");
	return 0;
}

/* Fills @results from --probe LIST, or with every non-self-test probe. */
static int select_probes(const struct verify_opts *o, struct probe_result *results,
			 unsigned int *n)
{
	char *list, *save = NULL, *name;

	*n = 0;
	if (!o->probes) {
		for (unsigned int i = 0; i < nprobes; i++)
			if (!probe_is_selftest(&probes[i]))
				results[(*n)++].probe = &probes[i];
		return 0;
	}
	list = strdup(o->probes);
	if (!list)
		return err_set("out of memory");
	for (name = strtok_r(list, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		const struct probe_desc *p = probe_find(name);

		if (!p) {
			err_set("unknown probe '%s': 'cpubench verify' lists every probe by name", name);
			free(list);
			return -1;
		}
		if (*n >= nprobes) {
			free(list);
			return err_set("too many probes in --probe (at most %u)", nprobes);
		}
		results[(*n)++].probe = p;
	}
	free(list);
	if (!*n)
		return err_set("--probe needs at least one probe name");
	return 0;
}

static int fail(void)
{
	fprintf(stderr, "cpubench: %s\n", err_msg());
	return err_class();
}

/*
 * Compares what the guest read with its CPUID instruction against the
 * CPUID given to KVM. Bits KVM derives at run time (OSXSAVE, APIC, OSPKE)
 * are ignored.
 */
static void check_guest_cpuid(struct run_report *report,
			      struct kvm_cpuid2 *cpuid, const struct mb_os *os)
{
	static const struct {
		uint32_t leaf;
		int reg;		/* 2 ecx, 3 edx, 1 ebx */
		uint32_t ignore;
		size_t seen_off;
		const char *name;
	} checks[] = {
		{ 1, 2, 1u << 27, offsetof(struct mb_os, cpuid1_ecx), "1.ECX" },
		{ 1, 3, 1u << 9, offsetof(struct mb_os, cpuid1_edx), "1.EDX" },
		{ 7, 1, 0, offsetof(struct mb_os, cpuid7_ebx), "7.0.EBX" },
		{ 7, 2, 1u << 4, offsetof(struct mb_os, cpuid7_ecx), "7.0.ECX" },
	};

	if (!os->booted)
		return;
	report->guest_cpuid_checked = true;
	report->guest_cpuid_matches = true;
	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		struct kvm_cpuid_entry2 *e = cpuid_find(cpuid, checks[i].leaf, 0);
		uint32_t told = 0, seen;

		memcpy(&seen, (const uint8_t *)os + checks[i].seen_off, sizeof(seen));
		if (e)
			told = checks[i].reg == 1 ? e->ebx : checks[i].reg == 2 ? e->ecx : e->edx;
		if ((told ^ seen) & ~checks[i].ignore) {
			report->guest_cpuid_matches = false;
			snprintf(report->guest_cpuid_note, sizeof(report->guest_cpuid_note),
				 "the guest reads CPUID %s = 0x%08x, the model says 0x%08x: "
				 "this backend does not virtualize CPUID%s",
				 checks[i].name, seen, told,
				 report->backend == BACKEND_KVM_PVM ?
				 " (PVM runs it natively)" : "");
			return;
		}
	}
}

static int verify_run(const struct verify_opts *o, struct kvm_sys *kvm,
		      struct mask *mask, struct run_report *report)
{
	featureset_t host;
	struct kvm_cpuid2 *cpuid;
	struct guest_view view;
	struct mb_os os;
	struct run_plan plan = {
		.guest_os = o->guest_os,
		.probe_timeout_ms = o->timeout_ms,
		.n = report->nresults,
		.results = report->results,
	};
	int ret;

	featureset_from_cpuid(&host, kvm->supported);
	if (mask_resolve(o->mask, o->masks_dir, &host, mask))
		return -1;
	cpuid = cpuid_build(kvm->supported, &mask->features,
			    mask->identity.set ? &mask->identity : NULL);
	if (!cpuid)
		return -1;
	for (unsigned int i = 0; i < report->nresults; i++) {
		struct probe_result *r = &report->results[i];

		r->ring = r->probe->ring == 0 ? 0 : (o->ring >= 0 ? o->ring : 3);
	}
	ret = runner_run(kvm, cpuid, &plan, &os);
	if (!ret) {
		check_guest_cpuid(report, cpuid, &os);
		guest_view_from_cpuid(&view, cpuid);
		for (unsigned int i = 0; i < report->nresults; i++)
			verdict_decide(&report->results[i], kvm->kind, &view);
	}
	free(cpuid);
	return ret;
}

int cmd_verify(int argc, char **argv, enum verify_mode mode)
{
	struct verify_opts o;
	struct kvm_sys kvm;
	struct mask mask;
	struct probe_result *results;
	struct run_report report = { 0 };
	featureset_t none = { { 0 } };
	int ret;

	ret = parse_opts(argc, argv, mode, &o);
	if (ret)
		return ret;
	/* Bad input is reported before the environment is looked at. */
	if (mask_resolve(o.mask, o.masks_dir, &none, &mask))
		return fail();
	results = calloc(nprobes, sizeof(*results));
	if (!results)
		return fprintf(stderr, "cpubench: out of memory\n"), EXIT_ENV;
	if (select_probes(&o, results, &report.nresults)) {
		free(results);
		return fail();
	}
	if (kvm_sys_open(&kvm, o.device)) {
		free(results);
		return fail();
	}
	report.results = results;
	report.mask = o.mask;
	report.backend = kvm.kind;
	report.guest_os = o.guest_os == GUEST_OS_RAW ? "raw" : "linux";
	report.strict = o.strict;
	host_info_read(&report.host, "/proc/cpuinfo");
	if (verify_run(&o, &kvm, &mask, &report)) {
		ret = fail();
	} else {
		run_report_summarize(&report);
		if (report_write(stdout, &report, o.format))
			ret = fail();
		else
			ret = report.passed ? EXIT_HOLDS : EXIT_BROKEN;
	}
	kvm_sys_close(&kvm);
	free(results);
	return ret;
}
