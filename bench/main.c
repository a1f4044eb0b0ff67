// SPDX-License-Identifier: GPL-2.0-only
/*
 * cpubench command line: the command the table names (cli/commands.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "lib/cleanup.h"
#include "lib/err.h"
#include "lib/suggest.h"

static int dispatch(int argc, char **argv)
{
	const struct cli_cmd *c;
	const char *sugg;
	char dym[96] = "";

	if (argc < 2) {
		cli_usage_print(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return cmd_help(1, argv + 1);
	if (!strcmp(argv[1], "--version")) {
		cli_version_print(out_stream());
		return EXIT_HOLDS;
	}
	c = cli_cmd_find(argv[1]);
	if (c && c->run)
		return c->run(argc - 1, argv + 1);
	sugg = cli_cmd_suggest(argv[1]);
	did_you_mean(dym, sizeof(dym), sugg);
	/* through err_set(): control bytes of argv are not echoed */
	err_set("unknown command '%s'%s (try 'cpubench help')", argv[1], dym);
	fprintf(stderr, "cpubench: %s\n", err_msg());
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	/* QEMU and temporary files never outlive a SIGINT, SIGTERM or SIGHUP */
	cleanup_install();
	return cli_finish(argc > 1 ? argv[1] : "", dispatch(argc, argv));
}
