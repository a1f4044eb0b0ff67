// SPDX-License-Identifier: GPL-2.0-only
/*
 * The preprocessor of the QEMU-source reader: directives only.
 *
 * Every source's raw tokens are walked in order (cpu.h before cpu.c, as
 * cpu.c's #include puts them). Tokens outside directives go to the active
 * stream unless a conditional excludes them. Conditionals are decided
 * three-valued for one build, qemu-system-x86_64 on Linux (config[]
 * below): true, false, or unknown when they test something this file set
 * cannot know (CONFIG_KVM, HOST_BIG_ENDIAN, ...). Tokens of a false group
 * are dropped; tokens of an unknown group are kept, marked with the #if
 * that could not be decided, and whoever reads one reports that line.
 * Macro definitions are recorded the same way, with the range of active
 * tokens they are visible to (#undef ends it), and expanded only when
 * evaluated (qsrc_eval.c). #include, #pragma and #warning are ignored (the
 * two macros cpu.c takes from other QEMU headers are supplied by
 * qemu_source.c); #error in a group that is compiled is an error, as is
 * any directive C does not have.
 *
 * An include guard (#ifndef X / #define X with X unknown) is taken as
 * true. Enum constants are collected from the active stream afterwards.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "import/qsrc_internal.h"

/*
 * The configuration the conditionals are decided for: qemu-system-x86_64
 * (system emulation, 64-bit target) on a Linux host. Anything else a
 * conditional tests is unknown.
 */
static const struct {
	const char *name;
	int defined;
} config[] = {
	{ "CONFIG_USER_ONLY", 0 },
	{ "CONFIG_LINUX_USER", 0 },
	{ "CONFIG_BSD_USER", 0 },
	{ "TARGET_X86_64", 1 },
	{ "CONFIG_LINUX", 1 },
};

int qsrc_config(const char *name, unsigned int len)
{
	for (size_t i = 0; i < sizeof(config) / sizeof(config[0]); i++)
		if (strlen(config[i].name) == len && !memcmp(config[i].name, name, len))
			return config[i].defined;
	return -1;
}

unsigned int qsrc_hash(const char *s, unsigned int len)
{
	unsigned int h = 2166136261u;

	while (len--)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h % QSRC_HASH;
}

int qsrc_tok_is(const struct qsrc_tok *t, const char *s)
{
	return t->len == strlen(s) && !memcmp(t->s, s, t->len);
}

static void *grow(void *p, unsigned int *cap, unsigned int n, size_t size)
{
	unsigned int ncap;
	void *np;

	if (n < *cap)
		return p;
	if (*cap >= 0x10000000u) {
		err_set("input too large");
		return NULL;
	}
	ncap = *cap ? *cap * 2 : 256;
	np = realloc(p, (size_t)ncap * size);
	if (!np) {
		err_set("out of memory");
		return NULL;
	}
	*cap = ncap;
	return np;
}

/* -------------------------------------------------------------- macros */

struct qsrc_macro *qsrc_macro_find(const struct qsrc_unit *u, const char *name,
				   unsigned int len, unsigned int pos)
{
	for (int i = u->mhash[qsrc_hash(name, len)]; i >= 0; i = u->macros[i].next) {
		struct qsrc_macro *m = &u->macros[i];

		if (m->namelen == len && !memcmp(m->name, name, len) &&
		    m->def_pos <= pos && pos < m->undef_pos)
			return m;
	}
	return NULL;
}

struct qsrc_enumc *qsrc_enum_find(const struct qsrc_unit *u, const char *name,
				  unsigned int len)
{
	for (int i = u->ehash[qsrc_hash(name, len)]; i >= 0; i = u->enums[i].next) {
		struct qsrc_enumc *ec = &u->enums[i];

		if (ec->namelen == len && !memcmp(ec->name, name, len))
			return ec;
	}
	return NULL;
}

/* ------------------------------------------------------- conditionals */

struct cond {
	enum qsrc_truth branch;	/* the current group's own condition */
	enum qsrc_truth taken;	/* whether some group so far was taken */
	unsigned char seen_else;
	unsigned short file;
	unsigned int line;	/* the directive that opened the current group */
};

#define MAX_COND	64

struct pp {
	struct qsrc_unit *u;
	struct cond stack[MAX_COND];
	unsigned int depth;
	enum qsrc_state state;	/* of the current group; QS_TRUE at top */
	int excluded;		/* the current group is false */
	unsigned short cond_file;
	unsigned int cond_line;
};

static enum qsrc_truth t_not(enum qsrc_truth a)
{
	return a == QSRC_UNKNOWN ? a : a == QSRC_TRUE ? QSRC_FALSE : QSRC_TRUE;
}

static enum qsrc_truth t_and(enum qsrc_truth a, enum qsrc_truth b)
{
	if (a == QSRC_FALSE || b == QSRC_FALSE)
		return QSRC_FALSE;
	return a == QSRC_TRUE && b == QSRC_TRUE ? QSRC_TRUE : QSRC_UNKNOWN;
}

static enum qsrc_truth t_or(enum qsrc_truth a, enum qsrc_truth b)
{
	if (a == QSRC_TRUE || b == QSRC_TRUE)
		return QSRC_TRUE;
	return a == QSRC_FALSE && b == QSRC_FALSE ? QSRC_FALSE : QSRC_UNKNOWN;
}

/* Recomputes the current group's state from the stack. */
static void pp_restate(struct pp *pp)
{
	pp->state = QS_TRUE;
	pp->excluded = 0;
	for (unsigned int i = 0; i < pp->depth; i++) {
		const struct cond *c = &pp->stack[i];

		if (c->branch == QSRC_FALSE) {
			pp->excluded = 1;
		} else if (c->branch == QSRC_UNKNOWN) {
			/* the innermost undecided #if names the group */
			pp->state = QS_UNKNOWN;
			pp->cond_file = c->file;
			pp->cond_line = c->line;
		}
	}
}

/* Whether the directive after the one at raw token @dir is "#define @x". */
static int guard_idiom(const struct qsrc_src *src, unsigned int dir,
		       const struct qsrc_tok *x)
{
	unsigned int i = dir + 1;

	while (i < src->nraw && !src->raw[i].bol)
		i++;
	return i + 2 < src->nraw && qsrc_tok_is(&src->raw[i], "#") &&
	       qsrc_tok_is(&src->raw[i + 1], "define") &&
	       src->raw[i + 2].len == x->len && !memcmp(src->raw[i + 2].s, x->s, x->len);
}

static int pp_if(struct pp *pp, const struct qsrc_src *src, unsigned int dir,
		 const struct qsrc_tok *kw, const struct qsrc_tok *args, unsigned int n)
{
	struct qsrc_unit *u = pp->u;
	enum qsrc_truth v = QSRC_FALSE;
	struct cond *c;

	if (pp->depth == MAX_COND)
		return err_set("%s:%u: conditionals nested too deeply", QSRC_AT(u, kw));
	if (!pp->excluded) {
		int ifdef = qsrc_tok_is(kw, "ifdef"), ifndef = qsrc_tok_is(kw, "ifndef");
		const struct qsrc_macro *m;

		if (ifdef || ifndef) {
			if (n != 1 || args[0].kind != QT_IDENT)
				return err_set("%s:%u: #%.*s needs one identifier",
					       QSRC_AT(u, kw), (int)kw->len, kw->s);
			m = qsrc_macro_find(u, args[0].s, args[0].len, u->ntoks);
			if (m) {
				v = m->state == QS_TRUE && u->ntoks < m->uundef_pos ?
				    QSRC_TRUE : QSRC_UNKNOWN;
			} else {
				int d = qsrc_config(args[0].s, args[0].len);

				v = d < 0 ? QSRC_UNKNOWN : d ? QSRC_TRUE : QSRC_FALSE;
				if (d < 0 && ifndef && guard_idiom(src, dir, &args[0]))
					v = QSRC_FALSE;
			}
			if (ifndef)
				v = t_not(v);
		} else {
			if (!n)
				return err_set("%s:%u: #if without a condition", QSRC_AT(u, kw));
			/* #if !defined(X) / !defined X: an include guard too */
			if ((n == 3 || (n == 5 && qsrc_tok_is(&args[2], "(") &&
					qsrc_tok_is(&args[4], ")"))) &&
			    qsrc_tok_is(&args[0], "!") && qsrc_tok_is(&args[1], "defined")) {
				const struct qsrc_tok *x = &args[n == 3 ? 2 : 3];

				if (x->kind == QT_IDENT &&
				    !qsrc_macro_find(u, x->s, x->len, u->ntoks) &&
				    qsrc_config(x->s, x->len) < 0 && guard_idiom(src, dir, x)) {
					v = QSRC_TRUE;
					goto push;
				}
			}
			if (qsrc_eval_if(u, args, n, u->ntoks, &v))
				return -1;
		}
	}
push:
	c = &pp->stack[pp->depth++];
	c->branch = pp->excluded ? QSRC_FALSE : v;
	/* in an excluded group no branch may be taken */
	c->taken = pp->excluded ? QSRC_TRUE : v;
	c->seen_else = 0;
	c->file = kw->file;
	c->line = kw->line;
	pp_restate(pp);
	return 0;
}

static int pp_else(struct pp *pp, const struct qsrc_tok *kw,
		   const struct qsrc_tok *args, unsigned int n)
{
	struct qsrc_unit *u = pp->u;
	int is_elif = qsrc_tok_is(kw, "elif");
	struct cond *c;
	enum qsrc_truth v = QSRC_TRUE;

	if (!pp->depth)
		return err_set("%s:%u: #%.*s without #if", QSRC_AT(u, kw), (int)kw->len, kw->s);
	c = &pp->stack[pp->depth - 1];
	if (c->seen_else)
		return err_set("%s:%u: #%.*s after #else", QSRC_AT(u, kw), (int)kw->len, kw->s);
	if (is_elif) {
		/* decided only if no earlier group was taken, as C does */
		pp->depth--;
		pp_restate(pp);
		pp->depth++;
		if (!pp->excluded && c->taken != QSRC_TRUE) {
			if (!n)
				return err_set("%s:%u: #elif without a condition", QSRC_AT(u, kw));
			if (qsrc_eval_if(u, args, n, u->ntoks, &v))
				return -1;
		}
	} else {
		c->seen_else = 1;
	}
	c->branch = t_and(t_not(c->taken), v);
	c->taken = t_or(c->taken, v);
	c->file = kw->file;
	c->line = kw->line;
	pp_restate(pp);
	return 0;
}

static int pp_define(struct pp *pp, const struct qsrc_tok *kw,
		     const struct qsrc_tok *args, unsigned int n)
{
	struct qsrc_unit *u = pp->u;
	struct qsrc_macro *m;
	unsigned int i = 1, h;

	if (!n || args[0].kind != QT_IDENT)
		return err_set("%s:%u: #define needs a name", QSRC_AT(u, kw));
	u->macros = grow(u->macros, &u->capmacros, u->nmacros, sizeof(*u->macros));
	if (!u->macros)
		return -1;
	m = &u->macros[u->nmacros];
	memset(m, 0, sizeof(*m));
	m->name = args[0].s;
	m->namelen = args[0].len;
	m->line = args[0].line;
	m->file = args[0].file;
	m->state = (unsigned char)pp->state;
	m->cond_file = pp->cond_file;
	m->cond_line = pp->cond_line;
	m->def_pos = u->ntoks;
	m->undef_pos = m->uundef_pos = ~0u;
	if (n > 1 && qsrc_tok_is(&args[1], "(") && !args[1].ws) {
		m->funclike = 1;
		for (i = 2; i < n && !qsrc_tok_is(&args[i], ")"); i++)
			;
		if (i == n)
			return err_set("%s:%u: #define %.*s: unterminated parameter list",
				       QSRC_AT(u, kw), (int)m->namelen, m->name);
		i++;
	}
	m->body = u->nmtoks;
	m->nbody = n - i;
	for (; i < n; i++) {
		u->mtoks = grow(u->mtoks, &u->capmtoks, u->nmtoks, sizeof(*u->mtoks));
		if (!u->mtoks)
			return -1;
		u->mtoks[u->nmtoks] = args[i];
		u->mtoks[u->nmtoks].state = (unsigned char)pp->state;
		u->mtoks[u->nmtoks].cond_file = pp->cond_file;
		u->mtoks[u->nmtoks].cond_line = pp->cond_line;
		u->nmtoks++;
	}
	h = qsrc_hash(m->name, m->namelen);
	m->next = u->mhash[h];
	u->mhash[h] = (int)u->nmacros++;
	return 0;
}

static int pp_undef(struct pp *pp, const struct qsrc_tok *kw,
		    const struct qsrc_tok *args, unsigned int n)
{
	struct qsrc_unit *u = pp->u;
	struct qsrc_macro *m;

	if (n != 1 || args[0].kind != QT_IDENT)
		return err_set("%s:%u: #undef needs one name", QSRC_AT(u, kw));
	m = qsrc_macro_find(u, args[0].s, args[0].len, u->ntoks);
	if (!m)
		return 0;
	if (pp->state == QS_TRUE)
		m->undef_pos = u->ntoks;
	else if (m->uundef_pos == ~0u)
		m->uundef_pos = u->ntoks;
	return 0;
}

/* Handles the directive at raw token @i (the '#'); returns the next index. */
static int pp_directive(struct pp *pp, const struct qsrc_src *src, unsigned int i,
			unsigned int *next)
{
	const struct qsrc_tok *hash = &src->raw[i], *kw, *args;
	struct qsrc_unit *u = pp->u;
	unsigned int e = i + 1, n;

	while (e < src->nraw && !src->raw[e].bol)
		e++;
	*next = e;
	if (e == i + 1)
		return 0;		/* the null directive */
	kw = &src->raw[i + 1];
	args = &src->raw[i + 2];
	n = e - i - 2;
	if (qsrc_tok_is(kw, "if") || qsrc_tok_is(kw, "ifdef") || qsrc_tok_is(kw, "ifndef"))
		return pp_if(pp, src, i, kw, args, n);
	if (qsrc_tok_is(kw, "elif") || qsrc_tok_is(kw, "else"))
		return pp_else(pp, kw, args, n);
	if (qsrc_tok_is(kw, "endif")) {
		if (!pp->depth)
			return err_set("%s:%u: #endif without #if", QSRC_AT(u, kw));
		pp->depth--;
		pp_restate(pp);
		return 0;
	}
	if (pp->excluded)
		return 0;		/* C ignores other directives there */
	if (qsrc_tok_is(kw, "define"))
		return pp_define(pp, kw, args, n);
	if (qsrc_tok_is(kw, "undef"))
		return pp_undef(pp, kw, args, n);
	if (qsrc_tok_is(kw, "include") || qsrc_tok_is(kw, "pragma") ||
	    qsrc_tok_is(kw, "warning"))
		return 0;
	if (qsrc_tok_is(kw, "error")) {
		if (pp->state == QS_TRUE)
			return err_set("%s:%u: #error in code compiled for qemu-system-x86_64",
				       QSRC_AT(u, hash));
		return 0;
	}
	return err_set("%s:%u: unknown directive #%.*s", QSRC_AT(u, hash),
		       (int)kw->len, kw->s);
}

static int pp_source(struct pp *pp, const struct qsrc_src *src)
{
	struct qsrc_unit *u = pp->u;
	unsigned int i = 0;

	while (i < src->nraw) {
		const struct qsrc_tok *t = &src->raw[i];

		if (t->bol && qsrc_tok_is(t, "#")) {
			if (pp_directive(pp, src, i, &i))
				return -1;
			continue;
		}
		i++;
		if (pp->excluded)
			continue;
		u->toks = grow(u->toks, &u->captoks, u->ntoks + 1, sizeof(*u->toks));
		if (!u->toks)
			return -1;
		u->toks[u->ntoks] = *t;
		u->toks[u->ntoks].state = (unsigned char)pp->state;
		u->toks[u->ntoks].cond_file = pp->cond_file;
		u->toks[u->ntoks].cond_line = pp->cond_line;
		u->ntoks++;
	}
	if (pp->depth) {
		const struct cond *c = &pp->stack[pp->depth - 1];

		return err_set("%s:%u: #if without #endif", u->src[c->file].name, c->line);
	}
	return 0;
}

/* ------------------------------------------------------ enum constants */

static int add_enumc(struct qsrc_unit *u, unsigned int tok, unsigned int b,
		     unsigned int e, int prev)
{
	const struct qsrc_tok *t = &u->toks[tok];
	struct qsrc_enumc *ec;
	unsigned int h;

	u->enums = grow(u->enums, &u->capenums, u->nenums, sizeof(*u->enums));
	if (!u->enums)
		return -1;
	ec = &u->enums[u->nenums];
	memset(ec, 0, sizeof(*ec));
	ec->name = t->s;
	ec->namelen = t->len;
	ec->tok = tok;
	ec->b = b;
	ec->e = e;
	ec->prev = prev;
	h = qsrc_hash(t->s, t->len);
	ec->next = u->ehash[h];
	u->ehash[h] = (int)u->nenums++;
	return 0;
}

/* Reads "enum [tag] { A [= x], ... }" whose '{' is at @i; returns past '}'. */
static int scan_enum(struct qsrc_unit *u, unsigned int i, unsigned int *end)
{
	int prev = -1;

	for (i++; i < u->ntoks; ) {
		const struct qsrc_tok *t = &u->toks[i];
		unsigned int name = i, b, depth = 0;

		if (qsrc_tok_is(t, "}")) {
			*end = i + 1;
			return 0;
		}
		if (t->kind != QT_IDENT)
			return err_set("%s:%u: expected an enumerator, found \"%.*s\"",
				       QSRC_AT(u, t), (int)t->len, t->s);
		i++;
		if (i < u->ntoks && qsrc_tok_is(&u->toks[i], "=")) {
			b = ++i;
			for (; i < u->ntoks; i++) {
				const struct qsrc_tok *x = &u->toks[i];

				if (qsrc_tok_is(x, "(") || qsrc_tok_is(x, "["))
					depth++;
				else if ((qsrc_tok_is(x, ")") || qsrc_tok_is(x, "]")) && depth)
					depth--;
				else if (!depth && (qsrc_tok_is(x, ",") || qsrc_tok_is(x, "}")))
					break;
			}
			if (b == i)
				return err_set("%s:%u: enumerator %.*s: missing value",
					       QSRC_AT(u, t), (int)t->len, t->s);
		} else {
			b = i;		/* implicit: the one before plus one */
		}
		if (add_enumc(u, name, b, i, prev))
			return -1;
		prev = (int)u->nenums - 1;
		if (i < u->ntoks && qsrc_tok_is(&u->toks[i], ","))
			i++;
		else if (i < u->ntoks && !qsrc_tok_is(&u->toks[i], "}"))
			return err_set("%s:%u: expected ',' or '}' in enum",
				       QSRC_AT(u, &u->toks[i]));
	}
	return err_set("%s:%u: unterminated enum", QSRC_AT(u, &u->toks[u->ntoks - 1]));
}

static int scan_enums(struct qsrc_unit *u)
{
	unsigned int i = 0;

	while (i + 1 < u->ntoks) {
		unsigned int j = i + 1;

		if (u->toks[i].kind != QT_IDENT || !qsrc_tok_is(&u->toks[i], "enum")) {
			i++;
			continue;
		}
		if (u->toks[j].kind == QT_IDENT)
			j++;
		if (j >= u->ntoks || !qsrc_tok_is(&u->toks[j], "{")) {
			i = j;
			continue;
		}
		if (scan_enum(u, j, &i))
			return -1;
	}
	return 0;
}

int qsrc_pp(struct qsrc_unit *u)
{
	struct pp pp = { .u = u, .state = QS_TRUE };
	struct qsrc_tok *eof;

	memset(u->mhash, 0xff, sizeof(u->mhash));	/* all -1: empty */
	memset(u->ehash, 0xff, sizeof(u->ehash));
	for (unsigned int i = 0; i < u->nsrc; i++)
		if (pp_source(&pp, &u->src[i]))
			return -1;
	if (scan_enums(u))
		return -1;
	/* the sentinel: the last line of the last source */
	u->toks = grow(u->toks, &u->captoks, u->ntoks + 1, sizeof(*u->toks));
	if (!u->toks)
		return -1;
	eof = &u->toks[u->ntoks];
	memset(eof, 0, sizeof(*eof));
	eof->kind = QT_EOF;
	eof->s = "";
	eof->state = QS_TRUE;
	eof->file = (unsigned short)(u->nsrc - 1);
	eof->line = u->src[u->nsrc - 1].nraw ?
		    u->src[u->nsrc - 1].raw[u->src[u->nsrc - 1].nraw - 1].line : 1;
	return 0;
}

void qsrc_unit_free(struct qsrc_unit *u)
{
	for (unsigned int i = 0; i < u->nsrc; i++) {
		free(u->src[i].text);
		free(u->src[i].raw);
	}
	free(u->toks);
	free(u->mtoks);
	free(u->macros);
	free(u->enums);
	memset(u, 0, sizeof(*u));
}
