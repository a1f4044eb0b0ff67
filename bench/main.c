// SPDX-License-Identifier: GPL-2.0-only
/*
 * cpubench command line: verify, run.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "err.h"

static const char usage_text[] =
	"usage: cpubench COMMAND [OPTIONS]\n"
	"\n"
	"Boots a tiny guest under a CPU model's CPUID and executes one probe per\n"
	"feature, to prove what the model hides and what it really provides.\n"
	"\n"
	"commands:\n"
	"  verify --mask MODEL    run every probe under MODEL and judge the model\n"
	"  run --mask MODEL --probe LIST\n"
	"                         run the named probes only\n"
	"\n"
	"  cpubench COMMAND --help   options of a command\n"
	"  cpubench --version\n"
	"\n"
	"exit status: 0 the model holds, 1 it does not, 2 bad usage or input,\n"
	"3 this environment cannot run guests.\n";

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage_text, stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		fputs(usage_text, stdout);
		return EXIT_HOLDS;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("cpubench %s\n", CPUBENCH_VERSION);
		return EXIT_HOLDS;
	}
	if (!strcmp(argv[1], "verify"))
		return cmd_verify(argc - 1, argv + 1, CMD_VERIFY);
	if (!strcmp(argv[1], "run"))
		return cmd_verify(argc - 1, argv + 1, CMD_RUN);
	fprintf(stderr, "cpubench: unknown command '%s': try 'cpubench --help'\n", argv[1]);
	return EXIT_USAGE;
}
