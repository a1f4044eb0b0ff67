// SPDX-License-Identifier: GPL-2.0-only
/*
 * `cpubench import qemu-source DIR`: QEMU's CPU models from its C source
 * (qemu_source.h) as a struct qemu_import for the mask writer
 * (qemu_import.c), so they come out as `import qemu` writes them.
 *
 * Each version NAME-vN is built as QEMU builds it (qsrc_resolve() with
 * QSRC_EXPAND: hypervisor on, the version props in order,
 * feature_dependencies[]), then with the default properties of the
 * accelerator `import qemu` expands with. That is TCG: -machine none has
 * no other, and its x86_tcg_default_props[] turn vme off for every
 * builtin model (target/i386/tcg/tcg-cpu.c, alike from QEMU 7.2 to 10.0;
 * that file is not read: the table below is its copy). So both importers
 * give a model the same features (tests/test_qemu_crosscheck.c), and a
 * model of the catalog means the same thing whichever made it.
 *
 * Aliases: the bare NAME for default_cpu_version, and every .alias.
 * min-level and min-xlevel are left to the CPUID builder, as `import
 * qemu` does; every other property cpubench cannot represent
 * (avx10-version) and every set bit feature_word_info[] leaves unnamed is
 * listed in the file and counted, never dropped silently.
 */
#include "import/qemu_source_import.h"

#include <stdio.h>
#include <string.h>

#include "catalog/mask.h"
#include "lib/err.h"

/* x86_tcg_default_props[] of target/i386/tcg/tcg-cpu.c (QEMU 7.2 to 10.0) */
static const struct {
	const char *feature;
	bool on;
} tcg_default_props[] = {
	{ "vme", false },
};

static const struct qemu_import_text source_text = {
	.model = "QEMU's CPU model as `cpubench import qemu-source` read it from\n"
		 "# target/i386/cpu.c: its builtin_x86_defs[] definition and the props of\n"
		 "# each version up to this one, then what QEMU does to every model\n"
		 "# (hypervisor on, feature_dependencies[]) and TCG's default vme=off,\n"
		 "# as `import qemu` expands it; min-level and min-xlevel are left to the\n"
		 "# CPUID builder.",
	.alias_how = "target/i386/cpu.c default_cpu_version or\n# .alias",
	.bare = "A bare model name is the version the machine type picks:\n"
		"# default_cpu_version, which -machine none and the pc-i440fx/pc-q35\n"
		"# machine types since QEMU 4.1 use.",
};

static void apply_tcg_defaults(const struct qsrc *q, struct qsrc_cpu *c)
{
	for (size_t i = 0; i < sizeof(tcg_default_props) / sizeof(tcg_default_props[0]); i++) {
		unsigned int w;
		uint64_t mask;

		if (qsrc_feature(q, tcg_default_props[i].feature, &w, &mask))
			continue;	/* a QEMU without the feature: nothing to set */
		if (tcg_default_props[i].on)
			c->features[w] |= mask;
		else
			c->features[w] &= ~mask;
	}
}

/* The first release of @e's name: cpubench's table, else the catalog's. */
static void since(struct qemu_import_model *e)
{
	const char *first = qemu_first_release(e->name);
	struct mask m;

	if (first) {
		snprintf(e->qemu_since, sizeof(e->qemu_since), "%s", first);
		return;
	}
	if (!mask_resolve(e->name, NULL, NULL, &m))
		snprintf(e->qemu_since, sizeof(e->qemu_since), "%s", m.qemu_since);
	err_clear();
}

static int set_provenance(struct qemu_import_model *e, const struct qsrc *q,
			  const struct qsrc_cpu *c, const char *suffix)
{
	char buf[1024];
	int n = qsrc_provenance(q, c, buf, sizeof(buf));

	if (n < 0 || (size_t)n + strlen(suffix) >= sizeof(e->provenance))
		return err_set("%s: the source's name is too long for a mask's provenance (at most %zu characters): use a shorter path",
			       q->source, sizeof(e->provenance) - 1);
	memcpy(e->provenance, buf, (size_t)n);
	strcpy(e->provenance + n, suffix);
	return 0;
}

/* What cpubench cannot represent of @c: unnamed bits, other properties. */
static void add_unrepresented(const struct qsrc *q, const struct qsrc_cpu *c,
			      struct qemu_model *m)
{
	char what[64];

	for (unsigned int w = 0; w < q->nwords; w++) {
		uint64_t bits = qsrc_unnamed_bits(q, c, w);

		for (unsigned int b = 0; b < QSRC_WORD_BITS; b++) {
			if (!(bits >> b & 1))
				continue;
			snprintf(what, sizeof(what), "%s[%u]", q->words[w].enum_name, b);
			qemu_model_add_unmapped(m, what);
		}
	}
	for (size_t i = 0; i < c->nother; i++) {
		const struct qsrc_prop *p = c->other[i];

		if (p->ident == QSRC_ID_MIN_LEVEL || p->ident == QSRC_ID_MIN_XLEVEL)
			continue;
		snprintf(what, sizeof(what), "%s=%s", p->name, p->value);
		qemu_model_add_unmapped(m, what);
	}
}

static int add_version(struct qemu_import *im, const struct qsrc *q,
		       const struct qsrc_model *def, int version)
{
	const char *names[QSRC_MAX_WORDS * QSRC_WORD_BITS];
	struct qemu_import_model *e;
	struct qsrc_cpu c;
	size_t n;

	if (qsrc_resolve(q, def, version, QSRC_EXPAND, &c))
		return -1;
	apply_tcg_defaults(q, &c);
	e = qemu_import_add(im, c.name, NULL);
	if (!e || set_provenance(e, q, &c, ""))
		return -1;
	n = qsrc_cpu_features(q, &c, names, sizeof(names) / sizeof(names[0]));
	for (size_t i = 0; i < n; i++)
		qemu_model_add_feature(&e->m, names[i]);
	add_unrepresented(q, &c, &e->m);
	snprintf(e->m.identity.vendor, sizeof(e->m.identity.vendor), "%s", c.vendor);
	e->m.identity.family = (uint32_t)c.family;
	e->m.identity.model = (uint32_t)c.model;
	e->m.identity.stepping = (uint32_t)c.stepping;
	snprintf(e->m.identity.model_id, sizeof(e->m.identity.model_id), "%s", c.model_id);
	e->m.identity.set = true;
	im->nunmapped += e->m.nunmapped != 0;
	since(e);
	return 0;
}

static int add_alias(struct qemu_import *im, const struct qsrc *q,
		     const struct qsrc_model *def, const char *alias, int version,
		     const char *how)
{
	struct qemu_import_model *e;
	char target[MASK_NAME_MAX + 16];
	struct qsrc_cpu c;

	snprintf(target, sizeof(target), "%s-v%d", def->name, version);
	if (qsrc_resolve(q, def, version, 0, &c))
		return -1;
	e = qemu_import_add(im, alias, target);
	if (!e || set_provenance(e, q, &c, how))
		return -1;
	since(e);
	return 0;
}

int qemu_import_from_source(struct qemu_import *im, const struct qsrc *q,
			    char *source, size_t size)
{
	memset(im, 0, sizeof(*im));
	im->text = &source_text;
	/* the commit when known, so the files do not depend on where the tree is */
	if (*q->commit)
		snprintf(source, size, "QEMU%s%s source, commit %s",
			 *q->qemu_version ? " " : "", q->qemu_version, q->commit);
	else
		snprintf(source, size, "QEMU%s%s source %s",
			 *q->qemu_version ? " " : "", q->qemu_version, q->source);
	im->source = source;
	for (size_t i = 0; i < q->nmodels; i++) {
		const struct qsrc_model *def = &q->models[i];
		int dflt = qsrc_default_version(q, def);

		if (dflt < 0)
			return -1;
		if (dflt == QSRC_VERSION_BASE)
			return err_set("%s: default_cpu_version is CPU_VERSION_LEGACY (QEMU 4.0 and older): a bare model name is then no version a mask can inherit",
				       q->source);
		for (size_t k = 0; k < def->nversions; k++)
			if (add_version(im, q, def, def->versions[k].version))
				return -1;
		if (add_alias(im, q, def, def->name, dflt, ", default_cpu_version"))
			return -1;
		for (size_t k = 0; k < def->nversions; k++) {
			const struct qsrc_version *v = &def->versions[k];

			if (v->alias && add_alias(im, q, def, v->alias, v->version, ", .alias"))
				return -1;
		}
	}
	return 0;
}
