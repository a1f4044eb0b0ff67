// SPDX-License-Identifier: GPL-2.0-only
/*
 * C initializers of the QEMU-source reader, as trees.
 *
 *   list	'{' [elem {',' elem}] [','] '}'
 *   elem	[desig {desig} '='] value
 *   desig	'.' IDENT | '[' expr ']'		(at most QI_MAX_DESIG)
 *   value	list | '(' TYPE ['[' ']'] ')' list	(a compound literal)
 *		| expr	(tokens up to ',' or '}' outside brackets)
 *
 * Expressions are not interpreted here, only delimited; qsrc_tables.c
 * evaluates the ones it needs. Every token of a tree is compiled for
 * qemu-system-x86_64: one under an undecided #if is an error naming its
 * line, so a reader never sees half an #ifdef.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "import/qsrc_internal.h"

#define MAX_NEST	16

static int is_punct(const struct qsrc_tok *t, const char *s)
{
	return t->kind == QT_PUNCT && qsrc_tok_is(t, s);
}

#define MAX_BRACKETS	256

static char closer(const struct qsrc_tok *t)
{
	if (t->kind != QT_PUNCT || t->len != 1)
		return 0;
	return *t->s == '(' ? ')' : *t->s == '[' ? ']' : *t->s == '{' ? '}' : 0;
}

/*
 * The token closing the bracket at @i ("(", "[" or "{"), each kind
 * matched with its own; every token on the way must be compiled. A
 * bracket left open is reported at its own line. Sets *@end.
 */
static int match(struct qsrc_unit *u, unsigned int i, unsigned int *end)
{
	unsigned int open[MAX_BRACKETS], depth = 0;

	if (!closer(&u->toks[i]))
		return err_set("%s:%u: expected a bracket", QSRC_AT(u, &u->toks[i]));
	for (; i < u->ntoks; i++) {
		const struct qsrc_tok *t = &u->toks[i];

		if (t->state != QS_TRUE)
			return qsrc_err_unknown(u, t, NULL);
		if (closer(t)) {
			if (depth == MAX_BRACKETS)
				return err_set("%s:%u: brackets nested too deeply",
					       QSRC_AT(u, t));
			open[depth++] = i;
		} else if (t->kind == QT_PUNCT && t->len == 1 && strchr(")]}", *t->s) && *t->s) {
			const struct qsrc_tok *o = &u->toks[open[depth - 1]];

			if (*t->s != closer(o))
				return err_set("%s:%u: \"%.1s\" is not closed (\"%c\" at %s:%u)",
					       QSRC_AT(u, o), o->s, *t->s, QSRC_AT(u, t));
			if (!--depth) {
				*end = i;
				return 0;
			}
		}
	}
	return err_set("%s:%u: \"%.1s\" is not closed", QSRC_AT(u, &u->toks[open[depth - 1]]),
		       u->toks[open[depth - 1]].s);
}

/* Whether a compound literal "( TYPE [ '[' ']' ] ) {" starts at @i. */
static int compound_at(const struct qsrc_unit *u, unsigned int i, unsigned int *tb,
		       unsigned int *te, unsigned int *lbrace)
{
	const struct qsrc_tok *t = u->toks;
	unsigned int j = i + 1;

	if (!is_punct(&t[i], "(") || t[j].kind != QT_IDENT)
		return 0;
	*tb = j++;
	if (is_punct(&t[j], "[") && is_punct(&t[j + 1], "]"))
		j += 2;
	if (!is_punct(&t[j], ")") || !is_punct(&t[j + 1], "{"))
		return 0;
	*te = j;
	*lbrace = j + 1;
	return 1;
}

static int parse_list(struct qsrc_unit *u, unsigned int lbrace, struct qsrc_init *out,
		      unsigned int nest);

static int add_kid(struct qsrc_init *list, unsigned int *cap, struct qsrc_init **kid)
{
	if (list->nkids == *cap) {
		unsigned int ncap = *cap ? *cap * 2 : 8;
		struct qsrc_init *p = realloc(list->kids, ncap * sizeof(*p));

		if (!p)
			return err_set("out of memory");
		list->kids = p;
		*cap = ncap;
	}
	*kid = &list->kids[list->nkids++];
	memset(*kid, 0, sizeof(**kid));
	return 0;
}

/* One element at *@i, up to its ',' or the list's '}' (at @rbrace). */
static int parse_elem(struct qsrc_unit *u, unsigned int *i, unsigned int rbrace,
		      struct qsrc_init *el, unsigned int nest)
{
	const struct qsrc_tok *t = u->toks;
	unsigned int j = *i, lb;

	while (is_punct(&t[j], ".") || is_punct(&t[j], "[")) {
		struct qsrc_desig *d;

		if (el->ndesig == QI_MAX_DESIG)
			return err_set("%s:%u: designator too deep", QSRC_AT(u, &t[j]));
		d = &el->desig[el->ndesig++];
		if (is_punct(&t[j], ".")) {
			if (t[j + 1].kind != QT_IDENT)
				return err_set("%s:%u: expected a field name after '.'",
					       QSRC_AT(u, &t[j]));
			d->b = j + 1;
			d->e = j + 2;
			j += 2;
		} else {
			unsigned int close;

			if (match(u, j, &close))
				return -1;
			if (close == j + 1)
				return err_set("%s:%u: empty designator", QSRC_AT(u, &t[j]));
			d->index = 1;
			d->b = j + 1;
			d->e = close;
			j = close + 1;
		}
	}
	if (el->ndesig) {
		if (!is_punct(&t[j], "="))
			return err_set("%s:%u: expected '=' after a designator",
				       QSRC_AT(u, &t[j]));
		j++;
	}
	if (is_punct(&t[j], "{")) {
		if (parse_list(u, j, el, nest + 1))
			return -1;
		j = el->e + 1;
	} else if (compound_at(u, j, &el->tb, &el->te, &lb)) {
		if (parse_list(u, lb, el, nest + 1))
			return -1;
		j = el->e + 1;
	} else {
		el->kind = QI_EXPR;
		el->b = j;
		while (j < rbrace && !is_punct(&t[j], ",")) {
			if (is_punct(&t[j], "(") || is_punct(&t[j], "[") ||
			    is_punct(&t[j], "{")) {
				if (match(u, j, &j))
					return -1;
			} else if (is_punct(&t[j], ")") || is_punct(&t[j], "]") ||
				   is_punct(&t[j], "}")) {
				return err_set("%s:%u: unbalanced \"%.*s\"", QSRC_AT(u, &t[j]),
					       (int)t[j].len, t[j].s);
			}
			j++;
		}
		el->e = j;
		if (el->b == el->e)
			return err_set("%s:%u: expected an initializer", QSRC_AT(u, &t[j]));
	}
	if (j != rbrace && !is_punct(&t[j], ","))
		return err_set("%s:%u: expected ',' or '}', found \"%.*s\"", QSRC_AT(u, &t[j]),
			       (int)t[j].len, t[j].s);
	*i = j;
	return 0;
}

static int parse_list(struct qsrc_unit *u, unsigned int lbrace, struct qsrc_init *out,
		      unsigned int nest)
{
	unsigned int rbrace, i, cap = 0;

	if (nest > MAX_NEST)
		return err_set("%s:%u: initializers nested too deeply",
			       QSRC_AT(u, &u->toks[lbrace]));
	if (match(u, lbrace, &rbrace))
		return -1;
	out->kind = QI_LIST;
	out->b = lbrace;
	out->e = rbrace;
	for (i = lbrace + 1; i < rbrace; ) {
		struct qsrc_init *kid = NULL;

		if (add_kid(out, &cap, &kid) || parse_elem(u, &i, rbrace, kid, nest))
			return -1;
		if (i < rbrace)
			i++;		/* the ',' */
	}
	return 0;
}

int qsrc_init_parse(struct qsrc_unit *u, unsigned int lbrace, struct qsrc_init *out)
{
	memset(out, 0, sizeof(*out));
	if (parse_list(u, lbrace, out, 0)) {
		qsrc_init_free(out);
		return -1;
	}
	return 0;
}

void qsrc_init_free(struct qsrc_init *in)
{
	for (unsigned int i = 0; i < in->nkids; i++)
		qsrc_init_free(&in->kids[i]);
	free(in->kids);
	in->kids = NULL;
	in->nkids = 0;
}

/*
 * The definition of @name: "NAME [ ... ] = {" (pos: the '{'), or with
 * @scalar "TYPE NAME = ..." (pos: after the '='); uses are not
 * definitions. Returns 0, 1 if there is none (without err_set), or -1 if
 * there are two or it is under an undecided #if.
 */
int qsrc_find_def(struct qsrc_unit *u, const char *name, int scalar, unsigned int *pos)
{
	const struct qsrc_tok *t = u->toks, *first = NULL;

	for (unsigned int i = 1; i < u->ntoks; i++) {
		unsigned int j = i + 1, p;

		if (t[i].kind != QT_IDENT || !qsrc_tok_is(&t[i], name))
			continue;
		if (scalar) {
			if (t[i - 1].kind != QT_IDENT || !is_punct(&t[j], "="))
				continue;
			p = j + 1;
		} else {
			if (!is_punct(&t[j], "["))
				continue;
			/* a size is a few tokens: do not scan the file for each "[" */
			while (j < u->ntoks && j < i + 64 && !is_punct(&t[j], "]"))
				j++;
			if (!is_punct(&t[j], "]"))
				continue;
			if (j + 2 > u->ntoks || !is_punct(&t[j + 1], "=") ||
			    !is_punct(&t[j + 2], "{"))
				continue;
			p = j + 2;
		}
		if (first)
			return err_set("%s:%u: %s is defined twice (also at %s:%u)",
				       QSRC_AT(u, &t[i]), name, QSRC_AT(u, first));
		if (t[i].state != QS_TRUE)
			return qsrc_err_unknown(u, &t[i], name);
		first = &t[i];
		*pos = p;
	}
	return first ? 0 : 1;
}
