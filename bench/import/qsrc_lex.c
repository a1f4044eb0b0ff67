// SPDX-License-Identifier: GPL-2.0-only
/*
 * The tokenizer of the QEMU-source reader: C's translation phases 2 and 3.
 *
 * Backslash-newlines are spliced out first (into src->text), remembering
 * where each physical line starts so that every token keeps the line it
 * starts on. Comments are white space. A token records whether it starts
 * a logical line (directives) and whether white space precedes it
 * (function-like macro definitions). String and character literals are
 * kept whole, quotes included; an unterminated one or an unterminated
 * comment is an error naming its line. A byte C has no token for becomes
 * a QT_OTHER token: an error only where something reads it.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "import/qsrc_internal.h"

/* physical line starts in the spliced text */
struct lines {
	unsigned int *start;
	unsigned int n, cap;
};

static int lines_add(struct lines *l, size_t off)
{
	if (l->n == l->cap) {
		unsigned int cap = l->cap ? l->cap * 2 : 1024;
		unsigned int *p = realloc(l->start, cap * sizeof(*p));

		if (!p)
			return err_set("out of memory");
		l->start = p;
		l->cap = cap;
	}
	l->start[l->n++] = (unsigned int)off;
	return 0;
}

/* Copies @text without its backslash-newlines; records line starts. */
static int splice(struct qsrc_src *src, const char *text, size_t len,
		  struct lines *l)
{
	size_t i, o = 0;

	if (len >= 0x7fffffff)
		return err_set("%s: too large", src->name);
	src->text = malloc(len + 1);
	if (!src->text)
		return err_set("out of memory");
	if (lines_add(l, 0))
		return -1;
	for (i = 0; i < len; i++) {
		if (text[i] == '\\' && i + 1 < len && text[i + 1] == '\n') {
			i++;
			if (lines_add(l, o))
				return -1;
			continue;
		}
		if (text[i] == '\\' && i + 2 < len && text[i + 1] == '\r' &&
		    text[i + 2] == '\n') {
			i += 2;
			if (lines_add(l, o))
				return -1;
			continue;
		}
		src->text[o++] = text[i];
		if (text[i] == '\n' && lines_add(l, o))
			return -1;
	}
	src->text[o] = '\0';
	src->len = o;
	return 0;
}

static int is_ident_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_ident(int c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* longest first */
static const char *const puncts[] = {
	"...", "<<=", ">>=", "->", "++", "--", "<<", ">>", "<=", ">=", "==",
	"!=", "&&", "||", "*=", "/=", "%=", "+=", "-=", "&=", "^=", "|=", "##",
};

static unsigned int punct_len(const char *s, size_t left)
{
	for (size_t i = 0; i < sizeof(puncts) / sizeof(puncts[0]); i++) {
		size_t n = strlen(puncts[i]);

		if (n <= left && !memcmp(s, puncts[i], n))
			return (unsigned int)n;
	}
	return strchr("[](){}.&*+-~!/%<>^|?:;=,#", *s) && *s ? 1 : 0;
}

struct lexer {
	struct qsrc_src *src;
	struct lines lines;
	unsigned int li;	/* current line index */
	unsigned int cap;
	unsigned short file;
};

static unsigned int line_of(struct lexer *lx, size_t off)
{
	while (lx->li + 1 < lx->lines.n && lx->lines.start[lx->li + 1] <= off)
		lx->li++;
	return lx->li + 1;
}

static int emit(struct lexer *lx, enum qsrc_tok_kind kind, size_t off, size_t len,
		int bol, int ws)
{
	struct qsrc_src *src = lx->src;
	struct qsrc_tok *t;

	if (src->nraw == lx->cap) {
		unsigned int cap = lx->cap ? lx->cap * 2 : 256;
		struct qsrc_tok *p = realloc(src->raw, cap * sizeof(*p));

		if (!p)
			return err_set("out of memory");
		src->raw = p;
		lx->cap = cap;
	}
	t = &src->raw[src->nraw++];
	memset(t, 0, sizeof(*t));
	t->s = src->text + off;
	t->len = (unsigned int)len;
	t->line = line_of(lx, off);
	t->file = lx->file;
	t->kind = (unsigned char)kind;
	t->bol = (unsigned char)bol;
	t->ws = (unsigned char)ws;
	return 0;
}

/* The end of the literal opened by @q at @i, or 0 if unterminated. */
static size_t literal_end(const char *s, size_t len, size_t i, char q)
{
	for (i++; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len && s[i + 1] != '\n')
			i++;
		else if (s[i] == q)
			return i + 1;
		else if (s[i] == '\n')
			return 0;
	}
	return 0;
}

int qsrc_lex(struct qsrc_src *src, unsigned short file, const char *text,
	     size_t len)
{
	struct lexer lx = { .src = src, .file = file };
	const char *s;
	size_t i = 0, n;
	int bol = 1, ws = 1, ret = -1;

	if (splice(src, text, len, &lx.lines))
		goto out;
	s = src->text;
	n = src->len;
	while (i < n) {
		char c = s[i];
		size_t j;

		if (c == '\n') {
			bol = ws = 1;
			i++;
		} else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
			ws = 1;
			i++;
		} else if (c == '/' && i + 1 < n && s[i + 1] == '*') {
			/* by hand, not strstr(): the text may hold NUL bytes */
			for (j = i + 2; j + 1 < n; j++)
				if (s[j] == '*' && s[j + 1] == '/')
					break;
			if (j + 1 >= n) {
				err_set("%s:%u: unterminated comment", src->name,
					line_of(&lx, i));
				goto out;
			}
			i = j + 2;
			ws = 1;
		} else if (c == '/' && i + 1 < n && s[i + 1] == '/') {
			while (i < n && s[i] != '\n')
				i++;
			ws = 1;
		} else if (is_ident_start((unsigned char)c)) {
			for (j = i + 1; j < n && is_ident((unsigned char)s[j]); j++)
				;
			if (emit(&lx, QT_IDENT, i, j - i, bol, ws))
				goto out;
			i = j;
			bol = ws = 0;
		} else if (is_digit((unsigned char)c) ||
			   (c == '.' && i + 1 < n && is_digit((unsigned char)s[i + 1]))) {
			for (j = i + 1; j < n; j++) {
				if ((s[j] == '+' || s[j] == '-') &&
				    strchr("eEpP", s[j - 1]))
					continue;
				if (!is_ident((unsigned char)s[j]) && s[j] != '.')
					break;
			}
			if (emit(&lx, QT_NUMBER, i, j - i, bol, ws))
				goto out;
			i = j;
			bol = ws = 0;
		} else if (c == '"' || c == '\'') {
			j = literal_end(s, n, i, c);
			if (!j) {
				err_set("%s:%u: unterminated %s literal", src->name,
					line_of(&lx, i), c == '"' ? "string" : "character");
				goto out;
			}
			if (emit(&lx, c == '"' ? QT_STRING : QT_CHAR, i, j - i, bol, ws))
				goto out;
			i = j;
			bol = ws = 0;
		} else {
			unsigned int pl = punct_len(s + i, n - i);

			if (emit(&lx, pl ? QT_PUNCT : QT_OTHER, i, pl ? pl : 1, bol, ws))
				goto out;
			i += pl ? pl : 1;
			bol = ws = 0;
		}
	}
	ret = 0;
out:
	free(lx.lines.start);
	return ret;
}
