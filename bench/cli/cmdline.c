// SPDX-License-Identifier: GPL-2.0-only
/* getopt_long over a command's row of the table (commands.h). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/output.h"
#include "cli/run_opts.h"
#include "lib/err.h"
#include "lib/suggest.h"

#define CLI_OPTS_MAX	48

/* getopt_long's table for @c, with --help; 0, or -1 when it is too long. */
static int longopts_build(const struct cli_cmd *c, struct option *lo)
{
	unsigned int n = 0;

	cli_cmd_for_each_opt(c, g, o) {
		if (n + 2 >= CLI_OPTS_MAX)
			return -1;
		lo[n++] = (struct option){ o->name, o->arg ? required_argument : no_argument,
					   NULL, o->val };
	}
	lo[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	lo[n] = (struct option){ NULL, 0, NULL, 0 };
	return 0;
}

static const struct cli_opt *opt_find(const struct cli_cmd *c, const char *name, size_t len)
{
	cli_cmd_for_each_opt(c, g, o)
		if (strlen(o->name) == len && !strncmp(o->name, name, len))
			return o;
	return NULL;
}

/* "verify, run and matrix" in @buf: the commands that take --@name; how many. */
static unsigned int takers(const char *name, size_t len, char *buf, size_t size)
{
	unsigned int n = 0, k = 0;
	size_t at = 0;

	for (unsigned int i = 0; i < cli_ncmds; i++)
		n += opt_find(&cli_cmds[i], name, len) != NULL;
	buf[0] = '\0';
	for (unsigned int i = 0; i < cli_ncmds && at < size; i++)
		if (opt_find(&cli_cmds[i], name, len))
			at += snprintf(buf + at, size - at, "%s%s", cli_cmds[i].name,
				       ++k == n ? "" : k + 1 == n ? " and " : ", ");
	return n;
}

/* The closest option of @c to --@name (@len bytes), or NULL. */
static const char *opt_suggest(const struct cli_cmd *c, const char *name, size_t len)
{
	const char *names[CLI_OPTS_MAX];
	char folded[80];
	size_t n = 0;

	cli_cmd_for_each_opt(c, g, o)
		if (n + 1 < CLI_OPTS_MAX)
			names[n++] = o->name;
	names[n++] = "help";
	snprintf(folded, sizeof(folded), "%.*s", (int)len, name);
	return name_suggest(folded, names, n);
}

/*
 * The one-line error for an option getopt refused: @arg, the argument it
 * was in, when it is a long option; else the short option @opt.
 */
static void bad_option(const struct cli_cmd *c, const char *arg, int opt, int missing)
{
	const char *name = arg + 2, *sugg;
	size_t len = strcspn(name, "=");
	const struct cli_opt *o = opt_find(c, name, len);
	char msg[400], who[200], dym[120] = "";
	unsigned int n;

	if (strncmp(arg, "--", 2) || (opt && (!o || o->val != opt))) {
		snprintf(msg, sizeof(msg), "unknown option '-%c': options are long, "
			 "e.g. '--help'", opt);
		cmd_usage_error(c->name, "%s", msg);
		return;
	}
	sugg = opt_suggest(c, name, len);
	if (sugg)
		snprintf(dym, sizeof(dym), ": did you mean '--%s'?", sugg);
	if (missing || (o && o->arg && !name[len]))
		snprintf(msg, sizeof(msg), "--%.*s needs an argument%s%s",
			 (int)len, name, o ? ", " : "", o ? o->arg : "");
	else if (o && !o->arg)
		snprintf(msg, sizeof(msg), "--%s takes no argument", o->name);
	else if ((n = takers(name, len, who, sizeof(who))))
		snprintf(msg, sizeof(msg), "--%.*s does not apply to %s; %s take%s it%s",
			 (int)len, name, c->name, who, n == 1 ? "s" : "", dym);
	else
		snprintf(msg, sizeof(msg), "unknown option '--%.*s'%s", (int)len, name, dym);
	cmd_usage_error(c->name, "%s", msg);
}

int cli_getopt(int argc, char **argv, const char *cmd)
{
	struct option lo[CLI_OPTS_MAX];
	const struct cli_cmd *c = cli_cmd_find(cmd);
	int v;

	if (!c || longopts_build(c, lo)) {
		err_set("internal: no option table for command '%s'", cmd);
		fprintf(stderr, "cpubench: %s\n", err_msg());
		return CLI_OPT_BAD;
	}
	opterr = 0;
	v = getopt_long(argc, argv, ":h", lo, NULL);
	if (v == 'h') {
		cli_help_print(out_stream(), c);
		exit(cli_finish(cmd, EXIT_HOLDS));
	}
	if (v == '?' || v == ':') {
		bad_option(c, argv[optind - 1], optopt, v == ':');
		return CLI_OPT_BAD;
	}
	return v;
}
