/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One mask file (masks/<name>.mask), parsed, before inheritance.
 *
 * Line based, UTF-8 text without control bytes:
 *   # comment            '#' at line start or after whitespace comments out
 *                        the rest of the line
 *   name: x86-64-v3      required; must equal the file name minus ".mask"
 *   description: ...     one line for listings
 *   provenance: ...      where the definition comes from
 *   qemu-since: 8.1      the first QEMU release that defines this very
 *                        name ("<=7.2": that release defines it, earlier
 *                        ones were not looked at); QEMU models only
 *   inherits: x86-64-v2  another mask; its features are the starting point
 *   vendor: GenuineIntel \
 *   family: 6             | identity: all four or none (numbers: decimal
 *   model: 0x55           | or 0x-hex); model-id (the brand string,
 *   stepping: 4          /  48 chars max) only with them
 *   model-id: ...
 *   features: +avx -avx2 fma
 *       +bmi1 +bmi2      indented lines continue the features list;
 *   features: ...        'features:' may repeat
 * Tokens are +feat (add), -feat (remove) or feat (add); any spelling
 * feature_lookup() accepts, or a feature-MSR bit msr_feature_lookup()
 * accepts (msr_feature.h). Adding and removing one feature in one file is
 * an error.
 */
#ifndef CPUBENCH_CATALOG_MASK_FILE_H
#define CPUBENCH_CATALOG_MASK_FILE_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/cpuid_builder.h"
#include "cpu/featureset.h"

#define MASK_NAME_MAX	64		/* with the NUL */
#define MASK_HOST	"host"		/* reserved: the host's own CPUID */
#define MASK_SUFFIX	".mask"
#define MASK_QEMU_SINCE_MAX 16		/* "<=10.2", with the NUL */

struct mask_file {
	char file[256];			/* for messages */
	char name[MASK_NAME_MAX];
	char description[160], provenance[200];
	char qemu_since[MASK_QEMU_SINCE_MAX];	/* "" if the file has none */
	char inherits[MASK_NAME_MAX];	/* "" for a root */
	unsigned int inherits_line;
	unsigned int name_line;
	struct cpu_identity identity;	/* .set iff the file sets one */
	featureset_t add, del;		/* the file's own +feat / -feat */
	uint32_t msr_add, msr_del;	/* the same for msr_features[] bits */
};

/*
 * Whether @s may name a mask (and so a file): 1 to MASK_NAME_MAX-1 of
 * letters, digits, '.', '_' and '-', not starting with '.'.
 */
bool mask_name_valid(const char *s);

/*
 * Whether @s is a qemu-since value: a release "MAJOR.MINOR", optionally
 * preceded by "<=".
 */
bool mask_qemu_since_valid(const char *s);

/*
 * Parses one mask file's text. @file names it in messages ("masks/x.mask")
 * and, when it ends in ".mask", fixes the name the file must declare.
 * Returns 0, or -1 with err_set() ("FILE:LINE: what is wrong").
 */
int mask_parse_text(const char *file, const char *text, struct mask_file *out);

#endif
