/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The options every command that runs guests shares (verify, run, matrix):
 * one parser, so they mean the same thing and fail the same way.
 */
#ifndef CPUBENCH_RUN_OPTS_H
#define CPUBENCH_RUN_OPTS_H

#include <getopt.h>
#include <stdbool.h>

#include "backend/model_run.h"
#include "cli/output.h"
#include "guestcode/mailbox.h"
#include "report/report.h"

struct run_opts {
	const char *device;		/* --kvm-device, $CPUBENCH_KVM_DEVICE */
	const char *masks_dir;		/* --masks-dir */
	enum report_format format;	/* --format */
	int ring;			/* --ring; -1: each probe's default */
	enum guest_os_mode guest_os;	/* --guest-os */
	unsigned int timeout_ms;	/* --timeout; 0: the runner's default */
	unsigned int jobs;		/* --jobs; 0: one per core (lib/parallel.h) */
	bool strict;			/* --strict */
};

/* Their rows: run_opts[] in cli/commands.c, which cli_getopt() reads. */

/* getopt values of the layout options (report/style.h). */
#define RUN_OPT_WIDE	0x110
#define RUN_OPT_ALL	0x111
#define RUN_OPT_COLOR	0x112

void run_opts_init(struct run_opts *o);

/*
 * Takes getopt_long's result @c with @arg. Returns 0 when it was a shared
 * option, 1 when it is not one, or EXIT_USAGE after printing a one-line
 * error that names 'cpubench @cmd --help'.
 */
int run_opts_parse(struct run_opts *o, int c, const char *arg, const char *cmd);

/* What running a model under these options asks of model_run(). */
struct model_run_opts run_opts_model(const struct run_opts *o);

/* Prints "cpubench: <fmt with arg> (see 'cpubench CMD --help')"; EXIT_USAGE. */
int cmd_usage_error(const char *cmd, const char *fmt, const char *arg);

#endif
