// SPDX-License-Identifier: GPL-2.0-only
/*
 * The property names cpu.c registers, and the PropValue lists of model
 * versions (qsrc_internal.h). A property a version sets is classified: a
 * feature name or alias (feature_word_info[]), an identity property, or
 * another property cpu.c registers; anything else is an error, as are
 * values QEMU's setters would refuse.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "import/qsrc_internal.h"

/* ---------------------------------------------------- property names */

static int add_pname(struct qsrc_tctx *c, const struct qsrc_tok *name, const struct qsrc_tok *to)
{
	struct qsrc_pname *p;

	if (c->nprops == c->capprops) {
		size_t cap = c->capprops ? c->capprops * 2 : 256;

		p = realloc(c->props, cap * sizeof(*p));
		if (!p)
			return err_set("out of memory");
		c->props = p;
		c->capprops = cap;
	}
	p = &c->props[c->nprops++];
	/* without the quotes */
	p->s = name->s + 1;
	p->len = name->len - 2;
	p->to = to ? to->s + 1 : NULL;
	p->tolen = to ? to->len - 2 : 0;
	return 0;
}

/*
 * The token after the argument starting at @i (a ',' or ')'), or where it
 * gave up: arguments before a property name are short.
 */
static unsigned int skip_arg(const struct qsrc_tctx *c, unsigned int i)
{
	unsigned int depth = 0, end = i + 256;

	for (; i < c->u->ntoks && i < end; i++) {
		const struct qsrc_tok *t = qt_tok(c, i);

		if (qsrc_tok_is(t, "(") || qsrc_tok_is(t, "["))
			depth++;
		else if ((qsrc_tok_is(t, ")") || qsrc_tok_is(t, "]")) && depth)
			depth--;
		else if (!depth && (qsrc_tok_is(t, ",") || qsrc_tok_is(t, ")")))
			break;
	}
	return i;
}

static int plain_literal(const struct qsrc_tok *t)
{
	return t->kind == QT_STRING && t->s[0] == '"' && !memchr(t->s, '\\', t->len);
}

/*
 * Collects property names from every call that registers one with a
 * literal name, under any #if (a property of some build is a property).
 */
int qt_scan_props(struct qsrc_tctx *c)
{
	const unsigned int n = c->u->ntoks;

	for (unsigned int i = 0; i + 2 < n; i++) {
		const struct qsrc_tok *t = qt_tok(c, i);
		int alias;
		unsigned int j;

		if (t->kind != QT_IDENT || !qsrc_tok_is(qt_tok(c, i + 1), "("))
			continue;
		if (t->len > 11 && !memcmp(t->s, "DEFINE_PROP", 11)) {
			if (plain_literal(qt_tok(c, i + 2)) && add_pname(c, qt_tok(c, i + 2), NULL))
				return -1;
			continue;
		}
		if (!(t->len >= 25 && !memcmp(t->s, "object_class_property_add", 25)) &&
		    !(t->len >= 19 && !memcmp(t->s, "object_property_add", 19)))
			continue;
		alias = qsrc_tok_is(t, "object_property_add_alias");
		j = skip_arg(c, i + 2);
		if (j + 1 >= n || !qsrc_tok_is(qt_tok(c, j), ",") || !plain_literal(qt_tok(c, j + 1)))
			continue;
		if (alias) {
			unsigned int k = skip_arg(c, j + 3);

			if (k + 1 < n && qsrc_tok_is(qt_tok(c, j + 2), ",") &&
			    qsrc_tok_is(qt_tok(c, k), ",") && plain_literal(qt_tok(c, k + 1))) {
				if (add_pname(c, qt_tok(c, j + 1), qt_tok(c, k + 1)))
					return -1;
				continue;
			}
		}
		if (add_pname(c, qt_tok(c, j + 1), NULL))
			return -1;
	}
	return 0;
}

static const struct qsrc_pname *find_pname(const struct qsrc_tctx *c, const char *s)
{
	size_t len = strlen(s);

	for (size_t i = 0; i < c->nprops; i++)
		if (c->props[i].len == len && !memcmp(c->props[i].s, s, len))
			return &c->props[i];
	return NULL;
}
/* ------------------------------------------------------------- props */

int qsrc_feature(const struct qsrc *q, const char *name, unsigned int *word,
		 uint64_t *mask)
{
	for (unsigned int w = 0; w < q->nwords; w++) {
		uint64_t m = 0;

		for (unsigned int b = 0; b < QSRC_WORD_BITS; b++)
			if (q->words[w].names[b] && !strcmp(q->words[w].names[b], name))
				m |= 1ull << b;
		if (m) {
			*word = w;
			*mask = m;
			return 0;
		}
	}
	return -1;
}

/* QEMU's boolean property values (qapi_bool_parse) */
static int parse_bool(const char *s, bool *on)
{
	static const char *const yes[] = { "on", "yes", "true", "y" };
	static const char *const no[] = { "off", "no", "false", "n" };

	for (size_t i = 0; i < 4; i++) {
		if (!strcmp(s, yes[i]) || !strcmp(s, no[i])) {
			*on = !strcmp(s, yes[i]);
			return 0;
		}
	}
	return -1;
}

static int parse_num(const char *s, long long min, long long max, long long *out)
{
	char *end;

	if (!*s || !((*s >= '0' && *s <= '9') || *s == '-'))
		return -1;
	*out = strtoll(s, &end, 0);
	return *end || *out < min || *out > max ? -1 : 0;
}

static const struct {
	const char *name;
	enum qsrc_prop_kind kind;
	enum qsrc_ident ident;
	long long min, max;	/* numbers; max < 0: a string */
} ident_props[] = {
	{ "vendor", QSRC_PROP_IDENTITY, QSRC_ID_VENDOR, 0, -1 },
	{ "family", QSRC_PROP_IDENTITY, QSRC_ID_FAMILY, 0, 0xff + 0xf },
	{ "model", QSRC_PROP_IDENTITY, QSRC_ID_MODEL, 0, 0xff },
	{ "stepping", QSRC_PROP_IDENTITY, QSRC_ID_STEPPING, 0, 0xf },
	{ "model-id", QSRC_PROP_IDENTITY, QSRC_ID_MODEL_ID, 0, -1 },
	{ "min-level", QSRC_PROP_OTHER, QSRC_ID_MIN_LEVEL, 0, UINT32_MAX },
	{ "min-xlevel", QSRC_PROP_OTHER, QSRC_ID_MIN_XLEVEL, 0, UINT32_MAX },
	{ "avx10-version", QSRC_PROP_OTHER, QSRC_ID_AVX10_VERSION, 0, 0xff },
};

static int classify(struct qsrc_tctx *c, const struct qsrc_init *el, struct qsrc_prop *p)
{
	const char *name = p->name;
	const struct qsrc_pname *pn;
	size_t i;

	pn = find_pname(c, name);
	if (pn && pn->to) {
		/* an alias: the feature (or property) it stands for */
		char *to = malloc(pn->tolen + 1);

		if (!to)
			return err_set("out of memory");
		memcpy(to, pn->to, pn->tolen);
		to[pn->tolen] = '\0';
		name = qsrc_strdup(c->q, to);
		free(to);
		if (!name)
			return -1;
	}
	if (!qsrc_feature(c->q, name, &p->word, &p->mask)) {
		p->kind = QSRC_PROP_FEATURE;
		p->feature = name;
		if (parse_bool(p->value, &p->on))
			return err_set("%s:%u: \"%s\" = \"%s\": expected on or off", QT_AT(c, el),
				       p->name, p->value);
		return 0;
	}
	for (i = 0; i < sizeof(ident_props) / sizeof(ident_props[0]); i++)
		if (!strcmp(name, ident_props[i].name))
			break;
	if (i < sizeof(ident_props) / sizeof(ident_props[0])) {
		p->kind = ident_props[i].kind;
		p->ident = ident_props[i].ident;
		if (ident_props[i].max >= 0) {
			if (parse_num(p->value, ident_props[i].min, ident_props[i].max, &p->num))
				return err_set("%s:%u: \"%s\" = \"%s\": expected a number in "
					       "[%lld, %lld]", QT_AT(c, el), p->name, p->value,
					       ident_props[i].min, ident_props[i].max);
		} else if (p->ident == QSRC_ID_VENDOR && strlen(p->value) != QSRC_VENDOR_LEN) {
			return err_set("%s:%u: vendor \"%s\": not %d characters", QT_AT(c, el),
				       p->value, QSRC_VENDOR_LEN);
		} else if (p->ident == QSRC_ID_MODEL_ID &&
			   strlen(p->value) > QSRC_MODEL_ID_MAX) {
			return err_set("%s:%u: model-id \"%s\": longer than %d characters",
				       QT_AT(c, el), p->value, QSRC_MODEL_ID_MAX);
		}
		return 0;
	}
	if (pn) {
		p->kind = QSRC_PROP_OTHER;
		return 0;
	}
	return err_set("%s:%u: \"%s\" is neither a feature nor a property cpu.c registers",
		       QT_AT(c, el), p->name);
}

/* PropValue */
enum prop_field { PROP_F_NAME, PROP_F_VALUE, PROP_F_NR };

static const char *const prop_fields[PROP_F_NR] = {
	[PROP_F_NAME] = "prop", [PROP_F_VALUE] = "value",
};

static int read_prop(struct qsrc_tctx *c, const struct qsrc_init *el, struct qsrc_prop *p)
{
	static const struct qt_struct_desc desc = QT_STRUCT_DESC("PropValue", prop_fields);
	const char *v[PROP_F_NR] = { NULL, NULL };
	unsigned int seen = 0;
	int cursor = 0;

	if (qt_want_list(c, el, "a PropValue"))
		return -1;
	for (unsigned int i = 0; i < el->nkids; i++) {
		int f = qt_field_of(c, &el->kids[i], &desc, &cursor, &seen);

		if (f < 0 || qt_get_str(c, &el->kids[i], f == PROP_F_VALUE ? "a property value" :
				     "a property name", 1, &v[f]))
			return -1;
	}
	if (!v[PROP_F_NAME] || !v[PROP_F_VALUE])
		return err_set("%s:%u: property \"%s\" without a value", QT_AT(c, el),
			       v[PROP_F_NAME]);
	p->name = v[PROP_F_NAME];
	p->value = v[PROP_F_VALUE];
	p->line = qt_el_tok(c, el)->line;
	return classify(c, el, p);
}
int qt_read_props(struct qsrc_tctx *c, const struct qsrc_init *el, struct qsrc_version *v)
{
	unsigned int n;

	if (el->kind == QI_EXPR)
		return qt_null_list(c, el, ".props");
	if (qt_compound_type(c, el, "PropValue") || qt_list_len(c, el, ".props", "prop", &n))
		return -1;
	v->props = qsrc_alloc(c->q, (n ? n : 1) * sizeof(*v->props));
	if (!v->props)
		return -1;
	for (unsigned int i = 0; i < n; i++)
		if (read_prop(c, &el->kids[i], &v->props[i]))
			return -1;
	v->nprops = n;
	return 0;
}
