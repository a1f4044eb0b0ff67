// SPDX-License-Identifier: GPL-2.0-only
/* --output, error documents and the last step of every command (output.h). */
#include "cli/output.h"

#include <stdbool.h>
#include <stdio.h>

#include "lib/err.h"

static enum report_format format = REPORT_TABLE;
static const char *subject;

int cli_output_option(const char *cmd, const char *path)
{
	if (!out_open(path))
		return 0;
	fprintf(stderr, "cpubench: %s: %s\n", cmd, err_msg());
	return EXIT_USAGE;
}

void cli_output_format(enum report_format f)
{
	format = f;
}

void cli_output_subject(const char *what)
{
	subject = what;
}

/* The error document for @status; whether it was written. */
static bool write_error_doc(const char *cmd, int status)
{
	char name[512];
	const char *msg = err_msg();

	if (!report_format_has_error_doc(format))
		return false;
	snprintf(name, sizeof(name), "cpubench %s%s%s", cmd, subject ? " " : "",
		 subject ? subject : "");
	return !report_write_error(out_stream(), format, name,
				   *msg ? msg : "failed: see its standard error", status);
}

int cli_finish(const char *cmd, int status)
{
	bool ok = status == EXIT_HOLDS || status == EXIT_BROKEN;
	/* a writer's failure, which the command has printed already */
	bool said = out_failed();
	bool doc = !ok && !said && write_error_doc(cmd, status);

	if (!out_close(ok || doc))
		return said ? EXIT_USAGE : status;
	/* a failed command printed its own error; this one is the output's */
	if (ok)
		fprintf(stderr, "cpubench: %s\n", err_msg());
	return ok || said ? EXIT_USAGE : status;
}
