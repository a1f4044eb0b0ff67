// SPDX-License-Identifier: GPL-2.0-only
/*
 * QEMU's model tables, from initializer trees (qsrc_init.c) to struct qsrc.
 *
 * Read, in this order (each needs the ones before):
 *  1. feature_word_info[]: per FeatureWord its .type, .cpuid or .msr and
 *     .feat_names; the accelerator fields (.tcg_features, ...) are known
 *     and not read. A name in two words is an error (QEMU asserts it).
 *  2. the property names cpu.c registers: DEFINE_PROP_*("name", ...),
 *     object_[class_]property_add*(X, "name", ...), and
 *     object_property_add_alias(X, "alias", Y, "name") (qsrc_props.c).
 *  3. builtin_x86_defs[]: X86CPUDefinition and its .versions
 *     (X86CPUVersionDefinition), each version's .props (PropValue) parsed
 *     and classified (qsrc_props.c): a feature name or alias, an identity
 *     property, or another registered property; anything else is an error.
 *  4. feature_dependencies[] (optional: older QEMU has none).
 *  5. default_cpu_version, CPUID_EXT_HYPERVISOR in FEAT_1_ECX.
 *
 * The checks QEMU makes when it registers the models are made here too, so
 * a table QEMU would abort on is refused: model_id at most 48 characters,
 * a 12-character vendor, family/model/stepping in the setters' ranges,
 * property values the setters take, unique model, version and alias
 * names, lists closed by their { } entry. Fields the structs do not have
 * are errors; a field given twice is an error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "import/qsrc_internal.h"

/* ------------------------------------------------------ feature words */

static int reg_of(struct qsrc_tctx *c, const struct qsrc_init *el, enum qsrc_reg *out)
{
	static const char *const names[] = { "R_EAX", "R_EBX", "R_ECX", "R_EDX" };
	long long v;

	if (!c->regs_done) {
		for (int i = 0; i < 4; i++) {
			struct qsrc_enumc *ec = qsrc_enum_find(c->u, names[i],
							       (unsigned int)strlen(names[i]));

			if (!ec)
				return err_set("%s:%u: .reg: %s is not defined", QT_AT(c, el),
					       names[i]);
			if (qsrc_enum_value(c->u, ec, qt_el_tok(c, el), &c->reg_val[i]))
				return -1;
		}
		c->regs_done = 1;
	}
	if (qt_get_ll(c, el, ".reg", 0, 255, &v))
		return -1;
	for (int i = 0; i < 4; i++) {
		if (v == c->reg_val[i]) {
			*out = (enum qsrc_reg)(QSRC_REG_EAX + i);
			return 0;
		}
	}
	return err_set("%s:%u: .reg = %lld is not EAX, EBX, ECX or EDX", QT_AT(c, el), v);
}

/* FeatureWordInfo.cpuid */
enum cpuid_field { CPUID_F_EAX, CPUID_F_NEEDS_ECX, CPUID_F_ECX, CPUID_F_REG, CPUID_F_NR };

static const char *const cpuid_fields[CPUID_F_NR] = {
	[CPUID_F_EAX] = "eax", [CPUID_F_NEEDS_ECX] = "needs_ecx",
	[CPUID_F_ECX] = "ecx", [CPUID_F_REG] = "reg",
};

static int read_cpuid(struct qsrc_tctx *c, const struct qsrc_init *list, struct qsrc_word *w)
{
	static const struct qt_struct_desc desc = QT_STRUCT_DESC(".cpuid", cpuid_fields);
	unsigned int seen = 0;
	int cursor = 0;

	if (qt_want_list(c, list, ".cpuid"))
		return -1;
	for (unsigned int i = 0; i < list->nkids; i++) {
		const struct qsrc_init *el = &list->kids[i];
		long long v;

		switch (qt_field_of(c, el, &desc, &cursor, &seen)) {
		case CPUID_F_EAX:
			if (qt_get_u32(c, el, ".cpuid.eax", &w->leaf))
				return -1;
			break;
		case CPUID_F_NEEDS_ECX:
			if (qt_get_ll(c, el, ".cpuid.needs_ecx", 0, 1, &v))
				return -1;
			w->needs_subleaf = v;
			break;
		case CPUID_F_ECX:
			if (qt_get_u32(c, el, ".cpuid.ecx", &w->subleaf))
				return -1;
			break;
		case CPUID_F_REG:
			if (reg_of(c, el, &w->reg))
				return -1;
			break;
		default:
			return -1;
		}
	}
	if (!QT_GIVEN(seen, CPUID_F_REG))
		return err_set("%s:%u: .cpuid without .reg", QT_AT(c, list));
	return 0;
}

/* FeatureWordInfo.msr */
enum msr_field { MSR_F_INDEX, MSR_F_NR };

static const char *const msr_fields[MSR_F_NR] = { [MSR_F_INDEX] = "index" };

static int read_msr(struct qsrc_tctx *c, const struct qsrc_init *list, struct qsrc_word *w)
{
	static const struct qt_struct_desc desc = QT_STRUCT_DESC(".msr", msr_fields);
	unsigned int seen = 0;
	int cursor = 0;

	if (qt_want_list(c, list, ".msr"))
		return -1;
	for (unsigned int i = 0; i < list->nkids; i++) {
		if (qt_field_of(c, &list->kids[i], &desc, &cursor, &seen) != MSR_F_INDEX ||
		    qt_get_u32(c, &list->kids[i], ".msr.index", &w->msr))
			return -1;
	}
	if (!QT_GIVEN(seen, MSR_F_INDEX))
		return err_set("%s:%u: .msr without .index", QT_AT(c, list));
	return 0;
}

static int read_names(struct qsrc_tctx *c, const struct qsrc_init *list, struct qsrc_word *w)
{
	long long cursor = 0, bit;

	if (qt_want_list(c, list, ".feat_names"))
		return -1;
	for (unsigned int i = 0; i < list->nkids; i++) {
		const struct qsrc_init *el = &list->kids[i];
		const char *name;

		if (qt_index_of(c, el, QSRC_WORD_BITS, &cursor, ".feat_names", &bit) ||
		    qt_get_str(c, el, "a feature name", 1, &name))
			return -1;
		if (w->names[bit])
			return err_set("%s:%u: .feat_names[%lld] given twice", QT_AT(c, el), bit);
		if (name && (!*name || strpbrk(name, "_| ,=")))
			return err_set("%s:%u: feature name \"%s\": QEMU takes no empty name "
				       "and none with '_', '|', ' ', ',' or '='", QT_AT(c, el), name);
		w->names[bit] = name;
	}
	return 0;
}

/* FeatureWordInfo: the accelerator-support fields are known, not read */
enum word_field {
	WORD_F_TYPE, WORD_F_NAMES, WORD_F_CPUID, WORD_F_MSR,
	WORD_F_TCG, WORD_F_NO_AUTOENABLE, WORD_F_UNMIGRATABLE, WORD_F_MIGRATABLE,
	WORD_F_NR,
};

static const char *const word_fields[WORD_F_NR] = {
	[WORD_F_TYPE] = "type", [WORD_F_NAMES] = "feat_names",
	[WORD_F_CPUID] = "cpuid", [WORD_F_MSR] = "msr",
	[WORD_F_TCG] = "tcg_features", [WORD_F_NO_AUTOENABLE] = "no_autoenable_flags",
	[WORD_F_UNMIGRATABLE] = "unmigratable_flags",
	[WORD_F_MIGRATABLE] = "migratable_flags",
};

static int read_word(struct qsrc_tctx *c, const struct qsrc_init *el, struct qsrc_word *w)
{
	static const struct qt_struct_desc desc = QT_STRUCT_DESC("FeatureWordInfo", word_fields);
	unsigned int seen = 0;
	int cursor = 0;

	if (qt_want_list(c, el, "feature_word_info[]"))
		return -1;
	for (unsigned int i = 0; i < el->nkids; i++) {
		const struct qsrc_init *f = &el->kids[i];
		const struct qsrc_tok *t;

		switch (qt_field_of(c, f, &desc, &cursor, &seen)) {
		case WORD_F_TYPE:
			t = qt_tok(c, f->b);
			if (qt_want_expr(c, f, ".type"))
				return -1;
			if (f->e - f->b == 1 && qsrc_tok_is(t, "CPUID_FEATURE_WORD"))
				w->is_msr = false;
			else if (f->e - f->b == 1 && qsrc_tok_is(t, "MSR_FEATURE_WORD"))
				w->is_msr = true;
			else
				return err_set("%s:%u: .type: expected CPUID_FEATURE_WORD or "
					       "MSR_FEATURE_WORD", QT_AT(c, f));
			break;
		case WORD_F_NAMES:
			if (read_names(c, f, w))
				return -1;
			break;
		case WORD_F_CPUID:
			if (read_cpuid(c, f, w))
				return -1;
			break;
		case WORD_F_MSR:
			if (read_msr(c, f, w))
				return -1;
			break;
		case WORD_F_TCG: case WORD_F_NO_AUTOENABLE:
		case WORD_F_UNMIGRATABLE: case WORD_F_MIGRATABLE:
			break;
		default:
			return -1;
		}
	}
	if (!QT_GIVEN(seen, WORD_F_TYPE))
		return err_set("%s:%u: feature_word_info[%s] has no .type", QT_AT(c, el),
			       w->enum_name);
	if (!QT_GIVEN(seen, w->is_msr ? WORD_F_MSR : WORD_F_CPUID))
		return err_set("%s:%u: feature_word_info[%s] has no .%s", QT_AT(c, el),
			       w->enum_name, w->is_msr ? "msr" : "cpuid");
	return 0;
}

static int missing(const struct qsrc_tctx *c, const char *what)
{
	return err_set("%s: no %s found", c->file, what);
}

/* The word count: the declared size, else the highest index + 1. */
static int words_size(struct qsrc_tctx *c, unsigned int lbrace, long long *n)
{
	unsigned int rb = lbrace - 2, lb = rb;

	while (lb > 0 && !qsrc_tok_is(qt_tok(c, lb), "["))
		lb--;
	if (rb == lb + 1) {
		*n = -1;
		return 0;
	}
	if (qsrc_eval_ll(c->u, lb + 1, rb, n))
		return -1;
	if (*n < 1 || *n > QSRC_MAX_WORDS)
		return err_set("%s:%u: %lld feature words: at most %d are read",
			       QSRC_AT(c->u, qt_tok(c, lb)), *n, QSRC_MAX_WORDS);
	return 0;
}

static int read_words(struct qsrc_tctx *c)
{
	struct qsrc *q = c->q;
	struct qsrc_init top;
	long long size, cursor = 0, w, max = 0;
	unsigned int pos;
	int ret;

	ret = qsrc_find_def(c->u, "feature_word_info", 0, &pos);
	if (ret)
		return ret < 0 ? -1 : missing(c, "feature_word_info[] table");
	if (words_size(c, pos, &size) || qsrc_init_parse(c->u, pos, &top))
		return -1;
	ret = -1;
	for (unsigned int i = 0; i < top.nkids; i++) {
		const struct qsrc_init *el = &top.kids[i];
		struct qsrc_word *wd;
		const struct qsrc_tok *d;
		char name[64];

		if (qt_index_of(c, el, size < 0 ? QSRC_MAX_WORDS : size, &cursor,
			     "feature_word_info", &w))
			goto out;
		wd = &q->words[w];
		if (wd->present) {
			err_set("%s:%u: feature_word_info[%s] given twice", QT_AT(c, el),
				wd->enum_name);
			goto out;
		}
		d = el->ndesig ? qt_tok(c, el->desig[0].b) : NULL;
		if (d && el->desig[0].e == el->desig[0].b + 1 && d->kind == QT_IDENT &&
		    d->len < sizeof(name))
			snprintf(name, sizeof(name), "%.*s", (int)d->len, d->s);
		else
			snprintf(name, sizeof(name), "word %lld", w);
		wd->enum_name = qsrc_strdup(q, name);
		if (!wd->enum_name)
			goto out;
		wd->present = true;
		wd->line = qt_el_tok(c, el)->line;
		if (read_word(c, el, wd))
			goto out;
		if (w + 1 > max)
			max = w + 1;
	}
	q->nwords = (unsigned int)(size < 0 ? max : size);
	for (unsigned int i = 0; i < q->nwords; i++) {
		char name[32];

		if (q->words[i].present)
			continue;
		snprintf(name, sizeof(name), "word %u", i);
		q->words[i].enum_name = qsrc_strdup(q, name);
		if (!q->words[i].enum_name)
			goto out;
	}
	ret = 0;
out:
	qsrc_init_free(&top);
	return ret;
}

struct wname {
	const char *name;
	unsigned int word;
};

static int cmp_wname(const void *a, const void *b)
{
	const struct wname *x = a, *y = b;
	int r = strcmp(x->name, y->name);

	return r ? r : x->word < y->word ? -1 : x->word > y->word;
}

/* QEMU asserts a feature name names bits of one word only. */
static int check_word_names(struct qsrc_tctx *c)
{
	const struct qsrc *q = c->q;
	struct wname *v;
	size_t n = 0;
	int ret = 0;

	for (unsigned int w = 0; w < q->nwords; w++)
		for (unsigned int b = 0; b < QSRC_WORD_BITS; b++)
			n += !!q->words[w].names[b];
	v = malloc((n ? n : 1) * sizeof(*v));
	if (!v)
		return err_set("out of memory");
	n = 0;
	for (unsigned int w = 0; w < q->nwords; w++)
		for (unsigned int b = 0; b < QSRC_WORD_BITS; b++)
			if (q->words[w].names[b])
				v[n++] = (struct wname){ q->words[w].names[b], w };
	qsort(v, n, sizeof(*v), cmp_wname);
	for (size_t i = 1; i < n && !ret; i++) {
		const struct qsrc_word *a = &q->words[v[i - 1].word], *b = &q->words[v[i].word];

		if (!strcmp(v[i - 1].name, v[i].name) && a != b)
			ret = err_set("%s:%u: feature name \"%s\" is in %s and %s", c->file,
				      b->line, v[i].name, a->enum_name, b->enum_name);
	}
	free(v);
	return ret;
}
/* ----------------------------------------------------------- versions */

/* X86CPUVersionDefinition */
enum version_field {
	VER_F_VERSION, VER_F_ALIAS, VER_F_NOTE, VER_F_PROPS, VER_F_CACHE_INFO, VER_F_NR,
};

static const char *const version_fields[VER_F_NR] = {
	[VER_F_VERSION] = "version", [VER_F_ALIAS] = "alias", [VER_F_NOTE] = "note",
	[VER_F_PROPS] = "props", [VER_F_CACHE_INFO] = "cache_info",
};

static int read_version(struct qsrc_tctx *c, const struct qsrc_init *el, struct qsrc_version *v)
{
	static const struct qt_struct_desc desc =
		QT_STRUCT_DESC("X86CPUVersionDefinition", version_fields);
	unsigned int seen = 0;
	int cursor = 0;
	long long n;

	if (qt_want_list(c, el, "a version"))
		return -1;
	v->line = qt_el_tok(c, el)->line;
	for (unsigned int i = 0; i < el->nkids; i++) {
		const struct qsrc_init *f = &el->kids[i];

		switch (qt_field_of(c, f, &desc, &cursor, &seen)) {
		case VER_F_VERSION:
			if (qt_get_ll(c, f, ".version", 1, 9999, &n))
				return -1;
			v->version = (int)n;
			break;
		case VER_F_ALIAS:
			if (qt_get_str(c, f, ".alias", 1, &v->alias))
				return -1;
			if (v->alias && (!*v->alias || strchr(v->alias, ' ')))
				return err_set("%s:%u: alias \"%s\" is no model name", QT_AT(c, f),
					       v->alias);
			break;
		case VER_F_NOTE:
			if (qt_get_str(c, f, ".note", 1, &v->note))
				return -1;
			break;
		case VER_F_PROPS:
			if (qt_read_props(c, f, v))
				return -1;
			break;
		case VER_F_CACHE_INFO:
			if (qt_get_ref(c, f, ".cache_info", &v->cache_info))
				return -1;
			break;
		default:
			return -1;
		}
	}
	if (!QT_GIVEN(seen, VER_F_VERSION))
		return err_set("%s:%u: a version without .version", QT_AT(c, el));
	return 0;
}

static int read_versions(struct qsrc_tctx *c, const struct qsrc_init *el, struct qsrc_model *m)
{
	unsigned int n;

	if (el->kind == QI_EXPR)
		return qt_null_list(c, el, ".versions");	/* QEMU's default list */
	if (qt_compound_type(c, el, "X86CPUVersionDefinition") ||
	    qt_list_len(c, el, ".versions", "version", &n))
		return -1;
	if (!n)
		return err_set("%s:%u: %s: an empty version list", QT_AT(c, el), m->name);
	m->versions = qsrc_alloc(c->q, n * sizeof(*m->versions));
	if (!m->versions)
		return -1;
	for (unsigned int i = 0; i < n; i++) {
		if (read_version(c, &el->kids[i], &m->versions[i]))
			return -1;
		for (unsigned int k = 0; k < i; k++)
			if (m->versions[k].version == m->versions[i].version)
				return err_set("%s:%u: %s: version %d given twice",
					       QT_AT(c, &el->kids[i]), m->name,
					       m->versions[i].version);
	}
	m->nversions = n;
	m->explicit_versions = true;
	return 0;
}

/* -------------------------------------------------------------- models */

static int read_features(struct qsrc_tctx *c, const struct qsrc_init *f, struct qsrc_model *m,
			 uint64_t *seen)
{
	const struct qsrc *q = c->q;
	long long w;

	if (f->ndesig != 2 || !f->desig[1].index)
		return err_set("%s:%u: expected .features[WORD] =", QT_AT(c, f));
	if (qsrc_eval_ll(c->u, f->desig[1].b, f->desig[1].e, &w))
		return -1;
	if (w < 0 || w >= q->nwords)
		return err_set("%s:%u: .features[%lld]: no such feature word", QT_AT(c, f), w);
	if (*seen & (1ull << w))
		return err_set("%s:%u: .features[%s] given twice", QT_AT(c, f),
			       q->words[w].enum_name);
	*seen |= 1ull << w;
	if (qt_want_expr(c, f, ".features") ||
	    qsrc_eval_u64(c->u, f->b, f->e, &m->features[w]))
		return -1;
	if (!q->words[w].is_msr && m->features[w] > UINT32_MAX)
		return err_set("%s:%u: .features[%s] = 0x%llx: more than 32 bits for a CPUID "
			       "register", QT_AT(c, f), q->words[w].enum_name,
			       (unsigned long long)m->features[w]);
	return 0;
}

/* X86CPUDefinition */
enum model_field {
	MODEL_F_NAME, MODEL_F_LEVEL, MODEL_F_XLEVEL, MODEL_F_VENDOR, MODEL_F_FAMILY,
	MODEL_F_MODEL, MODEL_F_STEPPING, MODEL_F_AVX10_VERSION, MODEL_F_FEATURES,
	MODEL_F_MODEL_ID, MODEL_F_CACHE_INFO, MODEL_F_VERSIONS, MODEL_F_DEPRECATION_NOTE,
	MODEL_F_NR,
};

static const char *const model_fields[MODEL_F_NR] = {
	[MODEL_F_NAME] = "name", [MODEL_F_LEVEL] = "level", [MODEL_F_XLEVEL] = "xlevel",
	[MODEL_F_VENDOR] = "vendor", [MODEL_F_FAMILY] = "family",
	[MODEL_F_MODEL] = "model", [MODEL_F_STEPPING] = "stepping",
	[MODEL_F_AVX10_VERSION] = "avx10_version", [MODEL_F_FEATURES] = "features",
	[MODEL_F_MODEL_ID] = "model_id", [MODEL_F_CACHE_INFO] = "cache_info",
	[MODEL_F_VERSIONS] = "versions", [MODEL_F_DEPRECATION_NOTE] = "deprecation_note",
};

static int read_model(struct qsrc_tctx *c, const struct qsrc_init *el, struct qsrc_model *m)
{
	static const struct qt_struct_desc desc = QT_STRUCT_DESC("X86CPUDefinition", model_fields);
	const struct qsrc_init *versions = NULL;
	unsigned int seen = 0;
	uint64_t words_seen = 0;
	int cursor = 0;
	const char *s;
	long long v;

	if (qt_want_list(c, el, "a builtin_x86_defs[] entry"))
		return -1;
	m->line = qt_el_tok(c, el)->line;
	for (unsigned int i = 0; i < el->nkids; i++) {
		const struct qsrc_init *f = &el->kids[i];
		int k;

		/* .features[W] may come many times: not a "seen" field */
		if (f->ndesig && !f->desig[0].index &&
		    qsrc_tok_is(qt_tok(c, f->desig[0].b), "features")) {
			if (read_features(c, f, m, &words_seen))
				return -1;
			cursor = MODEL_F_FEATURES + 1;
			continue;
		}
		k = qt_field_of(c, f, &desc, &cursor, &seen);
		switch (k) {
		case MODEL_F_NAME:
			if (qt_get_str(c, f, ".name", 0, &m->name))
				return -1;
			if (!*m->name || strpbrk(m->name, " ,="))
				return err_set("%s:%u: \"%s\" is no model name", QT_AT(c, f), m->name);
			break;
		case MODEL_F_LEVEL:
			if (qt_get_u32(c, f, ".level", &m->level))
				return -1;
			break;
		case MODEL_F_XLEVEL:
			if (qt_get_u32(c, f, ".xlevel", &m->xlevel))
				return -1;
			break;
		case MODEL_F_VENDOR:
			if (qt_get_str(c, f, ".vendor", 0, &s))
				return -1;
			if (strlen(s) != QSRC_VENDOR_LEN)
				return err_set("%s:%u: vendor \"%s\": not %d characters",
					       QT_AT(c, f), s, QSRC_VENDOR_LEN);
			memcpy(m->vendor, s, QSRC_VENDOR_LEN + 1);
			break;
		case MODEL_F_FAMILY:
			if (qt_get_ll(c, f, ".family", 0, 0xff + 0xf, &v))
				return -1;
			m->family = (int)v;
			break;
		case MODEL_F_MODEL:
			if (qt_get_ll(c, f, ".model", 0, 0xff, &v))
				return -1;
			m->model = (int)v;
			break;
		case MODEL_F_STEPPING:
			if (qt_get_ll(c, f, ".stepping", 0, 0xf, &v))
				return -1;
			m->stepping = (int)v;
			break;
		case MODEL_F_AVX10_VERSION:
			if (qt_get_ll(c, f, ".avx10_version", 0, 0xff, &v))
				return -1;
			m->avx10_version = (unsigned int)v;
			break;
		case MODEL_F_FEATURES:
			return err_set("%s:%u: expected .features[WORD] =", QT_AT(c, f));
		case MODEL_F_MODEL_ID:
			if (qt_get_str(c, f, ".model_id", 0, &m->model_id))
				return -1;
			if (strlen(m->model_id) > QSRC_MODEL_ID_MAX)
				return err_set("%s:%u: model_id \"%s\": longer than %d characters",
					       QT_AT(c, f), m->model_id, QSRC_MODEL_ID_MAX);
			break;
		case MODEL_F_CACHE_INFO:
			if (qt_get_ref(c, f, ".cache_info", &m->cache_info))
				return -1;
			break;
		case MODEL_F_VERSIONS:
			versions = f;	/* after .name, which messages need */
			break;
		case MODEL_F_DEPRECATION_NOTE:
			if (qt_get_str(c, f, ".deprecation_note", 1, &m->deprecation_note))
				return -1;
			break;
		default:
			return -1;
		}
	}
	if (!QT_GIVEN(seen, MODEL_F_NAME))
		return err_set("%s:%u: a model without .name", QT_AT(c, el));
	if (!QT_GIVEN(seen, MODEL_F_VENDOR))
		return err_set("%s:%u: %s has no .vendor", QT_AT(c, el), m->name);
	if (!QT_GIVEN(seen, MODEL_F_MODEL_ID))
		return err_set("%s:%u: %s has no .model_id", QT_AT(c, el), m->name);
	if (versions && read_versions(c, versions, m))
		return -1;
	if (!m->nversions) {
		/* QEMU's x86_cpu_def_get_versions(): { 1 } */
		m->versions = qsrc_alloc(c->q, sizeof(*m->versions));
		if (!m->versions)
			return -1;
		m->versions[0].version = 1;
		m->nversions = 1;
	}
	return 0;
}

static int read_models(struct qsrc_tctx *c)
{
	struct qsrc *q = c->q;
	struct qsrc_init top;
	unsigned int pos;
	int ret;

	ret = qsrc_find_def(c->u, "builtin_x86_defs", 0, &pos);
	if (ret)
		return ret < 0 ? -1 : missing(c, "builtin_x86_defs[] table");
	if (qsrc_init_parse(c->u, pos, &top))
		return -1;
	ret = -1;
	if (!top.nkids) {
		err_set("%s:%u: builtin_x86_defs[] is empty", QT_AT(c, &top));
		goto out;
	}
	q->models = qsrc_alloc(q, top.nkids * sizeof(*q->models));
	if (!q->models)
		goto out;
	for (unsigned int i = 0; i < top.nkids; i++) {
		if (top.kids[i].ndesig) {
			err_set("%s:%u: builtin_x86_defs[]: designated entries are not read",
				QT_AT(c, &top.kids[i]));
			goto out;
		}
		if (read_model(c, &top.kids[i], &q->models[i]))
			goto out;
	}
	q->nmodels = top.nkids;
	ret = 0;
out:
	qsrc_init_free(&top);
	return ret;
}

/* Model, NAME-vN and alias names must all differ (QEMU registers types). */
static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int check_names(struct qsrc_tctx *c)
{
	const struct qsrc *q = c->q;
	size_t n = 0, cap = 0, i;
	char **names = NULL;
	int ret = -1;

	for (i = 0; i < q->nmodels; i++)
		cap += 1 + 2 * q->models[i].nversions;
	names = calloc(cap ? cap : 1, sizeof(*names));
	if (!names)
		return err_set("out of memory");
	for (i = 0; i < q->nmodels; i++) {
		const struct qsrc_model *m = &q->models[i];

		if (!(names[n++] = strdup(m->name)))
			goto oom;
		for (size_t k = 0; k < m->nversions; k++) {
			if (asprintf(&names[n], "%s-v%d", m->name, m->versions[k].version) < 0) {
				names[n] = NULL;
				goto oom;
			}
			n++;
			if (m->versions[k].alias && !(names[n++] = strdup(m->versions[k].alias)))
				goto oom;
		}
	}
	qsort(names, n, sizeof(*names), cmp_name);
	for (i = 1; i < n; i++)
		if (!strcmp(names[i - 1], names[i]))
			break;
	if (i < n)
		err_set("%s: CPU model name \"%s\" is defined twice", c->file, names[i]);
	else
		ret = 0;
	goto out;
oom:
	err_set("out of memory");
out:
	for (i = 0; i < cap; i++)
		free(names[i]);
	free(names);
	return ret;
}

/* -------------------------------------------------------- dependencies */

/* FeatureMask */
enum fmask_field { FMASK_F_INDEX, FMASK_F_MASK, FMASK_F_NR };

static const char *const fmask_fields[FMASK_F_NR] = {
	[FMASK_F_INDEX] = "index", [FMASK_F_MASK] = "mask",
};

static int read_mask(struct qsrc_tctx *c, const struct qsrc_init *el, unsigned int *word,
		     uint64_t *mask)
{
	static const struct qt_struct_desc desc = QT_STRUCT_DESC("FeatureMask", fmask_fields);
	unsigned int seen = 0;
	int cursor = 0;
	long long w;

	if (qt_want_list(c, el, "a FeatureMask"))
		return -1;
	for (unsigned int i = 0; i < el->nkids; i++) {
		const struct qsrc_init *f = &el->kids[i];

		switch (qt_field_of(c, f, &desc, &cursor, &seen)) {
		case FMASK_F_INDEX:
			if (qt_get_ll(c, f, ".index", 0, (long long)c->q->nwords - 1, &w))
				return -1;
			*word = (unsigned int)w;
			break;
		case FMASK_F_MASK:
			if (qt_want_expr(c, f, ".mask") || qsrc_eval_u64(c->u, f->b, f->e, mask))
				return -1;
			break;
		default:
			return -1;
		}
	}
	if (!QT_GIVEN(seen, FMASK_F_INDEX) || !QT_GIVEN(seen, FMASK_F_MASK))
		return err_set("%s:%u: a FeatureMask needs .index and .mask", QT_AT(c, el));
	return 0;
}

/* FeatureDep */
enum dep_field { DEP_F_FROM, DEP_F_TO, DEP_F_NR };

static const char *const dep_fields[DEP_F_NR] = { [DEP_F_FROM] = "from", [DEP_F_TO] = "to" };

static int read_deps(struct qsrc_tctx *c)
{
	static const struct qt_struct_desc desc = QT_STRUCT_DESC("FeatureDep", dep_fields);
	struct qsrc *q = c->q;
	struct qsrc_init top;
	unsigned int pos;
	int ret;

	ret = qsrc_find_def(c->u, "feature_dependencies", 0, &pos);
	if (ret)
		return ret < 0 ? -1 : 0;	/* none before QEMU 5.0 */
	if (qsrc_init_parse(c->u, pos, &top))
		return -1;
	ret = -1;
	q->deps = qsrc_alloc(q, (top.nkids ? top.nkids : 1) * sizeof(*q->deps));
	if (!q->deps)
		goto out;
	for (unsigned int i = 0; i < top.nkids; i++) {
		const struct qsrc_init *el = &top.kids[i];
		struct qsrc_dep *d = &q->deps[i];
		unsigned int seen = 0;
		int cursor = 0;

		if (el->ndesig) {
			err_set("%s:%u: feature_dependencies[]: designated entries are not read",
				QT_AT(c, el));
			goto out;
		}
		if (qt_want_list(c, el, "a FeatureDep"))
			goto out;
		d->line = qt_el_tok(c, el)->line;
		for (unsigned int k = 0; k < el->nkids; k++) {
			int f = qt_field_of(c, &el->kids[k], &desc, &cursor, &seen);

			if (f < 0 || read_mask(c, &el->kids[k],
					       f == DEP_F_TO ? &d->to_word : &d->from_word,
					       f == DEP_F_TO ? &d->to_mask : &d->from_mask))
				goto out;
		}
		if (!QT_GIVEN(seen, DEP_F_FROM) || !QT_GIVEN(seen, DEP_F_TO)) {
			err_set("%s:%u: a FeatureDep needs .from and .to", QT_AT(c, el));
			goto out;
		}
	}
	q->ndeps = top.nkids;
	ret = 0;
out:
	qsrc_init_free(&top);
	return ret;
}

/* ------------------------------------------------------ the last bits */

static int read_default_version(struct qsrc_tctx *c)
{
	unsigned int pos, e;
	long long v;
	int ret;

	ret = qsrc_find_def(c->u, "default_cpu_version", 1, &pos);
	if (ret)
		return ret < 0 ? -1 : missing(c, "default_cpu_version definition");
	for (e = pos; e < c->u->ntoks && !qsrc_tok_is(qt_tok(c, e), ";"); e++)
		;
	if (qsrc_eval_ll(c->u, pos, e, &v))
		return -1;
	if (v < -1 || v > 9999)
		return err_set("%s:%u: default_cpu_version = %lld: not a version, "
			       "CPU_VERSION_LATEST or CPU_VERSION_LEGACY",
			       QSRC_AT(c->u, qt_tok(c, pos)), v);
	c->q->default_version = (int)v;
	return 0;
}

static int read_hypervisor(struct qsrc_tctx *c)
{
	struct qsrc *q = c->q;
	long long w;

	/* x86_cpu_load_model(): features[FEAT_1_ECX] |= CPUID_EXT_HYPERVISOR */
	if (!qsrc_macro_find(c->u, "CPUID_EXT_HYPERVISOR", 20, c->u->ntoks) ||
	    !qsrc_enum_find(c->u, "FEAT_1_ECX", 10))
		return err_set("%s: CPUID_EXT_HYPERVISOR or FEAT_1_ECX is not defined",
			       c->file);
	if (qsrc_eval_name(c->u, "FEAT_1_ECX", &w, NULL) ||
	    qsrc_eval_name(c->u, "CPUID_EXT_HYPERVISOR", NULL, &q->hyp_mask))
		return -1;
	if (w < 0 || w >= q->nwords)
		return err_set("%s: FEAT_1_ECX = %lld: no such feature word", c->file, w);
	q->hyp_word = (unsigned int)w;
	return 0;
}

int qsrc_read_tables(struct qsrc_unit *u, struct qsrc *q)
{
	struct qsrc_tctx c = { .u = u, .q = q, .file = u->src[u->nsrc - 1].name };
	int ret = -1;

	if (read_words(&c) || check_word_names(&c) || qt_scan_props(&c) || read_models(&c) ||
	    check_names(&c) || read_deps(&c) || read_default_version(&c) ||
	    read_hypervisor(&c))
		goto out;
	ret = 0;
out:
	free(c.props);
	return ret;
}
