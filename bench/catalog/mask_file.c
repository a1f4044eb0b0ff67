// SPDX-License-Identifier: GPL-2.0-only
/*
 * One mask file, parsed (format: catalog/mask_file.h).
 */
#include "catalog/mask_file.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/feature.h"
#include "cpu/msr_feature.h"
#include "lib/err.h"
#include "lib/suggest.h"
#include "lib/text_check.h"

enum mask_key {
	K_NAME, K_DESCRIPTION, K_PROVENANCE, K_QEMU_SINCE, K_INHERITS, K_VENDOR,
	K_FAMILY, K_MODEL, K_STEPPING, K_MODEL_ID, K_FEATURES, K_NR,
};

static const char *const key_names[K_NR] = {
	[K_NAME] = "name", [K_DESCRIPTION] = "description",
	[K_PROVENANCE] = "provenance", [K_QEMU_SINCE] = "qemu-since",
	[K_INHERITS] = "inherits",
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

bool mask_name_valid(const char *s)
{
	size_t len = strlen(s);

	if (!len || len >= MASK_NAME_MAX || s[0] == '.')
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("._-", *s))
			return false;
	return true;
}

bool mask_qemu_since_valid(const char *s)
{
	size_t major, minor;

	if (!strncmp(s, "<=", 2))
		s += 2;
	major = strspn(s, "0123456789");
	if (!major || major > 3 || s[major] != '.')
		return false;
	minor = strspn(s + major + 1, "0123456789");
	return minor && minor <= 3 && !s[major + 1 + minor];
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
			return perr(p, "bad mask name '%s' (1 to %d letters, digits, '.', '_', '-'; not starting with '.')",
				    value, MASK_NAME_MAX - 1);
		if (!strcmp(value, MASK_HOST))
			return perr(p, "'%s' is reserved for the host's own CPUID", value);
		return copy_value(p, mf->name, sizeof(mf->name), value, k);
	case K_DESCRIPTION:
		return copy_value(p, mf->description, sizeof(mf->description), value, k);
	case K_PROVENANCE:
		return copy_value(p, mf->provenance, sizeof(mf->provenance), value, k);
	case K_QEMU_SINCE:
		if (!mask_qemu_since_valid(value))
			return perr(p, "'qemu-since' must be a QEMU release like 8.1 or <=7.2, not '%.40s'",
				    value);
		return copy_value(p, mf->qemu_since, sizeof(mf->qemu_since), value, k);
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
		return perr(p, "unknown key '%.60s' (known: name, description, provenance, qemu-since, inherits, vendor, family, model, stepping, model-id, features)",
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
	if (!text)
		text = "";
	if (text_check(out->file, text, strlen(text), "a mask file"))
		return -1;
	buf = strdup(text);
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
