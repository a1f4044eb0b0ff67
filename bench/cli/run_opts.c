// SPDX-License-Identifier: GPL-2.0-only
#include "cli/run_opts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "lib/parallel.h"
#include "lib/term.h"
#include "report/style.h"
#include "vmm/kvm.h"

#define TEXT_(x) #x
#define TEXT(x) TEXT_(x)
#define JOBS_MAX_TEXT TEXT(PARALLEL_MAX_JOBS)

void run_opts_init(struct run_opts *o)
{
	*o = (struct run_opts){ .ring = -1, .format = REPORT_TABLE };
	o->device = getenv("CPUBENCH_KVM_DEVICE");
	if (!o->device || !*o->device)
		o->device = KVM_DEFAULT_DEVICE;
}

struct model_run_opts run_opts_model(const struct run_opts *o)
{
	return (struct model_run_opts){
		.guest_os = o->guest_os,
		.ring = o->ring,
		.timeout_ms = o->timeout_ms,
		.jobs = o->jobs ? o->jobs : parallel_cores(),
	};
}

int cmd_usage_error(const char *cmd, const char *fmt, const char *arg)
{
	char msg[400];

	/* through err_set(): control bytes of @arg must not break the line */
	snprintf(msg, sizeof(msg), fmt, arg);
	err_set("%s (see 'cpubench %s --help')", msg, cmd);
	fprintf(stderr, "cpubench: %s\n", err_msg());
	return EXIT_USAGE;
}

/* --wide, --all, --color=WHEN: the layout of the human writers. */
static int run_opts_style(int c, const char *arg, const char *cmd)
{
	struct report_style st = *report_style_get();
	int when;

	if (c == RUN_OPT_WIDE) {
		st.wide = true;
	} else if (c == RUN_OPT_ALL) {
		st.all = true;
	} else {
		when = term_colour_parse(arg);
		if (when < 0)
			return cmd_usage_error(cmd, "--color takes auto, always or never, not '%s'", arg);
		st.colour = when;
	}
	report_style_set(&st);
	return 0;
}

int run_opts_parse(struct run_opts *o, int c, const char *arg, const char *cmd)
{
	char *end;
	long v;
	int f;

	switch (c) {
	case 's':
		o->strict = true;
		return 0;
	case 'd':
		o->device = arg;
		return 0;
	case 'D':
		o->masks_dir = arg;
		return 0;
	case 'f':
		f = report_format_parse(arg);
		if (f < 0)
			return cmd_usage_error(cmd, "unknown format '%s': use table, json, "
					       "junit, tap, markdown or html", arg);
		o->format = f;
		cli_output_format(o->format);
		return 0;
	case 'r':
		if (strcmp(arg, "0") && strcmp(arg, "3"))
			return cmd_usage_error(cmd, "--ring takes 0 or 3, not '%s'", arg);
		o->ring = atoi(arg);
		return 0;
	case 'g':
		if (!strcmp(arg, "linux"))
			o->guest_os = GUEST_OS_LINUX;
		else if (!strcmp(arg, "raw"))
			o->guest_os = GUEST_OS_RAW;
		else
			return cmd_usage_error(cmd, "unknown guest OS mode '%s': use linux or raw", arg);
		return 0;
	case 't':
		v = strtol(arg, &end, 10);
		if (*end || v < 10 || v > 600000)
			return cmd_usage_error(cmd, "--timeout takes milliseconds from 10 to "
					       "600000, not '%s'", arg);
		o->timeout_ms = v;
		return 0;
	case CLI_OPT_OUTPUT:
		return cli_output_option(cmd, arg);
	case RUN_OPT_WIDE:
	case RUN_OPT_ALL:
	case RUN_OPT_COLOR:
		return run_opts_style(c, arg, cmd);
	case 'j':
		v = strtol(arg, &end, 10);
		if (end == arg || *end || v < 1 || v > PARALLEL_MAX_JOBS)
			return cmd_usage_error(cmd, "--jobs takes a number of vCPUs from 1 to "
					       JOBS_MAX_TEXT ", not '%s'", arg);
		o->jobs = v;
		return 0;
	default:
		return 1;
	}
}
