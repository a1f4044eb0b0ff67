// SPDX-License-Identifier: GPL-2.0-only
/* emit: dispatch and the facts every writer shares (see emit.h). */
#include "emit/emit.h"

#include <string.h>

#include "cpu/feature.h"
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
