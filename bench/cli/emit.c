// SPDX-License-Identifier: GPL-2.0-only
/* cpubench emit --mask M --as qemu|libvirt|proxmox|nova|kubevirt|firecracker */
#include <getopt.h>
#include <stdlib.h>

#include "catalog/lint.h"
#include "cli/cmd.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/output.h"
#include "emit/emit.h"
#include "import/libvirt.h"
#include "lib/err.h"

int hcmd_emit_spec(FILE *out, const char *spec, const char *masks_dir,
		   const char *cpu_map, int kind)
{
	featureset_t none = { { 0 } };
	struct emit_model em = { .cpu_map = cpu_map ? cpu_map : LIBVIRT_CPU_MAP };
	struct libvirt_model *lv = NULL;
	struct mask m, named, *cat = NULL;
	struct lint lint;
	int n, ret = -1;

	if (mask_resolve(spec, masks_dir, &none, &m))
		return -1;
	if (m.identity.set) {
		if (mask_resolve(m.name, masks_dir, &none, &named))
			return -1;
		em.named_features = named.features;
	}
	em.mask = &m;
	if (kind != EMIT_QEMU && kind != EMIT_FIRECRACKER) {
		if ((n = mask_resolve_all(masks_dir, &cat)) < 0)
			return -1;
		em.catalog = cat;
		em.ncatalog = (unsigned int)n;
	}
	if (emit_kind_uses_libvirt(kind) && !m.is_host) {
		if ((n = libvirt_read_models(em.cpu_map, &lv)) < 0) {
			char why[512];

			snprintf(why, sizeof(why), "%s", err_msg());
			err_set("%s: %s names models of libvirt's cpu_map (Debian: libvirt0), or pass --cpu-map DIR",
				why, emit_kind_name(kind));
			goto out;
		}
		em.libvirt = lv;
		em.nlibvirt = (unsigned int)n;
	}
	if (emit_write(out, &em, kind))
		goto out;
	if (kind == EMIT_QEMU) {
		char note[240];

		if (emit_qemu_needs_newer(&em, note, sizeof(note)))
			fprintf(stderr, "cpubench: warning: %s\n", note);
	}
	lint_mask(&m, &lint);
	lint_print(stderr, &lint);
	ret = 0;
out:
	free(lv);
	free(cat);
	return ret;
}

int cmd_emit(int argc, char **argv)
{
	const char *mask = NULL, *dir = NULL, *cpu_map = NULL;
	int c, kind = -1;

	optind = 1;
	while ((c = cli_getopt(argc, argv, "emit")) != -1) {
		switch (c) {
		case 'm': mask = optarg; break;
		case 'D': dir = optarg; break;
		case 'C': cpu_map = optarg; break;
		case 'a':
			kind = emit_kind_parse(optarg);
			if (kind < 0)
				return hcmd_usage("emit", "unknown --as '%s': use qemu, libvirt, proxmox, nova, kubevirt or firecracker", optarg);
			break;
		case CLI_OPT_OUTPUT:
			if ((c = cli_output_option("emit", optarg)))
				return c;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return hcmd_usage("emit", "unexpected argument '%s'", argv[optind]);
	if (!mask || kind < 0)
		return hcmd_usage("emit", "%s", "needs --mask MODEL and --as FORMAT");
	if (hcmd_emit_spec(out_stream(), mask, dir, cpu_map, kind))
		return hcmd_fail();
	return EXIT_HOLDS;
}
