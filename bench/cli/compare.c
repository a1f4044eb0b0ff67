// SPDX-License-Identifier: GPL-2.0-only
/*
 * cpubench compare --mask M --host H: can model M run on host H, and
 * what is missing there. Exit 0 it can, 1 it cannot.
 */
#include <getopt.h>
#include <stdlib.h>

#include "catalog/lint.h"
#include "cli/cmd.h"
#include "cli/common.h"
#include "cli/output.h"
#include "host/host_fp.h"
#include "lib/err.h"
#include "lib/textesc.h"

static const char compare_help[] =
	"usage: cpubench compare --mask MODEL --host HOST [--format table|json]\n"
	"                        [--masks-dir DIR]\n"
	"\n"
	"Whether every feature MODEL advertises is available to a guest on HOST\n"
	"(a 'cpubench host --save' file, /proc/cpuinfo, a flags line or lscpu\n"
	"output). Exit status 0: it runs there; 1: features are missing.\n"
	"\n"
	CLI_OUTPUT_HELP;

static int report(const struct mask *m, const struct host_fp *h,
		  const featureset_t *miss, const struct lint *lint, int json)
{
	unsigned int n = featureset_count(miss);
	FILE *out = out_stream();

	if (json)
		return out_json(out, json_pack("{s:s,s:s,s:s,s:b,s:o,s:o}",
			"mask", m->spec, "host", h->name, "source", h->source,
			"runs", n == 0, "missing", hcmd_features_json(miss, 0),
			"warnings", lint_json(lint)));
	lint_print(stderr, lint);
	/* the host's name comes from its file: escaped */
	fprintf(out, "%s %s on ", m->spec, n ? "cannot run" : "runs");
	text_put(out, h->name);
	if (!n) {
		fprintf(out, ": all %u features are there\n", featureset_count(&m->features));
		return 0;
	}
	fprintf(out, ": %u missing: ", n);
	hcmd_features_print(out, miss, 0);
	fputc('\n', out);
	return 0;
}

int cmd_compare(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "mask", required_argument, NULL, 'm' },
		{ "host", required_argument, NULL, 'H' },
		{ "format", required_argument, NULL, 'f' },
		{ "masks-dir", required_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		CLI_OUTPUT_LONGOPT,
		{ NULL, 0, NULL, 0 },
	};
	const char *spec = NULL, *hostfile = NULL, *dir = NULL;
	featureset_t miss;
	struct host_fp h;
	struct mask m;
	struct lint lint;
	int c, json = 0;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'm': spec = optarg; break;
		case 'H': hostfile = optarg; break;
		case 'D': dir = optarg; break;
		case 'f':
			if (hcmd_format(optarg, &json))
				return hcmd_usage("compare", "unknown format '%s': use table or json", optarg);
			break;
		case 'h':
			fputs(compare_help, out_stream());
			return EXIT_HOLDS;
		case CLI_OPT_OUTPUT:
			if ((c = cli_output_option("compare", optarg)))
				return c;
			break;
		default:
			return hcmd_usage("compare", "unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return hcmd_usage("compare", "unexpected argument '%s'", argv[optind]);
	if (!spec || !hostfile)
		return hcmd_usage("compare", "%s", "needs --mask MODEL and --host HOST");
	if (host_fp_load(hostfile, &h))
		return hcmd_fail();
	/* "host" here means host H's own features */
	if (mask_resolve(spec, dir, &h.features, &m))
		return hcmd_fail();
	featureset_diff(&miss, &m.features, &h.features);
	lint_mask(&m, &lint);
	if (report(&m, &h, &miss, &lint, json))
		return hcmd_fail();
	return featureset_empty(&miss) ? EXIT_HOLDS : EXIT_BROKEN;
}
