// SPDX-License-Identifier: GPL-2.0-only
/*
 * The first QEMU release that defines each x86 CPU model name Debian 12's
 * QEMU 7.2 lacks (qemu_import.h). Neither QEMU's source nor its docs say
 * when a model appeared, so this is read from a record of every release:
 * libvirt's test data keeps QEMU's query-cpu-definitions answer per QEMU
 * release (tests/domaincapsdata/qemu_X.Y.0.x86_64.xml, the <mode
 * name='custom'> model list; libvirt commit 003b5731). A name's release
 * is the first file that lists it; the file of the release before was
 * checked not to. That 7.2 lacks them all is the installed QEMU 7.2's own
 * query-cpu-definitions (tests/test_catalog.c checks masks/ against it).
 *
 * Names the table lacks: `import qemu` writes "<=" its own release,
 * `import qemu-source` what the catalog already says, else nothing.
 */
#include "import/qemu_import.h"

#include <string.h>

static const struct {
	const char *name, *release;
} first_release[] = {
	/* qemu_8.0.0.x86_64.xml lists them; QEMU 7.2 does not */
	{ "SapphireRapids", "8.0" },
	{ "SapphireRapids-v1", "8.0" },
	/* in qemu_8.1.0, not in qemu_8.0.0 */
	{ "EPYC-v4", "8.1" },
	{ "EPYC-Rome-v3", "8.1" },
	{ "EPYC-Rome-v4", "8.1" },
	{ "EPYC-Milan-v2", "8.1" },
	{ "EPYC-Genoa", "8.1" },
	{ "EPYC-Genoa-v1", "8.1" },
	{ "GraniteRapids", "8.1" },
	{ "GraniteRapids-v1", "8.1" },
	{ "SapphireRapids-v2", "8.1" },
	/* in qemu_9.1.0, not in qemu_9.0.0 */
	{ "Icelake-Server-v7", "9.1" },
	{ "SapphireRapids-v3", "9.1" },
	{ "SierraForest", "9.1" },
	{ "SierraForest-v1", "9.1" },
	/* in qemu_9.2.0, not in qemu_9.1.0 */
	{ "GraniteRapids-v2", "9.2" },
	/* in qemu_10.0.0, not in qemu_9.2.0 */
	{ "SierraForest-v2", "10.0" },
	{ "ClearwaterForest", "10.0" },
	{ "ClearwaterForest-v1", "10.0" },
	{ "YongFeng", "10.0" },
	{ "YongFeng-v1", "10.0" },
};

const char *qemu_first_release(const char *name)
{
	for (size_t i = 0; i < sizeof(first_release) / sizeof(first_release[0]); i++)
		if (!strcmp(first_release[i].name, name))
			return first_release[i].release;
	return NULL;
}
