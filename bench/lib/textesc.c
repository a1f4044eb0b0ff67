// SPDX-License-Identifier: GPL-2.0-only
/*
 * Escaping for XML, YAML and Markdown output (see textesc.h).
 */
#include "lib/textesc.h"

#include <string.h>

size_t utf8_seq_len(const unsigned char *s)
{
	unsigned int cp;
	size_t n;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)	/* also stops at the NUL */
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	/* U+FFFE and U+FFFF are not XML characters either */
	if (cp == 0xfffe || cp == 0xffff)
		return 0;
	return n;
}

size_t text_char(const char *s, bool *shown)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = utf8_seq_len(p);
	unsigned int cp;

	if (!n) {
		*shown = false;
		return 1;
	}
	if (n == 1) {
		*shown = p[0] >= 0x20 && p[0] != 0x7f;
		return 1;
	}
	if (n == 2)
		cp = (p[0] & 0x1fu) << 6 | (p[1] & 0x3f);
	else if (n == 3)
		cp = (p[0] & 0x0fu) << 12 | (p[1] & 0x3fu) << 6 | (p[2] & 0x3f);
	else
		cp = 0x10000;
	*shown = !(cp >= 0x80 && cp <= 0x9f) && !(cp >= 0x202a && cp <= 0x202e) &&
		 !(cp >= 0x2066 && cp <= 0x2069);
	return n;
}

void text_put(FILE *out, const char *s)
{
	while (s && *s) {
		bool shown;
		size_t n = text_char(s, &shown);

		if (shown)
			fwrite(s, 1, n, out);
		else
			fputc('?', out);
		s += n;
	}
}

const char *text_safe(char *buf, size_t size, const char *s)
{
	size_t len = 0;

	while (s && *s) {
		bool shown;
		size_t n = text_char(s, &shown);
		size_t w = shown ? n : 1;

		if (len + w >= size)
			break;
		if (shown)
			memcpy(buf + len, s, n);
		else
			buf[len] = '?';
		len += w;
		s += n;
	}
	buf[len] = '\0';
	return buf;
}

/*
 * Walks @s: ASCII bytes go to @ascii, multi-byte characters text_char()
 * shows are copied, the others (invalid bytes, C1 controls, bidi
 * overrides) become '?'.
 */
static void put_each(FILE *out, const char *s, void (*ascii)(FILE *, int, int),
		     int arg)
{
	while (*s) {
		bool shown;
		size_t n = text_char(s, &shown);

		if ((unsigned char)*s < 0x80)
			ascii(out, (unsigned char)*s, arg);
		else if (shown)
			fwrite(s, 1, n, out);
		else
			fputc('?', out);
		s += n;
	}
}

static void xml_char(FILE *out, int c, int attr)
{
	switch (c) {
	case '&': fputs("&amp;", out); return;
	case '<': fputs("&lt;", out); return;
	case '>': fputs("&gt;", out); return;
	case '"': fputs("&quot;", out); return;
	case '\'': fputs("&apos;", out); return;
	case '\t': case '\n': case '\r':
		if (attr)
			fprintf(out, "&#%d;", c);
		else
			fputc(c, out);
		return;
	}
	fputc(c < 0x20 || c == 0x7f ? '?' : c, out);
}

void xml_put(FILE *out, const char *s, int attr)
{
	put_each(out, s ? s : "", xml_char, attr);
}

static void yaml_char(FILE *out, int c, int unused)
{
	(void)unused;
	switch (c) {
	case '"': fputs("\\\"", out); return;
	case '\\': fputs("\\\\", out); return;
	case '\n': fputs("\\n", out); return;
	case '\t': fputs("\\t", out); return;
	case '\r': fputs("\\r", out); return;
	}
	if (c < 0x20 || c == 0x7f)
		fprintf(out, "\\x%02x", c);
	else
		fputc(c, out);
}

void yaml_put_quoted(FILE *out, const char *s)
{
	fputc('"', out);
	put_each(out, s ? s : "", yaml_char, 0);
	fputc('"', out);
}

static void md_char(FILE *out, int c, int unused)
{
	(void)unused;
	switch (c) {
	case '|': fputs("\\|", out); return;
	case '\\': fputs("\\\\", out); return;
	case '`': fputs("\\`", out); return;
	case '<': fputs("&lt;", out); return;
	case '>': fputs("&gt;", out); return;
	case '&': fputs("&amp;", out); return;
	case '*': case '_': case '[': case ']':
		fputc('\\', out);
		fputc(c, out);
		return;
	}
	fputc(c < 0x20 || c == 0x7f ? ' ' : c, out);
}

void md_put_cell(FILE *out, const char *s)
{
	put_each(out, s ? s : "", md_char, 0);
}
