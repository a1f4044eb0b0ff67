// SPDX-License-Identifier: GPL-2.0-only
/* `cpubench import qemu|libvirt ...`: dispatches to the importers. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "err.h"
#include "import_libvirt.h"
#include "import_qemu.h"

int cmd_import(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "qemu"))
		return cmd_import_qemu(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "libvirt"))
		return cmd_import_libvirt(argc - 1, argv + 1);
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		puts("usage: cpubench import qemu [--qemu PATH] [--out DIR]\n"
		     "       cpubench import libvirt [CPU_MAP_DIR] [--out DIR]");
		return EXIT_HOLDS;
	}
	fprintf(stderr, "cpubench: import needs a source: 'cpubench import qemu|libvirt [--out DIR]'\n");
	return EXIT_USAGE;
}
