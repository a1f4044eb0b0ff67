/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Backends: what runs the guest payload under a CPU model.
 *
 *   kvm       cpubench's own KVM userspace (bench/runner.c); reported as
 *             the KVM kind it detects (kvm-vmx, kvm-svm, kvm-pvm)
 *   qemu-tcg  qemu-system-x86_64 with software emulation (backend_qemu.c)
 *   qemu-kvm  qemu-system-x86_64 on the same KVM
 *
 * Every backend runs the identical payload and plan and fills the same
 * results; each says what the guest was really told (its CPUID) and which
 * features of the model it could not provide, with the accelerator's own
 * words, so the report can list them as untestable rather than drop them.
 */
#ifndef CPUBENCH_BACKEND_H
#define CPUBENCH_BACKEND_H

#include <stdbool.h>

#include "vmm/kvm.h"
#include "catalog/mask.h"
#include "qemu/qemu_vm.h"
#include "vmm/runner.h"

#define BACKEND_MAX_DROPPED 96

struct backend_drop {
	int feature;			/* feature database index */
	char why[200];			/* the accelerator's own message */
};

struct backend_result {
	struct mb_os os;		/* what the guest OS enabled */
	struct kvm_cpuid2 *told;	/* the CPUID the guest was given (malloc'ed) */
	bool told_by_guest;		/* read by the guest itself (QEMU) */
	unsigned int ndropped;
	struct backend_drop dropped[BACKEND_MAX_DROPPED];
};

struct backend {
	enum backend_kind kind;		/* named in reports */
	enum backend_kind table;	/* whose table judges leaks and errors */
	bool qemu;
	bool kvm_open;
	struct kvm_sys kvm;		/* the kvm backend */
	const char *qemu_binary;	/* qemu backends */
	featureset_t host;		/* what the model "host" means here */
};

/*
 * Opens backend @name ("kvm", "qemu-tcg", "qemu-kvm"). @kvm_device is the
 * KVM device for "kvm". Returns 0, or -1 with err_set(): EXIT_USAGE for
 * an unknown name, EXIT_ENV when the backend cannot run here.
 */
int backend_open(struct backend *b, const char *name, const char *kvm_device);
void backend_close(struct backend *b);

/*
 * Runs @plan under the resolved model @mask: fills every result's outcome
 * and @out. Returns 0, or -1 with err_set() when no guest could run.
 * Free @out with backend_result_free().
 */
int backend_run(struct backend *b, const struct mask *mask,
		struct run_plan *plan, struct backend_result *out);
void backend_result_free(struct backend_result *out);

/* The QEMU implementation of backend_run() (backend_qemu.c). */
int backend_qemu_run(struct backend *b, const struct mask *mask,
		     struct run_plan *plan, struct backend_result *out);

/*
 * QEMU helpers shared with `cpubench migrate` (backend_qemu.c): a private
 * temporary directory holding guest.elf (and mailbox.bin, qmp.sock,
 * state.bin), and the start of QEMU under @mask with the drop-and-retry
 * rule above. mailbox.bin must be written before qemu_start_model().
 */
int qemu_workdir_create(char *dir, size_t len);
void qemu_workdir_remove(const char *dir);
int qemu_start_model(struct backend *b, const struct mask *mask,
		     struct backend_result *out, struct qemu_vm *vm,
		     const char *dir, const char *qmp, const char *incoming);

/* Builds a kvm_cpuid2 from the leaves the guest recorded (mb->cpuid). */
struct kvm_cpuid2 *backend_cpuid_from_guest(const struct mailbox *mb);

#endif
