// SPDX-License-Identifier: GPL-2.0-only
#include "vmm/vcpu_state.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "guestcode/x86_arch.h"
#include "lib/err.h"

/*
 * The MSRs the guest payload touches or a guest OS relies on after a
 * migration; those this KVM does not know are skipped.
 */
static const uint32_t migrated_msrs[] = {
	MSR_IA32_TSC, MSR_IA32_FEATURE_CONTROL, MSR_IA32_PAT, MSR_IA32_XSS,
	MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SYSCALL_MASK, MSR_KERNEL_GS_BASE,
	MSR_TSC_AUX,
};

int vcpu_complete_io(struct vcpu *vcpu)
{
	int ret;

	vcpu->run->immediate_exit = 1;
	ret = vcpu_run(vcpu);
	vcpu->run->immediate_exit = 0;
	/* KVM completes the pending I/O, then returns EINTR at once */
	return ret < 0 ? -1 : 0;
}

static int vcpu_ioctl(struct vcpu *vcpu, unsigned long req, void *arg,
		      const char *name)
{
	if (ioctl(vcpu->fd, req, arg) < 0)
		return err_set_errno(errno, "ioctl %s failed", name);
	return 0;
}

/* KVM_GET_XSAVE2 when the area can exceed 4 KiB (AMX), else KVM_GET_XSAVE. */
static int save_xsave(struct vm *vm, struct vcpu_state *s)
{
	int size = ioctl(vm->fd, KVM_CHECK_EXTENSION, KVM_CAP_XSAVE2);

	s->xsave_size = size > (int)sizeof(struct kvm_xsave) ? (size_t)size
							      : sizeof(struct kvm_xsave);
	s->xsave = calloc(1, s->xsave_size);
	if (!s->xsave)
		return err_set("out of memory");
	if (s->xsave_size > sizeof(struct kvm_xsave))
		return vcpu_ioctl(&vm->vcpu, KVM_GET_XSAVE2, s->xsave, "KVM_GET_XSAVE2");
	return vcpu_ioctl(&vm->vcpu, KVM_GET_XSAVE, s->xsave, "KVM_GET_XSAVE");
}

/*
 * KVM_GET_MSRS/KVM_SET_MSRS on one MSR (@e in, and out for GET): returns
 * the ioctl's result, the number of MSRs done, or -1 (errno set).
 */
static int msr_ioctl(struct vcpu *vcpu, unsigned long req, struct kvm_msr_entry *e)
{
	struct kvm_msrs *one = calloc(1, sizeof(*one) + sizeof(*e));
	int ret;

	if (!one) {
		errno = ENOMEM;
		return -1;
	}
	one->nmsrs = 1;
	one->entries[0] = *e;
	ret = ioctl(vcpu->fd, req, one);
	*e = one->entries[0];
	free(one);
	return ret;
}

/* One MSR at a time: KVM_GET_MSRS stops at the first one it refuses. */
static void save_msrs(struct vcpu *vcpu, struct vcpu_state *s)
{
	s->nmsrs = 0;
	for (size_t i = 0; i < sizeof(migrated_msrs) / sizeof(migrated_msrs[0]); i++) {
		struct kvm_msr_entry e = { .index = migrated_msrs[i] };

		if (msr_ioctl(vcpu, KVM_GET_MSRS, &e) == 1)
			s->msrs[s->nmsrs++] = e;
	}
}

int vcpu_state_save(struct vm *vm, struct vcpu_state *s)
{
	struct vcpu *vcpu = &vm->vcpu;

	memset(s, 0, sizeof(*s));
	if (vcpu_get_regs(vcpu, &s->regs) || vcpu_get_sregs(vcpu, &s->sregs) ||
	    save_xsave(vm, s) ||
	    vcpu_ioctl(vcpu, KVM_GET_VCPU_EVENTS, &s->events, "KVM_GET_VCPU_EVENTS") ||
	    vcpu_ioctl(vcpu, KVM_GET_DEBUGREGS, &s->debugregs, "KVM_GET_DEBUGREGS"))
		return -1;
	/*
	 * Restore only what a GET returned: a KVM without XSAVE answers
	 * KVM_GET_XCRS with no XCR at all and refuses any KVM_SET_XCRS.
	 */
	s->has_xcrs = !ioctl(vcpu->fd, KVM_GET_XCRS, &s->xcrs) && s->xcrs.nr_xcrs;
	save_msrs(vcpu, s);
	s->mem = malloc(vm->mem_size);
	if (!s->mem)
		return err_set("out of memory for a copy of guest memory");
	memcpy(s->mem, vm->mem, vm->mem_size);
	s->mem_size = vm->mem_size;
	return 0;
}

/* Records the first refused step; returns 1 (one refusal) or 0. */
static int note_refusal(int failed, char *refused, size_t len, const char *extra)
{
	if (!failed)
		return 0;
	if (refused[0] == '\0')
		snprintf(refused, len, "%s%s", err_msg(), extra);
	return 1;
}

/* CR4 enables KVM refuses when B's CPUID lacks their feature. */
static const struct {
	uint64_t bit;
	const char *name;
} cpuid_gated_cr4[] = {
	{ X86_CR4_OSXSAVE, "OSXSAVE" }, { X86_CR4_FSGSBASE, "FSGSBASE" },
	{ X86_CR4_PKE, "PKE" }, { X86_CR4_SMEP, "SMEP" }, { X86_CR4_SMAP, "SMAP" },
	{ X86_CR4_UMIP, "UMIP" }, { X86_CR4_PCIDE, "PCIDE" }, { X86_CR4_VMXE, "VMXE" },
	{ X86_CR4_CET, "CET" },
};

/*
 * SREGS. If KVM refuses them, that is the refusal a live migration meets;
 * to let the guest show what it would then meet, retry without the CR4
 * enables B's CPUID does not allow (a guest whose kernel lost them).
 */
static int restore_sregs(struct vcpu *vcpu, const struct vcpu_state *s,
			 char *refused, size_t len)
{
	struct kvm_sregs sregs = s->sregs;
	char dropped[160] = "";
	size_t off = 0;

	if (!vcpu_set_sregs(vcpu, &sregs))
		return 0;
	note_refusal(1, refused, len, "");
	for (size_t i = 0; i < sizeof(cpuid_gated_cr4) / sizeof(cpuid_gated_cr4[0]); i++) {
		if (!(sregs.cr4 & cpuid_gated_cr4[i].bit))
			continue;
		sregs.cr4 &= ~cpuid_gated_cr4[i].bit;
		off += snprintf(dropped + off, sizeof(dropped) - off, "%s%s",
				off ? ", " : "", cpuid_gated_cr4[i].name);
		if (off >= sizeof(dropped))
			off = sizeof(dropped) - 1;
		if (!vcpu_set_sregs(vcpu, &sregs)) {
			size_t used = strlen(refused);

			snprintf(refused + used, len - used,
				 " (CR4 0x%llx); resumed with CR4.%s cleared",
				 (unsigned long long)s->sregs.cr4, dropped);
			return 1;
		}
	}
	return err_set("KVM refuses the guest's special registers even without "
		       "its CPUID-gated CR4 bits: %s", refused);
}

/*
 * MSRs one by one. KVM refuses an MSR whose feature B's CPUID lacks (e.g.
 * IA32_XSS without xsaves) even from userspace; when the saved value is 0,
 * the reset value, there is no state to lose, so that is not a refusal.
 */
static int restore_msrs(struct vcpu *vcpu, const struct vcpu_state *s,
			char *refused, size_t len)
{
	int n = 0;

	for (uint32_t i = 0; i < s->nmsrs; i++) {
		struct kvm_msr_entry e = s->msrs[i];
		int ret = msr_ioctl(vcpu, KVM_SET_MSRS, &e);

		if (ret == 1 || (ret == 0 && !e.data))
			continue;
		if (ret < 0)
			err_set_errno(errno, "ioctl KVM_SET_MSRS failed");
		else
			err_set("ioctl KVM_SET_MSRS refused MSR 0x%x = 0x%llx", e.index,
				(unsigned long long)e.data);
		n += note_refusal(1, refused, len, "");
	}
	return n;
}

int vcpu_state_restore(struct vm *vm, const struct vcpu_state *s,
		       char *refused, size_t len)
{
	struct vcpu *vcpu = &vm->vcpu;
	char xcr0[64] = "";
	int n = 0, ret;

	refused[0] = '\0';
	if (vm->mem_size != s->mem_size)
		return err_set("cannot restore %zu bytes of guest memory into %zu",
			       s->mem_size, vm->mem_size);
	memcpy(vm->mem, s->mem, s->mem_size);
	ret = restore_sregs(vcpu, s, refused, len);
	if (ret < 0)
		return -1;
	n += ret;
	n += note_refusal(vcpu_set_regs(vcpu, &s->regs), refused, len, "");
	/* KVM_SET_XSAVE takes the larger KVM_GET_XSAVE2 area as well */
	n += note_refusal(vcpu_ioctl(vcpu, KVM_SET_XSAVE, s->xsave, "KVM_SET_XSAVE"),
			  refused, len, "");
	if (s->has_xcrs) {
		for (uint32_t i = 0; i < s->xcrs.nr_xcrs; i++)
			if (s->xcrs.xcrs[i].xcr == 0)
				snprintf(xcr0, sizeof(xcr0), " (XCR0 0x%llx)",
					 (unsigned long long)s->xcrs.xcrs[i].value);
		n += note_refusal(vcpu_ioctl(vcpu, KVM_SET_XCRS, (void *)&s->xcrs,
					     "KVM_SET_XCRS"), refused, len, xcr0);
	}
	n += restore_msrs(vcpu, s, refused, len);
	n += note_refusal(vcpu_ioctl(vcpu, KVM_SET_VCPU_EVENTS, (void *)&s->events,
				     "KVM_SET_VCPU_EVENTS"), refused, len, "");
	n += note_refusal(vcpu_ioctl(vcpu, KVM_SET_DEBUGREGS, (void *)&s->debugregs,
				     "KVM_SET_DEBUGREGS"), refused, len, "");
	return n;
}

void vcpu_state_free(struct vcpu_state *s)
{
	free(s->xsave);
	free(s->mem);
	s->xsave = NULL;
	s->mem = NULL;
}
