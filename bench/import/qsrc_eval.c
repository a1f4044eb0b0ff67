// SPDX-License-Identifier: GPL-2.0-only
/*
 * Constant expressions of the QEMU-source reader.
 *
 * An expression's tokens are first macro-expanded (object-like macros
 * only, as visible at the expression's place; a macro is not expanded
 * inside its own expansion), then parsed by precedence climbing with C's
 * integer semantics on LP64: int, unsigned int, long and unsigned long
 * (long long is long), literal types and suffixes, the usual arithmetic
 * conversions, wrap-around as QEMU's -fwrapv gives. Division by zero, a
 * shift by the type's width or more, a function-like macro, sizeof, a cast
 * to anything but an integer type, or an identifier that is neither a
 * macro nor an enum constant is an error naming the expression's line (and
 * the token's, when it comes from a macro body or another line).
 *
 * #if expressions are evaluated three-valued: an identifier the
 * configuration does not know, defined() of one, or a macro defined under
 * an undecided #if make the value unknown; && and || still decide when
 * one side does (0 && unknown is 0).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "import/qsrc_internal.h"

#define MAX_DEPTH	200	/* nesting of macros, enum constants, parentheses */
#define MAX_EXPANSION	65536u	/* tokens of one expanded expression */

static const struct qsrc_tok tok_one = {
	.s = "1", .len = 1, .kind = QT_NUMBER, .state = QS_TRUE,
};
static const struct qsrc_tok tok_zero = {
	.s = "0", .len = 1, .kind = QT_NUMBER, .state = QS_TRUE,
};
static const struct qsrc_tok tok_unknown = {
	.s = "?", .len = 1, .kind = QT_OTHER, .state = QS_TRUE,
};

/* an integer of one of C's types */
struct qsrc_val {
	uint64_t v;		/* 32-bit types: the low 32 bits, rest 0 */
	unsigned char is64;	/* long, long long */
	unsigned char uns;
	unsigned char known;	/* #if only: 0 when undecidable */
};

struct tokvec {
	const struct qsrc_tok **v;
	unsigned int n, cap;
};

int qsrc_err_unknown(const struct qsrc_unit *u, const struct qsrc_tok *t,
		     const char *what)
{
	if (what)
		return err_set("%s:%u: %s is under the #if at %s:%u, which cannot be "
			       "decided for qemu-system-x86_64", QSRC_AT(u, t), what,
			       u->src[t->cond_file].name, t->cond_line);
	return err_set("%s:%u: this line depends on the #if at %s:%u, which cannot be "
		       "decided for qemu-system-x86_64", QSRC_AT(u, t),
		       u->src[t->cond_file].name, t->cond_line);
}

/* ---------------------------------------------------------- expansion */

struct ev {
	struct qsrc_unit *u;		/* u->depth bounds all nesting */
	const struct qsrc_tok *use;	/* the expression's first token */
	unsigned int pos;		/* its place, for macro visibility */
	int pp;				/* an #if */
	struct tokvec tv;
	unsigned int i;
};

/* err_set() naming the expression's line, and @t's when it is elsewhere */
static int ev_err(const struct ev *ev, const struct qsrc_tok *t, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int ev_err(const struct ev *ev, const struct qsrc_tok *t, const char *fmt, ...)
{
	const struct qsrc_unit *u = ev->u;
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!t || t == &tok_one || t == &tok_zero || t == &tok_unknown)
		t = ev->use;
	/* the expression's line first: where the reader was */
	if (t->file == ev->use->file && t->line == ev->use->line)
		return err_set("%s:%u: %s", QSRC_AT(u, t), msg);
	return err_set("%s:%u: %s (at %s:%u)", QSRC_AT(u, ev->use), msg, QSRC_AT(u, t));
}

/* Appends @t to the expansion; real ones stay far below the limit. */
static int vec_push(struct ev *ev, const struct qsrc_tok *t)
{
	struct tokvec *tv = &ev->tv;

	if (tv->n == tv->cap) {
		unsigned int cap = tv->cap ? tv->cap * 2 : 64;
		const struct qsrc_tok **p;

		if (cap > MAX_EXPANSION)
			return ev_err(ev, NULL, "more than %u tokens after macro expansion",
				      MAX_EXPANSION);
		p = realloc(tv->v, cap * sizeof(*p));
		if (!p)
			return err_set("out of memory");
		tv->v = p;
		tv->cap = cap;
	}
	tv->v[tv->n++] = t;
	return 0;
}

/* "defined X" / "defined ( X )" at in[*i]; pushes its value */
static int expand_defined(struct ev *ev, const struct qsrc_tok *in, unsigned int n,
			  unsigned int *i)
{
	const struct qsrc_tok *x = NULL;
	const struct qsrc_macro *m;
	unsigned int j = *i + 1;
	int d;

	if (j < n && qsrc_tok_is(&in[j], "(")) {
		if (j + 2 < n && in[j + 1].kind == QT_IDENT && qsrc_tok_is(&in[j + 2], ")"))
			x = &in[j + 1];
		j += 2;
	} else if (j < n && in[j].kind == QT_IDENT) {
		x = &in[j];
	}
	if (!x)
		return ev_err(ev, &in[*i], "defined needs an identifier");
	*i = j;
	m = qsrc_macro_find(ev->u, x->s, x->len, ev->pos);
	if (m)
		return vec_push(ev, m->state == QS_TRUE && ev->pos < m->uundef_pos ?
				&tok_one : &tok_unknown);
	d = qsrc_config(x->s, x->len);
	return vec_push(ev, d < 0 ? &tok_unknown : d ? &tok_one : &tok_zero);
}

/* Skips a macro call's "( ... )" at in[*i + 1], if any. */
static void skip_call(const struct qsrc_tok *in, unsigned int n, unsigned int *i)
{
	unsigned int j = *i + 1, depth = 0;

	if (j >= n || !qsrc_tok_is(&in[j], "("))
		return;
	for (; j < n; j++) {
		if (qsrc_tok_is(&in[j], "("))
			depth++;
		else if (qsrc_tok_is(&in[j], ")") && !--depth)
			break;
	}
	*i = j < n ? j : n - 1;
}

static int expand(struct ev *ev, const struct qsrc_tok *in, unsigned int n)
{
	struct qsrc_unit *u = ev->u;

	for (unsigned int i = 0; i < n; i++) {
		const struct qsrc_tok *t = &in[i];
		struct qsrc_macro *m;
		int ret;

		if (t->state == QS_UNKNOWN)
			return qsrc_err_unknown(u, t, NULL);
		if (t->kind != QT_IDENT) {
			if (vec_push(ev, t))
				return -1;
			continue;
		}
		if (ev->pp && qsrc_tok_is(t, "defined")) {
			if (expand_defined(ev, in, n, &i))
				return -1;
			continue;
		}
		m = qsrc_macro_find(u, t->s, t->len, ev->pos);
		if (!m || m->expanding) {
			if (vec_push(ev, t))
				return -1;
			continue;
		}
		if (m->state != QS_TRUE || ev->pos >= m->uundef_pos) {
			if (ev->pp) {
				if (m->funclike)
					skip_call(in, n, &i);
				if (vec_push(ev, &tok_unknown))
					return -1;
				continue;
			}
			return ev_err(ev, t, "%.*s: its definition at %s:%u is under the #if "
				      "at %s:%u, which cannot be decided for qemu-system-x86_64",
				      (int)t->len, t->s, u->src[m->file].name, m->line,
				      u->src[m->cond_file].name, m->cond_line);
		}
		if (m->funclike) {
			if (i + 1 >= n || !qsrc_tok_is(&in[i + 1], "(")) {
				/* not a call: the bare identifier */
				if (vec_push(ev, t))
					return -1;
				continue;
			}
			if (ev->pp) {
				skip_call(in, n, &i);
				if (vec_push(ev, &tok_unknown))
					return -1;
				continue;
			}
			return ev_err(ev, t, "%.*s: function-like macros are not read",
				      (int)t->len, t->s);
		}
		if (++u->depth > MAX_DEPTH) {
			u->depth--;
			return ev_err(ev, t, "%.*s: macros nested too deeply", (int)t->len, t->s);
		}
		m->expanding = 1;
		ret = expand(ev, &u->mtoks[m->body], m->nbody);
		m->expanding = 0;
		u->depth--;
		if (ret)
			return -1;
	}
	return 0;
}

/* ---------------------------------------------------------- arithmetic */

static uint64_t wide(const struct qsrc_val *a)
{
	if (a->is64 || a->uns || !(a->v & 0x80000000u))
		return a->v;
	return a->v | 0xffffffff00000000ull;
}

static int64_t sval(const struct qsrc_val *a)
{
	return (int64_t)wide(a);
}

static void norm(struct qsrc_val *r)
{
	if (!r->is64)
		r->v &= 0xffffffffu;
}

static struct qsrc_val mkint(int64_t v)
{
	struct qsrc_val r = { .v = (uint64_t)v, .known = 1 };

	norm(&r);
	return r;
}

/* the type of a binary operation's result (usual arithmetic conversions) */
static struct qsrc_val common(const struct qsrc_val *a, const struct qsrc_val *b)
{
	struct qsrc_val r = { .known = 1 };

	r.is64 = a->is64 || b->is64;
	if (a->is64 == b->is64)
		r.uns = a->uns || b->uns;
	else
		r.uns = a->is64 ? a->uns : b->uns;
	return r;
}

static int parse_number(struct ev *ev, const struct qsrc_tok *t, struct qsrc_val *out)
{
	const char *s = t->s, *end = t->s + t->len;
	unsigned int base = 10, nu = 0, nl = 0;
	uint64_t v = 0;
	int digits = 0;

	if (t->len > 1 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	} else if (s[0] == '0') {
		base = 8;
	}
	for (; s < end; s++) {
		unsigned int d;

		if (*s >= '0' && *s <= '9')
			d = (unsigned int)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (unsigned int)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = (unsigned int)(*s - 'A' + 10);
		else
			break;
		if (d >= base)
			return ev_err(ev, t, "bad digit in %.*s", (int)t->len, t->s);
		if (v > (UINT64_MAX - d) / base)
			return ev_err(ev, t, "%.*s does not fit 64 bits", (int)t->len, t->s);
		v = v * base + d;
		digits++;
	}
	if (!digits)
		return ev_err(ev, t, "%.*s is not an integer", (int)t->len, t->s);
	for (; s < end; s++) {
		if (*s == 'u' || *s == 'U')
			nu++;
		else if (*s == 'l' || *s == 'L')
			nl++;
		else
			return ev_err(ev, t, "%.*s is not an integer constant",
				      (int)t->len, t->s);
	}
	if (nu > 1 || nl > 2)
		return ev_err(ev, t, "%.*s: bad suffix", (int)t->len, t->s);
	memset(out, 0, sizeof(*out));
	out->known = 1;
	out->v = v;
	if (nu) {
		out->uns = 1;
		out->is64 = nl || v > UINT32_MAX;
	} else if (!nl && v <= INT32_MAX) {
		;			/* int */
	} else if (base != 10 && !nl && v <= UINT32_MAX) {
		out->uns = 1;
	} else if (v <= INT64_MAX) {
		out->is64 = 1;
	} else if (base != 10) {
		out->is64 = out->uns = 1;
	} else {
		return ev_err(ev, t, "%.*s does not fit long", (int)t->len, t->s);
	}
	return 0;
}

/* ----------------------------------------------------- literal strings */

struct strbuf {
	char *s;
	size_t n, cap;
};

static int sb_putc(struct strbuf *sb, char c)
{
	if (sb->n + 1 >= sb->cap) {
		size_t cap = sb->cap ? sb->cap * 2 : 64;
		char *p = realloc(sb->s, cap);

		if (!p)
			return err_set("out of memory");
		sb->s = p;
		sb->cap = cap;
	}
	sb->s[sb->n++] = c;
	sb->s[sb->n] = '\0';
	return 0;
}

/* Decodes the literal @t (quotes included) onto @sb; NUL is refused. */
static int decode_literal(struct ev *ev, const struct qsrc_tok *t, struct strbuf *sb)
{
	const char *s = t->s + 1, *end = t->s + t->len - 1;

	while (s < end) {
		unsigned int c = (unsigned char)*s++;

		if (c == '\\') {
			const char *esc = "n\nt\tr\ra\ab\bf\fv\v\\\\''\"\"??";
			const char *p;

			if (s >= end)
				return ev_err(ev, t, "escape at the end of a literal");
			c = (unsigned char)*s++;
			for (p = esc; *p && *p != (char)c; p += 2)
				;
			if (*p) {
				c = (unsigned char)p[1];
			} else if (c >= '0' && c <= '7') {
				unsigned int k = 1;

				c -= '0';
				for (; k < 3 && s < end && *s >= '0' && *s <= '7'; k++)
					c = c * 8 + (unsigned int)(*s++ - '0');
			} else if (c == 'x') {
				unsigned int k = 0;

				for (c = 0; s < end; s++, k++) {
					int h = *s >= '0' && *s <= '9' ? *s - '0' :
						*s >= 'a' && *s <= 'f' ? *s - 'a' + 10 :
						*s >= 'A' && *s <= 'F' ? *s - 'A' + 10 : -1;

					if (h < 0)
						break;
					c = c * 16 + (unsigned int)h;
					if (c > 0xff)
						return ev_err(ev, t, "escape out of range");
				}
				if (!k)
					return ev_err(ev, t, "\\x without digits");
			} else {
				return ev_err(ev, t, "unknown escape \\%c", c >= 0x20 ? c : '?');
			}
			if (c > 0xff)
				return ev_err(ev, t, "escape out of range");
		}
		if (!c)
			return ev_err(ev, t, "NUL in a string");
		if (sb_putc(sb, (char)c))
			return -1;
	}
	return 0;
}

/* ----------------------------------------------------------- the parser */

static const struct qsrc_tok *peek(const struct ev *ev)
{
	return ev->i < ev->tv.n ? ev->tv.v[ev->i] : NULL;
}

static int peek_is(const struct ev *ev, const char *s)
{
	const struct qsrc_tok *t = peek(ev);

	return t && t->kind == QT_PUNCT && qsrc_tok_is(t, s);
}

static int parse_cond(struct ev *ev, struct qsrc_val *out);

static const char *const type_words[] = {
	"unsigned", "signed", "int", "long", "short", "char",
	"uint8_t", "uint16_t", "uint32_t", "uint64_t",
	"int8_t", "int16_t", "int32_t", "int64_t",
};

static int is_type_word(const struct qsrc_tok *t)
{
	if (!t || t->kind != QT_IDENT)
		return 0;
	for (size_t i = 0; i < sizeof(type_words) / sizeof(type_words[0]); i++)
		if (qsrc_tok_is(t, type_words[i]))
			return 1;
	return 0;
}

/* "(type) operand" after the '('; the type's words at ev->i */
static int parse_cast(struct ev *ev, struct qsrc_val *out);
static int parse_unary(struct ev *ev, struct qsrc_val *out);

static int parse_cast(struct ev *ev, struct qsrc_val *out)
{
	unsigned int bits = 32, uns = 0, longs = 0;
	const struct qsrc_tok *t;

	while ((t = peek(ev)) && is_type_word(t)) {
		if (qsrc_tok_is(t, "unsigned"))
			uns = 1;
		else if (qsrc_tok_is(t, "long"))
			longs++;
		else if (qsrc_tok_is(t, "short"))
			bits = 16;
		else if (qsrc_tok_is(t, "char"))
			bits = 8;
		else if (t->len > 3 && t->s[t->len - 2] == '_' && t->s[t->len - 1] == 't') {
			uns = t->s[0] == 'u';
			bits = (unsigned int)atoi(t->s + (uns ? 4 : 3));
		}
		ev->i++;
	}
	if (!peek_is(ev, ")"))
		return ev_err(ev, peek(ev), "only casts to integer types are read");
	ev->i++;
	if (longs)
		bits = 64;
	if (parse_unary(ev, out))
		return -1;
	if (bits == 64) {
		out->v = wide(out);
		out->is64 = 1;
		out->uns = (unsigned char)uns;
	} else if (bits == 32) {
		out->v = wide(out) & 0xffffffffu;
		out->is64 = 0;
		out->uns = (unsigned char)uns;
	} else {
		/* promoted to int at once */
		uint64_t m = (1ull << bits) - 1, v = wide(out) & m;

		if (!uns && (v >> (bits - 1)))
			v |= ~m;
		*out = mkint((int64_t)v);
	}
	return 0;
}

static int parse_primary(struct ev *ev, struct qsrc_val *out)
{
	const struct qsrc_tok *t = peek(ev);

	if (!t)
		return ev_err(ev, ev->tv.n ? ev->tv.v[ev->tv.n - 1] : NULL,
			      "expression ends too soon");
	ev->i++;
	if (t == &tok_unknown) {
		*out = mkint(0);
		out->known = 0;
		return 0;
	}
	if (t->kind == QT_NUMBER)
		return parse_number(ev, t, out);
	if (t->kind == QT_CHAR) {
		struct strbuf sb = { 0 };
		int ret = decode_literal(ev, t, &sb);

		if (!ret && sb.n != 1)
			ret = ev_err(ev, t, "multi-character constant");
		if (!ret)
			*out = mkint((signed char)sb.s[0]);
		free(sb.s);
		return ret;
	}
	if (t->kind == QT_PUNCT && qsrc_tok_is(t, "(")) {
		if (is_type_word(peek(ev)))
			return parse_cast(ev, out);
		if (parse_cond(ev, out))
			return -1;
		if (!peek_is(ev, ")"))
			return ev_err(ev, peek(ev) ? peek(ev) : t, "missing ')'");
		ev->i++;
		return 0;
	}
	if (t->kind == QT_IDENT) {
		struct qsrc_enumc *ec;
		long long v;

		if (qsrc_tok_is(t, "true") || qsrc_tok_is(t, "false")) {
			*out = mkint(qsrc_tok_is(t, "true"));
			return 0;
		}
		if (ev->pp) {
			int d = qsrc_config(t->s, t->len);

			*out = mkint(d > 0);
			out->known = d >= 0;
			return 0;
		}
		if (qsrc_tok_is(t, "sizeof"))
			return ev_err(ev, t, "sizeof is not read");
		ec = qsrc_enum_find(ev->u, t->s, t->len);
		if (!ec)
			return ev_err(ev, t, "%.*s is neither a macro nor an enum constant "
				      "of the files read", (int)t->len, t->s);
		if (qsrc_enum_value(ev->u, ec, t, &v))
			return -1;
		if (v >= INT32_MIN && v <= INT32_MAX) {
			*out = mkint(v);
		} else {
			memset(out, 0, sizeof(*out));
			out->v = (uint64_t)v;
			out->is64 = out->known = 1;
		}
		return 0;
	}
	return ev_err(ev, t, "unexpected \"%.*s\" in an expression", (int)t->len, t->s);
}

static int parse_unary(struct ev *ev, struct qsrc_val *out)
{
	const struct qsrc_tok *t = peek(ev);
	int ret;

	if (!t || t->kind != QT_PUNCT || !(qsrc_tok_is(t, "-") || qsrc_tok_is(t, "+") ||
					   qsrc_tok_is(t, "~") || qsrc_tok_is(t, "!")))
		goto primary;
	ev->i++;
	if (++ev->u->depth > MAX_DEPTH) {
		ev->u->depth--;
		return ev_err(ev, t, "expression nested too deeply");
	}
	ret = parse_unary(ev, out);
	ev->u->depth--;
	if (ret)
		return -1;
	if (qsrc_tok_is(t, "-")) {
		out->v = -out->v;
	} else if (qsrc_tok_is(t, "~")) {
		out->v = ~out->v;
	} else if (qsrc_tok_is(t, "!")) {
		unsigned char known = out->known;

		*out = mkint(!out->v);
		out->known = known;
	}
	norm(out);
	return 0;
primary:
	if (++ev->u->depth > MAX_DEPTH) {
		ev->u->depth--;
		return ev_err(ev, t, "expression nested too deeply");
	}
	ret = parse_primary(ev, out);
	ev->u->depth--;
	return ret;
}

enum { OP_MUL, OP_DIV, OP_MOD, OP_ADD, OP_SUB, OP_SHL, OP_SHR, OP_LT, OP_GT,
       OP_LE, OP_GE, OP_EQ, OP_NE, OP_AND, OP_XOR, OP_OR, OP_LAND, OP_LOR };

static const struct {
	const char *s;
	int prec;
} ops[] = {
	[OP_MUL] = { "*", 10 }, [OP_DIV] = { "/", 10 }, [OP_MOD] = { "%", 10 },
	[OP_ADD] = { "+", 9 }, [OP_SUB] = { "-", 9 },
	[OP_SHL] = { "<<", 8 }, [OP_SHR] = { ">>", 8 },
	[OP_LT] = { "<", 7 }, [OP_GT] = { ">", 7 }, [OP_LE] = { "<=", 7 },
	[OP_GE] = { ">=", 7 },
	[OP_EQ] = { "==", 6 }, [OP_NE] = { "!=", 6 },
	[OP_AND] = { "&", 5 }, [OP_XOR] = { "^", 4 }, [OP_OR] = { "|", 3 },
	[OP_LAND] = { "&&", 2 }, [OP_LOR] = { "||", 1 },
};

static int peek_op(const struct ev *ev)
{
	const struct qsrc_tok *t = peek(ev);

	if (!t || t->kind != QT_PUNCT)
		return -1;
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (qsrc_tok_is(t, ops[i].s))
			return (int)i;
	return -1;
}

static int apply(struct ev *ev, const struct qsrc_tok *t, int op,
		 const struct qsrc_val *a, const struct qsrc_val *b, struct qsrc_val *r)
{
	struct qsrc_val c = common(a, b);
	uint64_t x = wide(a), y = wide(b);
	int known = a->known && b->known;

	if (op == OP_LAND || op == OP_LOR) {
		int lor = op == OP_LOR;
		/* Kleene: a decided side that decides wins */
		if ((a->known && !a->v == !lor) || (b->known && !b->v == !lor)) {
			*r = mkint(lor);
			return 0;
		}
		*r = mkint(lor ? (x || y) : (x && y));
		r->known = (unsigned char)known;
		return 0;
	}
	if (!known) {
		*r = mkint(0);
		r->known = 0;
		return 0;
	}
	if (op == OP_SHL || op == OP_SHR) {
		unsigned int width = a->is64 ? 64 : 32;
		int64_t n = b->uns ? (int64_t)(y > 64 ? 64 : y) : (int64_t)y;

		if (n < 0 || n >= (int64_t)width)
			return ev_err(ev, t, "shift by %lld of a %u-bit value", (long long)n,
				      width);
		*r = *a;
		if (op == OP_SHL)
			r->v = x << n;
		else if (a->uns)
			r->v = (a->is64 ? x : x & 0xffffffffu) >> n;
		else
			r->v = (uint64_t)((int64_t)x >> n);
		norm(r);
		return 0;
	}
	*r = c;
	if (!c.is64 && c.uns) {
		x &= 0xffffffffu;
		y &= 0xffffffffu;
	}
	switch (op) {
	case OP_MUL:
		r->v = x * y;
		break;
	case OP_DIV:
	case OP_MOD:
		if (!y)
			return ev_err(ev, t, "division by zero");
		if (c.uns) {
			r->v = op == OP_DIV ? x / y : x % y;
		} else {
			int64_t sx = (int64_t)x, sy = (int64_t)y;

			if (sy == -1 && sx == (c.is64 ? INT64_MIN : INT32_MIN))
				return ev_err(ev, t, "division overflows");
			r->v = (uint64_t)(op == OP_DIV ? sx / sy : sx % sy);
		}
		break;
	case OP_ADD:
		r->v = x + y;
		break;
	case OP_SUB:
		r->v = x - y;
		break;
	case OP_AND:
		r->v = x & y;
		break;
	case OP_XOR:
		r->v = x ^ y;
		break;
	case OP_OR:
		r->v = x | y;
		break;
	default: {
		int lt, eq = x == y;

		if (c.uns)
			lt = x < y;
		else
			lt = (int64_t)x < (int64_t)y;
		*r = mkint(op == OP_LT ? lt : op == OP_GT ? !lt && !eq :
			   op == OP_LE ? lt || eq : op == OP_GE ? !lt :
			   op == OP_EQ ? eq : !eq);
		return 0;
	}
	}
	norm(r);
	return 0;
}

static int parse_binary(struct ev *ev, int min_prec, struct qsrc_val *out)
{
	int op;

	if (parse_unary(ev, out))
		return -1;
	while ((op = peek_op(ev)) >= 0 && ops[op].prec >= min_prec) {
		const struct qsrc_tok *t = peek(ev);
		struct qsrc_val rhs;

		ev->i++;
		if (parse_binary(ev, ops[op].prec + 1, &rhs))
			return -1;
		if (apply(ev, t, op, out, &rhs, out))
			return -1;
	}
	return 0;
}

static int parse_cond(struct ev *ev, struct qsrc_val *out)
{
	struct qsrc_val a, b;
	const struct qsrc_tok *q;
	int ret;

	if (++ev->u->depth > MAX_DEPTH) {
		ev->u->depth--;
		return ev_err(ev, peek(ev), "expression nested too deeply");
	}
	ret = parse_binary(ev, 1, out);
	if (ret || !peek_is(ev, "?"))
		goto out;
	q = peek(ev);
	ev->i++;
	ret = -1;
	if (parse_cond(ev, &a))
		goto out;
	if (!peek_is(ev, ":")) {
		ret = ev_err(ev, q, "'?' without ':'");
		goto out;
	}
	ev->i++;
	if (parse_cond(ev, &b))
		goto out;
	if (!out->known) {
		*out = mkint(0);
		out->known = 0;
	} else {
		struct qsrc_val c = common(&a, &b);

		c.v = out->v ? wide(&a) : wide(&b);
		c.known = out->v ? a.known : b.known;
		*out = c;
		norm(out);
	}
	ret = 0;
out:
	ev->u->depth--;
	return ret;
}

/* Evaluates the whole of ev->tv. */
static int eval_all(struct ev *ev, struct qsrc_val *out)
{
	if (!ev->tv.n)
		return ev_err(ev, ev->use, "expected an expression");
	if (parse_cond(ev, out))
		return -1;
	if (ev->i < ev->tv.n)
		return ev_err(ev, ev->tv.v[ev->i], "unexpected \"%.*s\" in an expression",
			      (int)ev->tv.v[ev->i]->len, ev->tv.v[ev->i]->s);
	return 0;
}

/* ------------------------------------------------------------ the API */

static int eval_range(struct qsrc_unit *u, unsigned int b, unsigned int e,
		      struct qsrc_val *out)
{
	struct ev ev = { .u = u, .use = &u->toks[b], .pos = b };
	int ret;

	if (b >= e)
		return ev_err(&ev, ev.use, "expected an expression");
	ret = expand(&ev, &u->toks[b], e - b);
	if (!ret)
		ret = eval_all(&ev, out);
	free(ev.tv.v);
	return ret;
}

int qsrc_eval_u64(struct qsrc_unit *u, unsigned int b, unsigned int e, uint64_t *out)
{
	struct qsrc_val v;

	if (eval_range(u, b, e, &v))
		return -1;
	*out = wide(&v);
	return 0;
}

int qsrc_eval_ll(struct qsrc_unit *u, unsigned int b, unsigned int e, long long *out)
{
	struct qsrc_val v;

	if (eval_range(u, b, e, &v))
		return -1;
	if (v.is64 && v.uns && v.v > INT64_MAX) {
		struct ev ev = { .u = u, .use = &u->toks[b] };

		return ev_err(&ev, ev.use, "value does not fit long long");
	}
	*out = sval(&v);
	return 0;
}

int qsrc_eval_name(struct qsrc_unit *u, const char *name, long long *out,
		   uint64_t *out_u64)
{
	const struct qsrc_tok *eof = &u->toks[u->ntoks];
	struct qsrc_tok t = *eof;
	struct ev ev = { .u = u, .use = eof, .pos = u->ntoks };
	struct qsrc_val v;
	int ret;

	t.s = name;
	t.len = (unsigned int)strlen(name);
	t.kind = QT_IDENT;
	ret = expand(&ev, &t, 1);
	if (!ret)
		ret = eval_all(&ev, &v);
	free(ev.tv.v);
	if (ret)
		return -1;
	if (out)
		*out = sval(&v);
	if (out_u64)
		*out_u64 = wide(&v);
	return 0;
}

int qsrc_eval_str(struct qsrc_unit *u, unsigned int b, unsigned int e, char **out)
{
	struct ev ev = { .u = u, .use = &u->toks[b], .pos = b };
	struct strbuf sb = { 0 };
	unsigned int i, n;
	int ret = -1;

	*out = NULL;
	if (b >= e)
		return ev_err(&ev, ev.use, "expected a string");
	if (expand(&ev, &u->toks[b], e - b))
		goto out;
	i = 0;
	n = ev.tv.n;
	while (n - i >= 2 && qsrc_tok_is(ev.tv.v[i], "(") &&
	       qsrc_tok_is(ev.tv.v[n - 1], ")") && ev.tv.v[i]->kind == QT_PUNCT) {
		i++;
		n--;
	}
	if (n - i == 1 && ((ev.tv.v[i]->kind == QT_IDENT && qsrc_tok_is(ev.tv.v[i], "NULL")) ||
			   (ev.tv.v[i]->kind == QT_NUMBER && qsrc_tok_is(ev.tv.v[i], "0")))) {
		ret = 0;		/* a null pointer */
		goto out;
	}
	if (n == i) {
		ret = ev_err(&ev, ev.use, "expected a string");
		goto out;
	}
	for (; i < n; i++) {
		const struct qsrc_tok *t = ev.tv.v[i];

		if (t->kind != QT_STRING || t->s[0] != '"') {
			ret = ev_err(&ev, t, "expected a string, found \"%.*s\"",
				     (int)t->len, t->s);
			goto out;
		}
		if (decode_literal(&ev, t, &sb))
			goto out;
	}
	if (!sb.s && !(sb.s = calloc(1, 1))) {
		ret = err_set("out of memory");
		goto out;
	}
	*out = sb.s;
	sb.s = NULL;
	ret = 0;
out:
	free(sb.s);
	free(ev.tv.v);
	return ret;
}

int qsrc_eval_if(struct qsrc_unit *u, const struct qsrc_tok *t, unsigned int n,
		 unsigned int pos, enum qsrc_truth *out)
{
	struct ev ev = { .u = u, .use = t, .pos = pos, .pp = 1 };
	struct qsrc_val v;
	int ret;

	ret = expand(&ev, t, n);
	if (!ret)
		ret = eval_all(&ev, &v);
	free(ev.tv.v);
	if (ret)
		return -1;
	*out = !v.known ? QSRC_UNKNOWN : v.v ? QSRC_TRUE : QSRC_FALSE;
	return 0;
}

int qsrc_enum_value(struct qsrc_unit *u, struct qsrc_enumc *ec,
		    const struct qsrc_tok *use, long long *out)
{
	struct qsrc_enumc *cur = ec;
	long long add = 0, v;
	int ret;

	if (ec->done) {
		*out = ec->value;
		return 0;
	}
	/* implicit values: the first explicit one before, plus the distance */
	for (;;) {
		const struct qsrc_tok *t = &u->toks[cur->tok];

		if (t->state != QS_TRUE)
			return err_set("%s:%u: %.*s: its definition at %s:%u is under the #if "
				       "at %s:%u, which cannot be decided for qemu-system-x86_64",
				       QSRC_AT(u, use), (int)ec->namelen, ec->name,
				       QSRC_AT(u, t), u->src[t->cond_file].name, t->cond_line);
		if (cur->b != cur->e)
			break;
		if (cur->prev < 0) {
			v = add;
			goto done;
		}
		add++;
		cur = &u->enums[cur->prev];
	}
	if (cur->done) {
		v = cur->value + add;
		goto done;
	}
	if (cur->evaluating)
		return err_set("%s:%u: enum constant %.*s depends on itself",
			       QSRC_AT(u, use), (int)cur->namelen, cur->name);
	if (++u->depth > MAX_DEPTH) {
		u->depth--;
		return err_set("%s:%u: enum constants nested too deeply", QSRC_AT(u, use));
	}
	cur->evaluating = 1;
	ret = qsrc_eval_ll(u, cur->b, cur->e, &v);
	cur->evaluating = 0;
	u->depth--;
	if (ret)
		return -1;
	cur->value = v;
	cur->done = 1;
	v += add;
done:
	ec->value = v;
	ec->done = 1;
	*out = v;
	return 0;
}
