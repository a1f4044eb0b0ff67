/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The output side every reporting command shares, so that it means the
 * same everywhere: --output FILE, the error document of the CI formats,
 * and the last step of every command (main.c). Commands write their
 * result to out_stream() (lib/out.h), never to stdout directly.
 */
#ifndef CPUBENCH_CLI_OUTPUT_H
#define CPUBENCH_CLI_OUTPUT_H

#include "lib/out.h"
#include "report/report.h"

/* cli_getopt()'s value for --output (its row: cli/commands.c). */
#define CLI_OPT_OUTPUT		0x100

/*
 * --output @path of command @cmd: from now on the output goes to a
 * temporary file beside @path. Returns 0, or EXIT_USAGE after printing
 * the one-line error (a symbolic link, a FIFO, a directory ...).
 */
int cli_output_option(const char *cmd, const char *path);

/*
 * The format the running command writes: on exit 2 or 3, cli_finish()
 * writes its error document (report_write_error()), so that a CI job's
 * report always parses.
 */
void cli_output_format(enum report_format f);

/*
 * What the running command is about (verify's MODEL), for the error
 * document's name: "cpubench verify x86-64-v3", so that the reports of
 * two models differ even when neither could run. @what must outlive the
 * command (an argv string).
 */
void cli_output_subject(const char *what);

/*
 * The last step of command @cmd, which returned @status: writes the error
 * document when it failed, flushes and checks the output, and puts a
 * --output file in place (exit 0 or 1, or an error document) or removes
 * it. A write failure is one line naming the output and exit 2. Returns
 * the exit status.
 */
int cli_finish(const char *cmd, int status);

#endif
