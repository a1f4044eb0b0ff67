// SPDX-License-Identifier: GPL-2.0-only
/*
 * Values and struct fields of QEMU's initializer trees (qsrc_init.c), for
 * the table readers (qsrc_internal.h): strings, integers, references,
 * C's rules for designated and positional fields and array elements, and
 * lists closed by an end entry. Every failure names the file and line of
 * the element.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "import/qsrc_internal.h"

const struct qsrc_tok *qt_tok(const struct qsrc_tctx *c, unsigned int i)
{
	return &c->u->toks[i];
}

const struct qsrc_tok *qt_el_tok(const struct qsrc_tctx *c, const struct qsrc_init *el)
{
	if (el->ndesig)
		return qt_tok(c, el->desig[0].b - 1);
	return qt_tok(c, el->b);
}

int qt_printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return 0;
	return 1;
}

int qt_want_expr(const struct qsrc_tctx *c, const struct qsrc_init *el, const char *what)
{
	if (el->kind != QI_EXPR)
		return err_set("%s:%u: %s: expected an expression, found a { } list",
			       QT_AT(c, el), what);
	return 0;
}

int qt_want_list(const struct qsrc_tctx *c, const struct qsrc_init *el, const char *what)
{
	if (el->kind != QI_LIST)
		return err_set("%s:%u: %s: expected a { } list", QT_AT(c, el), what);
	return 0;
}

/* A string (NULL allowed with @nullable), printable, copied into q. */
int qt_get_str(struct qsrc_tctx *c, const struct qsrc_init *el, const char *what,
		   int nullable, const char **out)
{
	char *s;

	*out = NULL;
	if (qt_want_expr(c, el, what) || qsrc_eval_str(c->u, el->b, el->e, &s))
		return -1;
	if (!s) {
		if (!nullable)
			return err_set("%s:%u: %s may not be NULL", QT_AT(c, el), what);
		return 0;
	}
	if (!qt_printable(s)) {
		free(s);
		return err_set("%s:%u: %s: not printable ASCII", QT_AT(c, el), what);
	}
	*out = qsrc_strdup(c->q, s);
	free(s);
	return *out ? 0 : -1;
}

int qt_get_ll(struct qsrc_tctx *c, const struct qsrc_init *el, const char *what,
		  long long min, long long max, long long *out)
{
	if (qt_want_expr(c, el, what) || qsrc_eval_ll(c->u, el->b, el->e, out))
		return -1;
	if (*out < min || *out > max)
		return err_set("%s:%u: %s = %lld: out of range [%lld, %lld]", QT_AT(c, el),
			       what, *out, min, max);
	return 0;
}

int qt_get_u32(struct qsrc_tctx *c, const struct qsrc_init *el, const char *what,
		   uint32_t *out)
{
	long long v;

	if (qt_get_ll(c, el, what, 0, UINT32_MAX, &v))
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* "&NAME" or NULL: a pointer to an object that is not read */
int qt_get_ref(struct qsrc_tctx *c, const struct qsrc_init *el, const char *what,
		   const char **out)
{
	const struct qsrc_tok *a = qt_tok(c, el->b), *b = qt_tok(c, el->b + 1);
	char name[128];

	*out = NULL;
	if (qt_want_expr(c, el, what))
		return -1;
	if (el->e - el->b == 1 && (qsrc_tok_is(a, "NULL") || qsrc_tok_is(a, "0")))
		return 0;
	if (el->e - el->b != 2 || !qsrc_tok_is(a, "&") || b->kind != QT_IDENT ||
	    b->len >= sizeof(name))
		return err_set("%s:%u: %s: expected &NAME or NULL", QT_AT(c, el), what);
	snprintf(name, sizeof(name), "%.*s", (int)b->len, b->s);
	*out = qsrc_strdup(c->q, name);
	return *out ? 0 : -1;
}

/*
 * The field element @el of a struct initializer sets, by designator or
 * position (C's rules: after a designated field, positions continue with
 * the next one). Returns its index in @d->names, or -1 after err_set().
 */
int qt_field_of(struct qsrc_tctx *c, const struct qsrc_init *el, const struct qt_struct_desc *d,
		    int *cursor, unsigned int *seen)
{
	const char *const *fields = d->names, *what = d->type;
	int f, nfields = d->n;

	if (el->ndesig) {
		const struct qsrc_tok *t;

		if (el->desig[0].index)
			return err_set("%s:%u: %s: expected .field, found [index]",
				       QT_AT(c, el), what);
		t = qt_tok(c, el->desig[0].b);
		for (f = 0; f < nfields; f++)
			if (qsrc_tok_is(t, fields[f]))
				break;
		if (f == nfields)
			return err_set("%s:%u: %s has no field .%.*s", QT_AT(c, el), what,
				       (int)t->len, t->s);
	} else {
		f = *cursor;
		if (f >= nfields)
			return err_set("%s:%u: %s: too many initializers", QT_AT(c, el), what);
	}
	if (QT_GIVEN(*seen, f))
		return err_set("%s:%u: %s: .%s given twice", QT_AT(c, el), what, fields[f]);
	*seen |= 1u << f;
	*cursor = f + 1;
	return f;
}

/* The array index of element @el: its [designator], else *@cursor. */
int qt_index_of(struct qsrc_tctx *c, const struct qsrc_init *el, long long max,
		    long long *cursor, const char *what, long long *out)
{
	if (el->ndesig) {
		if (!el->desig[0].index || el->ndesig != 1)
			return err_set("%s:%u: %s: expected [index] =", QT_AT(c, el), what);
		if (qsrc_eval_ll(c->u, el->desig[0].b, el->desig[0].e, out))
			return -1;
	} else {
		*out = *cursor;
	}
	if (*out < 0 || *out >= max)
		return err_set("%s:%u: %s: index %lld out of range [0, %lld)", QT_AT(c, el),
			       what, *out, max);
	*cursor = *out + 1;
	return 0;
}
/*
 * An entry that ends a PropValue or X86CPUVersionDefinition list, as QEMU's
 * loops see it: { }, or a first field (@first) that is NULL or 0.
 */
int qt_entry_is_end(struct qsrc_tctx *c, const struct qsrc_init *el, const char *first)
{
	const struct qsrc_init *k;
	const struct qsrc_tok *t;

	if (el->kind != QI_LIST)
		return 0;	/* reported by the reader */
	if (!el->nkids)
		return 1;
	k = &el->kids[0];
	if (k->ndesig && (k->desig[0].index || !qsrc_tok_is(qt_tok(c, k->desig[0].b), first)))
		return 0;
	if (k->kind != QI_EXPR || k->e - k->b != 1)
		return 0;
	t = qt_tok(c, k->b);
	return qsrc_tok_is(t, "NULL") || qsrc_tok_is(t, "0");
}

/* The entries of a { ..., { } } list before its end entry. */
int qt_list_len(struct qsrc_tctx *c, const struct qsrc_init *list, const char *what,
		    const char *first, unsigned int *n)
{
	for (unsigned int i = 0; i < list->nkids; i++) {
		if (!qt_entry_is_end(c, &list->kids[i], first))
			continue;
		if (i + 1 < list->nkids)
			return err_set("%s:%u: %s: entries after the end of the list",
				       QT_AT(c, &list->kids[i + 1]), what);
		*n = i;
		return 0;
	}
	return err_set("%s:%u: %s: no { } entry ends the list", QT_AT(c, list), what);
}

int qt_compound_type(struct qsrc_tctx *c, const struct qsrc_init *el, const char *type)
{
	if (el->tb != el->te && !qsrc_tok_is(qt_tok(c, el->tb), type))
		return err_set("%s:%u: expected (%s[]) { ... }", QT_AT(c, el), type);
	return 0;
}

/* NULL, where a list may be */
int qt_null_list(struct qsrc_tctx *c, const struct qsrc_init *el, const char *what)
{
	const struct qsrc_tok *t = qt_tok(c, el->b);

	if (el->e - el->b == 1 && (qsrc_tok_is(t, "NULL") || qsrc_tok_is(t, "0")))
		return 0;
	return err_set("%s:%u: %s: expected a list or NULL", QT_AT(c, el), what);
}
