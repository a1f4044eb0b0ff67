/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libvirt's CPU model map (cpu_map/x86_*.xml, default
 * /usr/share/libvirt/cpu_map): its feature names are mapped to cpubench's
 * through the CPUID leaf/register/bit (or MSR bit) that x86_features.xml
 * gives for each, never by spelling alone.
 */
#ifndef CPUBENCH_IMPORT_LIBVIRT_H
#define CPUBENCH_IMPORT_LIBVIRT_H

#include <stdint.h>

#include "catalog/mask.h"
#include "cpu/featureset.h"

#define LIBVIRT_CPU_MAP		"/usr/share/libvirt/cpu_map"
#define LIBVIRT_UNMAPPED_MAX	16
#define LIBVIRT_PREFIX		"libvirt-"	/* of mask names: never QEMU's */

struct libvirt_model {
	char file[256];			/* its file in the cpu_map directory */
	char name[MASK_NAME_MAX];	/* import_name_check()ed, with the prefix */
	char parent[MASK_NAME_MAX];	/* a <model name=.../> inside it; "" if none */
	char vendor[13];		/* "GenuineIntel", ...; "" if none */
	char signatures[96];		/* "6/60 6/63", for comments */
	featureset_t features;		/* its own <feature> list */
	uint32_t msr_features;
	unsigned int nunmapped;
	char unmapped[LIBVIRT_UNMAPPED_MAX][48];
};

/*
 * Reads every x86 model of the cpu_map directory @dir. Returns the count
 * and a malloc'ed array in *@out, or -1 with err_set() (file names the
 * file that is malformed, or whose model or parent name cannot name a
 * mask: import/names.h).
 */
int libvirt_read_models(const char *dir, struct libvirt_model **out);

/*
 * Writes OUT_DIR/libvirt-NAME.mask for each of @v[0..@n-1], read from @dir,
 * once import_names_check() found no collision, duplicate, loop or missing
 * parent among them (nothing is written otherwise); each file whole or not
 * at all. Returns 0, or -1 with err_set().
 */
int libvirt_write_masks(const struct libvirt_model *v, int n, const char *dir,
			const char *out_dir);

#endif
