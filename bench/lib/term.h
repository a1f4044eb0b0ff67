/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a terminal needs from text, without domain knowledge: its width,
 * whether to colour (--color=WHEN, NO_COLOR, TERM=dumb) and words wrapped
 * to a width without cutting them.
 *
 * Columns are counted per character of UTF-8 (one column each: the text
 * cpubench prints has no wide characters); escape sequences are never
 * passed to these functions.
 */
#ifndef CPUBENCH_LIB_TERM_H
#define CPUBENCH_LIB_TERM_H

#include <stdbool.h>
#include <stdio.h>

/* The width assumed when the output is no terminal and $COLUMNS is unset. */
#define TERM_DEFAULT_COLUMNS	100
/* The narrowest width honoured; a smaller answer is taken as this. */
#define TERM_MIN_COLUMNS	40

/*
 * The width to write for on descriptor @fd: the terminal's (TIOCGWINSZ)
 * when @fd is one (pass -1 for a file), else $COLUMNS when it is a
 * number, else TERM_DEFAULT_COLUMNS. Never below TERM_MIN_COLUMNS.
 */
unsigned int term_columns(int fd);

enum term_colour {
	TERM_COLOUR_AUTO,	/* on a terminal, unless NO_COLOR or TERM=dumb */
	TERM_COLOUR_ALWAYS,
	TERM_COLOUR_NEVER,
};

/* "auto", "always", "never" (as --color=WHEN takes them); -1 otherwise. */
int term_colour_parse(const char *s);

/*
 * Whether to colour output that goes to a terminal when @tty: always,
 * never, or for auto, @tty and neither NO_COLOR non-empty
 * (https://no-color.org) nor TERM=dumb.
 */
bool term_colour_on(enum term_colour when, bool tty);

/* The columns @s takes: its UTF-8 characters. */
unsigned int term_text_columns(const char *s);

/*
 * @s in @buf, cut to @width columns (0: no limit) with an ellipsis
 * (U+2026) as its last one when it is wider. Returns @buf.
 */
char *term_fit(char *buf, size_t size, const char *s, unsigned int width);

/*
 * Writes @text (one line) to @f, the cursor being at column @col: words
 * separated by blanks, which stay as they are, except that a line breaks
 * instead before a word that would pass @width (0: never) unless the
 * cursor is at most at @indent, each new line indented by @indent blanks. A word wider than a whole line is the only
 * one cut. No line ends in a blank; no newline at the end. Returns the
 * column after the last character.
 */
unsigned int term_wrap(FILE *f, const char *text, unsigned int col,
		       unsigned int indent, unsigned int width);

/* term_wrap() for each line of @text, from column 0; newlines kept. */
void term_wrap_lines(FILE *f, const char *text, unsigned int indent,
		     unsigned int width);

#endif
