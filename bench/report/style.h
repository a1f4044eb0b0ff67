/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * How the human writers (the verify table, the matrix summary) lay out
 * text: --wide, --all and --color=WHEN, set once by the command line
 * before anything is written. The CI formats (JSON, JUnit, TAP) and the
 * documents (Markdown, HTML) ignore it: they never colour and never wrap.
 */
#ifndef CPUBENCH_REPORT_STYLE_H
#define CPUBENCH_REPORT_STYLE_H

#include <stdbool.h>
#include <stdio.h>

#include "lib/term.h"

struct report_style {
	bool wide;			/* --wide: no width limit */
	bool all;			/* --all: every row, the matrix grid */
	enum term_colour colour;	/* --color=WHEN */
};

/* The style from now on; the default is all false and auto colour. */
void report_style_set(const struct report_style *s);
const struct report_style *report_style_get(void);

/* The columns a human writer fits @out into; 0 means unlimited (--wide). */
unsigned int report_width(FILE *out);

/* Whether a human writer colours what it writes to @out. */
bool report_colour(FILE *out);

#endif
