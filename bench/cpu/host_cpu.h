/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * This host's CPU as its own CPUID instruction describes it, and which of
 * its features this OS lets programs use.
 */
#ifndef CPUBENCH_HOST_CPU_H
#define CPUBENCH_HOST_CPU_H

#include <linux/kvm.h>
#include <stdint.h>

#include "cpu/featureset.h"

/*
 * Executes CPUID for every basic leaf up to leaf 0's maximum and every
 * extended leaf up to 0x80000000's (each capped at 0x40 leaves), with
 * the subleaves of indexed leaves (cpuid_leaf_is_indexed(); subleaf 0
 * always, higher ones while non-zero up to 63). Entries use kvm_cpuid2's
 * layout so the same code reads them as KVM's. Returns a malloc'ed
 * table, or NULL with err_set() (also on a non-x86 build).
 */
struct kvm_cpuid2 *host_cpuid_read(void);

/*
 * XCR0 as this OS set it: XGETBV(0) when CPUID says OSXSAVE (1.ECX[27]),
 * else 0 (no XSAVE-managed state is usable).
 */
uint64_t host_xcr0(const struct kvm_cpuid2 *cpuid);

/*
 * Clears, in every entry of @cpuid, the fields that name the logical CPU
 * that executed CPUID rather than the CPU (x86_arch.h: APIC IDs, hybrid
 * core type, AMD core and node IDs), so that two reads on different CPUs
 * of one host give the same table. Features are untouched.
 */
void cpuid_clear_cpu_ids(struct kvm_cpuid2 *cpuid);

/*
 * The database features @cpuid reports, less those whose state components
 * (feature.xstates) @xcr0 does not enable: AVX needs YMM, AVX-512 opmask
 * and ZMM, AMX tiles. That is glibc's "usable" rule, so x86_level_of()
 * of the result matches ld.so --help.
 */
void host_usable_features(featureset_t *fs, const struct kvm_cpuid2 *cpuid,
			  uint64_t xcr0);

#endif
