// SPDX-License-Identifier: GPL-2.0-only
/* cpubench emit --mask M --as qemu|libvirt|proxmox|nova|kubevirt|firecracker */
#include <getopt.h>
#include <stdlib.h>

#include "catalog/lint.h"
#include "cli/cmd.h"
#include "cli/common.h"
#include "cli/output.h"
#include "emit/emit.h"
#include "import/libvirt.h"
#include "lib/err.h"

static const char emit_help[] =
	"usage: cpubench emit --mask MODEL --as qemu|libvirt|proxmox|nova|kubevirt|firecracker\n"
	"                     [--masks-dir DIR] [--cpu-map DIR]\n"
	"\n"
	"Writes the configuration that gives guests exactly MODEL's features, in\n"
	"the stack's own names: its model closest to MODEL plus the changes.\n"
	"  qemu         -cpu string with enforce\n"
	"  libvirt      <cpu mode='custom' match='exact' check='full'>: a cpu_map model\n"
	"               and feature policies\n"
	"  proxmox      the VM's cpu: line (a built-in model, flags= where a VM may\n"
	"               set them), else a cpu-models.conf custom model\n"
	"  nova         nova.conf [libvirt] cpu_mode/cpu_models/cpu_model_extra_flags\n"
	"  kubevirt     VirtualMachine spec.template.spec.domain.cpu (no model\n"
	"               KubeVirt lists as obsolete)\n"
	"  firecracker  custom CPU template (JSON)\n"
	"--cpu-map DIR: libvirt's cpu_map directory whose models libvirt, nova and\n"
	"kubevirt may name (default " LIBVIRT_CPU_MAP ").\n"
	"host keeps its +feat/-feat (host passthrough with those changes).\n"
	"Migration warnings (nested virtualization, passthrough, unmigratable\n"
	"features) go to stderr, and, for qemu, a warning when the model needs a\n"
	"QEMU later than " EMIT_QEMU_CHECKED " (the first release that defines it: 'cpubench show').\n"
	"\n"
	CLI_OUTPUT_HELP;

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
	static const struct option longopts[] = {
		{ "mask", required_argument, NULL, 'm' },
		{ "as", required_argument, NULL, 'a' },
		{ "masks-dir", required_argument, NULL, 'D' },
		{ "cpu-map", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		CLI_OUTPUT_LONGOPT,
		{ NULL, 0, NULL, 0 },
	};
	const char *mask = NULL, *dir = NULL, *cpu_map = NULL;
	int c, kind = -1;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'm': mask = optarg; break;
		case 'D': dir = optarg; break;
		case 'C': cpu_map = optarg; break;
		case 'a':
			kind = emit_kind_parse(optarg);
			if (kind < 0)
				return hcmd_usage("emit", "unknown --as '%s': use qemu, libvirt, proxmox, nova, kubevirt or firecracker", optarg);
			break;
		case 'h':
			fputs(emit_help, out_stream());
			return EXIT_HOLDS;
		case CLI_OPT_OUTPUT:
			if ((c = cli_output_option("emit", optarg)))
				return c;
			break;
		default:
			return hcmd_usage("emit", "unknown or incomplete option '%s'", argv[optind - 1]);
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
