/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * x86 architectural bits, each named once for the guest (C and assembler)
 * and the host alike, as KVM selftests' processor.h does. Sources: Intel
 * SDM vol. 3A (2.5 control registers, 4.5 paging, 2.2.1 EFER), vol. 1
 * (13.1 XSAVE state components), vol. 2A (CPUID); AMD APM vol. 2.
 *
 * Every register bit comes as NAME_BIT (its number, for assembler shifts
 * and tests) and NAME (the mask). Nothing else in bench/ or guestcode/
 * spells an architectural bit as a literal.
 */
#ifndef CPUBENCH_X86_ARCH_H
#define CPUBENCH_X86_ARCH_H

#ifdef __ASSEMBLER__
#define X86_BIT(n)		(1 << (n))
#else
#define X86_BIT(n)		(1ULL << (n))
#endif

/* Exception vectors the guest OS handles itself */
#define X86_VEC_NM		7	/* device not available (XFD) */

/* RFLAGS: bit 1 is reserved and always set */
#define X86_RFLAGS_FIXED	0x2

/* CR0 */
#define X86_CR0_PE_BIT		0	/* protection enable */
#define X86_CR0_MP_BIT		1	/* monitor coprocessor */
#define X86_CR0_ET_BIT		4	/* extension type (always 1) */
#define X86_CR0_NE_BIT		5	/* native x87 error reporting */
#define X86_CR0_WP_BIT		16	/* write protect at CPL0 */
#define X86_CR0_PG_BIT		31	/* paging */
#define X86_CR0_PE		X86_BIT(X86_CR0_PE_BIT)
#define X86_CR0_MP		X86_BIT(X86_CR0_MP_BIT)
#define X86_CR0_ET		X86_BIT(X86_CR0_ET_BIT)
#define X86_CR0_NE		X86_BIT(X86_CR0_NE_BIT)
#define X86_CR0_WP		X86_BIT(X86_CR0_WP_BIT)
#define X86_CR0_PG		X86_BIT(X86_CR0_PG_BIT)

/* CR4 */
#define X86_CR4_PAE_BIT		5
#define X86_CR4_OSFXSR_BIT	9	/* FXSAVE/SSE enabled by the OS */
#define X86_CR4_OSXMMEXCPT_BIT	10	/* SIMD FP exceptions (#XM) */
#define X86_CR4_UMIP_BIT	11	/* SGDT & co. #GP at CPL>0 */
#define X86_CR4_LA57_BIT	12	/* 5-level paging */
#define X86_CR4_VMXE_BIT	13	/* VMX enable */
#define X86_CR4_FSGSBASE_BIT	16	/* RD/WR{FS,GS}BASE */
#define X86_CR4_PCIDE_BIT	17	/* process-context identifiers */
#define X86_CR4_OSXSAVE_BIT	18	/* XSAVE and XCR0 enabled */
#define X86_CR4_SMEP_BIT	20
#define X86_CR4_SMAP_BIT	21
#define X86_CR4_PKE_BIT		22	/* protection keys for user pages */
#define X86_CR4_CET_BIT		23	/* control-flow enforcement */
#define X86_CR4_PAE		X86_BIT(X86_CR4_PAE_BIT)
#define X86_CR4_OSFXSR		X86_BIT(X86_CR4_OSFXSR_BIT)
#define X86_CR4_OSXMMEXCPT	X86_BIT(X86_CR4_OSXMMEXCPT_BIT)
#define X86_CR4_UMIP		X86_BIT(X86_CR4_UMIP_BIT)
#define X86_CR4_LA57		X86_BIT(X86_CR4_LA57_BIT)
#define X86_CR4_VMXE		X86_BIT(X86_CR4_VMXE_BIT)
#define X86_CR4_FSGSBASE	X86_BIT(X86_CR4_FSGSBASE_BIT)
#define X86_CR4_PCIDE		X86_BIT(X86_CR4_PCIDE_BIT)
#define X86_CR4_OSXSAVE		X86_BIT(X86_CR4_OSXSAVE_BIT)
#define X86_CR4_SMEP		X86_BIT(X86_CR4_SMEP_BIT)
#define X86_CR4_SMAP		X86_BIT(X86_CR4_SMAP_BIT)
#define X86_CR4_PKE		X86_BIT(X86_CR4_PKE_BIT)
#define X86_CR4_CET		X86_BIT(X86_CR4_CET_BIT)

/* CR3: the PCID field when CR4.PCIDE is set */
#define X86_CR3_PCID_MASK	0xfff

/* EFER (MSR 0xc0000080) */
#define X86_EFER_SCE_BIT	0	/* SYSCALL/SYSRET */
#define X86_EFER_LME_BIT	8	/* long mode enable */
#define X86_EFER_LMA_BIT	10	/* long mode active (set by the CPU) */
#define X86_EFER_NXE_BIT	11	/* no-execute page bit */
#define X86_EFER_SVME_BIT	12	/* AMD: SVM enable */
#define X86_EFER_SCE		X86_BIT(X86_EFER_SCE_BIT)
#define X86_EFER_LME		X86_BIT(X86_EFER_LME_BIT)
#define X86_EFER_LMA		X86_BIT(X86_EFER_LMA_BIT)
#define X86_EFER_NXE		X86_BIT(X86_EFER_NXE_BIT)
#define X86_EFER_SVME		X86_BIT(X86_EFER_SVME_BIT)

/* Paging-structure entries (4-level, 2 MiB pages at the PD level) */
#define X86_PTE_P		X86_BIT(0)	/* present */
#define X86_PTE_RW		X86_BIT(1)	/* writable */
#define X86_PTE_US		X86_BIT(2)	/* user-accessible */
#define X86_PTE_PS		X86_BIT(7)	/* large page */
#define X86_SZ_2M		0x200000

/* XCR0 / IA32_XSS state components */
#define X86_XSTATE_X87		X86_BIT(0)
#define X86_XSTATE_SSE		X86_BIT(1)
#define X86_XSTATE_YMM		X86_BIT(2)
#define X86_XSTATE_OPMASK	X86_BIT(5)
#define X86_XSTATE_ZMM_HI256	X86_BIT(6)
#define X86_XSTATE_HI16_ZMM	X86_BIT(7)
#define X86_XSTATE_PKRU		X86_BIT(9)
#define X86_XSTATE_XTILECFG	X86_BIT(17)
#define X86_XSTATE_XTILEDATA_BIT 18	/* the component arch_prctl() names */
#define X86_XSTATE_XTILEDATA	X86_BIT(X86_XSTATE_XTILEDATA_BIT)
/* Groups that XSETBV accepts only together */
#define X86_XSTATE_X87_SSE	(X86_XSTATE_X87 | X86_XSTATE_SSE)
#define X86_XSTATE_AVX512	(X86_XSTATE_OPMASK | X86_XSTATE_ZMM_HI256 | X86_XSTATE_HI16_ZMM)
#define X86_XSTATE_AMX		(X86_XSTATE_XTILECFG | X86_XSTATE_XTILEDATA)

/* MSRs */
#define MSR_IA32_TSC		0x00000010
#define MSR_IA32_FEATURE_CONTROL 0x0000003a
#define MSR_IA32_TSC_ADJUST	0x0000003b
#define MSR_IA32_PAT		0x00000277
#define MSR_IA32_VMX_BASIC	0x00000480
#define MSR_IA32_XFD		0x000001c4	/* extended feature disable */
#define MSR_IA32_XFD_ERR	0x000001c5	/* which disabled state a #NM was for */
#define MSR_IA32_XSS		0x00000da0
#define MSR_EFER		0xc0000080
#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_CSTAR		0xc0000083
#define MSR_SYSCALL_MASK	0xc0000084
#define MSR_KERNEL_GS_BASE	0xc0000102
#define MSR_TSC_AUX		0xc0000103
/* IA32_FEATURE_CONTROL: lock, VMXON outside SMX */
#define FEATURE_CONTROL_LOCKED		X86_BIT(0)
#define FEATURE_CONTROL_VMXON_OUTSIDE_SMX X86_BIT(2)

/* CPUID bits that the OS state mirrors (KVM computes them at run time) */
#define CPUID_1_ECX_OSXSAVE_BIT	27	/* mirrors CR4.OSXSAVE */
#define CPUID_1_ECX_HYPERVISOR_BIT 31	/* a hypervisor runs this CPU */
#define CPUID_1_EDX_APIC_BIT	9	/* clear while the APIC is disabled */
#define CPUID_7_ECX_OSPKE_BIT	4	/* mirrors CR4.PKE */
#define CPUID_1_ECX_OSXSAVE	X86_BIT(CPUID_1_ECX_OSXSAVE_BIT)
#define CPUID_1_ECX_HYPERVISOR	X86_BIT(CPUID_1_ECX_HYPERVISOR_BIT)
#define CPUID_1_EDX_APIC	X86_BIT(CPUID_1_EDX_APIC_BIT)
#define CPUID_7_ECX_OSPKE	X86_BIT(CPUID_7_ECX_OSPKE_BIT)
/* CPUID bits the boot paths and the guest OS act on themselves */
#define CPUID_7_ECX_LA57_BIT	16	/* 5-level paging: boot with it */
#define CPUID_D1_EAX_XFD_BIT	4	/* IA32_XFD: arm it for tile data */
#define CPUID_7_ECX_LA57	X86_BIT(CPUID_7_ECX_LA57_BIT)
#define CPUID_D1_EAX_XFD	X86_BIT(CPUID_D1_EAX_XFD_BIT)
/* Leaf 0xD sub-leaf n >= 2, ECX */
#define CPUID_D_ECX_SUPERVISOR	X86_BIT(0)	/* an IA32_XSS state */
#define CPUID_D_ECX_ALIGN64	X86_BIT(1)	/* 64-byte aligned when compacted */
/*
 * Fields that name the CPU that executed CPUID, not the CPU model: they
 * differ from one logical CPU to the next (APIC IDs, a hybrid part's core
 * type, AMD's core and node IDs).
 */
#define CPUID_1_EBX_APIC_ID	0xff000000u	/* initial APIC ID */
#define CPUID_X2APIC_LEAF	0x0b		/* EDX: x2APIC ID, each subleaf */
#define CPUID_X2APIC_V2_LEAF	0x1f
#define CPUID_HYBRID_LEAF	0x1a		/* EAX: this core's type and model */
#define CPUID_AMD_TOPO_LEAF	0x8000001e	/* EAX ext. APIC ID, EBX core, ECX node */
#define CPUID_AMD_TOPO_EBX_CORE	0x000000ffu
#define CPUID_AMD_TOPO_ECX_NODE	0x000000ffu
/* The first extended leaf, and the hypervisor's signature leaf */
#define CPUID_EXT_BASE		0x80000000
#define CPUID_HV_BASE		0x40000000

#endif
