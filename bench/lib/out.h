/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The program's output: what a command prints as its result goes to
 * out_stream(), which is standard output, or, after out_open(FILE)
 * (--output FILE), a safe_file that replaces FILE when the command ends
 * (safe_file.h). Messages go to stderr, never here.
 *
 * Every write is checked: the stream records the first failed write(2)
 * with its errno (a full disk, a reader that went away, a closed
 * descriptor) and out_flush() / out_close() turn it into one error that
 * names the output: "cannot write standard output: No space left on
 * device". SIGPIPE is ignored (cleanup.h), so a closed pipe is such an
 * error too, the same for every command and format.
 */
#ifndef CPUBENCH_LIB_OUT_H
#define CPUBENCH_LIB_OUT_H

#include <stdbool.h>
#include <stdio.h>

/* The output stream (standard output until out_open()). Never NULL. */
FILE *out_stream(void);

/* "standard output" or the --output path, for messages. */
const char *out_name(void);

/*
 * Sends the output to a safe_file for @path instead of standard output
 * (nothing may have been written yet). Returns 0, or -1 with err_set().
 */
int out_open(const char *path);

/*
 * Flushes @f and checks that every write to it succeeded. Returns 0, or
 * -1 with err_set(): "cannot write NAME: why", NAME being out_name() for
 * the output and "the output" for another stream. Writers end with it.
 */
int out_flush(FILE *f);

/*
 * Writes the JSON value @j (its reference taken; NULL: out of memory),
 * indented, in insertion order, with a newline, to @f and flushes it.
 * Returns 0, or -1 with err_set(): out_flush()'s error for a failed
 * write, "out of memory" otherwise.
 */
/* Significant digits of a real in JSON output: 3.21, not 3.2100000000000002. */
#define OUT_JSON_REALS 6
struct json_t;
int out_json(FILE *f, struct json_t *j);

/* Whether a write to the output has failed (and out_flush() said so). */
bool out_failed(void);

/* Whether @f is the output on a terminal, or another stream on one. */
bool out_isatty(FILE *f);

/* The width to write @f for: term_columns() of its terminal, or of none
 * for a --output file (lib/term.h). */
unsigned int out_columns(FILE *f);

/*
 * The last step of a command: flushes and checks the output; for
 * --output, renames the file into place when @keep and every write
 * succeeded, else removes it (the previous file stays). Returns 0, or -1
 * with err_set() when a write failed.
 */
int out_close(bool keep);

#endif
