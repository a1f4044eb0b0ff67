// SPDX-License-Identifier: GPL-2.0-only
/*
 * `cpubench completion bash|zsh|list`: shell completion generated from
 * the table (commands.h), so it offers exactly the commands and options
 * cpubench takes. An option's argument completes to its values when it
 * has a fixed set, to files for FILE, PATH and HOST, to directories for
 * DIR; free arguments (MODEL, N) complete to nothing.
 */
#include <string.h>

#include "cli/cmd.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "cli/run_opts.h"
#include "lib/err.h"

enum arg_kind { ARG_NONE, ARG_FILE, ARG_DIR, ARG_WORDS };

static enum arg_kind arg_kind(const struct cli_opt *o)
{
	if (o->values)
		return ARG_WORDS;
	if (!o->arg)
		return ARG_NONE;
	if (strstr(o->arg, "DIR"))
		return ARG_DIR;
	if (!strcmp(o->arg, "FILE") || !strcmp(o->arg, "PATH") || !strcmp(o->arg, "HOST"))
		return ARG_FILE;
	return ARG_NONE;
}

/* The words a command's positional arguments complete to; NULL: files. */
static const char *positional_words(const struct cli_cmd *c)
{
	if (!strcmp(c->name, "import"))
		return "qemu qemu-source libvirt";
	if (!strcmp(c->name, "completion"))
		return "bash zsh list";
	return NULL;
}

static void put_command_names(FILE *out, int subcommands)
{
	int n = 0;

	for (unsigned int i = 0; i < cli_ncmds; i++)
		if (subcommands || cli_cmds[i].run)
			fprintf(out, "%s%s", n++ ? " " : "", cli_cmds[i].name);
}

static void put_list(FILE *out)
{
	for (unsigned int i = 0; i < cli_ncmds; i++) {
		fputs(cli_cmds[i].name, out);
		cli_cmd_for_each_opt(&cli_cmds[i], g, o)
			fprintf(out, " --%s", o->name);
		fputs(" --help\n", out);
	}
}

static void put_bash(FILE *out)
{
	fputs("# bash completion for cpubench, generated from its option tables by\n"
	      "# 'cpubench completion bash'.\n"
	      "_cpubench()\n{\n"
	      "\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
	      "\tlocal cmd=${COMP_WORDS[1]} opts= words=\n"
	      "\tif [ \"$COMP_CWORD\" -eq 1 ]; then\n"
	      "\t\tCOMPREPLY=($(compgen -W '", out);
	put_command_names(out, 0);
	fputs(" --help --version' -- \"$cur\"))\n"
	      "\t\treturn\n"
	      "\tfi\n"
	      "\tif [ \"$cmd\" = import ] && [ \"$COMP_CWORD\" -gt 2 ]; then\n"
	      "\t\tcmd=\"import ${COMP_WORDS[2]}\"\n"
	      "\tfi\n"
	      "\tcase \"$cmd:$prev\" in\n", out);
	for (unsigned int i = 0; i < cli_ncmds; i++)
		cli_cmd_for_each_opt(&cli_cmds[i], g, o) {
			static const char *const action[] = {
				[ARG_NONE] = "COMPREPLY=()",
				[ARG_FILE] = "COMPREPLY=($(compgen -f -- \"$cur\"))",
				[ARG_DIR] = "COMPREPLY=($(compgen -d -- \"$cur\"))",
				[ARG_WORDS] = NULL,
			};
			enum arg_kind k = arg_kind(o);

			if (!o->arg)
				continue;
			fprintf(out, "\t'%s:--%s') ", cli_cmds[i].name, o->name);
			if (k == ARG_WORDS)
				fprintf(out, "COMPREPLY=($(compgen -W '%s' -- \"$cur\"))", o->values);
			else
				fputs(action[k], out);
			fputs("; return ;;\n", out);
		}
	fputs("\tesac\n"
	      "\tcase \"$cmd\" in\n", out);
	for (unsigned int i = 0; i < cli_ncmds; i++) {
		const char *w = positional_words(&cli_cmds[i]);

		fprintf(out, "\t'%s') opts='", cli_cmds[i].name);
		cli_cmd_for_each_opt(&cli_cmds[i], g, o)
			fprintf(out, "--%s ", o->name);
		fputs("--help'", out);
		if (w)
			fprintf(out, " words='%s'", w);
		fputs(" ;;\n", out);
	}
	fputs("\tesac\n"
	      "\tif [ \"$cmd\" = help ]; then\n"
	      "\t\twords='", out);
	put_command_names(out, 0);
	fputs("'\n"
	      "\tfi\n"
	      "\tif [[ $cur == -* ]]; then\n"
	      "\t\tCOMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
	      "\telif [ -n \"$words\" ]; then\n"
	      "\t\tCOMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
	      "\telse\n"
	      "\t\tCOMPREPLY=($(compgen -f -- \"$cur\"))\n"
	      "\tfi\n"
	      "}\n"
	      "complete -F _cpubench cpubench\n", out);
}

/* @text's first line without the characters zsh's specs give a meaning. */
static void put_zsh_text(FILE *out, const char *text)
{
	for (; *text && *text != '\n'; text++)
		if (!strchr("[]:'\\`$", *text))
			fputc(*text, out);
}

static void put_zsh(FILE *out)
{
	fputs("#compdef cpubench\n"
	      "# zsh completion for cpubench, generated from its option tables by\n"
	      "# 'cpubench completion zsh'.\n"
	      "_cpubench() {\n"
	      "\tlocal -a cmds\n"
	      "\tcmds=(\n", out);
	for (unsigned int i = 0; i < cli_ncmds; i++) {
		if (!cli_cmds[i].run)
			continue;
		fprintf(out, "\t\t'%s:", cli_cmds[i].name);
		put_zsh_text(out, cli_cmds[i].summary);
		fputs("'\n", out);
	}
	fputs("\t)\n"
	      "\tif (( CURRENT == 2 )); then\n"
	      "\t\t_describe -t commands 'cpubench command' cmds\n"
	      "\t\treturn\n"
	      "\tfi\n"
	      "\tlocal cmd=$words[2]\n"
	      "\tshift words; (( CURRENT-- ))\n"
	      "\tif [[ $cmd == import ]] && (( CURRENT > 2 )); then\n"
	      "\t\tcmd=\"import $words[2]\"\n"
	      "\t\tshift words; (( CURRENT-- ))\n"
	      "\tfi\n"
	      "\tcase $cmd in\n", out);
	for (unsigned int i = 0; i < cli_ncmds; i++) {
		const struct cli_cmd *c = &cli_cmds[i];
		const char *w = positional_words(c);

		fprintf(out, "\t'%s')\n\t\t_arguments -s \\\n", c->name);
		cli_cmd_for_each_opt(c, g, o) {
			enum arg_kind k = arg_kind(o);

			fprintf(out, "\t\t\t'--%s[", o->name);
			put_zsh_text(out, o->help);
			fputc(']', out);
			if (o->arg) {
				fputc(':', out);
				put_zsh_text(out, o->arg);
				fputc(':', out);
				if (k == ARG_WORDS)
					fprintf(out, "(%s)", o->values);
				else if (k == ARG_FILE)
					fputs("_files", out);
				else if (k == ARG_DIR)
					fputs("_files -/", out);
				else
					fputs(" ", out);
			}
			fputs("' \\\n", out);
		}
		fputs("\t\t\t'(- *)--help[this help]' \\\n", out);
		if (!strcmp(c->name, "help")) {
			fputs("\t\t\t'1:command:(", out);
			put_command_names(out, 0);
			fputs(")'\n\t\t;;\n", out);
		} else if (w) {
			fprintf(out, "\t\t\t'1:argument:(%s)'\n\t\t;;\n", w);
		} else {
			fputs("\t\t\t'*:file:_files'\n\t\t;;\n", out);
		}
	}
	fputs("\tesac\n"
	      "}\n"
	      "_cpubench \"$@\"\n", out);
}

int cmd_completion(int argc, char **argv)
{
	int v;

	optind = 1;
	while ((v = cli_getopt(argc, argv, "completion")) != -1) {
		if (v == CLI_OPT_BAD)
			return EXIT_USAGE;
		if (v == CLI_OPT_OUTPUT && cli_output_option("completion", optarg))
			return EXIT_USAGE;
	}
	if (argc - optind != 1)
		return cmd_usage_error("completion", "%s", "needs one of bash, zsh or list");
	if (!strcmp(argv[optind], "bash"))
		put_bash(out_stream());
	else if (!strcmp(argv[optind], "zsh"))
		put_zsh(out_stream());
	else if (!strcmp(argv[optind], "list"))
		put_list(out_stream());
	else
		return cmd_usage_error("completion", "unknown shell '%s': use bash, zsh or list",
				       argv[optind]);
	return EXIT_HOLDS;
}
