/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * KVM's binary statistics of a vCPU (KVM_GET_STATS_FD, Linux 5.14 and
 * later): how many times the guest exited to the hypervisor, whether KVM
 * handled the exit in the kernel (an intercepted #UD, CPUID, a CR write)
 * or returned to cpubench (KVM_RUN: I/O, the watchdog).
 */
#ifndef CPUBENCH_KVM_STATS_H
#define CPUBENCH_KVM_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "vmm/kvm.h"

/*
 * Finds the cumulative counter @name in the first @len bytes of a stats
 * file (its header and descriptors, struct kvm_stats_header) and puts the
 * file offset of its value in *@off. Returns 0, or -1 when @name is absent
 * or @buf does not hold a well-formed header and descriptors.
 */
int kvm_stats_find(const void *buf, size_t len, const char *name, uint64_t *off);

/*
 * The guest exits KVM counted for @vcpu so far (its statistic "exits"),
 * or -1 where this KVM has no binary statistics.
 */
int64_t vcpu_exits(struct vcpu *vcpu);

#endif
