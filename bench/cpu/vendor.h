/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * CPU vendors, read from CPUID leaf 0's vendor string or, when only a
 * brand string is at hand (a pasted "model name" line), from the brand.
 * The vendor decides what several Linux flags mean (linux_flags.h).
 */
#ifndef CPUBENCH_VENDOR_H
#define CPUBENCH_VENDOR_H

#include <stdbool.h>

enum cpu_vendor {
	VENDOR_UNKNOWN,
	VENDOR_INTEL,		/* "GenuineIntel" */
	VENDOR_AMD,		/* "AuthenticAMD" */
	VENDOR_HYGON,		/* "HygonGenuine" */
	VENDOR_ZHAOXIN,		/* "  Shanghai  " */
	VENDOR_CENTAUR,		/* "CentaurHauls" (VIA, and older Zhaoxin parts) */
	VENDOR_NR,
};

#define VENDOR_BIT(v)	(1u << (v))

/* The CPUID leaf 0 string of @v ("GenuineIntel"); "unknown" for none. */
const char *vendor_id_string(enum cpu_vendor v);

/* The vendor whose CPUID leaf 0 string is @id exactly; VENDOR_UNKNOWN else. */
enum cpu_vendor vendor_from_id(const char *id);

/*
 * The vendor a brand string names as a word: "Intel(R) Xeon(R) ...",
 * "AMD EPYC 7763 ...", "Hygon C86 ...", "ZHAOXIN KaiXian ...", "VIA Nano
 * ..." or "CentaurHauls"; case does not matter. VENDOR_UNKNOWN when it
 * names none (e.g. "QEMU Virtual CPU version 2.5+").
 */
enum cpu_vendor vendor_from_brand(const char *brand);

/*
 * Whether Linux reads the speculation-control bits of @v from AMD's leaf
 * 0x80000008 EBX (AMD, Hygon) rather than Intel's leaf 7 EDX.
 */
bool vendor_amd_like(enum cpu_vendor v);

#endif
