/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internals of the QEMU-source reader (qemu_source.h), shared by its files
 * only:
 *
 *   qsrc_lex.c	text -> raw tokens (comments, line splices, literals)
 *   qsrc_pp.c	raw tokens -> active tokens, macros, enum constants
 *		(#define, #undef, #if...; conditionals decided three-valued)
 *   qsrc_eval.c	constant expressions: integers and string literals
 *   qsrc_init.c	braced initializers -> trees
 *   qsrc_fields.c	values and struct fields of those trees, for the readers
 *   qsrc_props.c	property names cpu.c registers; PropValue lists
 *   qsrc_tables.c	the trees of QEMU's tables -> struct qsrc
 *   qemu_source.c	files, provenance, lookup and resolution
 *
 * Every failing function returns -1 (or NULL) after err_set() with
 * "FILE:LINE: ...".
 */
#ifndef CPUBENCH_QSRC_INTERNAL_H
#define CPUBENCH_QSRC_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "import/qemu_source.h"

#define QSRC_MAX_INPUTS	8

enum qsrc_tok_kind {
	QT_EOF,			/* the sentinel after the active stream */
	QT_IDENT,
	QT_NUMBER,		/* a preprocessing number */
	QT_STRING,		/* "..." with its quotes */
	QT_CHAR,		/* '...' with its quotes */
	QT_PUNCT,
	QT_OTHER,		/* a byte C has no token for */
};

enum qsrc_state {
	QS_TRUE = 1,		/* compiled in qemu-system-x86_64 */
	QS_UNKNOWN,		/* under an #if that could not be decided */
};

struct qsrc_tok {
	const char *s;		/* in the source's spliced text */
	unsigned int len;
	unsigned int line;	/* physical line of the first character */
	unsigned short file;	/* index of the source */
	unsigned char kind;
	unsigned char bol;	/* raw: first token of its logical line */
	unsigned char ws;	/* raw: white space or a comment before it */
	unsigned char state;	/* active: enum qsrc_state */
	unsigned short cond_file;	/* QS_UNKNOWN: the undecided #if */
	unsigned int cond_line;
};

struct qsrc_src {
	const char *name;
	char *text;		/* spliced (no backslash-newlines), NUL-ended */
	size_t len;
	struct qsrc_tok *raw;
	unsigned int nraw;
};

struct qsrc_macro {
	const char *name;
	unsigned int namelen;
	unsigned int body, nbody;	/* in unit->mtoks */
	unsigned int def_pos;	/* visible to active tokens [def_pos, undef_pos) */
	unsigned int undef_pos;
	unsigned int uundef_pos;	/* #undef under an undecided #if */
	unsigned int line;
	unsigned short file;
	unsigned char state;
	unsigned char funclike;
	unsigned char expanding;
	unsigned short cond_file;
	unsigned int cond_line;
	int next;		/* same hash bucket, earlier definition */
};

struct qsrc_enumc {
	const char *name;
	unsigned int namelen;
	unsigned int b, e;	/* "= expr" in active tokens; b == e: implicit */
	int prev;		/* the enumerator before, in the same enum */
	unsigned int tok;	/* the name's active token */
	unsigned char evaluating;
	unsigned char done;
	long long value;
	int next;
};

#define QSRC_HASH	2048

struct qsrc_unit {
	struct qsrc_src src[QSRC_MAX_INPUTS];
	unsigned int nsrc;
	struct qsrc_tok *toks;	/* active tokens, then one QT_EOF */
	unsigned int ntoks, captoks;
	struct qsrc_tok *mtoks;	/* macro bodies */
	unsigned int nmtoks, capmtoks;
	struct qsrc_macro *macros;
	unsigned int nmacros, capmacros;
	struct qsrc_enumc *enums;
	unsigned int nenums, capenums;
	int mhash[QSRC_HASH];
	int ehash[QSRC_HASH];
	unsigned int depth;	/* evaluation recursion, bounded */
};

/* "FILE:LINE" arguments of a token, for "%s:%u" */
#define QSRC_AT(u, t)	(u)->src[(t)->file].name, (t)->line

unsigned int qsrc_hash(const char *s, unsigned int len);
int qsrc_tok_is(const struct qsrc_tok *t, const char *s);

/* qsrc_lex.c: splices and tokenizes @text into src->text and src->raw. */
int qsrc_lex(struct qsrc_src *src, unsigned short file, const char *text,
	     size_t len);

/*
 * qsrc_pp.c: runs the directives of every source in order, filling the
 * active stream, the macros and the enum constants. qsrc_unit_free()
 * frees all of the unit.
 */
int qsrc_pp(struct qsrc_unit *u);
void qsrc_unit_free(struct qsrc_unit *u);
struct qsrc_macro *qsrc_macro_find(const struct qsrc_unit *u, const char *name,
				   unsigned int len, unsigned int pos);
struct qsrc_enumc *qsrc_enum_find(const struct qsrc_unit *u, const char *name,
				  unsigned int len);
/* 1 if qemu-system-x86_64 defines config symbol @name, 0 if not, -1 unknown */
int qsrc_config(const char *name, unsigned int len);

/* what an #if decides */
enum qsrc_truth { QSRC_FALSE, QSRC_TRUE, QSRC_UNKNOWN };

/* qsrc_eval.c */
/*
 * The integer constant expression in active tokens [b, e), converted as C
 * converts to uint64_t, or to long long (an error if it does not fit).
 */
int qsrc_eval_u64(struct qsrc_unit *u, unsigned int b, unsigned int e, uint64_t *out);
int qsrc_eval_ll(struct qsrc_unit *u, unsigned int b, unsigned int e, long long *out);
/* The value of the object-like macro or enum constant @name at the end. */
int qsrc_eval_name(struct qsrc_unit *u, const char *name, long long *out,
		   uint64_t *out_u64);
/*
 * A string: concatenated literals, through macros, in active tokens
 * [b, e). NULL (or 0) gives *out = NULL. *out is malloc'ed.
 */
int qsrc_eval_str(struct qsrc_unit *u, unsigned int b, unsigned int e, char **out);
/* #if over raw tokens (@t, @n) of a directive, at active position @pos */
int qsrc_eval_if(struct qsrc_unit *u, const struct qsrc_tok *t, unsigned int n,
		 unsigned int pos, enum qsrc_truth *out);
/* The value of an enum constant (lazily evaluated). */
int qsrc_enum_value(struct qsrc_unit *u, struct qsrc_enumc *ec,
		    const struct qsrc_tok *use, long long *out);
/* err_set() for a token under an undecided #if; returns -1 */
int qsrc_err_unknown(const struct qsrc_unit *u, const struct qsrc_tok *t,
		     const char *what);

/* qsrc_init.c: a braced initializer as a tree */
enum qsrc_init_kind { QI_EXPR, QI_LIST };

#define QI_MAX_DESIG	2

struct qsrc_desig {
	unsigned char index;	/* 1: [b, e) is an index expression */
	unsigned int b, e;	/* 0: b is the field's identifier */
};

struct qsrc_init {
	unsigned char kind;
	unsigned char ndesig;
	struct qsrc_desig desig[QI_MAX_DESIG];
	unsigned int b, e;	/* EXPR: [b, e); LIST: '{' and '}' */
	unsigned int tb, te;	/* "(T[]) {": the type's tokens; tb == te: none */
	unsigned int nkids;
	struct qsrc_init *kids;
};

/* Parses the initializer list whose '{' is active token @lbrace. */
int qsrc_init_parse(struct qsrc_unit *u, unsigned int lbrace, struct qsrc_init *out);
void qsrc_init_free(struct qsrc_init *in);
/* Finds "NAME [...] = {" or, with @scalar, "TYPE NAME = expr ;"; 1 if absent */
int qsrc_find_def(struct qsrc_unit *u, const char *name, int scalar,
		  unsigned int *pos);

/* qemu_source.c: memory owned by @q (zeroed); NULL after err_set() */
void *qsrc_alloc(struct qsrc *q, size_t size);
char *qsrc_strdup(struct qsrc *q, const char *s);

/* qsrc_tables.c: reads QEMU's tables from the preprocessed @u into @q */
int qsrc_read_tables(struct qsrc_unit *u, struct qsrc *q);

/*
 * What the table readers (qsrc_tables.c, qsrc_props.c) share: one context
 * per read, and the helpers of qsrc_fields.c that turn an initializer
 * tree's elements into values. Element @el of a tree is named in messages
 * by QT_AT(c, el): "FILE", LINE of its first token.
 */
struct qsrc_pname {
	const char *s;
	unsigned int len;
	const char *to;		/* aliases: the property it stands for */
	unsigned int tolen;
};

struct qsrc_tctx {
	struct qsrc_unit *u;
	struct qsrc *q;
	int regs_done;
	long long reg_val[4];	/* R_EAX, R_EBX, R_ECX, R_EDX */
	struct qsrc_pname *props;	/* registered property names and aliases */
	size_t nprops, capprops;
	const char *file;	/* the last source: where tables are missing */
};

const struct qsrc_tok *qt_tok(const struct qsrc_tctx *c, unsigned int i);
/* the token an element starts at, for messages: its '.' or '[', or value */
const struct qsrc_tok *qt_el_tok(const struct qsrc_tctx *c, const struct qsrc_init *el);
#define QT_AT(c, el)	QSRC_AT((c)->u, qt_el_tok(c, el))
int qt_printable(const char *s);

/* @el is an expression / a { } list, or an error naming @what */
int qt_want_expr(const struct qsrc_tctx *c, const struct qsrc_init *el, const char *what);
int qt_want_list(const struct qsrc_tctx *c, const struct qsrc_init *el, const char *what);
/* A string (NULL allowed with @nullable), printable, copied into c->q. */
int qt_get_str(struct qsrc_tctx *c, const struct qsrc_init *el, const char *what,
	       int nullable, const char **out);
int qt_get_ll(struct qsrc_tctx *c, const struct qsrc_init *el, const char *what,
	      long long min, long long max, long long *out);
int qt_get_u32(struct qsrc_tctx *c, const struct qsrc_init *el, const char *what,
	       uint32_t *out);
/* "&NAME" or NULL: a pointer to an object that is not read */
int qt_get_ref(struct qsrc_tctx *c, const struct qsrc_init *el, const char *what,
	       const char **out);

/*
 * The fields of one C struct of QEMU's tables, in declaration order
 * (positional initializers follow it). Each reader names the fields with an
 * enum whose values index @names.
 */
struct qt_struct_desc {
	const char *type;		/* for messages: "FeatureWordInfo" */
	const char *const *names;	/* [field] = "name" */
	int n;
};

#define QT_STRUCT_DESC(type, names)	{ type, names, (int)(sizeof(names) / sizeof(names[0])) }
/* whether field @f was given: a bit of qt_field_of()'s *seen */
#define QT_GIVEN(seen, f)	(((seen) >> (f)) & 1u)

/*
 * The field element @el of a struct initializer sets, by designator or
 * position (C's rules: after a designated field, positions continue with
 * the next one). Returns its index in @d->names, or -1 after err_set().
 */
int qt_field_of(struct qsrc_tctx *c, const struct qsrc_init *el, const struct qt_struct_desc *d,
		int *cursor, unsigned int *seen);
/* The array index of element @el: its [designator], else *@cursor. */
int qt_index_of(struct qsrc_tctx *c, const struct qsrc_init *el, long long max,
		long long *cursor, const char *what, long long *out);

/*
 * Lists closed by an end entry, as QEMU's loops read them: whether @el
 * ends one ({ }, or a first field @first that is NULL or 0); the entries
 * before the end of @list; a compound literal's type check; NULL where a
 * list may be.
 */
int qt_entry_is_end(struct qsrc_tctx *c, const struct qsrc_init *el, const char *first);
int qt_list_len(struct qsrc_tctx *c, const struct qsrc_init *list, const char *what,
		const char *first, unsigned int *n);
int qt_compound_type(struct qsrc_tctx *c, const struct qsrc_init *el, const char *type);
int qt_null_list(struct qsrc_tctx *c, const struct qsrc_init *el, const char *what);

/* qsrc_props.c: the property names cpu.c registers, into c->props */
int qt_scan_props(struct qsrc_tctx *c);
/* A version's .props: each PropValue read and classified (qemu_source.h) */
int qt_read_props(struct qsrc_tctx *c, const struct qsrc_init *el, struct qsrc_version *v);

#endif
