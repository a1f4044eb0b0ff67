// SPDX-License-Identifier: GPL-2.0-only
/*
 * Mask files, the mask catalog and spec resolution (format: mask.h).
 */
#include "catalog/mask.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "cpu/feature.h"
#include "lib/file_read.h"
#include "cpu/msr_feature.h"

#define MASK_SUFFIX	".mask"
#define MASK_FILE_MAX	(1024 * 1024)
#define MASK_LIST_HINT	"(cpubench masks lists them)"

enum mask_key {
	K_NAME, K_DESCRIPTION, K_PROVENANCE, K_INHERITS, K_VENDOR, K_FAMILY,
	K_MODEL, K_STEPPING, K_MODEL_ID, K_FEATURES, K_NR,
};

static const char *const key_names[K_NR] = {
	[K_NAME] = "name", [K_DESCRIPTION] = "description",
	[K_PROVENANCE] = "provenance", [K_INHERITS] = "inherits",
	[K_VENDOR] = "vendor", [K_FAMILY] = "family", [K_MODEL] = "model",
	[K_STEPPING] = "stepping", [K_MODEL_ID] = "model-id",
	[K_FEATURES] = "features",
};

struct parser {
	struct mask_file *mf;
	unsigned int line;
	unsigned int name_line;
	bool in_features;
	unsigned int seen;	/* 1 << enum mask_key, scalar keys */
};

/* ---------------------------------------------------------------- parsing */

__attribute__((format(printf, 2, 3)))
static int perr(const struct parser *p, const char *fmt, ...)
{
	char msg[384];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return err_set("%s:%u: %s", p->mf->file, p->line, msg);
}

static bool mask_name_valid(const char *s)
{
	size_t len = strlen(s);

	if (!len || len >= MASK_NAME_MAX)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("._-", *s))
			return false;
	return true;
}

/* ", did you mean 'x'?" part of messages, or "" */
static const char *did_you_mean(char *buf, size_t size, const char *sugg)
{
	if (!sugg)
		return "";
	snprintf(buf, size, ": did you mean '%s'?", sugg);
	return buf;
}

static int copy_value(const struct parser *p, char *dst, size_t size,
		      const char *value, enum mask_key k)
{
	if (strlen(value) >= size)
		return perr(p, "'%s' is too long (at most %zu characters)",
			    key_names[k], size - 1);
	strcpy(dst, value);
	return 0;
}

static int parse_number(const struct parser *p, enum mask_key k,
			const char *value, unsigned long max, uint32_t *out)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(value, &end, 0);
	if (errno || end == value || *end || value[0] == '-')
		return perr(p, "'%s' must be a number (decimal or 0x-hex), not '%s'",
			    key_names[k], value);
	if (v > max)
		return perr(p, "'%s' %s is out of range (at most 0x%lx)",
			    key_names[k], value, max);
	*out = (uint32_t)v;
	return 0;
}

/* A feature-MSR bit of a features list (msr_feature.h). */
static int parse_msr_token(struct parser *p, const char *tok, bool del)
{
	struct mask_file *mf = p->mf;
	uint32_t bit = 1u << msr_feature_lookup(tok);

	if ((del ? mf->msr_add : mf->msr_del) & bit)
		return perr(p, "feature '%s' is both added and removed (conflicting)", tok);
	if (del)
		mf->msr_del |= bit;
	else
		mf->msr_add |= bit;
	return 0;
}

/* One +feat / -feat / feat token of a features list. */
static int parse_feature_token(struct parser *p, const char *tok)
{
	struct mask_file *mf = p->mf;
	bool del = tok[0] == '-';
	char hint[96];
	int idx;

	if (tok[0] == '+' || tok[0] == '-')
		tok++;
	if (!*tok)
		return perr(p, "a '+' or '-' without a feature name");
	idx = feature_lookup(tok);
	if (idx < 0 && msr_feature_lookup(tok) >= 0)
		return parse_msr_token(p, tok, del);
	if (idx < 0)
		return perr(p, "unknown feature '%s'%s", tok,
			    did_you_mean(hint, sizeof(hint), feature_suggest(tok)));
	if (featureset_has(del ? &mf->add : &mf->del, idx))
		return perr(p, "feature '%s' is both added and removed (conflicting)",
			    features[idx].name);
	featureset_add(del ? &mf->del : &mf->add, idx);
	return 0;
}

/* Whitespace- (or comma-) separated tokens; the line is modified. */
static int parse_features(struct parser *p, char *s)
{
	static const char sep[] = " \t,";

	for (char *tok = s + strspn(s, sep); *tok; tok += strspn(tok, sep)) {
		size_t len = strcspn(tok, sep);
		char save = tok[len];

		tok[len] = '\0';
		if (parse_feature_token(p, tok))
			return -1;
		tok[len] = save;
		tok += len;
	}
	return 0;
}

static int parse_vendor(const struct parser *p, const char *value)
{
	if (strlen(value) != 12)
		return perr(p, "vendor must be 12 characters, like GenuineIntel or AuthenticAMD, not '%s'",
			    value);
	strcpy(p->mf->identity.vendor, value);
	return 0;
}

static int parse_scalar(struct parser *p, enum mask_key k, const char *value)
{
	struct mask_file *mf = p->mf;

	switch (k) {
	case K_NAME:
		p->name_line = p->line;
		if (!mask_name_valid(value))
			return perr(p, "bad mask name '%s' (letters, digits, '.', '_', '-')", value);
		if (!strcmp(value, MASK_HOST))
			return perr(p, "'%s' is reserved for the host's own CPUID", value);
		return copy_value(p, mf->name, sizeof(mf->name), value, k);
	case K_DESCRIPTION:
		return copy_value(p, mf->description, sizeof(mf->description), value, k);
	case K_PROVENANCE:
		return copy_value(p, mf->provenance, sizeof(mf->provenance), value, k);
	case K_INHERITS:
		mf->inherits_line = p->line;
		if (!mask_name_valid(value))
			return perr(p, "bad mask name '%s' in 'inherits'", value);
		return copy_value(p, mf->inherits, sizeof(mf->inherits), value, k);
	case K_VENDOR:
		return parse_vendor(p, value);
	case K_FAMILY:
		/* 0xf + 8-bit extended family */
		return parse_number(p, k, value, 0x10e, &mf->identity.family);
	case K_MODEL:
		return parse_number(p, k, value, 0xff, &mf->identity.model);
	case K_STEPPING:
		return parse_number(p, k, value, 0xf, &mf->identity.stepping);
	case K_MODEL_ID:
		return copy_value(p, mf->identity.model_id,
				  sizeof(mf->identity.model_id), value, k);
	default:
		return perr(p, "internal error: key %d", k);
	}
}

static char *trim(char *s)
{
	size_t len;

	s += strspn(s, " \t");
	len = strlen(s);
	while (len && isspace((unsigned char)s[len - 1]))
		s[--len] = '\0';
	return s;
}

/* '#' at the start of a line or after whitespace starts a comment. */
static void strip_comment(char *s)
{
	for (size_t i = 0; s[i]; i++) {
		if (s[i] == '#' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t')) {
			s[i] = '\0';
			return;
		}
	}
}

static int parse_key_line(struct parser *p, char *s)
{
	char *colon = strchr(s, ':');
	char *key, *value;
	int k;

	if (!colon)
		return perr(p, "expected 'key: value', got '%.60s'", s);
	*colon = '\0';
	key = trim(s);
	value = trim(colon + 1);
	for (k = 0; k < K_NR; k++)
		if (!strcmp(key, key_names[k]))
			break;
	if (k == K_NR)
		return perr(p, "unknown key '%.60s' (known: name, description, provenance, inherits, vendor, family, model, stepping, model-id, features)",
			    key);
	p->in_features = k == K_FEATURES;
	if (k == K_FEATURES)
		return parse_features(p, value);
	if (p->seen & 1u << k)
		return perr(p, "duplicate key '%s'", key);
	p->seen |= 1u << k;
	if (!*value)
		return perr(p, "'%s:' needs a value", key);
	return parse_scalar(p, (enum mask_key)k, value);
}

static int parse_line(struct parser *p, char *s)
{
	strip_comment(s);
	if (!*trim(s))
		return 0;
	if (s[0] == ' ' || s[0] == '\t') {
		if (!p->in_features)
			return perr(p, "indented line outside a 'features:' list");
		return parse_features(p, s);
	}
	return parse_key_line(p, s);
}

/* The name a file must declare: its base name minus ".mask"; "" if none. */
static void expected_name(const char *file, char *out, size_t size)
{
	const char *base = strrchr(file, '/');
	size_t len, slen = strlen(MASK_SUFFIX);

	base = base ? base + 1 : file;
	len = strlen(base);
	out[0] = '\0';
	if (len > slen && len - slen < size && !strcmp(base + len - slen, MASK_SUFFIX))
		snprintf(out, size, "%.*s", (int)(len - slen), base);
}

static int check_identity(const struct parser *p)
{
	const struct mask_file *mf = p->mf;
	const struct cpu_identity *id = &mf->identity;
	unsigned int n = !!(p->seen & 1u << K_VENDOR) + !!(p->seen & 1u << K_FAMILY) +
			 !!(p->seen & 1u << K_MODEL) + !!(p->seen & 1u << K_STEPPING);

	if (n && n != 4)
		return err_set("%s: vendor, family, model and stepping must be given together",
			       mf->file);
	if (!n && (p->seen & 1u << K_MODEL_ID))
		return err_set("%s: model-id needs vendor, family, model and stepping",
			       mf->file);
	if (n && id->model > 0xf && id->family != 6 && id->family < 0xf)
		return err_set("%s: model 0x%x needs family 6 or 0xf and above (extended model encoding)",
			       mf->file, id->model);
	return 0;
}

static int check_file(struct parser *p)
{
	struct mask_file *mf = p->mf;
	char want[MASK_NAME_MAX + 8];

	if (!(p->seen & 1u << K_NAME))
		return err_set("%s: missing 'name:' line", mf->file);
	expected_name(mf->file, want, sizeof(want));
	if (want[0] && strcmp(want, mf->name)) {
		p->line = p->name_line;
		return perr(p, "name '%s' does not match the file name (expected '%s')",
			    mf->name, want);
	}
	if (check_identity(p))
		return -1;
	mf->name_line = p->name_line;
	mf->identity.set = p->seen & 1u << K_VENDOR;
	return 0;
}

int mask_parse_text(const char *file, const char *text, struct mask_file *out)
{
	struct parser p = { .mf = out };
	char *buf, *line;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	snprintf(out->file, sizeof(out->file), "%s", file ? file : "<mask>");
	buf = strdup(text ? text : "");
	if (!buf)
		return err_set("out of memory");
	for (line = buf; line && !ret;) {
		char *nl = strchr(line, '\n');

		if (nl)
			*nl = '\0';
		p.line++;
		ret = parse_line(&p, line);
		line = nl ? nl + 1 : NULL;
	}
	free(buf);
	if (ret)
		return -1;
	return check_file(&p);
}

/* ---------------------------------------------------------------- catalog */

struct catalog {
	struct mask_file *files;
	unsigned char *origin;	/* 0: built-in, 1: extra_dir */
	unsigned int n, cap;
};

static void cat_free(struct catalog *cat)
{
	free(cat->files);
	free(cat->origin);
	memset(cat, 0, sizeof(*cat));
}

static int cat_find(const struct catalog *cat, const char *name)
{
	for (unsigned int i = 0; i < cat->n; i++)
		if (!strcmp(cat->files[i].name, name))
			return (int)i;
	return -1;
}

/* Adds @mf; a same-named mask from another origin is overridden. */
static int cat_add(struct catalog *cat, const struct mask_file *mf,
		   unsigned char origin)
{
	int i = cat_find(cat, mf->name);

	if (i >= 0 && cat->origin[i] == origin)
		return err_set("%s:%u: duplicate mask '%s': %s defines it too; rename one",
			       mf->file, mf->name_line, mf->name, cat->files[i].file);
	if (i >= 0) {
		cat->files[i] = *mf;
		cat->origin[i] = origin;
		return 0;
	}
	if (cat->n == cat->cap) {
		unsigned int cap = cat->cap ? cat->cap * 2 : 16;
		struct mask_file *f = realloc(cat->files, cap * sizeof(*f));
		unsigned char *o;

		if (!f)
			return err_set("out of memory");
		cat->files = f;
		o = realloc(cat->origin, cap);
		if (!o)
			return err_set("out of memory");
		cat->origin = o;
		cat->cap = cap;
	}
	cat->files[cat->n] = *mf;
	cat->origin[cat->n++] = origin;
	return 0;
}

static int cat_add_text(struct catalog *cat, const char *file, const char *text,
			unsigned char origin)
{
	struct mask_file mf;

	if (mask_parse_text(file, text, &mf))
		return -1;
	return cat_add(cat, &mf, origin);
}

static int cat_load_sources(struct catalog *cat, const struct mask_source *src,
			    unsigned int n, unsigned char origin)
{
	for (unsigned int i = 0; i < n; i++)
		if (cat_add_text(cat, src[i].file, src[i].text, origin))
			return -1;
	return 0;
}

/* Reads a whole (small) file as a string; NULL with err_set(). */
static char *read_text(const char *path)
{
	char *buf;
	size_t len;

	if (file_read_text(path, MASK_FILE_MAX, "a mask file", &buf, &len))
		return NULL;
	return buf;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool has_mask_suffix(const char *name)
{
	size_t len = strlen(name), slen = strlen(MASK_SUFFIX);

	return len > slen && !strcmp(name + len - slen, MASK_SUFFIX) && name[0] != '.';
}

static int cat_load_file(struct catalog *cat, const char *dir, const char *name)
{
	char path[4096];
	char *text;
	int ret;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
		return err_set("%s/%s: path too long", dir, name);
	text = read_text(path);
	if (!text)
		return -1;
	ret = cat_add_text(cat, path, text, 1);
	free(text);
	return ret;
}

/* Every *.mask in @dir, in name order (so errors are deterministic). */
static int cat_load_dir(struct catalog *cat, const char *dir)
{
	DIR *d = opendir(dir);
	char **names = NULL;
	unsigned int n = 0, cap = 0;
	struct dirent *de;
	int ret = 0;

	if (!d)
		return err_set_errno(errno, "cannot read mask directory '%s'", dir);
	while (!ret && (de = readdir(d))) {
		if (!has_mask_suffix(de->d_name))
			continue;
		if (n == cap) {
			char **nn = realloc(names, (cap = cap ? cap * 2 : 16) * sizeof(*nn));

			if (!nn) {
				ret = err_set("out of memory");
				break;
			}
			names = nn;
		}
		names[n] = strdup(de->d_name);
		if (!names[n])
			ret = err_set("out of memory");
		else
			n++;
	}
	closedir(d);
	if (names)
		qsort(names, n, sizeof(*names), cmp_str);
	for (unsigned int i = 0; i < n; i++) {
		if (!ret)
			ret = cat_load_file(cat, dir, names[i]);
		free(names[i]);
	}
	free(names);
	return ret;
}

/*
 * The built-in catalog is embedded and cannot change within a process, so
 * it is parsed once: every mask_resolve() (matrix makes two per model)
 * starts from a copy of it. Kept until exit, like the embedded texts.
 */
static struct catalog builtin_cache;
static bool builtin_cached;

static int cat_load_builtin(struct catalog *cat)
{
	const struct catalog *b = &builtin_cache;

	if (!builtin_cached) {
		if (cat_load_sources(&builtin_cache, mask_builtin, mask_nbuiltin, 0)) {
			cat_free(&builtin_cache);
			return -1;
		}
		builtin_cached = true;
	}
	cat->cap = b->n ? b->n : 1;
	cat->files = malloc(cat->cap * sizeof(*cat->files));
	cat->origin = malloc(cat->cap);
	if (!cat->files || !cat->origin)
		return err_set("out of memory");
	memcpy(cat->files, b->files, b->n * sizeof(*cat->files));
	memcpy(cat->origin, b->origin, b->n);
	cat->n = b->n;
	return 0;
}

static int cat_load(struct catalog *cat, const char *extra_dir)
{
	memset(cat, 0, sizeof(*cat));
	if (cat_load_builtin(cat) ||
	    (extra_dir && cat_load_dir(cat, extra_dir))) {
		cat_free(cat);
		return -1;
	}
	return 0;
}

static const char *cat_suggest(const struct catalog *cat, const char *name)
{
	unsigned int best = name_distance(name, MASK_HOST);
	const char *found = MASK_HOST;

	for (unsigned int i = 0; i < cat->n; i++) {
		unsigned int d = name_distance(name, cat->files[i].name);

		/* on a tie prefer the later name: "x86-64-v9" -> "x86-64-v4" */
		if (d < best || (d == best && strcmp(cat->files[i].name, found) > 0)) {
			best = d;
			found = cat->files[i].name;
		}
	}
	return name_close_enough(best, (unsigned int)strlen(name)) ? found : NULL;
}

/* ------------------------------------------------------------- resolution */

struct spec {
	char name[MASK_NAME_MAX];
	featureset_t add, del;
};

/* "+f", "-f", "f", "f=on|off" (QEMU's boolean spellings) */
static int spec_token(const char *spec, char *tok, struct spec *out)
{
	char hint[96];
	char *eq = strchr(tok, '=');
	bool del = tok[0] == '-';
	int idx;

	if (tok[0] == '+' || tok[0] == '-') {
		tok++;
	} else if (eq) {
		const char *v = eq + 1;

		*eq = '\0';
		if (!strcmp(v, "on") || !strcmp(v, "true") || !strcmp(v, "yes"))
			del = false;
		else if (!strcmp(v, "off") || !strcmp(v, "false") || !strcmp(v, "no"))
			del = true;
		else
			return err_set("bad value '%s' for feature '%s' in '%s' (use on or off)",
				       v, tok, spec);
	}
	if (!*tok)
		return err_set("empty feature name in mask spec '%s'", spec);
	idx = feature_lookup(tok);
	if (idx < 0)
		return err_set("unknown feature '%s' in '%s'%s", tok, spec,
			       did_you_mean(hint, sizeof(hint), feature_suggest(tok)));
	if (featureset_has(del ? &out->add : &out->del, idx))
		return err_set("conflicting: '%s' is both added and removed in '%s'",
			       features[idx].name, spec);
	featureset_add(del ? &out->del : &out->add, idx);
	return 0;
}

static int spec_parse(const char *spec, struct spec *out)
{
	char buf[256];
	char *tok, *next;

	memset(out, 0, sizeof(*out));
	if (!spec || !*spec)
		return err_set("empty mask spec %s", MASK_LIST_HINT);
	if (strlen(spec) >= sizeof(buf))
		return err_set("mask spec too long (at most %zu characters)", sizeof(buf) - 1);
	strcpy(buf, spec);
	next = strchr(buf, ',');
	if (next)
		*next++ = '\0';
	if (!buf[0])
		return err_set("mask spec '%s' has no mask name", spec);
	if (strlen(buf) >= sizeof(out->name))
		return err_set("unknown mask '%.64s...' %s", buf, MASK_LIST_HINT);
	strcpy(out->name, buf);
	for (tok = next; tok; tok = next) {
		next = strchr(tok, ',');
		if (next)
			*next++ = '\0';
		if (!*tok)
			return err_set("empty feature in mask spec '%s'", spec);
		if (spec_token(spec, tok, out))
			return -1;
	}
	return 0;
}

static int loop_error(const struct catalog *cat, const int *chain,
		      unsigned int n, int again)
{
	char path[512] = "";
	size_t len = 0;

	for (unsigned int k = 0; k < n && len < sizeof(path); k++)
		len += (size_t)snprintf(path + len, sizeof(path) - len, "%s -> ",
					cat->files[chain[k]].name);
	return err_set("%s: inheritance loop: %s%s", cat->files[again].file, path,
		       cat->files[again].name);
}

/*
 * Walks @idx's inheritance chain into @chain (leaf first); returns its
 * length, or -1 on an unknown parent or a loop.
 */
static int chain_walk(const struct catalog *cat, int idx, int *chain)
{
	unsigned int n = 0;

	for (int i = idx;;) {
		const struct mask_file *mf = &cat->files[i];
		char hint[96];
		int parent;

		for (unsigned int k = 0; k < n; k++)
			if (chain[k] == i)
				return loop_error(cat, chain, n, i);
		chain[n++] = i;
		if (!mf->inherits[0])
			return (int)n;
		parent = cat_find(cat, mf->inherits);
		if (parent < 0)
			return err_set("%s:%u: '%s' inherits unknown mask '%s'%s",
				       mf->file, mf->inherits_line, mf->name, mf->inherits,
				       did_you_mean(hint, sizeof(hint),
						    cat_suggest(cat, mf->inherits)));
		i = parent;
	}
}

static void apply_file(featureset_t *fs, uint32_t *msr, const struct mask_file *mf)
{
	featureset_union(fs, fs, &mf->add);
	featureset_diff(fs, fs, &mf->del);
	*msr = (*msr | mf->msr_add) & ~mf->msr_del;
}

static int resolve_file(const struct catalog *cat, int idx, struct mask *out)
{
	int *chain = calloc(cat->n, sizeof(*chain));
	int n;

	if (!chain)
		return err_set("out of memory");
	n = chain_walk(cat, idx, chain);
	if (n < 0) {
		free(chain);
		return -1;
	}
	for (int k = n - 1; k >= 1; k--)
		apply_file(&out->inherited, &out->msr_inherited, &cat->files[chain[k]]);
	out->features = out->inherited;
	out->msr_features = out->msr_inherited;
	apply_file(&out->features, &out->msr_features, &cat->files[idx]);
	out->removed = cat->files[idx].del;
	out->msr_removed = cat->files[idx].msr_del;
	strcpy(out->inherits, cat->files[idx].inherits);
	for (int k = 0; k < n; k++) {
		const struct mask_file *mf = &cat->files[chain[k]];

		if (!out->identity.set && mf->identity.set)
			out->identity = mf->identity;
		if (!out->provenance[0])
			strcpy(out->provenance, mf->provenance);
	}
	strcpy(out->description, cat->files[idx].description);
	free(chain);
	return 0;
}

/* The spec's +feat/-feat on top of what the base resolved to. */
static void apply_spec(struct mask *out)
{
	featureset_union(&out->features, &out->features, &out->spec_add);
	featureset_diff(&out->features, &out->features, &out->spec_del);
	featureset_diff(&out->added, &out->features, &out->inherited);
	featureset_union(&out->removed, &out->removed, &out->spec_del);
}

static void resolve_host(const featureset_t *host, struct mask *out)
{
	out->is_host = true;
	out->host_bound = host != NULL;
	if (host) {
		out->inherited = *host;
		out->features = *host;
	}
	snprintf(out->description, sizeof(out->description),
		 "this host: every feature KVM supports here");
	snprintf(out->provenance, sizeof(out->provenance),
		 "KVM_GET_SUPPORTED_CPUID on this host");
}

int mask_bind_host(struct mask *m, const featureset_t *host)
{
	if (!m->is_host || m->host_bound)
		return 0;
	resolve_host(host, m);
	apply_spec(m);
	return 0;
}

/* Resolves a parsed spec; @cat may be NULL for "host". */
static int resolve_spec(const char *spec, const struct spec *sp,
			const struct catalog *cat, const featureset_t *host,
			struct mask *out)
{
	int ret;

	memset(out, 0, sizeof(*out));
	out->spec_add = sp->add;
	out->spec_del = sp->del;
	if (!strcmp(sp->name, MASK_HOST)) {
		resolve_host(host, out);
		ret = 0;
	} else {
		int idx = cat_find(cat, sp->name);
		char hint[96];

		if (idx < 0)
			return err_set("unknown mask '%s'%s %s", sp->name,
				       did_you_mean(hint, sizeof(hint),
						    cat_suggest(cat, sp->name)),
				       MASK_LIST_HINT);
		ret = resolve_file(cat, idx, out);
	}
	if (ret)
		return -1;
	if (!out->is_host || out->host_bound)
		apply_spec(out);
	strcpy(out->name, sp->name);
	strcpy(out->spec, spec);
	return 0;
}

int mask_resolve_sources(const char *spec, const struct mask_source *src,
			 unsigned int nsrc, const featureset_t *host_features,
			 struct mask *out)
{
	struct catalog cat = { 0 };
	struct spec sp;
	int ret;

	if (spec_parse(spec, &sp))
		return -1;
	if (cat_load_sources(&cat, src, nsrc, 0)) {
		cat_free(&cat);
		return -1;
	}
	ret = resolve_spec(spec, &sp, &cat, host_features, out);
	cat_free(&cat);
	return ret;
}

int mask_resolve(const char *spec, const char *extra_dir,
		 const featureset_t *host_features, struct mask *out)
{
	struct catalog cat;
	struct spec sp;
	int ret;

	if (spec_parse(spec, &sp))
		return -1;
	/* "host" needs no file: a broken catalog must not stop it */
	if (!strcmp(sp.name, MASK_HOST))
		return resolve_spec(spec, &sp, NULL, host_features, out);
	if (cat_load(&cat, extra_dir))
		return -1;
	ret = resolve_spec(spec, &sp, &cat, host_features, out);
	cat_free(&cat);
	return ret;
}

void mask_list_free(char **names, int n)
{
	for (int i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
}

int mask_list(const char *extra_dir, char ***names)
{
	struct catalog cat;
	char **v;
	unsigned int n = 0;

	*names = NULL;
	if (cat_load(&cat, extra_dir))
		return -1;
	v = calloc(cat.n + 1, sizeof(*v));
	if (!v)
		goto oom;
	for (; n < cat.n; n++)
		if (!(v[n] = strdup(cat.files[n].name)))
			goto oom;
	if (!(v[n] = strdup(MASK_HOST)))
		goto oom;
	n++;
	qsort(v, n, sizeof(*v), cmp_str);
	cat_free(&cat);
	*names = v;
	return (int)n;
oom:
	mask_list_free(v, (int)n);
	cat_free(&cat);
	return err_set("out of memory");
}

static int cmp_mask(const void *a, const void *b)
{
	return strcmp(((const struct mask *)a)->name, ((const struct mask *)b)->name);
}

int mask_resolve_all(const char *extra_dir, struct mask **out)
{
	struct catalog cat;
	struct mask *v;
	int n;

	*out = NULL;
	if (cat_load(&cat, extra_dir))
		return -1;
	v = calloc(cat.n ? cat.n : 1, sizeof(*v));
	if (!v) {
		cat_free(&cat);
		return err_set("out of memory");
	}
	for (unsigned int i = 0; i < cat.n; i++) {
		if (resolve_file(&cat, (int)i, &v[i])) {
			free(v);
			cat_free(&cat);
			return -1;
		}
		featureset_diff(&v[i].added, &v[i].features, &v[i].inherited);
		strcpy(v[i].name, cat.files[i].name);
		strcpy(v[i].spec, cat.files[i].name);
	}
	qsort(v, cat.n, sizeof(*v), cmp_mask);
	*out = v;
	n = (int)cat.n;
	cat_free(&cat);
	return n;
}
