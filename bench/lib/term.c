// SPDX-License-Identifier: GPL-2.0-only
/* Terminal width, the colour rule and word wrapping (term.h). */
#include "lib/term.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static unsigned int at_least_min(unsigned long cols)
{
	return cols < TERM_MIN_COLUMNS ? TERM_MIN_COLUMNS :
	       cols > 100000 ? 100000 : (unsigned int)cols;
}

unsigned int term_columns(int fd)
{
	struct winsize ws;
	const char *env = getenv("COLUMNS");
	char *end;
	unsigned long v;

	if (fd >= 0 && isatty(fd) && !ioctl(fd, TIOCGWINSZ, &ws) && ws.ws_col)
		return at_least_min(ws.ws_col);
	if (env && *env) {
		v = strtoul(env, &end, 10);
		if (!*end && v)
			return at_least_min(v);
	}
	return TERM_DEFAULT_COLUMNS;
}

int term_colour_parse(const char *s)
{
	static const char *const names[] = { "auto", "always", "never" };

	for (int i = 0; s && i < 3; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

bool term_colour_on(enum term_colour when, bool tty)
{
	const char *no = getenv("NO_COLOR"), *term = getenv("TERM");

	if (when != TERM_COLOUR_AUTO)
		return when == TERM_COLOUR_ALWAYS;
	if (no && *no)
		return false;
	if (term && !strcmp(term, "dumb"))
		return false;
	return tty;
}

/* UTF-8: every byte but a continuation byte starts a character. */
static unsigned int columns_of(const char *s, size_t len)
{
	unsigned int n = 0;

	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xc0) != 0x80;
	return n;
}

unsigned int term_text_columns(const char *s)
{
	return columns_of(s, strlen(s));
}

/* The bytes of the first @cols characters of @s (@len bytes). */
static size_t bytes_of(const char *s, size_t len, unsigned int cols)
{
	size_t i = 0;

	while (i < len && cols) {
		i++;
		while (i < len && ((unsigned char)s[i] & 0xc0) == 0x80)
			i++;
		cols--;
	}
	return i;
}

char *term_fit(char *buf, size_t size, const char *s, unsigned int width)
{
	size_t len = strlen(s), b;

	if (!size)
		return buf;
	if (columns_of(s, len) <= width || !width) {
		snprintf(buf, size, "%s", s);
		return buf;
	}
	b = bytes_of(s, len, width - 1);
	snprintf(buf, size, "%.*s\xe2\x80\xa6", (int)b, s);
	return buf;
}

unsigned int term_wrap(FILE *f, const char *text, unsigned int col,
		       unsigned int indent, unsigned int width)
{
	const char *p = text;

	for (;;) {
		size_t gap = strspn(p, " "), len;
		unsigned int w;

		p += gap;
		if (!*p)
			return col;
		len = strcspn(p, " ");
		w = columns_of(p, len);
		/* the blanks before a word stay, unless the line breaks there */
		if (width && col + gap + w > width && col > indent) {
			fprintf(f, "\n%*s", (int)indent, "");
			col = indent;
		} else {
			fprintf(f, "%*s", (int)gap, "");
			col += (unsigned int)gap;
		}
		/* a word wider than a whole line: cut where the line ends */
		while (width && col + w > width && width > col) {
			size_t b = bytes_of(p, len, width - col);

			fwrite(p, 1, b, f);
			fprintf(f, "\n%*s", (int)indent, "");
			p += b;
			len -= b;
			w = columns_of(p, len);
			col = indent;
		}
		fwrite(p, 1, len, f);
		col += w;
		p += len;
	}
}

void term_wrap_lines(FILE *f, const char *text, unsigned int indent,
		     unsigned int width)
{
	while (*text) {
		size_t len = strcspn(text, "\n");
		char *line = strndup(text, len);

		if (line)
			term_wrap(f, line, 0, indent, width);
		else
			fwrite(text, 1, len, f);	/* out of memory: as it is */
		free(line);
		text += len;
		if (*text == '\n') {
			fputc('\n', f);
			text++;
		}
	}
}
