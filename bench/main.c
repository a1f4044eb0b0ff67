// SPDX-License-Identifier: GPL-2.0-only
/*
 * cpubench command line: verify, run.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/output.h"
#include "lib/cleanup.h"
#include "lib/err.h"

static const char usage_text[] =
	"usage: cpubench COMMAND [OPTIONS]\n"
	"\n"
	"Boots a tiny guest under a CPU model's CPUID and executes one probe per\n"
	"feature, to prove what the model hides and what it really provides.\n"
	"\n"
	"commands:\n"
	"  verify --mask MODEL    run every probe under MODEL and judge the model\n"
	"  run --mask MODEL --probe LIST\n"
	"                         run the named probes only\n"
	"  matrix [--masks all|LIST] [--format table|json|html|...]\n"
	"                         every model x every probe on this host\n"
	"  probes [--format table|json]\n"
	"                         the probe catalog and how each backend enforces it\n"
	"  migrate --from A --to B [--backend kvm|qemu-tcg|qemu-kvm]\n"
	"                         reproduce a crash after live migration from A to B\n"
	"  floor [--format table|json]\n"
	"                         what a VM, an exit, an exception, a ring switch\n"
	"                         cost on this KVM backend\n"
	"\n"
	"  masks                  the model catalog, with each model's x86-64 level\n"
	"  show MODEL             a model's resolved features and guest CPUID leaves\n"
	"  import qemu|libvirt    write mask files from QEMU or libvirt's cpu_map\n"
	"\n"
	"  host [--save FILE]     fingerprint of this host, its x86-64 level and\n"
	"                         the models a guest can run here\n"
	"  baseline HOST...       best common model of a cluster, who blocks more\n"
	"  compare --mask MODEL --host HOST\n"
	"                         can MODEL run on HOST (exit 0) or not (exit 1)\n"
	"  diff A B               two hosts or models side by side\n"
	"  emit --mask MODEL --as qemu|libvirt|proxmox|nova|kubevirt|firecracker\n"
	"                         the configuration for a VM stack\n"
	"\n"
	"  cpubench COMMAND --help   options of a command\n"
	"  --output FILE             (every command but import) write the output\n"
	"                            to FILE, replaced whole or not at all\n"
	"  cpubench --version\n"
	"\n"
	"exit status: 0 the model holds, 1 it does not, 2 bad usage or input,\n"
	"3 this environment cannot run guests.\n";

static int dispatch(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage_text, stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		fputs(usage_text, out_stream());
		return EXIT_HOLDS;
	}
	if (!strcmp(argv[1], "--version")) {
		fprintf(out_stream(), "cpubench %s\n", CPUBENCH_VERSION);
		return EXIT_HOLDS;
	}
	if (!strcmp(argv[1], "verify"))
		return cmd_verify(argc - 1, argv + 1, CMD_VERIFY);
	if (!strcmp(argv[1], "run"))
		return cmd_verify(argc - 1, argv + 1, CMD_RUN);
	if (!strcmp(argv[1], "matrix"))
		return cmd_matrix(argc - 1, argv + 1);
	if (!strcmp(argv[1], "floor"))
		return cmd_floor(argc - 1, argv + 1);
	if (!strcmp(argv[1], "probes"))
		return cmd_probes(argc - 1, argv + 1);
	if (!strcmp(argv[1], "host"))
		return cmd_host(argc - 1, argv + 1);
	if (!strcmp(argv[1], "baseline"))
		return cmd_baseline(argc - 1, argv + 1);
	if (!strcmp(argv[1], "compare"))
		return cmd_compare(argc - 1, argv + 1);
	if (!strcmp(argv[1], "diff"))
		return cmd_diff(argc - 1, argv + 1);
	if (!strcmp(argv[1], "emit"))
		return cmd_emit(argc - 1, argv + 1);
	if (!strcmp(argv[1], "import"))
		return cmd_import(argc - 1, argv + 1);
	if (!strcmp(argv[1], "masks"))
		return cmd_masks(argc - 1, argv + 1);
	if (!strcmp(argv[1], "show"))
		return cmd_show(argc - 1, argv + 1);
	if (!strcmp(argv[1], "migrate"))
		return cmd_migrate(argc - 1, argv + 1);
	/* through err_set(): control bytes of argv are not echoed */
	err_set("unknown command '%s': try 'cpubench --help'", argv[1]);
	fprintf(stderr, "cpubench: %s\n", err_msg());
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	/* QEMU and temporary files never outlive a SIGINT, SIGTERM or SIGHUP */
	cleanup_install();
	return cli_finish(argc > 1 ? argv[1] : "", dispatch(argc, argv));
}
