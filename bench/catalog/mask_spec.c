// SPDX-License-Identifier: GPL-2.0-only
/*
 * Mask specs (QEMU's -cpu syntax, catalog/mask.h) resolved against the
 * catalog, or against the host's features for "host".
 */
#include "catalog/mask.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "cpu/feature.h"
#include "lib/err.h"
#include "lib/suggest.h"

#define MASK_LIST_HINT	"(cpubench masks lists them)"

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
			struct catalog *cat, const featureset_t *host,
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
		int idx = catalog_find(cat, sp->name);
		char hint[96];

		if (idx < 0)
			return err_set("unknown mask '%s'%s %s", sp->name,
				       did_you_mean(hint, sizeof(hint),
						    catalog_suggest(cat, sp->name)),
				       MASK_LIST_HINT);
		ret = catalog_resolve(cat, idx, out);
		memset(&out->spec_add, 0, sizeof(out->spec_add));
		out->spec_add = sp->add;
		out->spec_del = sp->del;
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
	struct catalog cat;
	struct spec sp;
	int ret;

	if (spec_parse(spec, &sp) || catalog_from_sources(src, nsrc, &cat))
		return -1;
	ret = resolve_spec(spec, &sp, &cat, host_features, out);
	catalog_free(&cat);
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
	if (catalog_open(extra_dir, &cat))
		return -1;
	ret = resolve_spec(spec, &sp, &cat, host_features, out);
	catalog_free(&cat);
	return ret;
}

int mask_resolve_many(char *const *specs, unsigned int n, const char *extra_dir,
		      const featureset_t *host_features, struct mask *out)
{
	struct catalog cat;
	bool opened = false;
	int ret = 0;

	for (unsigned int i = 0; i < n && !ret; i++) {
		struct spec sp;

		if (spec_parse(specs[i], &sp)) {
			ret = -1;
			break;
		}
		/* as mask_resolve(): "host" needs no file */
		if (strcmp(sp.name, MASK_HOST) && !opened) {
			if (catalog_open(extra_dir, &cat))
				return -1;
			opened = true;
		}
		ret = resolve_spec(specs[i], &sp, opened ? &cat : NULL, host_features, &out[i]);
	}
	if (opened)
		catalog_free(&cat);
	return ret;
}

void mask_list_free(char **names, int n)
{
	for (int i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int mask_list(const char *extra_dir, char ***names)
{
	struct catalog cat;
	char **v;
	unsigned int n = 0;

	*names = NULL;
	if (catalog_open(extra_dir, &cat))
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
	catalog_free(&cat);
	*names = v;
	return (int)n;
oom:
	mask_list_free(v, (int)n);
	catalog_free(&cat);
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
	if (catalog_open(extra_dir, &cat))
		return -1;
	v = calloc(cat.n ? cat.n : 1, sizeof(*v));
	if (!v) {
		catalog_free(&cat);
		return err_set("out of memory");
	}
	for (unsigned int i = 0; i < cat.n; i++) {
		if (catalog_resolve(&cat, (int)i, &v[i])) {
			free(v);
			catalog_free(&cat);
			return -1;
		}
	}
	qsort(v, cat.n, sizeof(*v), cmp_mask);
	*out = v;
	n = (int)cat.n;
	catalog_free(&cat);
	return n;
}
