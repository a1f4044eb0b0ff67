// SPDX-License-Identifier: GPL-2.0-only
/* cpubench emit --mask M --as qemu|libvirt|proxmox|nova|kubevirt|firecracker */
#include <getopt.h>
#include <stdlib.h>

#include "catalog/lint.h"
#include "cli/cmd.h"
#include "cli/common.h"
#include "cli/output.h"
#include "emit/emit.h"
#include "lib/err.h"

static const char emit_help[] =
	"usage: cpubench emit --mask MODEL --as qemu|libvirt|proxmox|nova|kubevirt|firecracker\n"
	"                     [--masks-dir DIR]\n"
	"\n"
	"Writes the configuration that gives guests exactly MODEL's features:\n"
	"  qemu         -cpu string with enforce\n"
	"  libvirt      <cpu mode='custom' match='exact' check='full'> element\n"
	"  proxmox      /etc/pve/virtual-guest/cpu-models.conf entry\n"
	"  nova         nova.conf [libvirt] cpu_mode/cpu_models/cpu_model_extra_flags\n"
	"  kubevirt     VirtualMachineInstance spec.domain.cpu\n"
	"  firecracker  custom CPU template (JSON)\n"
	"Migration warnings (nested virtualization, passthrough, unmigratable\n"
	"features) go to stderr.\n"
	"\n"
	CLI_OUTPUT_HELP;

int hcmd_emit_spec(FILE *out, const char *spec, const char *masks_dir, int kind)
{
	featureset_t none = { { 0 } };
	struct emit_model em = { 0 };
	struct mask m, named;
	struct lint lint;

	if (mask_resolve(spec, masks_dir, &none, &m))
		return -1;
	if (m.identity.set) {
		if (mask_resolve(m.name, masks_dir, &none, &named))
			return -1;
		em.named_features = named.features;
	}
	em.mask = &m;
	if (emit_write(out, &em, kind))
		return -1;
	lint_mask(&m, &lint);
	lint_print(stderr, &lint);
	return 0;
}

int cmd_emit(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "mask", required_argument, NULL, 'm' },
		{ "as", required_argument, NULL, 'a' },
		{ "masks-dir", required_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		CLI_OUTPUT_LONGOPT,
		{ NULL, 0, NULL, 0 },
	};
	const char *mask = NULL, *dir = NULL;
	int c, kind = -1;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'm': mask = optarg; break;
		case 'D': dir = optarg; break;
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
	if (hcmd_emit_spec(out_stream(), mask, dir, kind))
		return hcmd_fail();
	return EXIT_HOLDS;
}
