// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzzes the QEMU-source reader (bench/import/qemu_source.c): the input is
 * QEMU's target/i386/cpu.c, or cpu.h and cpu.c separated by a line "---".
 * A read fails with one line, or gives tables whose every model, version
 * and alias resolves, by name too, to printable identities and feature
 * names; and `import qemu-source` turns them into entries that are mask
 * names with a printable provenance, or fails with one line.
 */
#include "catalog/mask_file.h"
#include "fuzz.h"
#include "import/qemu_source.h"
#include "import/qemu_source_import.h"

static int printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return 0;
	return 1;
}

static void check_cpu(const struct qsrc *q, const struct qsrc_cpu *c)
{
	const char *names[QSRC_MAX_WORDS * QSRC_WORD_BITS];
	size_t n = qsrc_cpu_features(q, c, names, sizeof(names) / sizeof(names[0]));
	char prov[512];

	FUZZ_ASSERT(n <= (size_t)q->nwords * QSRC_WORD_BITS);
	for (size_t i = 0; i < n; i++) {
		FUZZ_ASSERT(*names[i] && printable(names[i]));
		/* a lookup scans every name: a few are enough */
		FUZZ_ASSERT(i >= 4 || qsrc_cpu_has(q, c, names[i]));
	}
	FUZZ_ASSERT(strlen(c->vendor) == QSRC_VENDOR_LEN && printable(c->vendor));
	FUZZ_ASSERT(strlen(c->model_id) <= QSRC_MODEL_ID_MAX && printable(c->model_id));
	FUZZ_ASSERT(c->nother <= QSRC_MAX_OTHER);
	FUZZ_ASSERT(qsrc_provenance(q, c, prov, sizeof(prov)) > 0);
}

static void check(const struct qsrc *q)
{
	FUZZ_ASSERT(q->nmodels > 0 && q->nwords <= QSRC_MAX_WORDS);
	FUZZ_ASSERT(q->hyp_word < q->nwords);
	for (size_t i = 0; i < q->ndeps; i++)
		FUZZ_ASSERT(q->deps[i].from_word < q->nwords && q->deps[i].to_word < q->nwords);
	for (size_t i = 0; i < q->nmodels; i++) {
		const struct qsrc_model *m = &q->models[i];
		struct qsrc_ref ref;
		struct qsrc_cpu c;

		FUZZ_ASSERT(m->nversions > 0 && printable(m->name));
		/* the unversioned name: the default version, if the model has it */
		if (!qsrc_find(q, m->name, &ref))
			FUZZ_ASSERT(ref.model == m && ref.kind == QSRC_NAME_UNVERSIONED);
		else
			FUZZ_ASSERT_ERROR();
		for (size_t k = 0; k < m->nversions; k++) {
			const struct qsrc_version *v = &m->versions[k];
			char name[256];

			snprintf(name, sizeof(name), "%s-v%d", m->name, v->version);
			FUZZ_ASSERT(!qsrc_find(q, name, &ref));
			FUZZ_ASSERT(ref.model == m && ref.version == v->version);
			if (v->alias) {
				FUZZ_ASSERT(!qsrc_find(q, v->alias, &ref));
				FUZZ_ASSERT(ref.model == m && ref.version == v->version);
			}
			for (size_t p = 0; p < v->nprops; p++)
				FUZZ_ASSERT(v->props[p].kind != QSRC_PROP_FEATURE ||
					    v->props[p].word < q->nwords);
			/* more other props than a cpu holds fail with one line */
			if (qsrc_resolve(q, m, v->version, 0, &c)) {
				FUZZ_ASSERT_ERROR();
				continue;
			}
			check_cpu(q, &c);
			FUZZ_ASSERT(!qsrc_resolve(q, m, v->version, QSRC_EXPAND, &c));
			check_cpu(q, &c);
		}
	}
}

/* What import qemu-source makes of @q: mask names, printable provenance. */
static void check_import(const struct qsrc *q)
{
	struct qemu_import im;
	char source[512];

	if (qemu_import_from_source(&im, q, source, sizeof(source))) {
		FUZZ_ASSERT_ERROR();
	} else {
		for (unsigned int i = 0; i < im.n; i++) {
			const struct qemu_import_model *e = &im.v[i];

			FUZZ_ASSERT(printable(e->provenance) && *e->provenance);
			/* names become file names: never a path */
			FUZZ_ASSERT(mask_name_valid(e->name));
			FUZZ_ASSERT(!e->alias_of[0] || mask_name_valid(e->alias_of));
			FUZZ_ASSERT(!e->qemu_since[0] || mask_qemu_since_valid(e->qemu_since));
			FUZZ_ASSERT(e->m.nunmapped <= QSRC_MAX_WORDS * QSRC_WORD_BITS + QSRC_MAX_OTHER);
		}
	}
	qemu_import_free(&im);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *sep = memmem(data, size, "\n---\n", 5);
	struct qsrc_input in[2];
	size_t n = 0;
	struct qsrc q;

	if (sep) {
		in[n++] = (struct qsrc_input){ "cpu.h", (const char *)data,
					       (size_t)(sep - (const char *)data) + 1 };
		in[n++] = (struct qsrc_input){ "cpu.c", sep + 5,
					       size - (size_t)(sep + 5 - (const char *)data) };
	} else {
		in[n++] = (struct qsrc_input){ "cpu.c", (const char *)data, size };
	}
	err_clear();
	if (qsrc_parse(in, n, &q)) {
		FUZZ_ASSERT_ERROR();
		FUZZ_ASSERT(!q.models && !q.arena);
		return 0;
	}
	check(&q);
	check_import(&q);
	qsrc_free(&q);
	return 0;
}
