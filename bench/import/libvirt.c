// SPDX-License-Identifier: GPL-2.0-only
/*
 * `cpubench import libvirt`: one mask file per x86 model of a libvirt
 * cpu_map directory, named libvirt-MODEL so that it never shadows QEMU's
 * model of the same name. libvirt's map sets no guest identity (QEMU's
 * -cpu model does), so the files keep the host's; vendor and signatures
 * are kept as comments.
 */
#include "import/libvirt.h"

#include <dirent.h>
#include <errno.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cpu/feature.h"
#include "cpu/msr_feature.h"
#include "import/mask_out.h"
#include "import/names.h"
#include "lib/err.h"
#include "lib/file_read.h"
#include "lib/textesc.h"

/* libvirt feature name -> cpubench feature (index) or MSR bit (msr >= 0). */
struct lv_feature {
	char name[48];
	int feature;		/* -1 if none */
	int msr;		/* -1 if none */
};

struct lv_map {
	struct lv_feature *v;
	unsigned int n;
	char vendors[4][2][16];	/* libvirt name, CPUID string */
	unsigned int nvendors;
};

static char *attr(xmlNode *n, const char *name)
{
	return (char *)xmlGetProp(n, (const xmlChar *)name);
}

static bool is(xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

static unsigned long attr_num(xmlNode *n, const char *name)
{
	char *s = attr(n, name);
	unsigned long v = s ? strtoul(s, NULL, 0) : 0;

	xmlFree(s);
	return v;
}

/* The cpubench row with @leaf/@subleaf and a one-bit mask in @reg. */
static int feature_by_bit(uint32_t leaf, uint32_t subleaf, enum cpuid_reg reg,
			  unsigned long mask)
{
	if (!mask || (mask & (mask - 1)))
		return -1;
	for (unsigned int i = 0; i < nfeatures; i++) {
		const struct feature *f = &features[i];

		if (f->leaf == leaf && f->subleaf == subleaf && f->reg == reg &&
		    1ul << f->bit == mask)
			return (int)i;
	}
	return -1;
}

static int msr_by_bit(uint32_t msr, unsigned long mask)
{
	for (unsigned int i = 0; i < nmsr_features; i++)
		if (msr_features[i].msr == msr && 1ul << msr_features[i].bit == mask)
			return (int)i;
	return -1;
}

static void map_feature(struct lv_feature *lf, xmlNode *def)
{
	static const char *const regs[] = { "eax", "ebx", "ecx", "edx" };

	lf->feature = lf->msr = -1;
	for (xmlNode *c = def->children; c; c = c->next) {
		if (is(c, "cpuid")) {
			for (int r = 0; r < 4; r++) {
				unsigned long m = attr_num(c, regs[r]);

				if (m)
					lf->feature = feature_by_bit(attr_num(c, "eax_in"),
								     attr_num(c, "ecx_in"),
								     (enum cpuid_reg)r, m);
			}
		} else if (is(c, "msr")) {
			lf->msr = msr_by_bit(attr_num(c, "index"), attr_num(c, "eax"));
		}
	}
}

/* cpu_map files are a few hundred KiB; a larger one is not a cpu_map. */
#define LIBVIRT_XML_MAX (8u << 20)

/*
 * Reads through file_read_text() (regular files only, size-capped: a FIFO
 * named like a cpu_map file must not block), then parses from memory.
 */
static xmlNode *read_root(const char *dir, const char *file, xmlDoc **doc)
{
	char path[4096], *text;
	size_t len;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	*doc = NULL;
	if (file_read_text(path, LIBVIRT_XML_MAX, "a libvirt cpu_map file", &text, &len))
		return NULL;
	*doc = xmlReadMemory(text, (int)len, path, NULL,
			     XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	free(text);
	if (!*doc) {
		err_set("%s: not readable XML (is it a libvirt cpu_map directory?)", path);
		return NULL;
	}
	return xmlDocGetRootElement(*doc);
}

static int map_load(struct lv_map *map, const char *dir)
{
	xmlDoc *doc;
	xmlNode *root = read_root(dir, "x86_features.xml", &doc);
	unsigned int cap = 0;

	if (!root)
		return -1;
	for (xmlNode *c = root->children; c; c = c->next) {
		char *name;

		if (!is(c, "feature") || !(name = attr(c, "name")))
			continue;
		if (map->n == cap) {
			struct lv_feature *v = realloc(map->v, (cap = cap ? cap * 2 : 256) * sizeof(*v));

			if (!v) {
				xmlFree(name);
				xmlFreeDoc(doc);
				return err_set("out of memory");
			}
			map->v = v;
		}
		snprintf(map->v[map->n].name, sizeof(map->v[0].name), "%s", name);
		xmlFree(name);
		map_feature(&map->v[map->n++], c);
	}
	xmlFreeDoc(doc);
	root = read_root(dir, "x86_vendors.xml", &doc);
	if (!root)
		return -1;
	for (xmlNode *c = root->children; c && map->nvendors < 4; c = c->next) {
		char *n = is(c, "vendor") ? attr(c, "name") : NULL, *s = n ? attr(c, "string") : NULL;

		if (n && s) {
			snprintf(map->vendors[map->nvendors][0], 16, "%s", n);
			snprintf(map->vendors[map->nvendors++][1], 16, "%s", s);
		}
		xmlFree(n);
		xmlFree(s);
	}
	xmlFreeDoc(doc);
	return 0;
}

static void model_feature(const struct lv_map *map, struct libvirt_model *m, const char *name)
{
	for (unsigned int i = 0; i < map->n; i++) {
		if (strcmp(map->v[i].name, name))
			continue;
		if (map->v[i].feature >= 0) {
			featureset_add(&m->features, map->v[i].feature);
			return;
		}
		if (map->v[i].msr >= 0) {
			m->msr_features |= 1u << map->v[i].msr;
			return;
		}
		break;
	}
	if (m->nunmapped < LIBVIRT_UNMAPPED_MAX)
		snprintf(m->unmapped[m->nunmapped], sizeof(m->unmapped[0]), "%s", name);
	m->nunmapped++;
}

/* One child of <model>; @path names the file in messages. */
static int model_child(const struct lv_map *map, struct libvirt_model *m, xmlNode *c,
		       const char *path)
{
	char *name = attr(c, "name");
	size_t len = strlen(m->signatures);
	int ret = 0;

	if (is(c, "feature") && name) {
		model_feature(map, m, name);
	} else if (is(c, "model") && name) {
		ret = import_name_check(path, name, strlen(LIBVIRT_PREFIX));
		if (!ret)
			snprintf(m->parent, sizeof(m->parent), "%s", name);
	} else if (is(c, "vendor") && name) {
		for (unsigned int i = 0; i < map->nvendors; i++)
			if (!strcmp(map->vendors[i][0], name))
				snprintf(m->vendor, sizeof(m->vendor), "%.12s", map->vendors[i][1]);
	} else if (is(c, "signature") && len + 16 < sizeof(m->signatures)) {
		snprintf(m->signatures + len, sizeof(m->signatures) - len, "%s%lu/%lu",
			 len ? " " : "", attr_num(c, "family"), attr_num(c, "model"));
	}
	xmlFree(name);
	return ret;
}

static int model_load(const struct lv_map *map, const char *dir, const char *file,
		      struct libvirt_model *m)
{
	xmlDoc *doc;
	xmlNode *root = read_root(dir, file, &doc);
	char *name = NULL, path[4096];
	int ret = 0;

	if (!root)
		return -1;
	memset(m, 0, sizeof(*m));
	snprintf(m->file, sizeof(m->file), "%s", file);
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	for (xmlNode *c = root->children; c; c = c->next) {
		if (!is(c, "model") || !(name = attr(c, "name")))
			continue;
		/* checked before it is kept: never cut, never a path */
		ret = import_name_check(path, name, strlen(LIBVIRT_PREFIX));
		if (!ret)
			snprintf(m->name, sizeof(m->name), "%s", name);
		xmlFree(name);
		for (xmlNode *k = c->children; !ret && k; k = k->next)
			ret = model_child(map, m, k, path);
		break;
	}
	xmlFreeDoc(doc);
	if (!ret && !m->name[0])
		return err_set("%s: no <model name=...> element", path);
	return ret;
}

static bool is_model_file(const char *f)
{
	size_t len = strlen(f);

	return !strncmp(f, "x86_", 4) && len > 8 && !strcmp(f + len - 4, ".xml") &&
	       strcmp(f, "x86_features.xml") && strcmp(f, "x86_vendors.xml");
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(((const struct libvirt_model *)a)->name,
		      ((const struct libvirt_model *)b)->name);
}

int libvirt_read_models(const char *dir, struct libvirt_model **out)
{
	struct lv_map map = { 0 };
	struct libvirt_model *v = NULL;
	unsigned int n = 0, cap = 0;
	struct dirent *de;
	DIR *d;
	int ret = 0;

	*out = NULL;
	if (map_load(&map, dir)) {
		free(map.v);
		return -1;
	}
	d = opendir(dir);
	if (!d) {
		free(map.v);
		return err_set_errno(errno, "cannot read libvirt cpu_map directory '%s'", dir);
	}
	while (!ret && (de = readdir(d))) {
		if (!is_model_file(de->d_name))
			continue;
		if (n == cap) {
			struct libvirt_model *nv = realloc(v, (cap = cap ? cap * 2 : 64) * sizeof(*v));

			if (!nv) {
				ret = err_set("out of memory");
				break;
			}
			v = nv;
		}
		ret = model_load(&map, dir, de->d_name, &v[n]);
		n += !ret;
	}
	closedir(d);
	free(map.v);
	if (ret) {
		free(v);
		return -1;
	}
	if (v)
		qsort(v, n, sizeof(*v), cmp_name);
	*out = v;
	return (int)n;
}

/* ---------------------------------------------------------------- writing */

struct render {
	const struct libvirt_model *m;
	const char *dir;
};

/* Outside text (XML attributes, the directory) through text_safe(). */
static void write_mask(FILE *f, const void *ctx)
{
	const struct render *r = ctx;
	const struct libvirt_model *m = r->m;
	char dir[1024], vendor[16], unmapped[64];
	size_t col = 0;

	text_safe(dir, sizeof(dir), r->dir);
	fprintf(f, "# " LIBVIRT_PREFIX "%s: libvirt's CPU model %s, as `cpubench import libvirt`\n"
		"# read it from %s/%s. libvirt's map sets no guest identity: the guest\n"
		"# keeps the host's. vendor %s; signatures (family/model) %s.\n",
		m->name, m->name, dir, m->file,
		m->vendor[0] ? text_safe(vendor, sizeof(vendor), m->vendor) : "none",
		m->signatures[0] ? m->signatures : "none");
	if (m->nunmapped) {
		fputs("# libvirt features cpubench cannot represent:", f);
		for (unsigned int i = 0; i < m->nunmapped && i < LIBVIRT_UNMAPPED_MAX; i++)
			fprintf(f, " %s", text_safe(unmapped, sizeof(unmapped), m->unmapped[i]));
		fputc('\n', f);
	}
	fprintf(f, "\nname: " LIBVIRT_PREFIX "%s\ndescription: libvirt model %s\n",
		m->name, m->name);
	fprintf(f, "provenance: libvirt cpu_map %s/%s\n", dir, m->file);
	if (m->parent[0])
		fprintf(f, "inherits: " LIBVIRT_PREFIX "%s\n", m->parent);
	for (int i = featureset_next(&m->features, -1); i >= 0; i = featureset_next(&m->features, i)) {
		const char *sep = col ? " " : "\nfeatures: ";

		if (col > 64) {
			sep = "\n\t";
			col = 0;
		}
		col += (size_t)fprintf(f, "%s+%s", sep, features[i].name);
	}
	for (unsigned int i = 0; i < nmsr_features; i++)
		if (m->msr_features >> i & 1)
			fprintf(f, "%s+%s", col++ ? " " : "\nfeatures: ", msr_features[i].name);
	fputc('\n', f);
}

/* The masks' names with their prefix: room for it, so nothing is cut. */
struct prefixed {
	char name[sizeof(LIBVIRT_PREFIX) + MASK_NAME_MAX];
	char parent[sizeof(LIBVIRT_PREFIX) + MASK_NAME_MAX];
};

int libvirt_write_masks(const struct libvirt_model *v, int n, const char *dir,
			const char *out_dir)
{
	struct import_name *names = calloc(n > 0 ? (size_t)n : 1, sizeof(*names));
	struct prefixed *p = calloc(n > 0 ? (size_t)n : 1, sizeof(*p));
	int ret = 0;

	if (!names || !p) {
		free(names);
		free(p);
		return err_set("out of memory");
	}
	for (int i = 0; i < n; i++) {
		snprintf(p[i].name, sizeof(p[i].name), LIBVIRT_PREFIX "%s", v[i].name);
		snprintf(p[i].parent, sizeof(p[i].parent), LIBVIRT_PREFIX "%s", v[i].parent);
		names[i] = (struct import_name){ p[i].name, v[i].parent[0] ? p[i].parent : NULL,
						 v[i].file };
	}
	/* every name, collision, loop and parent checked before a file is written */
	ret = import_names_check(names, (unsigned int)(n > 0 ? n : 0));
	for (int i = 0; !ret && i < n; i++) {
		struct render r = { &v[i], dir };

		ret = mask_out_write(out_dir, p[i].name, write_mask, &r);
	}
	free(names);
	free(p);
	return ret;
}
