// SPDX-License-Identifier: GPL-2.0-only
#include "vmm/kvm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cpu/cpuid_builder.h"
#include "guestcode/x86_arch.h"
#include "lib/err.h"

/* The kernel module that provides each backend, as named in /sys/module. */
static const char *const backend_modules[BACKEND_NR] = {
	[BACKEND_KVM_VMX] = "kvm_intel",
	[BACKEND_KVM_SVM] = "kvm_amd",
	[BACKEND_KVM_PVM] = "kvm_pvm",
};

int kvm_detect_backend(const char *sysfs_module_dir)
{
	char path[512];
	struct stat st;

	/* PVM first: it can be loaded beside an idle kvm_amd/kvm_intel. */
	static const enum backend_kind order[] = {
		BACKEND_KVM_PVM, BACKEND_KVM_VMX, BACKEND_KVM_SVM,
	};
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", sysfs_module_dir,
			 backend_modules[order[i]]);
		if (!stat(path, &st) && S_ISDIR(st.st_mode))
			return order[i];
	}
	return -1;
}


static struct kvm_cpuid2 *kvm_get_supported_cpuid(int fd)
{
	for (unsigned int nent = 64; nent <= 4096; nent *= 2) {
		struct kvm_cpuid2 *c = cpuid2_alloc(nent);

		if (!c) {
			err_set("out of memory");
			return NULL;
		}
		if (!ioctl(fd, KVM_GET_SUPPORTED_CPUID, c))
			return c;
		free(c);
		if (errno != E2BIG) {
			err_set_errno(errno, "ioctl KVM_GET_SUPPORTED_CPUID failed");
			return NULL;
		}
	}
	err_set("ioctl KVM_GET_SUPPORTED_CPUID: more than 4096 entries");
	return NULL;
}

/* Capabilities without which cpubench cannot set up its guest. */
static const struct {
	int cap;
	const char *name;
} required_caps[] = {
	{ KVM_CAP_USER_MEMORY, "KVM_CAP_USER_MEMORY" },
	{ KVM_CAP_EXT_CPUID, "KVM_CAP_EXT_CPUID" },
	{ KVM_CAP_IMMEDIATE_EXIT, "KVM_CAP_IMMEDIATE_EXIT" },
};

static int kvm_sys_env_error(struct kvm_sys *kvm)
{
	kvm_sys_close(kvm);
	err_set_class(EXIT_ENV);
	return -1;
}

/*
 * Linux hands AMX tile data (XSTATE 18) to a guest only once the VMM asked
 * for it (arch_prctl ARCH_REQ_XCOMP_GUEST_PERM); until then
 * KVM_GET_SUPPORTED_CPUID hides AMX and KVM refuses XCR0 tile states. Must
 * come before the supported CPUID is read. Fails, harmlessly, on kernels
 * or CPUs without AMX.
 */
#define ARCH_REQ_XCOMP_GUEST_PERM	0x1025

static void kvm_request_amx(void)
{
	(void)syscall(SYS_arch_prctl, ARCH_REQ_XCOMP_GUEST_PERM, X86_XSTATE_XTILEDATA_BIT);
}

int kvm_sys_open(struct kvm_sys *kvm, const char *path)
{
	int ret, kind;

	memset(kvm, 0, sizeof(*kvm));
	kvm->fd = open(path, O_RDWR | O_CLOEXEC);
	if (kvm->fd < 0) {
		int e = errno;

		if (e == ENOENT)
			err_set("%s does not exist: load the kvm module (e.g. modprobe kvm_intel or kvm_amd) or run on a host with KVM", path);
		else if (e == EACCES || e == EPERM)
			err_set("no permission to open %s: run as root or add this user to the 'kvm' group", path);
		else
			err_set_errno(e, "cannot open %s", path);
		return kvm_sys_env_error(kvm);
	}
	ret = ioctl(kvm->fd, KVM_GET_API_VERSION, 0);
	if (ret < 0) {
		err_set_errno(errno, "ioctl KVM_GET_API_VERSION on %s failed (is it a KVM device?)", path);
		return kvm_sys_env_error(kvm);
	}
	if (ret != KVM_API_VERSION) {
		err_set("%s speaks KVM API version %d, cpubench needs %d", path, ret, KVM_API_VERSION);
		return kvm_sys_env_error(kvm);
	}
	for (size_t i = 0; i < sizeof(required_caps) / sizeof(required_caps[0]); i++) {
		ret = ioctl(kvm->fd, KVM_CHECK_EXTENSION, required_caps[i].cap);
		if (ret <= 0) {
			err_set("KVM at %s lacks %s: a newer kernel is needed", path, required_caps[i].name);
			return kvm_sys_env_error(kvm);
		}
	}
	kvm->vcpu_mmap_size = ioctl(kvm->fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (kvm->vcpu_mmap_size < (int)sizeof(struct kvm_run)) {
		err_set_errno(errno, "ioctl KVM_GET_VCPU_MMAP_SIZE failed");
		return kvm_sys_env_error(kvm);
	}
	kind = kvm_detect_backend("/sys/module");
	if (kind < 0) {
		err_set("cannot tell the KVM backend: none of kvm_intel, kvm_amd, kvm_pvm is in /sys/module");
		return kvm_sys_env_error(kvm);
	}
	kvm->kind = kind;
	kvm_request_amx();
	kvm->supported = kvm_get_supported_cpuid(kvm->fd);
	if (!kvm->supported)
		return kvm_sys_env_error(kvm);
	return 0;
}

void kvm_sys_close(struct kvm_sys *kvm)
{
	if (kvm->fd > 0)
		close(kvm->fd);
	free(kvm->supported);
	kvm->supported = NULL;
	kvm->fd = -1;
}

void vm_destroy(struct vm *vm)
{
	if (!vm)
		return;
	if (vm->vcpu.run)
		munmap(vm->vcpu.run, vm->vcpu.mmap_size);
	if (vm->vcpu.fd >= 0)
		close(vm->vcpu.fd);
	if (vm->mem)
		munmap(vm->mem, vm->mem_size);
	if (vm->fd >= 0)
		close(vm->fd);
	free(vm);
}

struct vm *vm_create(struct kvm_sys *kvm, size_t mem_size)
{
	struct kvm_userspace_memory_region region;
	struct vm *vm;

	vm = calloc(1, sizeof(*vm));
	if (!vm) {
		err_set("out of memory");
		return NULL;
	}
	vm->vcpu.fd = -1;
	vm->fd = ioctl(kvm->fd, KVM_CREATE_VM, 0);
	if (vm->fd < 0) {
		err_set_errno(errno, "ioctl KVM_CREATE_VM failed");
		goto fail;
	}
	vm->mem_size = mem_size;
	vm->mem = mmap(NULL, mem_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (vm->mem == MAP_FAILED) {
		vm->mem = NULL;
		err_set_errno(errno, "mmap of %zu bytes of guest memory failed", mem_size);
		goto fail;
	}
	/*
	 * The guest touches a few dozen pages; with transparent huge pages
	 * each 2 MiB range it touches would cost a zeroed huge page (measured
	 * nested: 8 MiB more peak RSS a VM). Advice only: ignore a refusal.
	 */
	(void)madvise(vm->mem, mem_size, MADV_NOHUGEPAGE);
	region = (struct kvm_userspace_memory_region){
		.slot = 0,
		.guest_phys_addr = 0,
		.memory_size = mem_size,
		.userspace_addr = (uintptr_t)vm->mem,
	};
	if (ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &region) < 0) {
		err_set_errno(errno, "ioctl KVM_SET_USER_MEMORY_REGION failed");
		goto fail;
	}
	vm->vcpu.fd = ioctl(vm->fd, KVM_CREATE_VCPU, 0);
	if (vm->vcpu.fd < 0) {
		err_set_errno(errno, "ioctl KVM_CREATE_VCPU failed");
		goto fail;
	}
	vm->vcpu.mmap_size = kvm->vcpu_mmap_size;
	vm->vcpu.run = mmap(NULL, kvm->vcpu_mmap_size, PROT_READ | PROT_WRITE,
			    MAP_SHARED, vm->vcpu.fd, 0);
	if (vm->vcpu.run == MAP_FAILED) {
		vm->vcpu.run = NULL;
		err_set_errno(errno, "mmap of the vCPU's kvm_run area failed");
		goto fail;
	}
	return vm;
fail:
	err_set_class(EXIT_ENV);
	vm_destroy(vm);
	return NULL;
}

void *vm_gpa(struct vm *vm, uint64_t gpa, size_t len)
{
	if (gpa > vm->mem_size || len > vm->mem_size - gpa)
		return NULL;
	return vm->mem + gpa;
}

#define VCPU_IOCTL(vcpu, req, arg)					\
	(ioctl((vcpu)->fd, (req), (arg)) < 0 ?				\
	 err_set_errno(errno, "ioctl " #req " failed") : 0)

int vcpu_set_cpuid(struct vcpu *vcpu, const struct kvm_cpuid2 *cpuid)
{
	return VCPU_IOCTL(vcpu, KVM_SET_CPUID2, cpuid);
}

int vcpu_get_regs(struct vcpu *vcpu, struct kvm_regs *regs)
{
	return VCPU_IOCTL(vcpu, KVM_GET_REGS, regs);
}

int vcpu_set_regs(struct vcpu *vcpu, const struct kvm_regs *regs)
{
	return VCPU_IOCTL(vcpu, KVM_SET_REGS, regs);
}

int vcpu_get_sregs(struct vcpu *vcpu, struct kvm_sregs *sregs)
{
	return VCPU_IOCTL(vcpu, KVM_GET_SREGS, sregs);
}

int vcpu_set_sregs(struct vcpu *vcpu, const struct kvm_sregs *sregs)
{
	return VCPU_IOCTL(vcpu, KVM_SET_SREGS, sregs);
}

int vcpu_run(struct vcpu *vcpu)
{
	if (ioctl(vcpu->fd, KVM_RUN, 0) < 0) {
		if (errno == EINTR)
			return 1;
		return err_set_errno(errno, "ioctl KVM_RUN failed");
	}
	return 0;
}
