// SPDX-License-Identifier: GPL-2.0-only
/* Migration lint of a model (see lint.h). */
#include "catalog/lint.h"

#include <stdarg.h>

#include "cpu/feature.h"

/* Features QEMU refuses to migrate (its "unmigratable" feature flags). */
static const struct {
	const char *feature, *why;
} unmigratable[] = {
	{ "invtsc", "QEMU blocks live migration of a guest with invtsc unless its TSC frequency is fixed (tsc-frequency), and the target must run at that frequency" },
};

__attribute__((format(printf, 2, 3)))
static void add(struct lint *l, const char *fmt, ...)
{
	va_list ap;

	if (l->n == LINT_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(l->msg[l->n++], sizeof(l->msg[0]), fmt, ap);
	va_end(ap);
}

void lint_mask(const struct mask *m, struct lint *out)
{
	static const char *const nested[] = { "vmx", "svm" };

	out->n = 0;
	if (m->is_host)
		add(out, "'%s' is host passthrough: the guest sees this very CPU and can migrate only to identical hosts; use a named model or an x86-64 level for a cluster",
		    m->spec);
	for (size_t i = 0; i < 2; i++)
		if (featureset_has(&m->features, feature_lookup(nested[i])))
			add(out, "'%s' exposes %s (nested virtualization): live migration then needs KVM nested-state support and management stacks commonly refuse it; add ',-%s' unless guests run hypervisors",
			    m->spec, nested[i], nested[i]);
	for (size_t i = 0; i < sizeof(unmigratable) / sizeof(unmigratable[0]); i++)
		if (featureset_has(&m->features, feature_lookup(unmigratable[i].feature)))
			add(out, "'%s' has %s, which is not migratable: %s",
			    m->spec, unmigratable[i].feature, unmigratable[i].why);
}

void lint_print(FILE *f, const struct lint *l)
{
	for (unsigned int i = 0; i < l->n; i++)
		fprintf(f, "cpubench: warning: %s\n", l->msg[i]);
}

json_t *lint_json(const struct lint *l)
{
	json_t *a = json_array();

	for (unsigned int i = 0; a && i < l->n; i++)
		if (json_array_append_new(a, json_string(l->msg[i]))) {
			json_decref(a);
			return NULL;
		}
	return a;
}
