// SPDX-License-Identifier: GPL-2.0-only
/*
 * emit --as libvirt|nova|kubevirt: the three stacks that take libvirt's
 * CPU vocabulary (cpu_map model and feature names), each with the closest
 * libvirt model (libvirt_model.c) and the feature policies that make it
 * the mask.
 *
 *   libvirt   domain XML <cpu mode='custom' match='exact' check='full'>
 *             (libvirt formatdomain "CPU model and topology"): check='full'
 *             makes libvirt refuse to start a guest whose CPU differs from
 *             the model's cpu_map definition plus the policies, so the
 *             policies cover both that definition and QEMU's.
 *   nova      nova.conf [libvirt] cpu_mode = custom, cpu_models = MODEL,
 *             cpu_model_extra_flags = +FLAG, -FLAG (nova/conf/libvirt.py:
 *             +/- enable or disable, valid with host-passthrough too).
 *             Nova writes no check='full', so QEMU's definition counts.
 *   kubevirt  a VirtualMachine, spec.template.spec.domain.cpu: model and
 *             features [{name, policy}] (KubeVirt user guide, "Virtual
 *             hardware"), never a model of KubeVirt's obsolete list.
 */
#include <ctype.h>
#include <string.h>

#include "cpu/feature.h"
#include "emit/emit.h"

/* The "host" spec's own changes: host passthrough keeps them. */
static void host_changes(const struct mask *m, struct emit_cpu *req, struct emit_cpu *dis)
{
	*req = (struct emit_cpu){ .features = m->spec_add };
	*dis = (struct emit_cpu){ .features = m->spec_del };
}

static bool host_changed(const struct mask *m)
{
	return !featureset_empty(&m->spec_add) || !featureset_empty(&m->spec_del);
}

/* @s in an XML comment, which may hold no "--" and may not end with '-'. */
static void put_xml_comment_text(FILE *out, const char *s)
{
	for (; *s; s++) {
		fputc(*s, out);
		if (*s == '-' && (s[1] == '-' || !s[1]))
			fputc(' ', out);
	}
}

/* The comment line naming what was chosen; @lead starts it ("# " or "<!-- "). */
static void put_choice(FILE *out, const char *lead, const char *stack,
		       const struct emit_model *em, const struct emit_libvirt_choice *c)
{
	const struct mask *m = em->mask;

	fprintf(out, "%s%s: cpubench model ", lead, stack);
	put_xml_comment_text(out, m->spec);
	fprintf(out, " is libvirt's model %s plus %u feature policies (cpu_map %s)",
		c->model->name, emit_changes(&c->req, &c->dis),
		em->cpu_map ? em->cpu_map : LIBVIRT_CPU_MAP);
	if (c->other_vendor)
		fprintf(out, "; no %s%s model qualified, so the closest of another vendor",
			m->identity.set ? m->identity.vendor : "vendor-neutral",
			!strcmp(stack, "KubeVirt") ? " non-obsolete" : "");
}

static void xml_policy(FILE *out, const char *name, bool require, bool first)
{
	(void)first;
	fprintf(out, "  <feature policy='%s' name='%s'/>\n", require ? "require" : "disable", name);
}

/* Model and feature names are catalog names ([A-Za-z0-9._+-]): safe in XML and YAML. */
int emit_libvirt(FILE *out, const struct emit_model *em)
{
	const struct mask *m = em->mask;
	const char *vendor = m->identity.set ? emit_libvirt_vendor(m->identity.vendor) : NULL;
	struct emit_libvirt_choice c;

	if (m->is_host) {
		fprintf(out, "<cpu mode='host-passthrough' check='none' migratable='on'%s\n",
			host_changed(m) ? ">" : "/>");
		if (host_changed(m)) {
			host_changes(m, &c.req, &c.dis);
			emit_put_changes(out, &c.req, &c.dis, true, xml_policy);
			fprintf(out, "</cpu>\n");
		}
		return 0;
	}
	if (emit_libvirt_choose(em, EMIT_LV_CHECK_FULL, &c))
		return -1;
	put_choice(out, "<!-- ", "libvirt", em, &c);
	fprintf(out, "; check='full': libvirt refuses to start a guest CPU that differs -->\n");
	fprintf(out, "<cpu mode='custom' match='exact' check='full'>\n");
	fprintf(out, "  <model fallback='forbid'>%s</model>\n", c.model->name);
	if (vendor)
		fprintf(out, "  <vendor>%s</vendor>\n", vendor);
	emit_put_changes(out, &c.req, &c.dis, true, xml_policy);
	fprintf(out, "</cpu>\n");
	return 0;
}

static void nova_flag(FILE *out, const char *name, bool require, bool first)
{
	fprintf(out, "%s%c%s", first ? "cpu_model_extra_flags = " : ", ", require ? '+' : '-', name);
}

int emit_nova(FILE *out, const struct emit_model *em)
{
	const struct mask *m = em->mask;
	struct emit_libvirt_choice c;

	if (m->is_host) {
		fprintf(out, "# nova.conf on every compute node; cpubench model %s\n[libvirt]\n"
			"cpu_mode = host-passthrough\n", m->spec);
		host_changes(m, &c.req, &c.dis);
	} else {
		if (emit_libvirt_choose(em, 0, &c))
			return -1;
		put_choice(out, "# ", "nova.conf on every compute node", em, &c);
		fprintf(out, "\n[libvirt]\ncpu_mode = custom\ncpu_models = %s\n", c.model->name);
	}
	emit_put_changes(out, &c.req, &c.dis, true, nova_flag);
	if (emit_changes(&c.req, &c.dis))
		fputc('\n', out);
	return 0;
}

static void yaml_feature(FILE *out, const char *name, bool require, bool first)
{
	if (first)
		fprintf(out, "          features:\n");
	fprintf(out, "          - name: \"%s\"\n            policy: %s\n", name,
		require ? "require" : "disable");
}

/* A DNS-1123 label from @spec: lower case, [a-z0-9-], at most 63. */
static void k8s_name(char *name, size_t size, const char *spec)
{
	size_t n = (size_t)snprintf(name, size < 64 ? size : 64, "cpubench-%s", spec);

	if (n >= size || n > 63)
		n = (size < 64 ? size : 64) - 1;
	for (size_t i = 0; i < n; i++)
		name[i] = isalnum((unsigned char)name[i]) ? (char)tolower((unsigned char)name[i]) : '-';
	while (n && name[n - 1] == '-')
		name[--n] = '\0';
}

int emit_kubevirt(FILE *out, const struct emit_model *em)
{
	const struct mask *m = em->mask;
	struct emit_libvirt_choice c = { 0 };
	char name[64];

	if (m->is_host) {
		fprintf(out, "# KubeVirt: cpubench model %s is host passthrough", m->spec);
		host_changes(m, &c.req, &c.dis);
	} else {
		if (emit_libvirt_choose(em, EMIT_LV_KUBEVIRT, &c))
			return -1;
		put_choice(out, "# ", "KubeVirt", em, &c);
	}
	k8s_name(name, sizeof(name), m->spec);
	fprintf(out, "\n# Copy spec.template.spec.domain.cpu into your VirtualMachine.\n"
		"apiVersion: kubevirt.io/v1\nkind: VirtualMachine\nmetadata:\n  name: %s\n"
		"spec:\n  runStrategy: Halted\n  template:\n    spec:\n      domain:\n"
		"        cpu:\n          model: \"%s\"\n", name,
		m->is_host ? "host-passthrough" : c.model->name);
	emit_put_changes(out, &c.req, &c.dis, true, yaml_feature);
	fprintf(out, "        devices: {}\n");
	return 0;
}
