// SPDX-License-Identifier: GPL-2.0-only
/*
 * `cpubench masks` (the model catalog) and `cpubench show MASK` (one
 * model resolved: features with their origin, identity, level, and the
 * CPUID leaves the guest is given).
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/backend.h"
#include "catalog/mask.h"
#include "cli/cmd.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/output.h"
#include "cpu/cpuid_builder.h"
#include "cpu/feature.h"
#include "cpu/msr_feature.h"
#include "cpu/x86_level.h"
#include "lib/err.h"
#include "lib/term.h"
#include "vmm/kvm.h"
#include "lib/textesc.h"

struct cat_opts {
	const char *masks_dir;
	const char *spec;		/* show */
	const char *backend;		/* show host: what "host" means, as for verify */
	const char *device;
	bool json;
};

static int cat_parse(int argc, char **argv, bool want_spec, struct cat_opts *o)
{
	int c, ret;

	memset(o, 0, sizeof(*o));
	o->backend = "kvm";
	o->device = getenv("CPUBENCH_KVM_DEVICE");
	if (!o->device || !*o->device)
		o->device = KVM_DEFAULT_DEVICE;
	optind = 1;
	while ((c = cli_getopt(argc, argv, argv[0])) != -1) {
		switch (c) {
		case 'D': o->masks_dir = optarg; break;
		case 'b': o->backend = optarg; break;
		case 'd': o->device = optarg; break;
		case 'f':
			if (hcmd_format(optarg, &ret))
				return hcmd_usage(argv[0], "unknown format '%s': use table or json", optarg);
			o->json = ret;
			break;
		case CLI_OPT_OUTPUT:
			if ((ret = cli_output_option(argv[0], optarg)))
				return ret;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (want_spec && optind < argc)
		o->spec = argv[optind++];
	if (optind < argc)
		return hcmd_usage(argv[0], "unexpected argument '%s'", argv[optind]);
	if (want_spec && !o->spec)
		return hcmd_usage(argv[0], "%s", "needs a model name, e.g. 'cpubench show "
				  "Haswell-v4' ('cpubench masks' lists them)");
	return 0;
}

static int fail(void)
{
	fprintf(stderr, "cpubench: %s\n", err_msg());
	return err_class();
}

/* json_string() that maps "" to null */
static json_t *jstr(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *identity_json(const struct cpu_identity *id)
{
	if (!id->set)
		return json_null();
	return json_pack("{s:s,s:I,s:I,s:I,s:o}", "vendor", id->vendor,
			 "family", (json_int_t)id->family, "model", (json_int_t)id->model,
			 "stepping", (json_int_t)id->stepping, "model_id", jstr(id->model_id));
}

static json_t *level_json(const featureset_t *fs)
{
	int level = x86_level_of(fs);

	return level ? json_string(x86_level_name(level)) : json_null();
}

/* ------------------------------------------------------------------ masks */

static json_t *masks_json(const struct mask *v, int n)
{
	json_t *arr = json_array();

	for (int i = 0; arr && i < n; i++) {
		const struct mask *m = &v[i];
		json_t *o = json_pack("{s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:I,s:o}",
				      "name", m->name, "description", jstr(m->description),
				      "vendor", m->identity.set ? json_string(m->identity.vendor) : json_null(),
				      "provenance", jstr(m->provenance),
				      "qemu_since", jstr(m->qemu_since),
				      "inherits", jstr(m->inherits),
				      "level", level_json(&m->features),
				      "nfeatures", (json_int_t)featureset_count(&m->features),
				      "identity", identity_json(&m->identity));

		if (!o || json_array_append_new(arr, o)) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr ? json_pack("{s:I,s:o}", "count", (json_int_t)n, "masks", arr) : NULL;
}

/* The SOURCE column's width: a short source of more words ends in "…". */
#define SOURCE_COLS 22

/*
 * "QEMU 7.2.22 (Debian ...), query-..." -> "QEMU 7.2.22"; longer than
 * SOURCE_COLS, whole words and "…": "Proxmox qemu-server…".
 */
static void short_source(const char *prov, char *out, size_t size)
{
	size_t len = strcspn(prov, ",(;");
	bool cut = false;

	while (len && prov[len - 1] == ' ')
		len--;
	if (len > SOURCE_COLS) {
		size_t w = SOURCE_COLS - 1;

		while (w && prov[w] != ' ')
			w--;
		len = w ? w : SOURCE_COLS - 1;
		cut = true;
	}
	if (len + 4 > size)
		len = size - 4;
	snprintf(out, size, "%.*s%s", (int)len, prov, cut ? "\xe2\x80\xa6" : "");
}

/* Names are checked (mask_name_valid()); the rest is a file's text: escaped. */
static void masks_table(const struct mask *v, int n)
{
	FILE *out = out_stream();
	unsigned int width = out_columns(out), col;
	int sw = SOURCE_COLS;
	char desc_note[256];

	/* the description wraps in its column, or under the row when narrow */
	col = 28 + 1 + 9 + 1 + 12 + 1 + 6 + 1 + (unsigned int)sw + 1;
	fprintf(out, "%-28s %-9s %-12s %-6s %-*s %s\n", "MODEL", "LEVEL", "VENDOR", "QEMU",
		sw, "SOURCE", "DESCRIPTION");
	for (int i = 0; i < n; i++) {
		const struct mask *m = &v[i];
		int level = x86_level_of(&m->features);
		char src[32], s_src[64], vendor[16], desc[512];

		short_source(m->provenance, src, sizeof(src));
		text_safe(s_src, sizeof(s_src), src);
		fprintf(out, "%-28s %-9s %-12s %-6s %s%*s ", m->name,
			level ? x86_level_name(level) : "-",
			m->identity.set ? text_safe(vendor, sizeof(vendor), m->identity.vendor) :
			"(host's)", m->qemu_since[0] ? m->qemu_since : "-",
			s_src, sw - (int)term_text_columns(s_src), "");
		term_wrap(out, text_safe(desc, sizeof(desc), m->description), col,
			  width && width < col + 20 ? 4 : col, width);
		fputc('\n', out);
	}
	snprintf(desc_note, sizeof(desc_note), "%d models; QEMU: the first QEMU release "
		 "that defines the name (<=7.2: QEMU 7.2 does, older releases not "
		 "looked at); 'cpubench show MODEL' shows one", n);
	term_wrap(out, desc_note, 0, 2, width);
	fputc('\n', out);
}

int cmd_masks(int argc, char **argv)
{
	struct cat_opts o;
	struct mask *v;
	int n, ret;

	ret = cat_parse(argc, argv, false, &o);
	if (ret)
		return ret;
	n = mask_resolve_all(o.masks_dir, &v);
	if (n < 0)
		return fail();
	ret = 0;
	if (o.json)
		ret = out_json(out_stream(), masks_json(v, n));
	else
		masks_table(v, n);
	free(v);
	return ret ? fail() : EXIT_HOLDS;
}

/* ------------------------------------------------------------------- show */

/* Names of @fs's features plus the msr_features[] bits in @msr. */
static json_t *names_json(const featureset_t *fs, uint32_t msr)
{
	json_t *arr = json_array();

	for (int i = featureset_next(fs, -1); arr && i >= 0; i = featureset_next(fs, i))
		json_array_append_new(arr, json_string(features[i].name));
	for (unsigned int i = 0; arr && i < nmsr_features; i++)
		if (msr >> i & 1)
			json_array_append_new(arr, json_string(msr_features[i].name));
	return arr;
}

static void hex(char *buf, size_t size, uint32_t v)
{
	snprintf(buf, size, "0x%08x", v);
}

static json_t *leaves_json(const struct kvm_cpuid2 *c)
{
	json_t *arr = json_array();

	for (unsigned int i = 0; arr && i < c->nent; i++) {
		const struct kvm_cpuid_entry2 *e = &c->entries[i];
		char l[16], a[16], b[16], cc[16], d[16];

		hex(l, sizeof(l), e->function);
		hex(a, sizeof(a), e->eax);
		hex(b, sizeof(b), e->ebx);
		hex(cc, sizeof(cc), e->ecx);
		hex(d, sizeof(d), e->edx);
		json_array_append_new(arr, json_pack("{s:s,s:I,s:s,s:s,s:s,s:s}",
			"leaf", l, "subleaf", (json_int_t)e->index, "eax", a, "ebx", b,
			"ecx", cc, "edx", d));
	}
	return arr;
}

#define LEAVES_NOTE "the leaves the CPUID builder derives from the model alone; " \
	"a KVM guest also sees this host's values for bits cpubench does not model"
#define MSR_NOTE "feature-MSR bits of the model (IA32_ARCH_CAPABILITIES, " \
	"IA32_CORE_CAPABILITIES): listed, not given to the guest"

static json_t *show_json(const struct mask *m, const struct kvm_cpuid2 *c)
{
	featureset_t none = { { 0 } };

	return json_pack("{s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:s,s:o,s:s}",
		"name", m->name, "spec", m->spec,
		"description", jstr(m->description), "provenance", jstr(m->provenance),
		"qemu_since", jstr(m->qemu_since),
		"inherits", jstr(m->inherits), "identity", identity_json(&m->identity),
		"level", level_json(&m->features),
		"features", names_json(&m->features, m->msr_features),
		"inherited", names_json(&m->inherited, m->msr_inherited & m->msr_features),
		"added", names_json(&m->added, m->msr_features & ~m->msr_inherited),
		"removed", names_json(&m->removed, m->msr_removed),
		"msr_features", names_json(&none, m->msr_features),
		"msr_note", MSR_NOTE,
		"cpuid", leaves_json(c), "cpuid_note", LEAVES_NOTE);
}

/* "LABEL TEXT" with TEXT (a mask file's) escaped, "-" when empty. */
static void put_field(FILE *out, const char *label, const char *text)
{
	fputs(label, out);
	text_put(out, *text ? text : "-");
	fputc('\n', out);
}

static void show_table(const struct mask *m, const struct kvm_cpuid2 *c)
{
	FILE *out = out_stream();
	const struct cpu_identity *id = &m->identity;
	int level = x86_level_of(&m->features);

	put_field(out, "model        ", m->spec);
	put_field(out, "description  ", m->description);
	put_field(out, "provenance   ", m->provenance);
	if (m->qemu_since[0])
		put_field(out, "QEMU since   ", m->qemu_since);
	put_field(out, "inherits     ", m->inherits);
	if (id->set) {
		fputs("identity     ", out);
		text_put(out, id->vendor);
		fprintf(out, " family %u model %u (0x%x) stepping %u \"", id->family,
			id->model, id->model, id->stepping);
		text_put(out, id->model_id);
		fputs("\"\n", out);
	} else
		fprintf(out, "identity     none: the guest keeps the host's vendor and family/model\n");
	fprintf(out, "level        %s\n", level ? x86_level_name(level) : "below x86-64-v1");
	fprintf(out, "\n%u features (+ added here, . inherited):\n", featureset_count(&m->features));
	for (int i = featureset_next(&m->features, -1); i >= 0; i = featureset_next(&m->features, i))
		fprintf(out, "  %c %-22s %s\n", featureset_has(&m->added, i) ? '+' : '.',
		       features[i].name, features[i].desc);
	for (unsigned int i = 0; i < nmsr_features; i++)
		if (m->msr_features >> i & 1)
			fprintf(out, "  %c %-22s %s (MSR 0x%x bit %u; not given to the guest)\n",
			       m->msr_inherited >> i & 1 ? '.' : '+', msr_features[i].name,
			       msr_features[i].desc, msr_features[i].msr, msr_features[i].bit);
	for (int i = featureset_next(&m->removed, -1); i >= 0; i = featureset_next(&m->removed, i))
		fprintf(out, "  - %-22s %s\n", features[i].name, features[i].desc);
	for (unsigned int i = 0; i < nmsr_features; i++)
		if (m->msr_removed >> i & 1)
			fprintf(out, "  - %-22s %s\n", msr_features[i].name, msr_features[i].desc);
	fprintf(out, "\nCPUID (%s):\n", LEAVES_NOTE);
	fprintf(out, "  %-10s %-4s %-10s %-10s %-10s %s\n", "leaf", "sub", "eax", "ebx", "ecx", "edx");
	for (unsigned int i = 0; i < c->nent; i++) {
		const struct kvm_cpuid_entry2 *e = &c->entries[i];

		fprintf(out, "  0x%08x %-4u 0x%08x 0x%08x 0x%08x 0x%08x\n", e->function, e->index,
		       e->eax, e->ebx, e->ecx, e->edx);
	}
}

/* Leaf, then subleaf order, so the listing reads like a CPUID dump. */
static int cmp_entry(const void *a, const void *b)
{
	const struct kvm_cpuid_entry2 *x = a, *y = b;

	if (x->function != y->function)
		return x->function < y->function ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* What "host" means on the backend `verify --mask host` would open. */
static int bind_host(const struct cat_opts *o, struct mask *m)
{
	struct backend b;

	if (!backend_name_valid(o->backend)) {
		err_set("unknown --backend '%s': use kvm, qemu-tcg or qemu-kvm", o->backend);
		err_set_class(EXIT_USAGE);
		return -1;
	}
	if (backend_open(&b, o->backend, o->device))
		return -1;
	mask_bind_host(m, &b.host);
	backend_close(&b);
	return 0;
}

int cmd_show(int argc, char **argv)
{
	struct kvm_cpuid2 empty = { .nent = 0 };
	struct kvm_cpuid2 *c;
	struct cat_opts o;
	struct mask m;
	int ret;

	ret = cat_parse(argc, argv, true, &o);
	if (ret)
		return ret;
	if (mask_resolve(o.spec, o.masks_dir, NULL, &m) ||
	    (m.is_host && bind_host(&o, &m)))
		return fail();
	c = cpuid_build(&empty, &m.features, m.identity.set ? &m.identity : NULL);
	if (!c)
		return fail();
	qsort(c->entries, c->nent, sizeof(c->entries[0]), cmp_entry);
	ret = 0;
	if (o.json)
		ret = out_json(out_stream(), show_json(&m, c));
	else
		show_table(&m, c);
	free(c);
	return ret ? fail() : EXIT_HOLDS;
}
