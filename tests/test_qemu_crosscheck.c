// SPDX-License-Identifier: GPL-2.0-only
/*
 * The two QEMU importers against each other: every model, version and
 * alias that both the installed QEMU 7.2 (QMP, `import qemu`) and QEMU's
 * source in the reference tree (`import qemu-source`, tests/qemu_ref.h)
 * define must come out the same: features, feature-MSR bits, identity,
 * alias target. Each difference must be listed, with its reason, in
 * tests/data/qemu-source-differences.txt; an unlisted difference fails,
 * and so does a listed one that is gone.
 *
 * The comparison skips only where QEMU is not installed or the
 * reference tree is absent (a clone without ../shared), saying which.
 * The checker itself is held to its contract on made-up imports, which
 * need neither.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cpu/feature.h"
#include "cpu/msr_feature.h"
#include "import/qemu.h"
#include "import/qemu_source_import.h"
#include "lib/err.h"
#include "qemu_ref.h"

#define DIFFS_FILE	"tests/data/qemu-source-differences.txt"
#define MAX_TOKENS	64

/* One model's differences: "+feat", "-feat", "=identity", ... */
struct diff {
	char name[MASK_NAME_MAX];
	unsigned int n;
	char tok[MAX_TOKENS][56];
};

/* The line after @line, or NULL. */
static const char *next_line(const char *line)
{
	const char *nl = strchr(line, '\n');

	return nl && nl[1] ? nl + 1 : NULL;
}

static void diff_add(struct diff *d, const char *fmt, const char *what)
{
	if (d->n < MAX_TOKENS)
		snprintf(d->tok[d->n++], sizeof(d->tok[0]), fmt, what);
}

static bool identity_equal(const struct cpu_identity *a, const struct cpu_identity *b)
{
	return a->set == b->set && !strcmp(a->vendor, b->vendor) && a->family == b->family &&
	       a->model == b->model && a->stepping == b->stepping &&
	       !strcmp(a->model_id, b->model_id);
}

/* How source entry @s differs from QEMU 7.2's @q (same name). */
static void entry_diff(const struct qemu_import_model *s, const struct qemu_import_model *q,
		       struct diff *d)
{
	featureset_t only_src, only_qmp;

	if (strcmp(s->alias_of, q->alias_of)) {
		diff_add(d, "%s", "=alias");
		return;
	}
	if (s->alias_of[0])
		return;
	featureset_diff(&only_src, &s->m.features, &q->m.features);
	featureset_diff(&only_qmp, &q->m.features, &s->m.features);
	for (int f = featureset_next(&only_src, -1); f >= 0; f = featureset_next(&only_src, f))
		diff_add(d, "+%s", features[f].name);
	for (int f = featureset_next(&only_qmp, -1); f >= 0; f = featureset_next(&only_qmp, f))
		diff_add(d, "-%s", features[f].name);
	for (unsigned int i = 0; i < nmsr_features; i++) {
		bool a = s->m.msr_features >> i & 1, b = q->m.msr_features >> i & 1;

		if (a != b)
			diff_add(d, a ? "+%s" : "-%s", msr_features[i].name);
	}
	for (unsigned int i = 0; i < s->m.nunmapped && i < QEMU_UNMAPPED_MAX; i++)
		diff_add(d, "+%s", s->m.unmapped[i]);
	for (unsigned int i = 0; i < q->m.nunmapped && i < QEMU_UNMAPPED_MAX; i++)
		diff_add(d, "-%s", q->m.unmapped[i]);
	if (!identity_equal(&s->m.identity, &q->m.identity))
		diff_add(d, "%s", "=identity");
}

static const struct qemu_import_model *find(const struct qemu_import *im, const char *name)
{
	for (unsigned int i = 0; i < im->n; i++)
		if (!strcmp(im->v[i].name, name))
			return &im->v[i];
	return NULL;
}

/* The listed difference of @name, parsed from @text; false if none. */
static bool listed(const char *text, const char *name, struct diff *d)
{
	size_t len = strlen(name);

	memset(d, 0, sizeof(*d));
	snprintf(d->name, sizeof(d->name), "%s", name);
	for (const char *line = text; line && *line; line = next_line(line)) {
		char buf[1024], *hash, *tok, *save;
		size_t n = strcspn(line, "\n");

		if (n >= sizeof(buf) || strncmp(line, name, len) || line[len] != ':')
			continue;
		memcpy(buf, line + len + 1, n - len - 1);
		buf[n - len - 1] = '\0';
		if ((hash = strchr(buf, '#')))
			*hash = '\0';
		for (tok = strtok_r(buf, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save))
			diff_add(d, "%s", tok);
		return true;
	}
	return false;
}

static bool same_tokens(const struct diff *a, const struct diff *b)
{
	if (a->n != b->n)
		return false;
	for (unsigned int i = 0; i < a->n; i++) {
		unsigned int k;

		for (k = 0; k < b->n && strcmp(a->tok[i], b->tok[k]); k++)
			;
		if (k == b->n)
			return false;
	}
	return true;
}

static void print_diff(const char *what, const struct diff *d)
{
	print_message("%s %s:", what, d->name);
	for (unsigned int i = 0; i < d->n; i++)
		print_message(" %s", d->tok[i]);
	print_message("\n");
}

/*
 * Compares @src with @qmp under the list @text: returns the number of
 * unlisted or stale differences (each printed); *@compared counts the
 * names both define.
 */
static unsigned int crosscheck(const struct qemu_import *src, const struct qemu_import *qmp,
			       const char *text, unsigned int *compared)
{
	unsigned int bad = 0;

	*compared = 0;
	for (unsigned int i = 0; i < qmp->n; i++) {
		const struct qemu_import_model *q = &qmp->v[i], *s = find(src, q->name);
		struct diff now = { .n = 0 }, doc;
		bool is_listed = listed(text, q->name, &doc);

		snprintf(now.name, sizeof(now.name), "%s", q->name);
		if (s) {
			entry_diff(s, q, &now);
			(*compared)++;
		} else {
			diff_add(&now, "%s", "=missing");
		}
		if (!same_tokens(&now, &doc) || (is_listed && !now.n)) {
			print_diff(now.n ? "unlisted or changed difference" :
				   "listed difference that is gone", now.n ? &now : &doc);
			bad++;
		}
	}
	/* a listed name neither QEMU defines is stale too */
	for (const char *line = text; line && *line; line = next_line(line)) {
		char name[MASK_NAME_MAX];
		size_t n = strcspn(line, ":\n");

		if (*line == '#' || *line == '\n' || line[n] != ':' || n >= sizeof(name))
			continue;
		memcpy(name, line, n);
		name[n] = '\0';
		if (!find(qmp, name)) {
			print_message("listed name QEMU 7.2 does not define: %s\n", name);
			bad++;
		}
	}
	return bad;
}

static char *read_text(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text = calloc(1, 1 << 16);
	size_t n;

	assert_non_null(f);
	assert_non_null(text);
	n = fread(text, 1, (1 << 16) - 1, f);
	text[n] = '\0';
	fclose(f);
	return text;
}

/* ------------------------------------------------------ the real thing */

static void test_importers_agree(void **state)
{
	struct qemu_import src, qmp;
	struct qemu_catalog qc;
	unsigned int compared, bad;
	char why[512], source[512];
	struct qsrc q;
	char *text;
	int r;

	(void)state;
	r = qemu_ref_load(&q, why, sizeof(why));
	if (r > 0) {
		print_message("skipped: %s\n", why);
		skip();
	}
	if (r < 0)
		fail_msg("%s", why);
	if (qemu_catalog_open(&qc, NULL)) {
		qsrc_free(&q);
		if (err_class() == EXIT_ENV && strstr(err_msg(), "cannot run")) {
			print_message("skipped: %s\n", err_msg());
			skip();
		}
		fail_msg("%s", err_msg());
	}
	if (qemu_import_from_source(&src, &q, source, sizeof(source)))
		fail_msg("import qemu-source: %s", err_msg());
	if (qemu_import_read(&qmp, &qc, NULL))
		fail_msg("import qemu: %s", err_msg());
	qemu_catalog_close(&qc);
	text = read_text(DIFFS_FILE);
	bad = crosscheck(&src, &qmp, text, &compared);
	print_message("%u names compared between %s and %s\n", compared, qmp.source, src.source);
	assert_true(compared >= 120);	/* QEMU 7.2 defines 129 */
	assert_int_equal(bad, 0);
	free(text);
	qemu_import_free(&src);
	qemu_import_free(&qmp);
	qsrc_free(&q);
}

/* ------------------------------------------- the checker, on made-up data */

static void add_model(struct qemu_import *im, const char *name, const char *alias_of,
		      const char *const *feats)
{
	struct qemu_import_model *e = qemu_import_add(im, name, alias_of);

	assert_non_null(e);
	for (; feats && *feats; feats++)
		qemu_model_add_feature(&e->m, *feats);
	snprintf(e->m.identity.vendor, sizeof(e->m.identity.vendor), "GenuineIntel");
	e->m.identity.family = 6;
	e->m.identity.set = !alias_of;
}

static void test_checker_fails_when_it_should(void **state)
{
	static const char *const base[] = { "sse2", "avx", "avx2", "mds-no", NULL };
	static const char *const changed[] = { "sse2", "avx", "avx512f", NULL };
	struct qemu_import src = { 0 }, qmp = { 0 };
	unsigned int compared;

	(void)state;
	add_model(&qmp, "M-v1", NULL, base);
	add_model(&qmp, "M", "M-v1", NULL);
	add_model(&qmp, "Gone-v1", NULL, base);
	add_model(&src, "M-v1", NULL, changed);
	add_model(&src, "M", "M-v2", NULL);
	add_model(&src, "M-v2", NULL, base);
	add_model(&src, "New-v1", NULL, base);	/* only in the source: not compared */

	/* nothing listed: three names differ */
	assert_int_equal(crosscheck(&src, &qmp, "# none\n", &compared), 3);
	assert_int_equal(compared, 2);
	/* all listed, in any order */
	assert_int_equal(crosscheck(&src, &qmp,
				    "M-v1: -mds-no +avx512f -avx2  # made up\n"
				    "M: =alias\nGone-v1: =missing\n", &compared), 0);
	/* a listed token that is not a difference, one that is missing */
	assert_int_equal(crosscheck(&src, &qmp,
				    "M-v1: -mds-no +avx512f -avx2 -sse2\n"
				    "M: =alias\nGone-v1:\n", &compared), 2);
	/* stale: a listed model that agrees, a listed name 7.2 lacks */
	qemu_import_free(&src);
	add_model(&src, "M-v1", NULL, base);
	add_model(&src, "M", "M-v1", NULL);
	add_model(&src, "Gone-v1", NULL, base);
	assert_int_equal(crosscheck(&src, &qmp, "", &compared), 0);
	assert_int_equal(compared, 3);
	assert_int_equal(crosscheck(&src, &qmp, "M-v1: +avx512f\nNever-v9: +sse\n",
				    &compared), 2);
	/* identity differs */
	snprintf(src.v[0].m.identity.model_id, sizeof(src.v[0].m.identity.model_id), "X");
	assert_int_equal(crosscheck(&src, &qmp, "", &compared), 1);
	assert_int_equal(crosscheck(&src, &qmp, "M-v1: =identity\n", &compared), 0);
	qemu_import_free(&src);
	qemu_import_free(&qmp);
}

/* The list parses: every line is NAME: tokens, every token well formed. */
static void test_list_well_formed(void **state)
{
	char *text = read_text(DIFFS_FILE);
	unsigned int lines = 0;

	(void)state;
	for (const char *line = text; line && *line; line = next_line(line)) {
		size_t n = strcspn(line, "\n");
		char name[MASK_NAME_MAX];
		struct diff d;

		if (*line == '#' || !n)
			continue;
		lines++;
		assert_true(strcspn(line, ":\n") < n && strcspn(line, ":") < sizeof(name));
		memcpy(name, line, strcspn(line, ":"));
		name[strcspn(line, ":")] = '\0';
		assert_true(listed(text, name, &d));
		for (unsigned int i = 0; i < d.n; i++)
			if (d.tok[i][0] == '+' || d.tok[i][0] == '-')
				assert_true(feature_lookup(d.tok[i] + 1) >= 0 ||
					    msr_feature_lookup(d.tok[i] + 1) >= 0 ||
					    strchr(d.tok[i], '='));
			else
				assert_true(!strcmp(d.tok[i], "=identity") ||
					    !strcmp(d.tok[i], "=alias") ||
					    !strcmp(d.tok[i], "=missing"));
		assert_non_null(memchr(line, '#', n));	/* every entry says why */
	}
	print_message("%u listed differences\n", lines);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checker_fails_when_it_should),
		cmocka_unit_test(test_list_well_formed),
		cmocka_unit_test(test_importers_agree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
