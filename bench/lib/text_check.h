/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Whether bytes a user handed over are text: the parsers of mask files
 * and host descriptions accept nothing else, so that no NUL silently ends
 * a file early and no control byte or broken UTF-8 sequence reaches a
 * terminal or a report from their names and descriptions.
 */
#ifndef CPUBENCH_LIB_TEXT_CHECK_H
#define CPUBENCH_LIB_TEXT_CHECK_H

#include <stddef.h>

/*
 * Checks @text[0..@len-1]: valid UTF-8 with no control byte but TAB, LF
 * and CR. Returns 0, or -1 with err_set("FILE:LINE: ...: give WHAT").
 */
int text_check(const char *file, const char *text, size_t len, const char *what);

#endif
