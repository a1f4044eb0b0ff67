// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest "OS": installs the IDT, enables what the guest OS mode asks
 * for, runs the host's probe plan and reports through the mailbox.
 */
#include <stdint.h>

#include "guest.h"
#include "mailbox.h"
#include "x86.h"

struct guest_fault guest_fault;

/* CR4 and EFER as the guest OS set them (os_setup). */
static uint64_t os_cr4, os_efer;

struct idt_gate {
	uint16_t offset0;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset1;
	uint32_t offset2;
	uint32_t reserved;
} __attribute__((packed));

static struct idt_gate idt[256] __attribute__((aligned(16)));

static void idt_set(int vec, uint64_t handler, int dpl)
{
	idt[vec] = (struct idt_gate){
		.offset0 = handler & 0xffff,
		.selector = SEL_KERNEL_CS,
		.type_attr = 0x8e | (dpl << 5),	/* present, 64-bit interrupt gate */
		.offset1 = (handler >> 16) & 0xffff,
		.offset2 = handler >> 32,
	};
}

static void idt_init(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr = { sizeof(idt) - 1, (uint64_t)idt };

	for (int i = 0; i < 32; i++)
		idt_set(i, exc_stubs[i], 0);
	asm volatile("lidt %0" : : "m"(idtr));
}

/*
 * Runs fn(arg) at CPL0 with the fixup armed; returns the vector, or -1 if
 * it completed. If the host had to step over it (KVM could not emulate it,
 * or it hung), that counts as a refusal: MB_HOST_SKIPPED.
 */
static int kernel_call_safe(guest_fn fn, uint64_t arg)
{
	struct mailbox *mb = (struct mailbox *)MB_GPA;

	guest_fault.valid = 0;
	mb->status.host_skipped = 0;
	run_kernel(fn, arg);
	if (mb->status.host_skipped)
		return MB_HOST_SKIPPED;
	return guest_fault.valid ? (int)guest_fault.vector : -1;
}

/* One line of enables.def, as the guest needs it. */
struct os_enable {
	uint8_t reg;		/* ENABLE_CR4, ENABLE_XCR0 */
	uint8_t modes;		/* ENABLE_LINUX | ENABLE_RAW */
	uint8_t cpuid_reg;	/* 0 eax, 1 ebx, 2 ecx, 3 edx */
	uint8_t cpuid_bit;
	uint32_t leaf, subleaf;
	uint64_t bits;
};

static const struct os_enable os_enables[] = {
#define ENABLE(sym, name, reg, bits, feature, leaf, subleaf, cpuid_reg, cpuid_bit, \
	       modes, kvm_checks, insn) \
	{ reg, modes, cpuid_reg, cpuid_bit, leaf, subleaf, bits },
#include "enables.def"
#undef ENABLE
};

/*
 * CPUID as the guest read it at boot (guest_cpuid_dump(), before the OS
 * sets itself up), as Linux reads it once: every CPUID is a VM exit on
 * VMX and SVM, and an emulated instruction on PVM. A leaf it did not dump
 * is read again.
 */
static struct cpuid_regs cpuid_boot(uint32_t leaf, uint32_t subleaf)
{
	const struct mb_cpuid_leaf *l = ((const struct mailbox *)MB_GPA)->cpuid;

	for (int i = 0; i < MB_CPUID_LEAVES - 1; i++)
		if (l[i].leaf == leaf && l[i].subleaf == subleaf)
			return (struct cpuid_regs){ l[i].eax, l[i].ebx, l[i].ecx, l[i].edx };
	return cpuid(leaf, subleaf);
}

static int cpuid_has(uint32_t leaf, uint32_t subleaf, int reg, int bit)
{
	struct cpuid_regs r;
	uint32_t v;

	if (leaf > cpuid_boot(leaf & CPUID_EXT_BASE, 0).eax)
		return 0;
	r = cpuid_boot(leaf, subleaf);
	v = reg == 0 ? r.eax : reg == 1 ? r.ebx : reg == 2 ? r.ecx : r.edx;
	return (v >> bit) & 1;
}

/* Whether the guest OS mode sets enable @e: Linux's rule, or raw's. */
static int os_wants(const struct os_enable *e, int raw)
{
	if (raw)
		return e->modes & ENABLE_RAW;
	return (e->modes & ENABLE_LINUX) &&
	       cpuid_has(e->leaf, e->subleaf, e->cpuid_reg, e->cpuid_bit);
}

static void os_enable_cr4(struct mb_os *os, int raw)
{
	uint64_t cr4 = read_cr4();

	for (unsigned i = 0; i < sizeof(os_enables) / sizeof(os_enables[0]); i++) {
		const struct os_enable *e = &os_enables[i];

		if (e->reg != ENABLE_CR4 || !os_wants(e, raw))
			continue;
		if (kernel_call_safe(insn_write_cr4, cr4 | e->bits) < 0)
			cr4 |= e->bits;
		else
			os->cr4_refused |= e->bits;
	}
}

/*
 * XCR0 as Linux sets it: the user state groups leaf 0xD.0 advertises,
 * group by group on top of x87|SSE (AVX-512 states need YMM), so one
 * refusal does not hide the others. Raw mode asks for every group.
 */
static uint64_t os_enable_xcr0(struct mb_os *os, int raw)
{
	uint64_t xcr0 = 0;

	if (!(read_cr4() & X86_CR4_OSXSAVE))
		return 0;
	for (unsigned i = 0; i < sizeof(os_enables) / sizeof(os_enables[0]); i++) {
		const struct os_enable *e = &os_enables[i];

		if (e->reg != ENABLE_XCR0 || !os_wants(e, raw))
			continue;
		if (kernel_call_safe(insn_xsetbv0, xcr0 | e->bits) < 0)
			xcr0 |= e->bits;
		else
			os->xcr0_refused |= e->bits;
	}
	return xcr0;
}

/*
 * Linux arms XFD for tile data where the CPU has it (xfd): a task gets
 * the AMX state on its first use, after asking for it (arch_prctl
 * ARCH_REQ_XCOMP_PERM), through the #NM that entry.S answers. Every stint
 * of probes (run_stint()) stands for such a task: XFD is armed at boot
 * and re-armed after a stint that was granted the state.
 */
static void os_arm_xfd(struct mb_os *os, uint64_t xcr0)
{
	if (!(xcr0 & X86_XSTATE_XTILEDATA) || !cpuid_has(0xd, 1, 0, CPUID_D1_EAX_XFD_BIT))
		return;
	if (kernel_call_safe(insn_write_xfd, X86_XSTATE_XTILEDATA) < 0)
		xfd_armed = os->xfd_armed = 1;
}

/* What the guest is told it runs on: vendor, leaf 1 EAX, brand string. */
static void os_read_identity(struct mb_os *os)
{
	struct cpuid_regs r = cpuid_boot(0, 0);

	os->vendor[0] = r.ebx;
	os->vendor[1] = r.edx;
	os->vendor[2] = r.ecx;
	os->cpuid1_eax = cpuid_boot(1, 0).eax;
	if (cpuid_boot(0x80000000, 0).eax < 0x80000004)
		return;
	for (uint32_t i = 0; i < 3; i++) {
		r = cpuid(0x80000002 + i, 0);
		os->brand[4 * i] = r.eax;
		os->brand[4 * i + 1] = r.ebx;
		os->brand[4 * i + 2] = r.ecx;
		os->brand[4 * i + 3] = r.edx;
	}
}

static void os_setup(struct mb_os *os, int raw)
{
	os->cpuid1_ecx = cpuid_boot(1, 0).ecx;
	os->cpuid1_edx = cpuid_boot(1, 0).edx;
	os->cpuid7_ebx = cpuid_boot(7, 0).ebx;
	os->cpuid7_ecx = cpuid_boot(7, 0).ecx;
	os_read_identity(os);
	os_enable_cr4(os, raw);
	/* Not read back with XGETBV: KVM's emulator (PVM ring 0) lacks it. */
	os->xcr0 = os_enable_xcr0(os, raw);
	os_arm_xfd(os, os->xcr0);
	os->cr0 = read_cr0();
	os->cr4 = os_cr4 = read_cr4();
	os->efer = os_efer = rdmsr(MSR_EFER);
}

/* Ring-0 probes run from the supervisor alias of the user image (SMEP). */
static guest_fn kernel_alias(guest_fn fn)
{
	return (guest_fn)((uint64_t)fn - GUEST_USER_GPA + GUEST_USER_ALIAS_GPA);
}

/* The stint record (mailbox.h), as the kernel reaches it: through the
 * supervisor alias, which SMAP allows. */
static struct mb_stint *const stint =
	(struct mb_stint *)(MB_STINT_GPA - GUEST_USER_GPA + GUEST_USER_ALIAS_GPA);

/*
 * One REP MOVSQ: where KVM runs guest ring 0 through its instruction
 * emulator (PVM), one emulated instruction however long the copy.
 */
static void copy_qwords(void *dst, const void *src, uint64_t n)
{
	asm volatile("rep movsq" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}

/*
 * Runs the plan entries from @first on while they are of its ring, in one
 * stint (entry.S: stint_loop), and copies the records of those that
 * completed. Returns where the next stint starts: after the entry that
 * ended this one by a fault (recorded here) or by the host stepping over
 * it (left MB_NOT_RUN: the host knows why). Under QEMU a stint is one
 * entry, so that guest_progress() reports each.
 */
static uint32_t run_stint(struct mailbox *mb, uint32_t first, uint32_t n)
{
	uint32_t ring = mb->plan.entries[first].ring, next, grants = xfd_grants;
	struct mb_result *r;

	stint->next = first;
	stint->end = guest_booted_pvh ? first + 1 : n;
	stint->ring = ring;
	guest_fault.valid = 0;
	if (ring == 3)
		run_user(stint_loop, GUEST_USER_GPA + GUEST_USER_SIZE - 64);
	else
		run_kernel(kernel_alias(stint_loop), 0);
	/* a stint stands for one task (os_arm_xfd()): the next gets XFD armed */
	if (xfd_grants != grants)
		wrmsr(MSR_IA32_XFD, X86_XSTATE_XTILEDATA);
	next = stint->next;
	if (next < first || next > n)
		next = first;	/* a probe wrote over the record: go on */
	copy_qwords(&mb->results[first], &stint->results[first],
		    (next - first) * sizeof(*r) / 8);
	if (next >= stint->end || mb->plan.entries[next].ring != ring)
		return next;
	r = &mb->results[next];
	if (guest_fault.valid) {
		*r = (struct mb_result){
			.probe = mb->plan.entries[next].probe, .ring = ring,
			.status = MB_FAULTED, .vector = guest_fault.vector,
			.error_code = guest_fault.error_code, .rip = guest_fault.rip,
		};
	}
	/*
	 * A ring-0 probe may fault half-way, leaving an enable behind (the
	 * vmx probe's CR4.VMXE when VMXON faults); one that completes puts
	 * back what it changed. So after a fault, CR4 and EFER go back to
	 * what the guest OS set, and no probe depends on the one before.
	 */
	if (ring == 0) {
		if (read_cr4() != os_cr4)
			kernel_call_safe(insn_write_cr4, os_cr4);
		if (rdmsr(MSR_EFER) != os_efer)
			wrmsr(MSR_EFER, os_efer);
	}
	return next + 1;
}

void guest_main(void)
{
	struct mailbox *mb = (struct mailbox *)MB_GPA;
	uint32_t n = mb->plan.nprobes;

	idt_init();
	guest_cpuid_dump(mb);
	if (mb->plan.magic != MB_MAGIC || mb->plan.version != MB_VERSION)
		n = 0;
	mb->status.current = MB_SETUP;
	os_setup(&mb->os, mb->plan.guest_os == GUEST_OS_RAW);
	mb->os.booted = 1;
	if (mb->migrate.requested) {
		migrate_run(mb);
		n = 0;
	}
	if (n > MB_MAX_PROBES)
		n = MB_MAX_PROBES;
	/* where stint_loop, at CPL3 too, reads the plan */
	copy_qwords(stint->entries, mb->plan.entries,
		    (n * sizeof(mb->plan.entries[0]) + 7) / 8);
	mb->status.current = MB_STINT;
	for (uint32_t i = 0; i < n;) {
		guest_progress(mb, i);
		i = run_stint(mb, i, n);
	}
	mb->status.current = n;
	mb->os.xfd_grants = xfd_grants;
	guest_signal(MB_PORT_DONE);
}
