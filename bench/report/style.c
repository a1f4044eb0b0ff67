// SPDX-License-Identifier: GPL-2.0-only
/* The layout of the human writers (style.h). */
#include "report/style.h"

#include "lib/out.h"

static struct report_style style = { .colour = TERM_COLOUR_AUTO };

void report_style_set(const struct report_style *s)
{
	style = *s;
}

const struct report_style *report_style_get(void)
{
	return &style;
}

unsigned int report_width(FILE *out)
{
	return style.wide ? 0 : out_columns(out);
}

bool report_colour(FILE *out)
{
	return term_colour_on(style.colour, out_isatty(out));
}
