// SPDX-License-Identifier: GPL-2.0-only
/*
 * emit --as proxmox: an entry of /etc/pve/virtual-guest/cpu-models.conf
 * (Proxmox VE custom CPU models: "cpu-model: NAME" then indented
 * "key value" lines; flags are ';'-separated +FLAG/-FLAG, any QEMU flag
 * allowed in a custom model; reported-model is a QEMU model Proxmox knows).
 * A VM uses it as "cpu: custom-NAME".
 */
#include <ctype.h>
#include <string.h>

#include "cpu/feature.h"
#include "emit/emit.h"

int emit_proxmox(FILE *out, const struct emit_model *em)
{
	const struct mask *m = em->mask;
	featureset_t base, add, del;
	char name[MASK_NAME_MAX + 16];
	const char *sep = "";
	size_t n;

	if (m->is_host) {
		fprintf(out, "# in the VM's config (qm set VMID --cpu host)\ncpu: host\n");
		return 0;
	}
	n = (size_t)snprintf(name, sizeof(name), "cpubench-%s", m->spec);
	if (n > sizeof(name) - 1)
		n = sizeof(name) - 1;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && !strchr("-_.", name[i]))
			name[i] = '_';
	emit_qemu64_features(&base, false);
	emit_delta(&m->features, &base, &add, &del);
	fprintf(out, "# /etc/pve/virtual-guest/cpu-models.conf; VMs use 'cpu: custom-%s'\n", name);
	fprintf(out, "cpu-model: %s\n\tflags ", name);
	for (int i = featureset_next(&add, -1); i >= 0; i = featureset_next(&add, i), sep = ";")
		fprintf(out, "%s+%s", sep, features[i].name);
	for (int i = featureset_next(&del, -1); i >= 0; i = featureset_next(&del, i), sep = ";")
		fprintf(out, "%s-%s", sep, features[i].name);
	fprintf(out, "\n\treported-model qemu64\n");
	return 0;
}
