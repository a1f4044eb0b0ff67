/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Linux's /proc/cpuinfo flags read as CPUID features (DESIGN.md section 3).
 *
 * A flag is not a CPUID bit: Linux renames bits (the "same" kind: the
 * feature database's `cpuinfo` column, feature.h), synthesizes some per
 * vendor (`ibrs ibpb stibp ssbd` are spec-ctrl/stibp/ssbd on Intel,
 * ibrs/ibpb/amd-stibp/amd-ssbd on AMD), never prints others, and prints
 * `hypervisor` when the host is itself a guest. So a flags list tells each
 * feature in one of four ways (enum linux_view), and its absence is
 * evidence only for LINUX_SHOWN features. The rules follow Linux's
 * arch/x86/include/asm/cpufeatures.h and arch/x86/kernel/cpu/; the
 * reference table with sources is tests/data/linux-flags.tsv, which the
 * tests hold this code to.
 */
#ifndef CPUBENCH_LINUX_FLAGS_H
#define CPUBENCH_LINUX_FLAGS_H

#include <stdbool.h>
#include <stddef.h>

#include "cpu/featureset.h"
#include "cpu/vendor.h"

/* What is known of the CPU whose flags are read. */
struct linux_cpu {
	enum cpu_vendor vendor;
	unsigned int family;	/* displayed CPU family; 0 when not known */
	/*
	 * The oldest kernel that prints every flag and bug name present
	 * (100 * major + minor, linux_name_since()); 0 when none dates it.
	 */
	unsigned int kernel;
};

enum linux_view {
	LINUX_SHOWN,		/* a flag proves it: absent flag, absent feature */
	LINUX_HIDDEN,		/* no flag can show it here: unknown when absent */
	LINUX_HOST_ONLY,	/* describes the host (hypervisor): never required */
	LINUX_PROVIDED,		/* KVM/QEMU give it to guests whatever the host shows */
};

/*
 * The feature @flag proves on @cpu, or -1 (not a CPUID feature there). A
 * flag whose meaning depends on the vendor is never taken as a QEMU name
 * (AMD's "ibrs" is no proof of QEMU ibrs on Intel).
 */
int linux_flag_feature(const char *flag, const struct linux_cpu *cpu);

/*
 * How a flags list of @cpu tells feature @f; *@why (may be NULL) gets a
 * one-line reason for every view but LINUX_SHOWN.
 */
enum linux_view linux_feature_view(int f, const struct linux_cpu *cpu,
				   const char **why);

/*
 * The Linux release (100 * major + minor) that first printed flag or bug
 * name @name, for the names whose absence an older kernel would explain;
 * 0 for any other name.
 */
unsigned int linux_name_since(const char *name);

/* Features KVM and QEMU give every guest (LINUX_PROVIDED, LINUX_HOST_ONLY). */
void linux_guest_always(featureset_t *fs);

/*
 * Writes into @out the flags line Linux prints on a CPU of @vendor whose
 * CPUID has exactly the features @fs, space separated. Returns 0, or -1
 * when @len is too small.
 */
int linux_flags_render(const featureset_t *fs, enum cpu_vendor vendor,
		       char *out, size_t len);

#endif
