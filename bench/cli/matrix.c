// SPDX-License-Identifier: GPL-2.0-only
/*
 * `cpubench matrix`: every model x every probe on this host, one fresh VM
 * per model (KVM fixes a vCPU's CPUID at its first KVM_RUN).
 *
 * --masks LIST is comma-separated; a token that is not a known model name
 * continues the previous model's spec, so "x86-64-v2,x86-64-v3,-avx2" is
 * two models: x86-64-v2 and "x86-64-v3,-avx2".
 *
 * Exit status as verify's: 0 every model holds, 1 at least one does not,
 * 2 bad usage or input, 3 this environment cannot run guests.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/backend.h"
#include "backend/model_run.h"
#include "catalog/mask.h"
#include "cli/cmd.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "cli/progress.h"
#include "cli/run_opts.h"
#include "host/host_info.h"
#include "lib/err.h"
#include "report/matrix.h"
#include "report/report.h"

struct matrix_opts {
	struct run_opts run;		/* the options shared with other commands */
	const char *masks;		/* "all" or LIST */
};

static int usage_error(const char *fmt, const char *arg)
{
	return cmd_usage_error("matrix", fmt, arg);
}

static int parse_opts(int argc, char **argv, struct matrix_opts *o)
{
	int c, ret;

	*o = (struct matrix_opts){ .masks = "all" };
	run_opts_init(&o->run);
	optind = 1;
	while ((c = cli_getopt(argc, argv, "matrix")) != -1) {
		switch (c) {
		case 'm': o->masks = optarg; break;
		case CLI_OPT_BAD: return EXIT_USAGE;
		default:
			ret = run_opts_parse(&o->run, c, optarg, "matrix");
			if (ret)
				return ret == 1 ? usage_error("internal: option '%s' not handled",
							      argv[optind - 1]) : ret;
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	if (!*o->masks)
		return usage_error("%s--masks needs 'all' or a list of models", "");
	return 0;
}

static bool is_name(char **names, int n, const char *tok)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(names[i], tok))
			return true;
	return false;
}

/*
 * Splits --masks into model specs (malloc'ed, in *@specs). Returns the
 * count, or -1 with err_set().
 */
static int split_specs(const struct matrix_opts *o, char ***specs)
{
	char **names, *list, *tok, *save = NULL;
	int nnames = mask_list(o->run.masks_dir, &names), n = 0;
	char **out;

	if (nnames < 0)
		return -1;
	if (!strcmp(o->masks, "all")) {
		*specs = names;
		return nnames;
	}
	list = strdup(o->masks);
	out = calloc(strlen(o->masks) / 2 + 2, sizeof(*out));
	if (!list || !out) {
		free(list);
		free(out);
		mask_list_free(names, nnames);
		return err_set("out of memory");
	}
	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (n && !is_name(names, nnames, tok)) {
			size_t len = strlen(out[n - 1]) + strlen(tok) + 2;
			char *spec = realloc(out[n - 1], len);

			if (!spec)
				break;
			strcat(strcat(spec, ","), tok);
			out[n - 1] = spec;
		} else if (!(out[n] = strdup(tok))) {
			break;
		} else {
			n++;
		}
	}
	free(list);
	mask_list_free(names, nnames);
	if (tok) {
		mask_list_free(out, n);
		return err_set("out of memory");
	}
	if (!n) {
		free(out);
		return err_set("--masks needs 'all' or a list of models");
	}
	*specs = out;
	return n;
}

static int fail(void)
{
	fprintf(stderr, "cpubench: %s\n", err_msg());
	return err_class();
}

static int write_matrix(const struct matrix_opts *o, const struct run_report *r,
			unsigned int n)
{
	FILE *out = out_stream();

	switch (o->run.format) {
	case REPORT_TABLE:
		return report_write_matrix_table(out, r, n);
	case REPORT_JSON:
		return report_write_matrix_json(out, r, n);
	case REPORT_JUNIT:
		return report_write_junit(out, r, n);
	case REPORT_TAP:
		return report_write_tap(out, r, n);
	case REPORT_MARKDOWN:
		return report_write_markdown(out, r, n);
	default:
		return report_write_html(out, r, n);
	}
}

/* Progress: model @m is judged; the next one is under way. */
static void model_judged(void *ctx, unsigned int m)
{
	char **specs = ctx;

	progress_show(m + 1, specs[m]);
}

/*
 * Runs every model of @masks, spread over the cores (--jobs); fills
 * @reports in model order. Returns 0 or -1 (err_set).
 */
static int run_all(const struct matrix_opts *o, struct backend *b,
		   struct mask *masks, char **specs, int n, struct run_report *reports)
{
	struct model_run_opts mo = run_opts_model(&o->run);
	struct host_info host;
	int ret;

	mo.judged = model_judged;
	mo.judged_ctx = specs;
	host_info_read(&host, HOST_CPUINFO_PATH);
	for (int m = 0; m < n; m++) {
		struct run_report *r = &reports[m];

		r->results = calloc(nprobes + ENABLES_MAX, sizeof(*r->results));
		if (!r->results)
			return err_set("out of memory");
		for (unsigned int i = 0; i < nprobes; i++)
			if (!probe_is_selftest(&probes[i]))
				r->results[r->nresults++].probe = &probes[i];
		r->mask = specs[m];
		r->host = host;
		r->guest_os = o->run.guest_os == GUEST_OS_RAW ? "raw" : "linux";
		r->strict = o->run.strict;
	}
	progress_begin("matrix", (unsigned int)n);
	ret = model_run_many(b, masks, &mo, reports, n);
	progress_end();
	if (ret)
		return -1;
	for (int m = 0; m < n; m++)
		run_report_summarize(&reports[m]);
	return 0;
}

/*
 * Leaves out the models no guest of cpubench can run (model_run_supported():
 * 32-bit CPUs), naming them on stderr, and compacts @specs and @masks.
 * Returns how many are left; 0 (after err_set()) when none is, the
 * dropped specs freed either way.
 */
static int drop_unverifiable(char **specs, struct mask *masks, int n)
{
	int kept = 0, dropped = 0;

	for (int m = 0; m < n; m++) {
		if (model_run_supported(&masks[m])) {
			if (!dropped++)
				fputs("cpubench: matrix: left out, no long mode (cpubench's guest is 64-bit):",
				      stderr);
			fprintf(stderr, " %s", specs[m]);
			free(specs[m]);
			continue;
		}
		specs[kept] = specs[m];
		masks[kept++] = masks[m];
	}
	if (dropped)
		fputc('\n', stderr);
	if (!kept) {
		err_set("no model left to run: every one has no long mode (lm)");
		err_set_class(EXIT_USAGE);
	}
	return kept;
}

int cmd_matrix(int argc, char **argv)
{
	struct matrix_opts o;
	struct run_report *reports = NULL;
	struct mask *masks = NULL;
	struct backend b;
	char **specs = NULL;
	int n, ret;

	ret = parse_opts(argc, argv, &o);
	if (ret)
		return ret;
	n = split_specs(&o, &specs);
	if (n < 0)
		return fail();
	/* Bad input is reported before the environment is looked at. */
	masks = calloc(n, sizeof(*masks));
	if (!masks) {
		mask_list_free(specs, n);
		return fprintf(stderr, "cpubench: out of memory\n"), EXIT_ENV;
	}
	/* the catalog (and --masks-dir) parsed once for every model */
	if (mask_resolve_many(specs, n, o.run.masks_dir, NULL, masks)) {
		mask_list_free(specs, n);
		free(masks);
		return fail();
	}
	if (backend_open(&b, "kvm", o.run.device)) {
		mask_list_free(specs, n);
		free(masks);
		return fail();
	}
	for (int m = 0; m < n; m++)
		mask_bind_host(&masks[m], &b.host);
	n = drop_unverifiable(specs, masks, n);
	if (!n) {
		backend_close(&b);
		mask_list_free(specs, 0);
		free(masks);
		return fail();
	}
	reports = calloc(n, sizeof(*reports));
	if (!reports) {
		err_set("out of memory");
		ret = fail();
	} else if (run_all(&o, &b, masks, specs, n, reports) ||
		   write_matrix(&o, reports, n)) {
		ret = fail();
	} else {
		ret = EXIT_HOLDS;
		for (int m = 0; m < n; m++)
			if (!reports[m].passed)
				ret = EXIT_BROKEN;
	}
	for (int m = 0; reports && m < n; m++)
		free(reports[m].results);
	free(reports);
	free(masks);
	backend_close(&b);
	mask_list_free(specs, n);
	return ret;
}
