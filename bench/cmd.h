/* SPDX-License-Identifier: GPL-2.0-only */
/* Command implementations; each returns the process exit status. */
#ifndef CPUBENCH_CMD_H
#define CPUBENCH_CMD_H

#ifndef CPUBENCH_VERSION
#define CPUBENCH_VERSION "0.1.0"
#endif

enum verify_mode {
	CMD_VERIFY,	/* every probe of the catalog */
	CMD_RUN,	/* the probes named with --probe */
};

int cmd_verify(int argc, char **argv, enum verify_mode mode);

#endif
