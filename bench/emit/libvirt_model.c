// SPDX-License-Identifier: GPL-2.0-only
/*
 * The closest libvirt model for a mask (emit.h): the name that libvirt,
 * Nova and KubeVirt hand QEMU, chosen so that the fewest feature policies
 * turn it into the mask, never qemu64 plus dozens of flags when a named
 * model is near.
 */
#include <string.h>

#include "cpu/feature.h"
#include "emit/emit.h"
#include "lib/err.h"

/*
 * KubeVirt's default obsoleteCPUModels (pkg/virt-handler/node-labeller/
 * util DefaultObsoleteCPUModels): the node labeller labels no node with
 * them, so a VM naming one is never scheduled. The "-vN" spellings are
 * listed there too; libvirt's cpu_map has none.
 */
static const char *const kubevirt_obsolete[] = {
	"486", "pentium", "pentium2", "pentium3", "pentiumpro", "coreduo",
	"n270", "core2duo", "Conroe", "athlon", "phenom", "qemu64", "qemu32",
	"kvm64", "kvm32", "Opteron_G1", "Opteron_G2",
};

bool emit_kubevirt_obsolete(const char *model)
{
	size_t n = strlen(model);

	if (n > 3 && !strcmp(model + n - 3, "-v1"))
		n -= 3;
	for (size_t i = 0; i < sizeof(kubevirt_obsolete) / sizeof(kubevirt_obsolete[0]); i++)
		if (strlen(kubevirt_obsolete[i]) == n && !strncmp(model, kubevirt_obsolete[i], n))
			return true;
	return false;
}

/*
 * Whether model @lv (QEMU's definition @def) is of @vendor: libvirt's
 * vendor, else QEMU's for a mask with identity ("" @vendor: a mask
 * without one, which takes libvirt's vendor-neutral models). NULL: any.
 */
static bool of_vendor(const struct libvirt_model *lv, const struct mask *def,
		      const char *vendor)
{
	if (!vendor)
		return true;
	if (!*vendor || lv->vendor[0])
		return !strcmp(lv->vendor, vendor);
	return def->identity.set && !strcmp(def->identity.vendor, vendor);
}

/* One pass over the models; @vendor NULL accepts any. Returns the cost, -1 if none. */
static int choose_pass(const struct emit_model *em, unsigned int flags,
		       const char *vendor, struct emit_libvirt_choice *out)
{
	const struct mask *m = em->mask;
	int best = -1, vme = feature_lookup("vme");

	for (unsigned int i = 0; i < em->nlibvirt; i++) {
		const struct libvirt_model *lv = &em->libvirt[i];
		const struct mask *def = emit_catalog_find(em, lv->name);
		struct emit_cpu model, listed = { lv->features, lv->msr_features }, req, dis;
		int cost;

		if (!def || !of_vendor(lv, def, vendor) ||
		    ((flags & EMIT_LV_KUBEVIRT) && emit_kubevirt_obsolete(lv->name)))
			continue;
		emit_kvm_model(def, &model);
		/* vme: the catalog's TCG expansion dropped it, libvirt's
		 * definition (QEMU's, for this bit) has the model's own */
		if (vme >= 0 && featureset_has(&lv->features, vme))
			featureset_add(&model.features, vme);
		cost = (int)emit_policies(m, &model, flags & EMIT_LV_CHECK_FULL ? &listed : NULL,
					  &req, &dis);
		/* the first of equal cost in name order, unless the mask's own name */
		if (best >= 0 && cost >= best &&
		    !(cost == best && !strcmp(lv->name, m->name)))
			continue;
		best = cost;
		out->model = lv;
		out->req = req;
		out->dis = dis;
	}
	return best;
}

int emit_libvirt_choose(const struct emit_model *em, unsigned int flags,
			struct emit_libvirt_choice *out)
{
	const struct mask *m = em->mask;

	memset(out, 0, sizeof(*out));
	if (choose_pass(em, flags, m->identity.set ? m->identity.vendor : "", out) >= 0)
		return 0;
	out->other_vendor = true;
	if (choose_pass(em, flags, NULL, out) >= 0)
		return 0;
	return err_set("no model of libvirt's cpu_map %s is also a QEMU model of the catalog%s: point --cpu-map at libvirt's cpu_map directory",
		       em->cpu_map ? em->cpu_map : "",
		       flags & EMIT_LV_KUBEVIRT ? " and not obsolete in KubeVirt" : "");
}
