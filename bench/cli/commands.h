/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one source of truth for cpubench's commands and their options
 * (commands.c): getopt_long's tables are built from it (cli_getopt()), the
 * --help texts printed from it (help.c), the shell completions generated
 * from it (completion.c), and tests/cli_help.sh checks the man page
 * against it. Adding an option to a command is one row in its table (and
 * the case that acts on it in the command's switch).
 */
#ifndef CPUBENCH_CLI_COMMANDS_H
#define CPUBENCH_CLI_COMMANDS_H

#include <getopt.h>	/* optind, optarg of cli_getopt() */
#include <stdio.h>

struct cli_opt {
	const char *name;	/* long name without "--"; NULL ends a table */
	const char *arg;	/* its argument's placeholder; NULL: takes none */
	int val;		/* what cli_getopt() returns for it */
	const char *help;	/* lines separated by '\n', no indentation */
	const char *values;	/* the words its argument takes, for completion,
				   space-separated; NULL: a free argument */
};

#define CLI_GROUPS_MAX	4

struct cli_cmd {
	const char *name;	/* "verify"; a subcommand: "import qemu" */
	const char *args;	/* the synopsis after the name */
	const char *summary;	/* one line, for the global help */
	const char *about;	/* paragraphs of the command's help, or NULL */
	/* option tables, each ended by a NULL name; NULL-terminated */
	const struct cli_opt *groups[CLI_GROUPS_MAX];
	const char *exit_status;
	const char *example;	/* lines, each a whole command line */
	int (*run)(int argc, char **argv);	/* argv[0] is the name; NULL:
						   reached through its parent */
};

extern const struct cli_cmd cli_cmds[];
extern const unsigned int cli_ncmds;

/* The command named @name ("import qemu" for a subcommand), or NULL. */
const struct cli_cmd *cli_cmd_find(const char *name);

/* The closest command name to the misspelt @name, or NULL. */
const char *cli_cmd_suggest(const char *name);

/* For each option @o of command @c, in help order (@g: its table). */
#define cli_cmd_for_each_opt(c, g, o)					\
	for (unsigned int g = 0; g < CLI_GROUPS_MAX && (c)->groups[g]; g++) \
		for (const struct cli_opt *o = (c)->groups[g]; o->name; o++)

/*
 * getopt_long over the options of command @cmd (its table row), with -h
 * and --help. Returns the next option's val with optarg set, or -1 after
 * the last option. --help or -h prints the command's help and ends the
 * process through cli_finish(). An option the command does not take, one
 * missing its argument or one given an argument it does not take returns
 * CLI_OPT_BAD after printing the one-line error: a suggestion for a
 * misspelling, the commands that take an option that does not apply here.
 * Call with optind = 1 first; the caller stops at CLI_OPT_BAD with
 * EXIT_USAGE.
 */
#define CLI_OPT_BAD	'?'
int cli_getopt(int argc, char **argv, const char *cmd);

/* Prints command @c's help: usage, about, options, exit status, example. */
void cli_help_print(FILE *out, const struct cli_cmd *c);

/* The global help: what cpubench is, every command with its summary. */
void cli_usage_print(FILE *out);

/* "cpubench VERSION (catalog: ...)": the release and where the catalog's
   built-in models come from, read from their provenance (version.c). */
void cli_version_print(FILE *out);

#endif
