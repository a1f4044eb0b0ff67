// SPDX-License-Identifier: GPL-2.0-only
/*
 * emit --as libvirt|nova|kubevirt: the three stacks that take libvirt's
 * CPU vocabulary (cpu_map model and feature names).
 */
#include "cpu/feature.h"
#include "emit/emit.h"

/* Model names are catalog names ([A-Za-z0-9._+-]); safe in XML and YAML. */

static void libvirt_delta(const struct mask *m, featureset_t *add, featureset_t *del)
{
	featureset_t base;

	emit_qemu64_features(&base, true);
	emit_delta(&m->features, &base, add, del);
}

int emit_libvirt(FILE *out, const struct emit_model *em)
{
	const struct mask *m = em->mask;
	const char *vendor = m->identity.set ? emit_libvirt_vendor(m->identity.vendor) : NULL;
	featureset_t add, del;

	if (m->is_host) {
		fprintf(out, "<cpu mode='host-passthrough' check='none' migratable='on'/>\n");
		return 0;
	}
	libvirt_delta(m, &add, &del);
	fprintf(out, "<!-- cpubench model %s: qemu64 plus the exact feature difference -->\n", m->spec);
	fprintf(out, "<cpu mode='custom' match='exact' check='full'>\n");
	fprintf(out, "  <model fallback='forbid'>qemu64</model>\n");
	if (vendor)
		fprintf(out, "  <vendor>%s</vendor>\n", vendor);
	for (int i = featureset_next(&add, -1); i >= 0; i = featureset_next(&add, i))
		fprintf(out, "  <feature policy='require' name='%s'/>\n", emit_libvirt_name(i));
	for (int i = featureset_next(&del, -1); i >= 0; i = featureset_next(&del, i))
		fprintf(out, "  <feature policy='disable' name='%s'/>\n", emit_libvirt_name(i));
	fprintf(out, "</cpu>\n");
	return 0;
}

int emit_nova(FILE *out, const struct emit_model *em)
{
	const struct mask *m = em->mask;
	featureset_t add, del;
	const char *sep = "";

	fprintf(out, "# nova.conf on every compute node; cpubench model %s\n[libvirt]\n", m->spec);
	if (m->is_host) {
		fprintf(out, "cpu_mode = host-passthrough\n");
		return 0;
	}
	libvirt_delta(m, &add, &del);
	fprintf(out, "cpu_mode = custom\ncpu_models = qemu64\ncpu_model_extra_flags = ");
	for (int i = featureset_next(&add, -1); i >= 0; i = featureset_next(&add, i), sep = ", ")
		fprintf(out, "%s+%s", sep, emit_libvirt_name(i));
	for (int i = featureset_next(&del, -1); i >= 0; i = featureset_next(&del, i), sep = ", ")
		fprintf(out, "%s-%s", sep, emit_libvirt_name(i));
	fprintf(out, "\n");
	return 0;
}

int emit_kubevirt(FILE *out, const struct emit_model *em)
{
	const struct mask *m = em->mask;
	featureset_t add, del;

	fprintf(out, "# VirtualMachineInstance spec; cpubench model %s\nspec:\n  domain:\n    cpu:\n", m->spec);
	if (m->is_host) {
		fprintf(out, "      model: host-passthrough\n");
		return 0;
	}
	libvirt_delta(m, &add, &del);
	fprintf(out, "      model: qemu64\n      features:\n");
	for (int i = featureset_next(&add, -1); i >= 0; i = featureset_next(&add, i))
		fprintf(out, "        - name: %s\n          policy: require\n", emit_libvirt_name(i));
	for (int i = featureset_next(&del, -1); i >= 0; i = featureset_next(&del, i))
		fprintf(out, "        - name: %s\n          policy: disable\n", emit_libvirt_name(i));
	return 0;
}
