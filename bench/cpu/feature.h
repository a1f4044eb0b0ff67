/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The feature database: one row per named CPUID bit.
 *
 * Canonical names are QEMU's (target/i386/cpu.c feature_word_info), except
 * "lahf_lm", kept in the spelling the psABI, Proxmox and libvirt use (QEMU
 * accepts it as an alias of "lahf-lm"). Input may use the canonical name,
 * an alias, or the Linux /proc/cpuinfo flag; like QEMU, '_' and '-' are
 * interchangeable on input.
 *
 * Each row also records, per backend, how KVM can make the feature fault
 * when a guest model hides it (DESIGN.md section 3), with the reason.
 */
#ifndef CPUBENCH_FEATURE_H
#define CPUBENCH_FEATURE_H

#include <stdint.h>

#include "cpu/backend_kind.h"
#include "guestcode/x86_arch.h"

enum cpuid_reg { CPUID_EAX, CPUID_EBX, CPUID_ECX, CPUID_EDX };

/* How KVM can make a hidden feature fault on a backend. */
enum enforce_mech {
	ENFORCE_NONE,		/* no lever: hidden, it still executes */
	ENFORCE_XCR0,		/* KVM refuses the XCR0 state it needs */
	ENFORCE_CR4,		/* KVM treats its CR4 enable bit as reserved */
	ENFORCE_EFER,		/* KVM treats its EFER enable bit as reserved */
	ENFORCE_INTERCEPT,	/* a VMX/SVM control or KVM's own emulation */
	ENFORCE_NR,
};

struct feature_enforce {
	enum enforce_mech mech;
	const char *reason;	/* one line stating the hardware/KVM fact */
	/*
	 * Non-NULL where the backend refuses the feature even when the model
	 * advertises it (its probe or enable faults): why. A model with such
	 * a feature cannot pass `verify` there, whatever the CPU has.
	 */
	const char *refused;
};

#define FEATURE_MAX_ALIASES	3

struct feature {
	const char *name;	/* canonical (QEMU) spelling */
	/*
	 * The /proc/cpuinfo flag Linux prints for this bit on every vendor
	 * (cpufeatures.h); NULL when it prints none, or only a flag whose
	 * meaning depends on the vendor (cpu/linux_flags.c)
	 */
	const char *cpuinfo;
	const char *aliases[FEATURE_MAX_ALIASES]; /* unused slots NULL */
	uint32_t leaf, subleaf;
	enum cpuid_reg reg;
	uint8_t bit;
	uint64_t xstates;	/* XCR0 components its instructions need */
	const char *desc;
	struct feature_enforce enforce[BACKEND_NR];
};

extern const struct feature features[];
extern const unsigned int nfeatures;

/* Canonical, alias or cpuinfo spelling; returns the index or -1. */
int feature_lookup(const char *name);
/* Closest canonical name by name_distance(), or NULL if none is close. */
const char *feature_suggest(const char *name);
/* "none", "xcr0", "cr4", "efer", "intercept" */
const char *enforce_mech_name(enum enforce_mech mech);

#endif
