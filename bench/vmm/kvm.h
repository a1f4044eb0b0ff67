/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Thin wrappers over the /dev/kvm ioctl API: one system handle, one VM with
 * one memory slot and one vCPU. Every failure records an error that names
 * the ioctl and errno (see err.h) and returns -1 / NULL.
 */
#ifndef CPUBENCH_KVM_H
#define CPUBENCH_KVM_H

#include <linux/kvm.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu/backend_kind.h"

#define KVM_DEFAULT_DEVICE "/dev/kvm"

struct kvm_sys {
	int fd;
	int vcpu_mmap_size;
	enum backend_kind kind;
	struct kvm_cpuid2 *supported;	/* KVM_GET_SUPPORTED_CPUID, owned */
};

struct vcpu {
	int fd;
	struct kvm_run *run;
	int mmap_size;
};

struct vm {
	int fd;
	uint8_t *mem;		/* guest-physical 0 .. mem_size */
	size_t mem_size;
	struct vcpu vcpu;
};

/*
 * Opens the KVM device at @path, checks the API version and the capabilities
 * cpubench needs, detects the backend kind and reads the supported CPUID.
 * On failure the error class is EXIT_ENV (the environment cannot run guests).
 */
int kvm_sys_open(struct kvm_sys *kvm, const char *path);
void kvm_sys_close(struct kvm_sys *kvm);

/*
 * Detects the backend kind from the loaded modules below @sysfs_module_dir
 * (normally "/sys/module"): kvm_intel, kvm_amd or kvm_pvm.
 * Returns -1 when none is loaded.
 */
int kvm_detect_backend(const char *sysfs_module_dir);

/* Creates a VM with @mem_size bytes of guest memory at GPA 0 and one vCPU. */
struct vm *vm_create(struct kvm_sys *kvm, size_t mem_size);
void vm_destroy(struct vm *vm);

/* Returns a pointer to guest-physical @gpa, or NULL if out of range. */
void *vm_gpa(struct vm *vm, uint64_t gpa, size_t len);

int vcpu_set_cpuid(struct vcpu *vcpu, const struct kvm_cpuid2 *cpuid);
int vcpu_get_regs(struct vcpu *vcpu, struct kvm_regs *regs);
int vcpu_set_regs(struct vcpu *vcpu, const struct kvm_regs *regs);
int vcpu_get_sregs(struct vcpu *vcpu, struct kvm_sregs *sregs);
int vcpu_set_sregs(struct vcpu *vcpu, const struct kvm_sregs *sregs);

/*
 * Runs the vCPU once. Returns 0 on an exit (see vcpu->run->exit_reason),
 * 1 when KVM_RUN was interrupted by a signal (EINTR: the watchdog), -1 on
 * error.
 */
int vcpu_run(struct vcpu *vcpu);


#endif
