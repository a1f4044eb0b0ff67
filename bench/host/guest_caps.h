/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a guest can be given on a KVM host, answered two ways, because the
 * answers differ (kvm-pvm most of all):
 *
 *  - what `cpubench verify` holds there: the features its guest can use
 *    on the backend, less those the backend refuses even when advertised
 *    (the `refused` column of the backend table, cpu/feature.c);
 *  - what QEMU accepts with `-accel kvm,enforce` (and so libvirt, whose
 *    domain capabilities ask QEMU): KVM_GET_SUPPORTED_CPUID with QEMU's
 *    fixups (kvm_arch_get_supported_cpuid()).
 *
 * Pure functions of the CPUID data, so that tests give KVM's answer as a
 * fixture; host/fingerprint.c applies them to this host.
 */
#ifndef CPUBENCH_GUEST_CAPS_H
#define CPUBENCH_GUEST_CAPS_H

#include "cpu/backend_kind.h"
#include "cpu/featureset.h"

/*
 * What `verify` holds on backend @kind: KVM's supported features
 * (@kvm) on kvm-vmx and kvm-svm, the CPU's usable ones (@cpu) on kvm-pvm,
 * whose guest user code runs natively while its supported CPUID is
 * minimal; plus what KVM and QEMU give every guest; less the backend's
 * refusals, which go to *@refused.
 */
void guest_caps_verify(featureset_t *out, featureset_t *refused,
		       enum backend_kind kind, const featureset_t *kvm,
		       const featureset_t *cpu);

/*
 * What QEMU's `-accel kvm,enforce` accepts: @kvm (KVM_GET_SUPPORTED_CPUID)
 * plus the bits QEMU adds itself: mtrr pat mce mca, hypervisor, arat, and
 * tsc-deadline (QEMU's default in-kernel irqchip with
 * KVM_CAP_TSC_DEADLINE_TIMER, in every kernel since 3.0).
 */
void guest_caps_qemu(featureset_t *out, const featureset_t *kvm);

#endif
