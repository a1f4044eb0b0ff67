/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Model features that are not CPUID bits: bits of feature-enumeration MSRs
 * (IA32_ARCH_CAPABILITIES, IA32_CORE_CAPABILITIES) that QEMU's CPU models
 * set. They belong to a model's definition, so masks carry them, but
 * cpubench builds only the guest's CPUID: a KVM guest of cpubench reads
 * these MSRs as KVM initialises them, whatever the mask says.
 */
#ifndef CPUBENCH_MSR_FEATURE_H
#define CPUBENCH_MSR_FEATURE_H

#include <stdint.h>

struct msr_feature {
	const char *name;	/* QEMU's property name */
	uint32_t msr;		/* MSR index */
	uint8_t bit;
	const char *desc;
};

extern const struct msr_feature msr_features[];
extern const unsigned int nmsr_features;

/* Index of @name ('_' and '-' alike), or -1. */
int msr_feature_lookup(const char *name);

#endif
