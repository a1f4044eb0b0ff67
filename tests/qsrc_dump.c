// SPDX-License-Identifier: GPL-2.0-only
/*
 * A look at what bench/import/qemu_source.c reads, for people (not a test):
 *
 *   qsrc_dump [DIR]
 *	every model version of QEMU source tree DIR (default
 *	../shared/reference/qemu): feature count as QEMU expands it
 *	(QSRC_EXPAND), aliases, identity
 *   qsrc_dump DIR --compare MASKDIR [NAME...]
 *	the features of each NAME (default: every versioned name MASKDIR has
 *	a file for) against MASKDIR/NAME.mask, inheritance followed; names
 *	compared with '_' read as '-' (the mask files keep lahf_lm); then
 *	identity, and each alias file's target against qsrc_find()
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/qemu_source.h"
#include "lib/err.h"

#define MAX_NAMES	1024

struct set {
	char *v[MAX_NAMES];
	size_t n;
};

static void norm(char *s)
{
	for (; *s; s++)
		if (*s == '_')
			*s = '-';
}

static int set_has(const struct set *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], name))
			return 1;
	return 0;
}

static void set_add(struct set *s, const char *name)
{
	if (!set_has(s, name) && s->n < MAX_NAMES) {
		s->v[s->n] = strdup(name);
		norm(s->v[s->n++]);
	}
}

static void set_del(struct set *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++) {
		if (!strcmp(s->v[i], name)) {
			free(s->v[i]);
			s->v[i] = s->v[--s->n];
			return;
		}
	}
}

static void set_free(struct set *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	s->n = 0;
}

/* MASKDIR/NAME.mask with its parents; -1 if there is no such file */
static int mask_features(const char *dir, const char *name, struct set *s, int depth)
{
	char path[4096], line[1024], parent[256] = "";
	int in_features = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.mask", dir, name);
	f = fopen(path, "r");
	if (!f || depth > 20) {
		if (f)
			fclose(f);
		return -1;
	}
	/* the parent first: read the file twice */
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "inherits: %255s", parent) == 1)
			break;
	if (*parent && mask_features(dir, parent, s, depth + 1)) {
		fclose(f);
		return -1;
	}
	rewind(f);
	while (fgets(line, sizeof(line), f)) {
		char *tok, *p = line;

		if (!strncmp(line, "features:", 9)) {
			in_features = 1;
			p += 9;
		} else if (!(in_features && (line[0] == '\t' || line[0] == ' '))) {
			in_features = 0;
			continue;
		}
		for (tok = strtok(p, " \t\n"); tok; tok = strtok(NULL, " \t\n")) {
			char n[128];

			snprintf(n, sizeof(n), "%s", tok + 1);
			norm(n);
			if (tok[0] == '+')
				set_add(s, n);
			else if (tok[0] == '-')
				set_del(s, n);
		}
	}
	fclose(f);
	return 0;
}

/* "KEY: value" of MASKDIR/NAME.mask into @val; -1 if absent */
static int mask_field(const char *dir, const char *name, const char *key, char *val,
		      size_t size)
{
	char path[4096], line[1024];
	size_t klen = strlen(key);
	FILE *f;
	int ret = -1;

	snprintf(path, sizeof(path), "%s/%s.mask", dir, name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (ret && fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, klen) || line[klen] != ':')
			continue;
		line[strcspn(line, "\n")] = '\0';
		snprintf(val, size, "%s", line + klen + 1 + (line[klen + 1] == ' '));
		ret = 0;
	}
	fclose(f);
	return ret;
}

static int compare_identity(const char *maskdir, const struct qsrc_cpu *c)
{
	char want[5][64], got[5][64];
	static const char *const keys[] = { "vendor", "family", "model", "stepping",
					    "model-id" };
	int diff = 0;

	snprintf(want[0], 64, "%s", c->vendor);
	snprintf(want[1], 64, "%d", c->family);
	snprintf(want[2], 64, "%d", c->model);
	snprintf(want[3], 64, "%d", c->stepping);
	snprintf(want[4], 64, "%s", c->model_id);
	for (int i = 0; i < 5; i++) {
		if (mask_field(maskdir, c->name, keys[i], got[i], sizeof(got[i])))
			snprintf(got[i], sizeof(got[i]), "(none)");
		if (strcmp(want[i], got[i])) {
			printf("%-28s %s: source \"%s\", mask \"%s\"\n", c->name, keys[i],
			       want[i], got[i]);
			diff = 1;
		}
	}
	return diff;
}

/* every alias file of MASKDIR QEMU also defines: its target */
static void compare_aliases(const struct qsrc *q, const char *maskdir)
{
	for (size_t i = 0; i < q->nmodels; i++) {
		const struct qsrc_model *m = &q->models[i];

		for (size_t k = 0; k <= m->nversions; k++) {
			const char *alias = k < m->nversions ? m->versions[k].alias : m->name;
			char got[128], want[128];
			struct qsrc_ref ref;

			if (!alias || qsrc_find(q, alias, &ref))
				continue;
			snprintf(want, sizeof(want), "%s-v%d", m->name, ref.version);
			if (mask_field(maskdir, alias, "inherits", got, sizeof(got)))
				printf("%-28s alias of %s: no mask file\n", alias, want);
			else
				printf("%-28s alias of %s: mask %s%s\n", alias, want, got,
				       strcmp(got, want) ? " DIFFERENT" : "");
		}
	}
}

static int compare(const struct qsrc *q, const char *maskdir, const char *name)
{
	const char *names[MAX_NAMES];
	struct set src = { 0 }, mask = { 0 };
	struct qsrc_ref ref;
	struct qsrc_cpu c;
	size_t n;
	int diff = 0;

	if (qsrc_find(q, name, &ref) || qsrc_resolve(q, ref.model, ref.version, QSRC_EXPAND, &c)) {
		printf("%-28s %s\n", name, err_msg());
		return 1;
	}
	if (mask_features(maskdir, name, &mask, 0)) {
		printf("%-28s no mask file\n", name);
		return 0;
	}
	n = qsrc_cpu_features(q, &c, names, MAX_NAMES);
	for (size_t i = 0; i < n && i < MAX_NAMES; i++)
		set_add(&src, names[i]);
	printf("%-28s source %3zu, mask %3zu:", name, src.n, mask.n);
	for (size_t i = 0; i < src.n; i++)
		if (!set_has(&mask, src.v[i])) {
			printf(" +%s", src.v[i]);
			diff = 1;
		}
	for (size_t i = 0; i < mask.n; i++)
		if (!set_has(&src, mask.v[i])) {
			printf(" -%s", mask.v[i]);
			diff = 1;
		}
	printf("%s\n", diff ? "" : " same");
	compare_identity(maskdir, &c);
	set_free(&src);
	set_free(&mask);
	return 0;
}

static void list(const struct qsrc *q)
{
	size_t nv = 0;

	printf("# %s%s%s, commit %s: %zu models, %u feature words, default version %d\n",
	       q->source, *q->qemu_version ? " QEMU " : "", q->qemu_version,
	       *q->commit ? q->commit : "unknown", q->nmodels, q->nwords, q->default_version);
	for (size_t i = 0; i < q->nassumed; i++)
		printf("# assumed: %s\n", q->assumed[i]);
	for (size_t i = 0; i < q->nmodels; i++) {
		const struct qsrc_model *m = &q->models[i];

		for (size_t k = 0; k < m->nversions; k++) {
			struct qsrc_cpu c;

			nv++;
			if (qsrc_resolve(q, m, m->versions[k].version, QSRC_EXPAND, &c)) {
				printf("%s: %s\n", m->name, err_msg());
				continue;
			}
			printf("%-24s %3zu  %-26s %s %d/%d/%d %s\n", c.name,
			       qsrc_cpu_features(q, &c, NULL, 0),
			       m->versions[k].alias ? m->versions[k].alias : "-",
			       c.vendor, c.family, c.model, c.stepping, c.model_id);
		}
	}
	printf("# %zu versions\n", nv);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "../shared/reference/qemu";
	struct qsrc q;
	int ret = 0;

	if (qsrc_load(dir, &q)) {
		fprintf(stderr, "qsrc_dump: %s\n", err_msg());
		return 2;
	}
	if (argc > 3 && !strcmp(argv[2], "--compare")) {
		if (argc > 4) {
			for (int i = 4; i < argc; i++)
				ret |= compare(&q, argv[3], argv[i]);
		} else {
			for (size_t i = 0; i < q.nmodels; i++)
				for (size_t k = 0; k < q.models[i].nversions; k++) {
					char name[128];

					snprintf(name, sizeof(name), "%s-v%d", q.models[i].name,
						 q.models[i].versions[k].version);
					ret |= compare(&q, argv[3], name);
				}
			compare_aliases(&q, argv[3]);
		}
	} else {
		list(&q);
	}
	qsrc_free(&q);
	return ret;
}
