// SPDX-License-Identifier: GPL-2.0-only
/*
 * emit --as proxmox: the VM's "cpu:" line in Proxmox VE's own names.
 *
 * From qemu-server PVE/QemuServer/CPUConfig.pm:
 *  - a VM's cpu: is a model of $cpu_vendor_list (QEMU models, passed to
 *    QEMU with vendor= forced to the listed vendor; 'default' keeps the
 *    host's) or of $builtin_models (x86-64-v2, x86-64-v2-AES, x86-64-v3,
 *    x86-64-v4: qemu64 plus fixed flags), or custom-NAME;
 *  - its flags=+FLAG;-FLAG may name only @supported_cpu_flags
 *    (validate_vm_cpu_conf, "for security reasons");
 *  - a custom model is a section of /etc/pve/virtual-guest/cpu-models.conf,
 *    "cpu-model: NAME" then indented "flags +F;-F" (any QEMU flag) and
 *    "reported-model M" (a $cpu_vendor_list model, QEMU's base);
 *  - get_pve_cpu_flags adds +lahf_lm and +sep to kvm64, +sep to kvm32 and
 *    -rdtscp to the Opterons.
 * So: the built-in or listed model whose delta the VM may set itself, with
 * the fewest flags; else a custom model on the listed model with the
 * fewest flags. Proxmox runs QEMU with KVM: emit.h's KVM bits apply.
 */
#include <ctype.h>
#include <string.h>

#include "cpu/feature.h"
#include "emit/emit.h"
#include "lib/err.h"

static const struct {
	const char *name, *flags;
} builtin_models[] = {
	{ "x86-64-v2", "+popcnt;+pni;+sse4.1;+sse4.2;+ssse3" },
	{ "x86-64-v2-AES", "+aes;+popcnt;+pni;+sse4.1;+sse4.2;+ssse3" },
	{ "x86-64-v3", "+aes;+popcnt;+pni;+sse4.1;+sse4.2;+ssse3;+avx;+avx2;+bmi1;+bmi2;+f16c;+fma;+abm;+movbe;+xsave" },
	{ "x86-64-v4", "+aes;+popcnt;+pni;+sse4.1;+sse4.2;+ssse3;+avx;+avx2;+bmi1;+bmi2;+f16c;+fma;+abm;+movbe;+xsave;+avx512f;+avx512bw;+avx512cd;+avx512dq;+avx512vl" },
};

#define INTEL	"GenuineIntel"
#define AMD	"AuthenticAMD"
#define HOSTS	""		/* 'default': the host's vendor */

/* $cpu_vendor_list without host and max; a name the catalog lacks is skipped. */
static const struct {
	const char *name, *vendor;
} listed_models[] = {
	{ "486", INTEL }, { "pentium", INTEL }, { "pentium2", INTEL },
	{ "pentium3", INTEL }, { "coreduo", INTEL }, { "core2duo", INTEL },
	{ "Conroe", INTEL }, { "Penryn", INTEL }, { "Nehalem", INTEL },
	{ "Nehalem-IBRS", INTEL }, { "Westmere", INTEL }, { "Westmere-IBRS", INTEL },
	{ "SandyBridge", INTEL }, { "SandyBridge-IBRS", INTEL },
	{ "IvyBridge", INTEL }, { "IvyBridge-IBRS", INTEL }, { "Haswell", INTEL },
	{ "Haswell-IBRS", INTEL }, { "Haswell-noTSX", INTEL },
	{ "Haswell-noTSX-IBRS", INTEL }, { "Broadwell", INTEL },
	{ "Broadwell-IBRS", INTEL }, { "Broadwell-noTSX", INTEL },
	{ "Broadwell-noTSX-IBRS", INTEL }, { "Skylake-Client", INTEL },
	{ "Skylake-Client-IBRS", INTEL }, { "Skylake-Client-noTSX-IBRS", INTEL },
	{ "Skylake-Client-v4", INTEL }, { "Skylake-Server", INTEL },
	{ "Skylake-Server-IBRS", INTEL }, { "Skylake-Server-noTSX-IBRS", INTEL },
	{ "Skylake-Server-v4", INTEL }, { "Skylake-Server-v5", INTEL },
	{ "Cascadelake-Server", INTEL }, { "Cascadelake-Server-v2", INTEL },
	{ "Cascadelake-Server-noTSX", INTEL }, { "Cascadelake-Server-v4", INTEL },
	{ "Cascadelake-Server-v5", INTEL }, { "Cooperlake", INTEL },
	{ "Cooperlake-v2", INTEL }, { "KnightsMill", INTEL },
	{ "Icelake-Server", INTEL }, { "Icelake-Server-noTSX", INTEL },
	{ "Icelake-Server-v3", INTEL }, { "Icelake-Server-v4", INTEL },
	{ "Icelake-Server-v5", INTEL }, { "Icelake-Server-v6", INTEL },
	{ "SapphireRapids", INTEL }, { "SapphireRapids-v2", INTEL },
	{ "GraniteRapids", INTEL },
	{ "athlon", AMD }, { "phenom", AMD }, { "Opteron_G1", AMD },
	{ "Opteron_G2", AMD }, { "Opteron_G3", AMD }, { "Opteron_G4", AMD },
	{ "Opteron_G5", AMD }, { "EPYC", AMD }, { "EPYC-IBPB", AMD },
	{ "EPYC-v3", AMD }, { "EPYC-v4", AMD }, { "EPYC-Rome", AMD },
	{ "EPYC-Rome-v2", AMD }, { "EPYC-Rome-v3", AMD }, { "EPYC-Rome-v4", AMD },
	{ "EPYC-Milan", AMD }, { "EPYC-Milan-v2", AMD }, { "EPYC-Genoa", AMD },
	{ "kvm32", HOSTS }, { "kvm64", HOSTS }, { "qemu32", HOSTS }, { "qemu64", HOSTS },
};

static const char *const vm_flags[] = {
	"pcid", "spec-ctrl", "ibpb", "ssbd", "virt-ssbd", "amd-ssbd",
	"amd-no-ssb", "pdpe1gb", "md-clear", "hv-tlbflush", "hv-evmcs", "aes",
};

struct pve_choice {
	const char *name;	/* the VM's model, or the custom model's reported-model */
	struct emit_cpu add, del;
	unsigned int cost;
	bool found;
};

/* Whether a VM's own flags= may make these changes (no feature-MSR bit is one of them). */
static bool vm_may_set(const struct emit_cpu *add, const struct emit_cpu *del)
{
	featureset_t both;

	if (add->msr || del->msr)
		return false;
	featureset_union(&both, &add->features, &del->features);
	for (int i = featureset_next(&both, -1); i >= 0; i = featureset_next(&both, i)) {
		size_t k = 0;

		while (k < sizeof(vm_flags) / sizeof(vm_flags[0]) && strcmp(features[i].name, vm_flags[k]))
			k++;
		if (k == sizeof(vm_flags) / sizeof(vm_flags[0]))
			return false;
	}
	return true;
}

/* "+a;-b" onto @fs; the names are this file's and the catalog's. */
static void apply_flags(featureset_t *fs, const char *flags)
{
	char buf[512], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", flags);
	for (char *t = strtok_r(buf, ";", &save); t; t = strtok_r(NULL, ";", &save)) {
		int f = feature_lookup(t + 1);

		if (f < 0)
			continue;
		if (*t == '+')
			featureset_add(fs, f);
		else
			featureset_del(fs, f);
	}
}

/*
 * What Proxmox's QEMU model @name, listed with @listed_vendor, gives the
 * guest; false if the catalog lacks it or it is not of @vendor: the vendor
 * Proxmox forces, or for a model that keeps the host's, QEMU's identity
 * (its family and model) when the mask has one.
 */
static bool listed_model(const struct emit_model *em, const char *name,
			 const char *listed_vendor, const char *vendor, struct emit_cpu *out)
{
	const struct mask *def = emit_catalog_find(em, name);

	if (!def)
		return false;
	if (strcmp(listed_vendor, vendor) &&
	    (*listed_vendor || !def->identity.set || strcmp(def->identity.vendor, vendor)))
		return false;
	emit_kvm_model(def, out);
	if (!strcmp(name, "kvm64"))
		apply_flags(&out->features, "+lahf_lm;+sep");
	else if (!strcmp(name, "kvm32"))
		apply_flags(&out->features, "+sep");
	else if (!strncmp(name, "Opteron", 7))
		apply_flags(&out->features, "-rdtscp");
	return true;
}

/* Keeps @name if it needs fewer flags than *@best, or as many and is the mask's own. */
static void consider(const struct mask *m, const char *name, const struct emit_cpu *model,
		     bool vm_only, struct pve_choice *best)
{
	struct emit_cpu add, del;
	unsigned int cost = emit_policies(m, model, NULL, &add, &del);

	if (vm_only && !vm_may_set(&add, &del))
		return;
	if (best->found && cost >= best->cost && !(cost == best->cost && !strcmp(name, m->name)))
		return;
	*best = (struct pve_choice){ .name = name, .add = add, .del = del, .cost = cost, .found = true };
}

/* The best model of @vendor: a VM's own (@vm_only) or a custom model's base. */
static void choose(const struct emit_model *em, const char *vendor, bool vm_only,
		   struct pve_choice *best)
{
	struct emit_cpu model;

	memset(best, 0, sizeof(*best));
	if (!*vendor && vm_only) {
		const struct mask *q = emit_catalog_find(em, "qemu64");

		for (size_t i = 0; q && i < sizeof(builtin_models) / sizeof(builtin_models[0]); i++) {
			emit_kvm_model(q, &model);
			apply_flags(&model.features, builtin_models[i].flags);
			consider(em->mask, builtin_models[i].name, &model, vm_only, best);
		}
	}
	for (size_t i = 0; i < sizeof(listed_models) / sizeof(listed_models[0]); i++)
		if (listed_model(em, listed_models[i].name, listed_models[i].vendor, vendor, &model))
			consider(em->mask, listed_models[i].name, &model, vm_only, best);
}

static void put_flag(FILE *out, const char *name, bool enable, bool first)
{
	fprintf(out, "%s%c%s", first ? "" : ";", enable ? '+' : '-', name);
}

/* @lead then +FLAG;-FLAG..., nothing when there is no change. */
static void put_flags(FILE *out, const char *lead, const struct emit_cpu *add,
		      const struct emit_cpu *del)
{
	if (!emit_changes(add, del))
		return;
	fputs(lead, out);
	emit_put_changes(out, add, del, false, put_flag);
}

/* A cpu-models.conf section id (pve-configid: a letter, then [A-Za-z0-9_-]). */
static void custom_name(char *name, size_t size, const char *spec)
{
	size_t n = (size_t)snprintf(name, size, "cpubench-%s", spec);

	if (n > size - 1)
		n = size - 1;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && !strchr("-_", name[i]))
			name[i] = '_';
}

static void put_custom(FILE *out, const char *spec, const char *base,
		       const struct emit_cpu *add, const struct emit_cpu *del)
{
	char name[MASK_NAME_MAX + 16];

	custom_name(name, sizeof(name), spec);
	fprintf(out, "# /etc/pve/virtual-guest/cpu-models.conf: a custom model, %s plus %u flags\n"
		"cpu-model: %s\n", base, emit_changes(add, del), name);
	put_flags(out, "\tflags ", add, del);
	if (emit_changes(add, del))
		fputc('\n', out);
	fprintf(out, "\treported-model %s\n\n# the VM's config: qm set VMID --cpu custom-%s\ncpu: custom-%s\n",
		base, name, name);
}

/* The VM's cpu: line, after a comment with the qm command that sets it. */
static void put_vm(FILE *out, const char *spec, const char *model,
		   const struct emit_cpu *add, const struct emit_cpu *del)
{
	fprintf(out, "# cpubench model %s: qm set VMID --cpu '%s", spec, model);
	put_flags(out, ",flags=", add, del);
	fprintf(out, "'\ncpu: %s", model);
	put_flags(out, ",flags=", add, del);
	fputc('\n', out);
}

int emit_proxmox(FILE *out, const struct emit_model *em)
{
	const struct mask *m = em->mask;
	const char *vendor = m->identity.set ? m->identity.vendor : HOSTS;
	struct pve_choice c;

	if (m->is_host) {
		struct emit_cpu add = { .features = m->spec_add }, del = { .features = m->spec_del };

		if (vm_may_set(&add, &del))
			put_vm(out, m->spec, "host", &add, &del);
		else
			put_custom(out, m->spec, "host", &add, &del);
		return 0;
	}
	choose(em, vendor, true, &c);
	if (c.found) {
		put_vm(out, m->spec, c.name, &c.add, &c.del);
		return 0;
	}
	choose(em, vendor, false, &c);
	if (!c.found && *vendor) {
		fprintf(out, "# Proxmox lists no %s model: the custom model keeps the host's vendor\n", vendor);
		choose(em, HOSTS, false, &c);
	}
	if (!c.found)
		return err_set("the catalog has none of Proxmox's CPU models (qemu64 at least): check --masks-dir");
	put_custom(out, m->spec, c.name, &c.add, &c.del);
	return 0;
}
