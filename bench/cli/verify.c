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

#include "backend/backend.h"
#include "backend/model_run.h"
#include "catalog/lint.h"
#include "catalog/mask.h"
#include "cli/cmd.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "cli/progress.h"
#include "cli/run_opts.h"
#include "cpu/cpuid_builder.h"
#include "cpu/feature.h"
#include "host/baseline.h"
#include "host/host_info.h"
#include "judge/verdict.h"
#include "lib/err.h"
#include "report/compare.h"
#include "report/report.h"

struct verify_opts {
	struct run_opts run;		/* the options shared with other commands */
	const char *mask;
	const char *probes;		/* --probe LIST (run) */
	const char *backend;		/* kvm, qemu-tcg, qemu-kvm */
	const char *compare;		/* --compare-backends LIST, or NULL */
};

enum verify_mode {
	CMD_VERIFY,	/* every probe of the catalog */
	CMD_RUN,	/* the probes named with --probe */
};

static int usage_error(const char *fmt, const char *arg)
{
	return cmd_usage_error("verify", fmt, arg);
}

static int parse_opts(int argc, char **argv, enum verify_mode mode,
		      struct verify_opts *o)
{
	const char *cmd = mode == CMD_RUN ? "run" : "verify";
	int c, ret;

	*o = (struct verify_opts){ 0 };
	run_opts_init(&o->run);
	optind = 1;
	while ((c = cli_getopt(argc, argv, cmd)) != -1) {
		switch (c) {
		case 'm': o->mask = optarg; break;
		case 'p': o->probes = optarg; break;
		case 'b': o->backend = optarg; break;
		case 'c': o->compare = optarg; break;
		case CLI_OPT_BAD: return EXIT_USAGE;
		default:
			ret = run_opts_parse(&o->run, c, optarg, cmd);
			if (ret)
				return ret == 1 ? usage_error("internal: option '%s' not handled",
							      argv[optind - 1]) : ret;
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	if (!o->mask)
		return usage_error("%s needs --mask MODEL", cmd);
	cli_output_subject(o->mask);
	if (mode == CMD_RUN && !o->probes)
		return usage_error("%s needs --probe LIST (cpubench verify runs them all)", "run");
	if (o->compare && o->backend)
		return usage_error("%s: pick one of --backend and --compare-backends", "--backend");
	if (!o->backend)
		o->backend = "kvm";
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
 * Runs @report's probes under the resolved model @mask on backend @name,
 * judges and summarizes them into @report.
 */
static int verify_backend(const struct verify_opts *o, const char *name,
			  const struct mask *mask, struct run_report *report)
{
	struct model_run_opts mo = run_opts_model(&o->run);
	struct mask bound = *mask;
	struct backend b;
	int ret;

	if (backend_open(&b, name, o->run.device))
		return -1;
	mask_bind_host(&bound, &b.host);
	ret = model_run(&b, &bound, &mo, report);
	backend_close(&b);
	if (!ret)
		run_report_summarize(report);
	return ret;
}

/*
 * What holds here when @r failed: the features whose probes were missing
 * or could not conclude turned off (host/baseline.h: model_suggest()),
 * into @buf. Nothing when only leaks failed: no model hides better.
 */
static void suggest(const struct verify_opts *o, const struct mask *mask,
		    struct run_report *r, char *buf, size_t len)
{
	struct model_catalog cat;
	featureset_t failing;

	featureset_clear(&failing);
	for (unsigned int i = 0; i < r->nresults; i++) {
		int rank = report_fail_rank(&r->results[i], r->strict);
		int f = r->results[i].probe && r->results[i].probe->feature ?
			feature_lookup(r->results[i].probe->feature) : -1;

		if ((rank == 0 || rank == 1) && f >= 0)
			featureset_add(&failing, f);
	}
	if (featureset_empty(&failing) || model_catalog_load(o->run.masks_dir, &cat))
		return;
	model_suggest(&cat, mask, &failing, buf, len);
	model_catalog_free(&cat);
	r->suggestion = buf;
}

/* Reports the judged @r, with what holds here when it failed. */
static int verify_write(const struct verify_opts *o, const struct mask *mask,
			struct run_report *r, char *buf, size_t len)
{
	if (!r->passed)
		suggest(o, mask, r, buf, len);
	if (report_write(out_stream(), r, o->run.format))
		return fail();
	return r->passed ? EXIT_HOLDS : EXIT_BROKEN;
}

/* The backends of --compare-backends LIST. */
static unsigned int n_backends(const char *list)
{
	unsigned int n = 1;

	for (const char *p = list; *p; p++)
		n += *p == ',';
	return n;
}

/* --compare-backends A,B: the same probes under each, side by side. */
static int verify_compare(const struct verify_opts *o, const struct mask *mask,
			  const struct run_report *proto)
{
	struct run_report *reports = calloc(COMPARE_MAX_BACKENDS, sizeof(*reports));
	const struct run_report *ptrs[COMPARE_MAX_BACKENDS];
	char *list = strdup(o->compare), *save = NULL, *name;
	unsigned int n = 0;
	int ret = 0;
	bool passed = true;

	if (!list || !reports) {
		free(list);
		free(reports);
		return fprintf(stderr, "cpubench: out of memory\n"), EXIT_ENV;
	}
	/* QEMU starts and runs for seconds: say where it stands */
	progress_begin("compare-backends", n_backends(o->compare));
	for (name = strtok_r(list, ",", &save); name && !ret; name = strtok_r(NULL, ",", &save)) {
		if (n == COMPARE_MAX_BACKENDS) {
			err_set("--compare-backends takes at most %d backends", COMPARE_MAX_BACKENDS);
			ret = -1;
			break;
		}
		reports[n] = *proto;
		reports[n].results = calloc(nprobes + ENABLES_MAX, sizeof(*proto->results));
		if (!reports[n].results) {
			ret = err_set("out of memory");
			break;
		}
		memcpy(reports[n].results, proto->results, proto->nresults * sizeof(*proto->results));
		ptrs[n] = &reports[n];
		n++;
		progress_show(n - 1, name);
		ret = verify_backend(o, name, mask, &reports[n - 1]);
		passed &= reports[n - 1].passed;
	}
	progress_end();
	if (!ret && n < 2)
		ret = err_set("--compare-backends needs two backends, e.g. kvm,qemu-tcg");
	if (!ret && report_compare_write(out_stream(), ptrs, n, o->run.format))
		ret = -1;
	ret = ret ? fail() : passed ? EXIT_HOLDS : EXIT_BROKEN;
	for (unsigned int i = 0; i < n; i++)
		free(reports[i].results);
	free(reports);
	free(list);
	return ret;
}

static int verify_main(int argc, char **argv, enum verify_mode mode)
{
	struct verify_opts o;
	struct mask mask;
	struct probe_result *results;
	struct run_report *report;
	struct lint lint;
	char suggestion[512];
	int ret;

	ret = parse_opts(argc, argv, mode, &o);
	if (ret)
		return ret;
	/* Bad input is reported before the environment is looked at. */
	if (mask_resolve(o.mask, o.run.masks_dir, NULL, &mask))
		return fail();
	lint_mask(&mask, &lint);
	lint_print(stderr, &lint);	/* migration warnings; never the exit status */
	/* room for the raw guest OS's enable rows after the probes */
	results = calloc(nprobes + ENABLES_MAX, sizeof(*results));
	report = calloc(1, sizeof(*report));
	if (!results || !report) {
		free(results);
		free(report);
		return fprintf(stderr, "cpubench: out of memory\n"), EXIT_ENV;
	}
	if (select_probes(&o, results, &report->nresults)) {
		ret = fail();
		goto out;
	}
	report->results = results;
	report->mask = o.mask;
	report->guest_os = o.run.guest_os == GUEST_OS_RAW ? "raw" : "linux";
	report->strict = o.run.strict;
	host_info_read(&report->host, "/proc/cpuinfo");
	/* a QEMU backend starts a process and, under TCG, emulates: seconds */
	if (!o.compare && !strncmp(o.backend, "qemu", 4)) {
		progress_begin("verify", 1);
		progress_show(0, o.mask);
	}
	if (o.compare) {
		ret = verify_compare(&o, &mask, report);
	} else {
		ret = verify_backend(&o, o.backend, &mask, report);
		progress_end();
		ret = ret ? fail() : verify_write(&o, &mask, report, suggestion,
						  sizeof(suggestion));
	}
out:
	free(results);
	free(report);
	return ret;
}

int cmd_verify(int argc, char **argv)
{
	return verify_main(argc, argv, CMD_VERIFY);
}

int cmd_run(int argc, char **argv)
{
	return verify_main(argc, argv, CMD_RUN);
}
