/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Progress of work that can take over a second (matrix, a QEMU backend,
 * --compare-backends, import qemu), on stderr and only when stderr is a
 * terminal other than TERM=dumb: "matrix 3/42 Haswell-v4, about 12 s left", redrawn in place
 * (\r, erase to the end of the line) and erased at the end. Never in the
 * output (out_stream(), --output files), never in a pipe or a log.
 */
#ifndef CPUBENCH_CLI_PROGRESS_H
#define CPUBENCH_CLI_PROGRESS_H

/* Starts @what ("matrix") of @total steps; @what must outlive the work. */
void progress_begin(const char *what, unsigned int total);

/* Step @done (0 before the first) of the total, now on @current. */
void progress_show(unsigned int done, const char *current);

/* Erases the line; nothing more is shown until progress_begin(). */
void progress_end(void);

#endif
