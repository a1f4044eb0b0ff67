// SPDX-License-Identifier: GPL-2.0-only
/* emit: dispatch and the facts every writer shares (see emit.h). */
#include "emit/emit.h"

#include <string.h>

#include "cpu/feature.h"
#include "cpu/msr_feature.h"
#include "lib/err.h"
#include "lib/out.h"

static const char *const kind_names[EMIT_NR] = {
	[EMIT_QEMU] = "qemu", [EMIT_LIBVIRT] = "libvirt",
	[EMIT_PROXMOX] = "proxmox", [EMIT_NOVA] = "nova",
	[EMIT_KUBEVIRT] = "kubevirt", [EMIT_FIRECRACKER] = "firecracker",
};

int emit_kind_parse(const char *name)
{
	for (int i = 0; name && i < EMIT_NR; i++)
		if (!strcmp(name, kind_names[i]))
			return i;
	return -1;
}

const char *emit_kind_name(enum emit_kind k)
{
	return (unsigned int)k < EMIT_NR ? kind_names[k] : "?";
}

bool emit_kind_uses_libvirt(enum emit_kind k)
{
	return k == EMIT_LIBVIRT || k == EMIT_NOVA || k == EMIT_KUBEVIRT;
}

/*
 * QEMU 7.2 qemu64: PPRO_FEATURES | mtrr clflush mca pse36; pni cx16;
 * lm syscall nx; lahf_lm svm. libvirt's cpu_map x86_qemu64.xml lists the
 * same without lahf_lm (it leaves out what only TCG can always provide).
 */
static const char *const qemu64_features[] = {
	"fpu", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic", "sep",
	"mtrr", "pge", "mca", "cmov", "pat", "pse36", "clflush", "mmx",
	"fxsr", "sse", "sse2", "pni", "cx16", "lm", "syscall", "nx", "svm",
};

void emit_qemu64_features(featureset_t *fs, bool libvirt)
{
	featureset_clear(fs);
	for (size_t i = 0; i < sizeof(qemu64_features) / sizeof(qemu64_features[0]); i++)
		featureset_add(fs, feature_lookup(qemu64_features[i]));
	if (!libvirt)
		featureset_add(fs, feature_lookup("lahf_lm"));
}

void emit_delta(const featureset_t *fs, const featureset_t *base,
		featureset_t *add, featureset_t *del)
{
	featureset_diff(add, fs, base);
	featureset_diff(del, base, fs);
}

const struct mask *emit_catalog_find(const struct emit_model *em, const char *name)
{
	for (unsigned int i = 0; i < em->ncatalog; i++)
		if (!strcmp(em->catalog[i].name, name))
			return &em->catalog[i];
	return NULL;
}

/*
 * Bits the accelerator, not the model, decides (target/i386): under KVM
 * x86_cpu_load_model() sets CPUID_EXT_HYPERVISOR on every model and
 * kvm_default_props turns x2apic on (in-kernel irqchip) and acpi, monitor
 * and svm off (kvm/kvm-cpu.c); under TCG tcg_default_props turns vme off,
 * so the catalog's expansions (made under TCG) lack vme although KVM
 * keeps the model's own (kvm: -1, left as it is).
 */
static const struct {
	const char *name;
	int kvm;
} accel_bits[] = {
	{ "hypervisor", 1 }, { "x2apic", 1 }, { "acpi", 0 }, { "monitor", 0 },
	{ "svm", 0 }, { "vme", -1 },
};

/* CPUID leaf 0x8000000A is QEMU's FEAT_SVM: feature_dependencies clear it without svm. */
#define SVM_LEAF	0x8000000au

/* Whether @m sets feature @f itself rather than inheriting it. */
static bool mask_sets(const struct mask *m, int f)
{
	return featureset_has(&m->spec_add, f) || featureset_has(&m->spec_del, f) ||
	       featureset_has(&m->removed, f) ||
	       (m->inherits[0] && featureset_has(&m->added, f));
}

/* Drops the SVM leaf from @fs when it has no svm, but what @m sets itself. */
static void svm_leaf_follow(featureset_t *fs, const struct mask *m)
{
	int svm = feature_lookup("svm");

	if (svm < 0 || featureset_has(fs, svm))
		return;
	for (unsigned int i = 0; i < nfeatures; i++)
		if (features[i].leaf == SVM_LEAF && !(m && mask_sets(m, (int)i)))
			featureset_del(fs, (int)i);
}

void emit_kvm_model(const struct mask *def, struct emit_cpu *out)
{
	out->features = def->features;
	out->msr = def->msr_features;
	for (size_t i = 0; i < sizeof(accel_bits) / sizeof(accel_bits[0]); i++) {
		int f = feature_lookup(accel_bits[i].name);

		if (f < 0 || accel_bits[i].kvm < 0)
			continue;
		if (accel_bits[i].kvm)
			featureset_add(&out->features, f);
		else
			featureset_del(&out->features, f);
	}
	svm_leaf_follow(&out->features, NULL);
}

unsigned int emit_policies(const struct mask *m, const struct emit_cpu *model,
			   const struct emit_cpu *listed, struct emit_cpu *req,
			   struct emit_cpu *dis)
{
	featureset_t want = m->features, both, either;

	if (!listed)
		listed = model;
	for (size_t i = 0; i < sizeof(accel_bits) / sizeof(accel_bits[0]); i++) {
		int f = feature_lookup(accel_bits[i].name);

		if (f < 0 || mask_sets(m, f))
			continue;
		if (featureset_has(&model->features, f))
			featureset_add(&want, f);
		else
			featureset_del(&want, f);
	}
	svm_leaf_follow(&want, m);
	featureset_intersect(&both, &model->features, &listed->features);
	featureset_union(&either, &model->features, &listed->features);
	featureset_diff(&req->features, &want, &both);
	featureset_diff(&dis->features, &either, &want);
	req->msr = m->msr_features & ~(model->msr & listed->msr);
	dis->msr = (model->msr | listed->msr) & ~m->msr_features;
	return emit_changes(req, dis);
}

unsigned int emit_changes(const struct emit_cpu *req, const struct emit_cpu *dis)
{
	return featureset_count(&req->features) + featureset_count(&dis->features) +
	       (unsigned int)__builtin_popcount(req->msr) + (unsigned int)__builtin_popcount(dis->msr);
}

void emit_put_changes(FILE *out, const struct emit_cpu *req, const struct emit_cpu *dis,
		      bool libvirt, emit_put_fn put)
{
	const struct emit_cpu *c[2] = { req, dis };
	bool first = true;

	for (int k = 0; k < 2; k++) {
		const featureset_t *fs = &c[k]->features;

		for (int i = featureset_next(fs, -1); i >= 0; i = featureset_next(fs, i), first = false)
			put(out, libvirt ? emit_libvirt_name(i) : features[i].name, !k, first);
		for (unsigned int i = 0; i < nmsr_features; i++)
			if (c[k]->msr >> i & 1) {
				put(out, msr_features[i].name, !k, first);
				first = false;
			}
	}
}

/* Where libvirt's cpu_map spells a feature unlike QEMU. */
static const struct {
	const char *qemu, *libvirt;
} libvirt_names[] = {
	{ "pclmulqdq", "pclmuldq" }, { "tsc-adjust", "tsc_adjust" },
	{ "fxsr-opt", "fxsr_opt" }, { "cmp-legacy", "cmp_legacy" },
	{ "perfctr-core", "perfctr_core" },
};

const char *emit_libvirt_name(int i)
{
	for (size_t k = 0; k < sizeof(libvirt_names) / sizeof(libvirt_names[0]); k++)
		if (!strcmp(features[i].name, libvirt_names[k].qemu))
			return libvirt_names[k].libvirt;
	return features[i].name;
}

const char *emit_libvirt_vendor(const char *v)
{
	if (!strcmp(v, "GenuineIntel"))
		return "Intel";
	if (!strcmp(v, "AuthenticAMD"))
		return "AMD";
	if (!strcmp(v, "HygonGenuine"))
		return "Hygon";
	return NULL;
}

int emit_write(FILE *out, const struct emit_model *em, enum emit_kind k)
{
	int ret;

	switch (k) {
	case EMIT_QEMU: ret = emit_qemu(out, em); break;
	case EMIT_LIBVIRT: ret = emit_libvirt(out, em); break;
	case EMIT_PROXMOX: ret = emit_proxmox(out, em); break;
	case EMIT_NOVA: ret = emit_nova(out, em); break;
	case EMIT_KUBEVIRT: ret = emit_kubevirt(out, em); break;
	case EMIT_FIRECRACKER: ret = emit_firecracker(out, em); break;
	default: return err_set("unknown emit format %d", (int)k);
	}
	return ret ? ret : out_flush(out);
}
