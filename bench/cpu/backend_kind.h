/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kinds of hypervisor a guest runs under: the columns of the
 * enforcement tables (cpu/feature.c, judge/tcg_table.c). They are data
 * every floor above names, so they live here and not with the KVM ioctls.
 */
#ifndef CPUBENCH_CPU_BACKEND_KIND_H
#define CPUBENCH_CPU_BACKEND_KIND_H

enum backend_kind {
	BACKEND_KVM_VMX,	/* Intel VT-x (kvm_intel) */
	BACKEND_KVM_SVM,	/* AMD-V (kvm_amd) */
	BACKEND_KVM_PVM,	/* PVM (kvm_pvm): no VMX/SVM, ring 0 emulated */
	BACKEND_NR,		/* the KVM kinds: the feature table's columns */
	/* QEMU kinds (backend/backend.h): judged by judge/tcg_table.c, or for
	 * qemu-kvm by the column of the KVM kind underneath. */
	BACKEND_QEMU_TCG = BACKEND_NR,
	BACKEND_QEMU_KVM,
	BACKEND_ALL_NR,
};

/* "kvm-vmx", "kvm-svm", "kvm-pvm", "qemu-tcg", "qemu-kvm"; "unknown". */
const char *backend_kind_name(enum backend_kind kind);
/* Parses those names; returns -1 for an unknown name. */
int backend_kind_parse(const char *name);

#endif
