// SPDX-License-Identifier: GPL-2.0-only
/* --help, `cpubench help [COMMAND]`: printed from the table (commands.h). */
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "cli/run_opts.h"
#include "lib/err.h"
#include "lib/suggest.h"

#define OPT_COLUMN	22

/* @text's lines, each after @indent spaces, the first after @first. */
static void put_lines(FILE *out, const char *text, int first, int indent)
{
	int pad = first;

	while (*text) {
		size_t len = strcspn(text, "\n");

		fprintf(out, "%*s%.*s\n", pad, "", (int)len, text);
		text += len + (text[len] == '\n');
		pad = indent;
	}
}

static void put_opt(FILE *out, const char *name, const char *arg, const char *help)
{
	int w = fprintf(out, "  --%s%s%s", name, arg ? " " : "", arg ? arg : "");

	if (w + 2 > OPT_COLUMN) {
		fputc('\n', out);
		w = 0;
	}
	put_lines(out, help, OPT_COLUMN - w, OPT_COLUMN);
}

/* The subcommands of @c ("import qemu" of "import"), one line each. */
static void put_subcommands(FILE *out, const struct cli_cmd *c)
{
	size_t len = strlen(c->name);
	int any = 0;

	for (unsigned int i = 0; i < cli_ncmds; i++) {
		const struct cli_cmd *s = &cli_cmds[i];

		if (strncmp(s->name, c->name, len) || s->name[len] != ' ')
			continue;
		fprintf(out, "%s  cpubench %s %s\n      %s\n", any++ ? "" : "\ncommands:\n",
			s->name, s->args, s->summary);
	}
}

void cli_help_print(FILE *out, const struct cli_cmd *c)
{
	fprintf(out, "usage: cpubench %s %s\n", c->name, c->args);
	if (c->about) {
		fputc('\n', out);
		put_lines(out, c->about, 0, 0);
	}
	put_subcommands(out, c);
	fputs("\noptions:\n", out);
	cli_cmd_for_each_opt(c, g, o)
		put_opt(out, o->name, o->arg, o->help);
	fputs("  -h, --help          this help\n", out);
	fputs("\nexit status:\n", out);
	put_lines(out, c->exit_status, 2, 2);
	fputs("\nexample:\n", out);
	put_lines(out, c->example, 2, 2);
}

void cli_usage_print(FILE *out)
{
	fputs("usage: cpubench COMMAND [OPTIONS]\n"
	      "\n"
	      "Boots a tiny guest under a CPU model's CPUID and executes one probe per\n"
	      "feature, to prove what the model hides and what it really provides.\n"
	      "\n"
	      "commands:\n", out);
	for (unsigned int i = 0; i < cli_ncmds; i++)
		if (cli_cmds[i].run)
			fprintf(out, "  %-11s %s\n", cli_cmds[i].name, cli_cmds[i].summary);
	fputs("\n"
	      "  cpubench help COMMAND, cpubench COMMAND --help   a command's options,\n"
	      "                            exit statuses and an example\n"
	      "  --output FILE             (every command but import) write the output\n"
	      "                            to FILE, replaced whole or not at all\n"
	      "  cpubench --version        the version and the catalog's QEMU release\n"
	      "\n"
	      "exit status: 0 the model holds, 1 it does not, 2 bad usage or input,\n"
	      "3 this environment cannot run guests.\n", out);
}

int cmd_help(int argc, char **argv)
{
	const struct cli_cmd *c;
	char name[128], dym[96] = "";
	const char *sugg;
	int v;

	optind = 1;
	while ((v = cli_getopt(argc, argv, "help")) != -1)
		if (v == CLI_OPT_BAD)
			return EXIT_USAGE;
	if (optind == argc) {
		cli_usage_print(out_stream());
		return EXIT_HOLDS;
	}
	if (argc - optind > 2)
		return cmd_usage_error("help", "unexpected argument '%s'", argv[optind + 2]);
	snprintf(name, sizeof(name), "%s%s%s", argv[optind], argc - optind > 1 ? " " : "",
		 argc - optind > 1 ? argv[optind + 1] : "");
	c = cli_cmd_find(name);
	if (c) {
		cli_help_print(out_stream(), c);
		return EXIT_HOLDS;
	}
	sugg = cli_cmd_suggest(name);
	did_you_mean(dym, sizeof(dym), sugg);
	err_set("help: unknown command '%s'%s (try 'cpubench help')", name, dym);
	fprintf(stderr, "cpubench: %s\n", err_msg());
	return EXIT_USAGE;
}
