// SPDX-License-Identifier: GPL-2.0-only
/* emit --as qemu: a -cpu argument with enforce. */
#include "cpu/feature.h"
#include "emit/emit.h"

static void put_delta(FILE *out, const featureset_t *add, const featureset_t *del)
{
	for (int i = featureset_next(add, -1); i >= 0; i = featureset_next(add, i))
		fprintf(out, ",+%s", features[i].name);
	for (int i = featureset_next(del, -1); i >= 0; i = featureset_next(del, i))
		fprintf(out, ",-%s", features[i].name);
}

/* "8.1" -> 801; -1 for anything else ("<=7.2" included) */
static int release_number(const char *s)
{
	unsigned int major, minor;
	int end = 0;

	if (sscanf(s, "%u.%u%n", &major, &minor, &end) != 2 || s[end] || major > 999 ||
	    minor > 99)
		return -1;
	return (int)(major * 100 + minor);
}

bool emit_qemu_needs_newer(const struct emit_model *em, char *buf, size_t size)
{
	const struct mask *m = em->mask;
	int since = release_number(m->qemu_since);

	if (m->is_host || !m->identity.set || since <= release_number(EMIT_QEMU_CHECKED))
		return false;
	snprintf(buf, size, "-cpu %s needs QEMU %s or later: QEMU %s (Debian 12's) does not define it and refuses to start",
		 m->name, m->qemu_since, EMIT_QEMU_CHECKED);
	return true;
}

int emit_qemu(FILE *out, const struct emit_model *em)
{
	const struct mask *m = em->mask;
	featureset_t base, add, del;
	const char *name = "qemu64";

	if (m->is_host) {
		/* the host's features plus the spec's changes (-cpu host,-avx2) */
		fprintf(out, "-cpu host");
		put_delta(out, &m->spec_add, &m->spec_del);
		fprintf(out, "%s\n", featureset_empty(&m->spec_add) ? "" : ",enforce");
		return 0;
	}
	if (m->identity.set) {
		base = em->named_features;
		name = m->name;
	} else {
		emit_qemu64_features(&base, false);
	}
	emit_delta(&m->features, &base, &add, &del);
	fprintf(out, "-cpu %s", name);
	put_delta(out, &add, &del);
	/* enforce: refuse to start rather than silently drop a feature */
	fprintf(out, ",enforce\n");
	return 0;
}
