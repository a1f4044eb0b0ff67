/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Escaping text for the markup the reports write: XML (JUnit, HTML),
 * YAML double-quoted scalars (TAP) and Markdown table cells.
 *
 * Contract common to all: the input is a NUL-terminated byte string that
 * may be anything; valid UTF-8 sequences are kept, every other byte and
 * every control character the target cannot carry is written as '?', so
 * the output is always well-formed in its target language.
 */
#ifndef CPUBENCH_TEXTESC_H
#define CPUBENCH_TEXTESC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * XML 1.0 character data or attribute value (either quote): & < > " '
 * become entities; TAB, LF and CR are kept in text and written as
 * character references in attributes (@attr true), so they survive
 * attribute-value normalization; other C0 controls and DEL become '?'.
 */
void xml_put(FILE *out, const char *s, int attr);

/* A YAML double-quoted scalar, quotes included ("a \"b\"\n"). */
void yaml_put_quoted(FILE *out, const char *s);

/*
 * A Markdown table cell: '|' and '\\' are backslash-escaped, '<' '>' '&'
 * become entities (GitHub renders inline HTML), backquote is escaped,
 * newlines and other controls become spaces.
 */
void md_put_cell(FILE *out, const char *s);

/*
 * Plain text for a terminal or a text report (tables, listings, TAP
 * descriptions, error messages): valid UTF-8 is kept; every byte that
 * could move the cursor, change colours or reorder what is shown becomes
 * '?': C0 controls (TAB, CR and LF too: a field is one line), DEL, C1
 * controls (U+0080..U+009F, a CSI among them), the bidirectional
 * overrides and isolates (U+202A..U+202E, U+2066..U+2069) and invalid
 * UTF-8.
 */
void text_put(FILE *out, const char *s);

/* The same into @buf (@size > 0; cut at a character), for printf widths. */
const char *text_safe(char *buf, size_t size, const char *s);

/*
 * Length (1..4) of the character at @s (an invalid byte counts 1), and
 * whether text_put() keeps it (*@shown).
 */
size_t text_char(const char *s, bool *shown);

/*
 * Length of the valid UTF-8 sequence at @s (1..4), or 0 when @s does not
 * start one (overlong forms, surrogates and values past U+10FFFF are
 * invalid). @s must be NUL-terminated.
 */
size_t utf8_seq_len(const unsigned char *s);

#endif
