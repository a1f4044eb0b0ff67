// SPDX-License-Identifier: GPL-2.0-only
/*
 * The feature database. Bit positions: Intel SDM vol. 2A (CPUID), AMD APM
 * vol. 3 (appendix E). Enforcement: DESIGN.md section 3, which follows
 * KVM's x86.c (CR4/EFER/XCR0 reserved bits from guest CPUID), vmx.c
 * (secondary execution controls) and svm.c (intercepts).
 */
#include "cpu/feature.h"

#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/featureset.h"
#include "lib/suggest.h"

/* Where a bit lives: leaf, subleaf, register, bit. */
#define L1D(b)	1, 0, CPUID_EDX, (b)
#define L1C(b)	1, 0, CPUID_ECX, (b)
#define L6A(b)	6, 0, CPUID_EAX, (b)
#define L7B(b)	7, 0, CPUID_EBX, (b)
#define L7C(b)	7, 0, CPUID_ECX, (b)
#define L7D(b)	7, 0, CPUID_EDX, (b)
#define L71A(b)	7, 1, CPUID_EAX, (b)
#define L71D(b)	7, 1, CPUID_EDX, (b)
#define L72D(b)	7, 2, CPUID_EDX, (b)
#define LD1A(b)	0xd, 1, CPUID_EAX, (b)
#define L24B(b)	0x24, 0, CPUID_EBX, (b)
#define X1D(b)	0x80000001, 0, CPUID_EDX, (b)
#define X1C(b)	0x80000001, 0, CPUID_ECX, (b)
#define X7D(b)	0x80000007, 0, CPUID_EDX, (b)
#define X8B(b)	0x80000008, 0, CPUID_EBX, (b)
#define XAD(b)	0x8000000a, 0, CPUID_EDX, (b)
#define X21A(b)	0x80000021, 0, CPUID_EAX, (b)
#define C1D(b)	0xc0000001, 0, CPUID_EDX, (b)

#define ENF(mv, rv, ms, rs, mp, rp) ENF_REFUSED(mv, rv, ms, rs, mp, rp, NULL)
/* The same, with what kvm_pvm refuses even when advertised (feature.h). */
#define ENF_REFUSED(mv, rv, ms, rs, mp, rp, pvm_refused) {		\
	[BACKEND_KVM_VMX] = { .mech = ENFORCE_##mv, .reason = rv },	\
	[BACKEND_KVM_SVM] = { .mech = ENFORCE_##ms, .reason = rs },	\
	[BACKEND_KVM_PVM] = { .mech = ENFORCE_##mp, .reason = rp,	\
			      .refused = pvm_refused },			\
}

/* Reasons shared by many rows; each states one hardware or KVM fact. */
#define R_NOLEVER "no VMX/SVM control, CR4 or XCR0 bit gates it: it executes whatever CPUID says"
#define R_BASE	"x86-64 baseline: no control can hide it"
#define R_BASE_FX "x86-64 baseline: no hypervisor control hides it; only the guest OS, which leaves CR4.OSFXSR clear without fxsr/sse, makes SSE #UD"
#define R_INFO	"informs the guest OS only; KVM makes nothing fault when it is hidden"
/* kvm_spec_ctrl_test_value(): once the guest has IA32_SPEC_CTRL at all, any bit the host supports is accepted */
#define R_SPEC_CTRL "once any IA32_SPEC_CTRL bit is advertised, KVM accepts every bit the host supports (kvm_spec_ctrl_test_value), whatever this one says: no lever of its own"
#define R_PVM_USER "PVM runs guest ring 3 natively with the host's CR4 and XCR0: nothing hides it"
#define R_PVM_EMUL "PVM runs guest ring 0 through KVM's instruction emulator, which cannot execute this instruction at all"
#define R_AMD_ONLY "Intel CPUs lack it: it #UDs in hardware whatever CPUID says"
#define R_INTEL_ONLY "AMD CPUs lack it: it #UDs in hardware whatever CPUID says"
/* KVM gates XCR0 on the guest's leaf 0xD only (__kvm_set_xcr, guest_supported_xcr0);
 * the CPUID builder clears a state there when its owning feature is hidden. */
#define R_YMM	"VEX instructions #UD unless XCR0.YMM is set; KVM refuses XCR0 states the guest's leaf 0xD omits, and the model's leaf 0xD omits YMM when avx is hidden"
#define R_YMM_DEP "needs XCR0.YMM, which KVM allows whenever the guest's leaf 0xD has it (avx advertised): faults only when avx is hidden too"
#define R_ZMM	"EVEX instructions #UD unless XCR0 opmask/ZMM states are set; KVM refuses them when the guest's leaf 0xD omits them (avx512f hidden)"
#define R_ZMM_DEP "needs XCR0 opmask/ZMM states, which KVM allows whenever the guest's leaf 0xD has them (avx512f advertised): faults only when avx512f is hidden too"
#define R_AMX	"AMX instructions #UD unless XCR0 tile states are set; KVM refuses them when the guest's leaf 0xD omits them (amx-tile hidden)"
#define R_AMX_DEP "needs XCR0 tile states, which KVM allows whenever the guest's leaf 0xD has them (amx-tile advertised): faults only when amx-tile is hidden too"
#define R_OSX	"KVM treats CR4.OSXSAVE as reserved when xsave is hidden; XSAVE*/XRSTOR*/XGETBV/XSETBV #UD with it clear"
#define R_OSX_DEP "only CR4.OSXSAVE gates it, which KVM allows whenever xsave is advertised: faults only when xsave is hidden too"

#define USER_NONE(r)	ENF(NONE, r, NONE, r, NONE, R_PVM_USER)
#define ALL(m, r)	ENF(m, r, m, r, m, r)
#define BASE		USER_NONE(R_BASE)
#define BASE_FX		USER_NONE(R_BASE_FX)
#define INFO		ALL(NONE, R_INFO)
#define NOLEVER		USER_NONE(R_NOLEVER)
#define AMD_USER(r)	ENF(NONE, R_AMD_ONLY, NONE, r, NONE, R_PVM_USER)
#define AMD_YMM_DEP	ENF(NONE, R_AMD_ONLY, XCR0, R_YMM_DEP, NONE, R_PVM_USER)
#define YMM_OWNER	ENF(XCR0, R_YMM, XCR0, R_YMM, NONE, R_PVM_USER)
#define YMM_DEP		ENF(XCR0, R_YMM_DEP, XCR0, R_YMM_DEP, NONE, R_PVM_USER)
#define ZMM_OWNER	ENF(XCR0, R_ZMM, XCR0, R_ZMM, NONE, R_PVM_USER)
#define ZMM_DEP		ENF(XCR0, R_ZMM_DEP, XCR0, R_ZMM_DEP, NONE, R_PVM_USER)
#define AMX_OWNER	ENF(XCR0, R_AMX, XCR0, R_AMX, NONE, R_PVM_USER)
#define AMX_DEP		ENF(XCR0, R_AMX_DEP, XCR0, R_AMX_DEP, NONE, R_PVM_USER)
/* Intel-only VEX instruction sets: AMD CPUs #UD them in hardware */
#define INTEL_YMM_DEP	ENF(XCR0, R_YMM_DEP, NONE, R_INTEL_ONLY, NONE, R_PVM_USER)
#define OSX_OWNER	ENF(CR4, R_OSX, CR4, R_OSX, NONE, R_PVM_USER)
#define OSX_DEP		ENF(CR4, R_OSX_DEP, CR4, R_OSX_DEP, NONE, R_PVM_USER)
#define R_PCIDE "KVM treats CR4.PCIDE as reserved when pcid is hidden: setting it #GPs"
/* A CR4 enable bit KVM's common code refuses on every backend */
#define CR4_ALL(bit, feat) \
	ALL(CR4, "KVM treats CR4." bit " as reserved when " feat " is hidden: setting it #GPs")
#define MSR_ALL(r)	ALL(INTERCEPT, r)
/* SVM capability bits: they describe nested SVM to a guest hypervisor */
#define R_SVMCAP "describes nested SVM to a guest hypervisor; no instruction faults when it is hidden"
/* Hints and behaviour bits: the instructions they describe run on every CPU */
#define R_HINT	"performance hint: the instruction runs on every CPU whatever CPUID says"
#define R_BEHAV	"describes how the CPU behaves; no instruction or control depends on the bit"
/*
 * KVM checks a guest's IA32_SPEC_CTRL write against what the host CPU
 * accepts (kvm_spec_ctrl_test_value()), not against the guest's CPUID
 */
#define R_PADLOCK "VIA/Zhaoxin PadLock: only their CPUs implement it (elsewhere it #UDs whatever CPUID says); no VMX/SVM control hides it"
#define INFO_SVMCAP ALL(NONE, R_SVMCAP)
#define R_3DNOW "no lever; only AMD CPUs before family 15h run 3DNow!: elsewhere it #UDs whatever CPUID says"
#define R_PHI	"Xeon Phi only: other CPUs #UD it in hardware; on Xeon Phi it needs XCR0 opmask/ZMM states, allowed whenever avx512f is advertised"
/*
 * A CR4 enable bit kvm_pvm does not treat as reserved: cpubench's smep,
 * smap and umip probes (and --guest-os raw) see the write succeed on
 * kvm_pvm with the feature hidden, while CR4.PCIDE and CR4.VMXE #GP.
 */
#define CR4_VS(bit, feat) \
	ENF(CR4, "KVM treats CR4." bit " as reserved when " feat " is hidden: setting it #GPs", \
	    CR4, "KVM treats CR4." bit " as reserved when " feat " is hidden: setting it #GPs", \
	    NONE, "kvm_pvm accepts CR4." bit " although " feat " is hidden: no lever there")

#define Y X86_XSTATE_YMM
#define Z X86_XSTATE_AVX512
#define NA { NULL }

const struct feature features[] = {
	/* leaf 1 EDX */
	{ "fpu", "fpu", NA, L1D(0), 0, "x87 FPU on chip", BASE },
	{ "vme", "vme", NA, L1D(1), 0, "virtual-8086 mode extensions", INFO },
	{ "de", "de", NA, L1D(2), 0, "debugging extensions (CR4.DE)", INFO },
	{ "pse", "pse", NA, L1D(3), 0, "4 MiB pages", INFO },
	{ "tsc", "tsc", NA, L1D(4), 0, "RDTSC", NOLEVER },
	{ "msr", "msr", NA, L1D(5), 0, "RDMSR/WRMSR", INFO },
	{ "pae", "pae", NA, L1D(6), 0, "physical address extension", INFO },
	{ "mce", "mce", NA, L1D(7), 0, "machine check exception", INFO },
	{ "cx8", "cx8", NA, L1D(8), 0, "CMPXCHG8B", BASE },
	{ "apic", "apic", NA, L1D(9), 0, "on-chip local APIC", INFO },
	{ "sep", "sep", NA, L1D(11), 0, "SYSENTER/SYSEXIT", NOLEVER },
	{ "mtrr", "mtrr", NA, L1D(12), 0, "memory type range registers", INFO },
	{ "pge", "pge", NA, L1D(13), 0, "global pages (CR4.PGE)", INFO },
	{ "mca", "mca", NA, L1D(14), 0, "machine check architecture", INFO },
	{ "cmov", "cmov", NA, L1D(15), 0, "CMOVcc/FCMOVcc", BASE },
	{ "pat", "pat", NA, L1D(16), 0, "page attribute table", INFO },
	{ "pse36", "pse36", NA, L1D(17), 0, "36-bit 4 MiB page addresses", INFO },
	{ "clflush", "clflush", { "clfsh" }, L1D(19), 0, "CLFLUSH", NOLEVER },
	{ "acpi", "acpi", NA, L1D(22), 0, "thermal monitor and software clock control MSRs", INFO },
	{ "mmx", "mmx", NA, L1D(23), 0, "MMX", BASE },
	{ "fxsr", "fxsr", NA, L1D(24), 0, "FXSAVE/FXRSTOR", BASE_FX },
	{ "sse", "sse", NA, L1D(25), 0, "SSE", BASE_FX },
	{ "sse2", "sse2", NA, L1D(26), 0, "SSE2", BASE_FX },
	{ "ss", "ss", NA, L1D(27), 0, "self snoop", INFO },
	{ "ht", "ht", { "htt" }, L1D(28), 0, "multi-threading (max logical CPUs field valid)", INFO },

	/* leaf 1 ECX */
	{ "pni", "pni", { "sse3" }, L1C(0), 0, "SSE3", NOLEVER },
	{ "pclmulqdq", "pclmulqdq", { "pclmuldq" }, L1C(1), 0, "PCLMULQDQ carry-less multiply", NOLEVER },
	{ "monitor", "monitor", { "mwait" }, L1C(3), 0, "MONITOR/MWAIT",
	  ALL(NONE, "KVM intercepts MONITOR/MWAIT and, with its default MWAIT_NEVER_UD_FAULTS quirk, runs them as NOPs even when hidden") },
	{ "vmx", "vmx", NA, L1C(5), 0, "Intel VMX",
	  ENF(CR4, "KVM treats CR4.VMXE as reserved when vmx is hidden; VMXON #UDs with it clear",
	      CR4, "AMD has no VMX: KVM treats CR4.VMXE as reserved and VMXON #UDs",
	      CR4, "KVM's common code refuses CR4.VMXE when vmx is hidden; VMXON #UDs with it clear") },
	{ "ssse3", "ssse3", NA, L1C(9), 0, "SSSE3", NOLEVER },
	{ "fma", "fma", NA, L1C(12), Y, "FMA3 fused multiply-add", YMM_DEP },
	{ "cx16", "cx16", NA, L1C(13), 0, "CMPXCHG16B", NOLEVER },
	{ "pcid", "pcid", NA, L1C(17), 0, "process-context identifiers",
	  ENF_REFUSED(CR4, R_PCIDE, CR4, R_PCIDE, CR4, R_PCIDE,
		      "kvm_pvm refuses CR4.PCIDE (#GP) even with pcid advertised: "
		      "a guest kernel that enables PCID fails there") },
	{ "sse4.1", "sse4_1", { "sse4-1" }, L1C(19), 0, "SSE4.1", NOLEVER },
	{ "sse4.2", "sse4_2", { "sse4-2" }, L1C(20), 0, "SSE4.2 (incl. CRC32, PCMPxSTRx)", NOLEVER },
	{ "x2apic", "x2apic", NA, L1C(21), 0, "x2APIC mode",
	  MSR_ALL("KVM emulates the local APIC and refuses IA32_APIC_BASE.EXTD (#GP) when x2apic is hidden") },
	{ "movbe", "movbe", NA, L1C(22), 0, "MOVBE", NOLEVER },
	{ "popcnt", "popcnt", NA, L1C(23), 0, "POPCNT", NOLEVER },
	{ "tsc-deadline", "tsc_deadline_timer", NA, L1C(24), 0, "APIC timer TSC-deadline mode",
	  ALL(NONE, "KVM's emulated APIC ignores TSC-deadline mode when it is hidden; nothing faults") },
	{ "aes", "aes", { "aes-ni" }, L1C(25), 0, "AES-NI", NOLEVER },
	{ "xsave", "xsave", NA, L1C(26), 0, "XSAVE/XRSTOR/XSETBV/XGETBV", OSX_OWNER },
	{ "avx", "avx", NA, L1C(28), Y, "AVX", YMM_OWNER },
	{ "f16c", "f16c", NA, L1C(29), Y, "half-precision conversions", YMM_DEP },
	{ "rdrand", "rdrand", NA, L1C(30), 0, "RDRAND",
	  ENF(INTERCEPT, "KVM sets 'RDRAND exiting' when rdrand is hidden and injects #UD",
	      NONE, "SVM has no RDRAND intercept", NONE, R_PVM_USER) },
	{ "hypervisor", "hypervisor", NA, L1C(31), 0, "running under a hypervisor", INFO },

	/* leaf 6 EAX */
	{ "arat", "arat", NA, L6A(2), 0, "APIC timer always running", INFO },

	/* leaf 7.0 EBX */
	{ "fsgsbase", "fsgsbase", NA, L7B(0), 0, "RD/WR{FS,GS}BASE",
	  ENF(CR4, "KVM treats CR4.FSGSBASE as reserved when fsgsbase is hidden; RD/WR{FS,GS}BASE #UD with it clear",
	      CR4, "KVM treats CR4.FSGSBASE as reserved when fsgsbase is hidden; RD/WR{FS,GS}BASE #UD with it clear",
	      NONE, R_PVM_USER) },
	{ "tsc-adjust", "tsc_adjust", NA, L7B(1), 0, "IA32_TSC_ADJUST MSR",
	  ALL(NONE, "KVM's common MSR code reads IA32_TSC_ADJUST whatever CPUID says and "
	       "ignores writes while tsc-adjust is hidden (kvm_get_msr_common, "
	       "kvm_set_msr_common): no #GP, no lever") },
	{ "bmi1", "bmi1", { "bmi" }, L7B(3), 0, "BMI1 (ANDN, BEXTR, BLS*, TZCNT)",
	  USER_NONE("no lever (VEX GPR instructions ignore XCR0); on a CPU without BMI1, TZCNT runs as BSF") },
	{ "hle", "hle", NA, L7B(4), 0, "TSX hardware lock elision",
	  USER_NONE("no intercept exists; XACQUIRE/XRELEASE prefixes are ignored where HLE is off") },
	{ "avx2", "avx2", NA, L7B(5), Y, "AVX2", YMM_DEP },
	{ "smep", "smep", NA, L7B(7), 0, "supervisor-mode execution prevention", CR4_VS("SMEP", "smep") },
	{ "bmi2", "bmi2", NA, L7B(8), 0, "BMI2 (BZHI, MULX, PDEP, PEXT, RORX, SARX...)",
	  USER_NONE("no lever (VEX GPR instructions ignore XCR0): it executes whatever CPUID says") },
	{ "erms", "erms", NA, L7B(9), 0, "enhanced REP MOVSB/STOSB",
	  USER_NONE("performance hint: REP MOVSB/STOSB run on every CPU") },
	{ "invpcid", "invpcid", NA, L7B(10), 0, "INVPCID",
	  ENF(INTERCEPT, "KVM clears 'enable INVPCID' when invpcid is hidden: INVPCID #UDs",
	      INTERCEPT, "KVM intercepts INVPCID when invpcid is hidden and injects #UD",
	      NONE, R_PVM_EMUL) },
	{ "rtm", "rtm", NA, L7B(11), 0, "TSX restricted transactional memory",
	  ENF(NONE, "no intercept exists for XBEGIN: only on hosts with IA32_TSX_CTRL does KVM "
		"set RTM_DISABLE for a guest without rtm (vmx.c), and then every transaction "
		"aborts, which the verdict counts as hidden",
	      NONE, R_INTEL_ONLY, NONE, R_PVM_USER) },
	{ "mpx", "mpx", NA, L7B(14), 0, "memory protection extensions (BND*)",
	  USER_NONE("BND* instructions sit in NOP/prefix space and run as NOPs unless BNDCFGx enables MPX: nothing faults when it is hidden") },
	{ "avx512f", "avx512f", NA, L7B(16), Z, "AVX-512 foundation", ZMM_OWNER },
	{ "avx512dq", "avx512dq", NA, L7B(17), Z, "AVX-512 doubleword/quadword", ZMM_DEP },
	{ "rdseed", "rdseed", NA, L7B(18), 0, "RDSEED",
	  ENF(INTERCEPT, "KVM sets 'RDSEED exiting' when rdseed is hidden and injects #UD",
	      NONE, "SVM has no RDSEED intercept", NONE, R_PVM_USER) },
	{ "adx", "adx", NA, L7B(19), 0, "ADCX/ADOX", NOLEVER },
	{ "smap", "smap", NA, L7B(20), 0, "supervisor-mode access prevention", CR4_VS("SMAP", "smap") },
	{ "avx512ifma", "avx512ifma", NA, L7B(21), Z, "AVX-512 integer fused multiply-add", ZMM_DEP },
	{ "pcommit", "pcommit", NA, L7B(22), 0, "PCOMMIT (withdrawn by Intel before any CPU shipped it)",
	  ALL(NONE, "no CPU implements PCOMMIT: it #UDs in hardware whatever CPUID says") },
	{ "clflushopt", "clflushopt", NA, L7B(23), 0, "CLFLUSHOPT", NOLEVER },
	{ "clwb", "clwb", NA, L7B(24), 0, "CLWB", NOLEVER },
	{ "intel-pt", "intel_pt", NA, L7B(25), 0, "Intel processor trace",
	  ALL(NONE, "KVM refuses the IA32_RTIT_* MSRs when intel-pt is hidden; no instruction depends on it") },
	{ "avx512pf", "avx512pf", NA, L7B(26), Z, "AVX-512 prefetch (Xeon Phi)", USER_NONE(R_PHI) },
	{ "avx512er", "avx512er", NA, L7B(27), Z, "AVX-512 exponential and reciprocal (Xeon Phi)", USER_NONE(R_PHI) },
	{ "avx512cd", "avx512cd", NA, L7B(28), Z, "AVX-512 conflict detection", ZMM_DEP },
	{ "sha-ni", "sha_ni", { "sha" }, L7B(29), 0, "SHA-1/SHA-256 extensions", NOLEVER },
	{ "avx512bw", "avx512bw", NA, L7B(30), Z, "AVX-512 byte/word", ZMM_DEP },
	{ "avx512vl", "avx512vl", NA, L7B(31), Z, "AVX-512 vector length (128/256-bit EVEX)", ZMM_DEP },

	/* leaf 7.0 ECX */
	{ "avx512vbmi", "avx512vbmi", NA, L7C(1), Z, "AVX-512 vector byte manipulation", ZMM_DEP },
	{ "umip", "umip", NA, L7C(2), 0, "user-mode instruction prevention", CR4_VS("UMIP", "umip") },
	{ "pku", "pku", NA, L7C(3), X86_XSTATE_PKRU, "protection keys for user pages (RDPKRU/WRPKRU)",
	  ENF(CR4, "KVM treats CR4.PKE as reserved when pku is hidden; RDPKRU/WRPKRU #UD with it clear",
	      CR4, "KVM treats CR4.PKE as reserved when pku is hidden; RDPKRU/WRPKRU #UD with it clear",
	      NONE, R_PVM_USER) },
	{ "waitpkg", "waitpkg", NA, L7C(5), 0, "UMONITOR/UMWAIT/TPAUSE",
	  ENF(INTERCEPT, "KVM clears 'enable user wait and pause' when waitpkg is hidden: UMONITOR/UMWAIT/TPAUSE #UD",
	      NONE, R_INTEL_ONLY, NONE, R_PVM_USER) },
	{ "avx512vbmi2", "avx512_vbmi2", NA, L7C(6), Z, "AVX-512 VBMI2", ZMM_DEP },
	{ "gfni", "gfni", NA, L7C(8), 0, "Galois field instructions (SSE forms)", NOLEVER },
	{ "vaes", "vaes", NA, L7C(9), Y, "VEX/EVEX vector AES", YMM_DEP },
	{ "vpclmulqdq", "vpclmulqdq", NA, L7C(10), Y, "VEX/EVEX vector PCLMULQDQ", YMM_DEP },
	{ "avx512vnni", "avx512_vnni", { "avx512-vnni" }, L7C(11), Z, "AVX-512 vector neural network instructions", ZMM_DEP },
	{ "avx512bitalg", "avx512_bitalg", NA, L7C(12), Z, "AVX-512 bit algorithms", ZMM_DEP },
	{ "avx512-vpopcntdq", "avx512_vpopcntdq", { "avx512vpopcntdq" }, L7C(14), Z, "AVX-512 VPOPCNTD/Q", ZMM_DEP },
	{ "la57", "la57", NA, L7C(16), 0, "5-level paging", CR4_ALL("LA57", "la57") },
	{ "rdpid", "rdpid", NA, L7C(22), 0, "RDPID",
	  ENF(INTERCEPT, "RDPID shares VMX 'enable RDTSCP' with RDTSCP: it faults only when rdtscp is hidden too (known hole)",
	      NONE, "SVM has no RDPID intercept", NONE, R_PVM_USER) },
	{ "bus-lock-detect", "bus_lock_detect", NA, L7C(24), 0, "bus lock #DB trap (DEBUGCTL.BUS_LOCK_DETECT)",
	  ENF(INTERCEPT, "KVM refuses DEBUGCTL.BUS_LOCK_DETECT (#GP) when bus-lock-detect is hidden (vmx_get_supported_debugctl())",
	      INTERCEPT, "KVM with SVM BusLockTrap support refuses DEBUGCTL.BUS_LOCK_DETECT (#GP) when it is hidden; older KVM never lets an AMD guest have it",
	      NONE, "kvm_pvm's own MSR handler decides, which cpubench has not checked: no lever assumed") },
	{ "cldemote", "cldemote", NA, L7C(25), 0, "CLDEMOTE",
	  USER_NONE("a hint in NOP space: it runs as a NOP on CPUs without it") },
	{ "movdiri", "movdiri", NA, L7C(27), 0, "MOVDIRI", NOLEVER },
	{ "movdir64b", "movdir64b", NA, L7C(28), 0, "MOVDIR64B", NOLEVER },

	{ "pks", NULL, NA, L7C(31), 0, "protection keys for supervisor pages", CR4_ALL("PKS", "pks") },

	/* leaf 7.0 EDX */
	{ "avx512-4vnniw", "avx512_4vnniw", NA, L7D(2), Z, "AVX-512 4-iteration VNNI (Xeon Phi)", USER_NONE(R_PHI) },
	{ "avx512-4fmaps", "avx512_4fmaps", NA, L7D(3), Z, "AVX-512 4-iteration FMA (Xeon Phi)", USER_NONE(R_PHI) },
	{ "fsrm", "fsrm", NA, L7D(4), 0, "fast short REP MOVSB",
	  USER_NONE("performance hint: REP MOVSB runs on every CPU") },
	{ "avx512-vp2intersect", "avx512_vp2intersect", NA, L7D(8), Z, "AVX-512 VP2INTERSECT", ZMM_DEP },
	{ "md-clear", "md_clear", NA, L7D(10), 0, "VERW clears CPU buffers",
	  USER_NONE("VERW executes on every CPU; the bit only says it also clears buffers") },
	{ "serialize", "serialize", NA, L7D(14), 0, "SERIALIZE", NOLEVER },
	{ "tsx-ldtrk", "tsxldtrk", NA, L7D(16), 0, "TSX suspend load address tracking", NOLEVER },
	{ "amx-bf16", "amx_bf16", NA, L7D(22), X86_XSTATE_AMX, "AMX bfloat16", AMX_DEP },
	{ "avx512-fp16", "avx512_fp16", NA, L7D(23), Z, "AVX-512 half precision", ZMM_DEP },
	{ "amx-tile", "amx_tile", NA, L7D(24), X86_XSTATE_AMX, "AMX tile architecture", AMX_OWNER },
	{ "amx-int8", "amx_int8", NA, L7D(25), X86_XSTATE_AMX, "AMX int8", AMX_DEP },
	{ "spec-ctrl", NULL, NA, L7D(26), 0, "IA32_SPEC_CTRL / IA32_PRED_CMD (IBRS, IBPB)",
	  MSR_ALL("KVM emulates IA32_SPEC_CTRL/IA32_PRED_CMD and refuses them (#GP) when spec-ctrl is hidden") },
	{ "stibp", NULL, NA, L7D(27), 0, "single thread indirect branch predictors (IA32_SPEC_CTRL.STIBP)",
	  ALL(NONE, R_SPEC_CTRL) },
	{ "flush-l1d", "flush_l1d", NA, L7D(28), 0, "IA32_FLUSH_CMD",
	  MSR_ALL("KVM refuses IA32_FLUSH_CMD (#GP) when flush-l1d is hidden") },
	{ "arch-capabilities", "arch_capabilities", NA, L7D(29), 0, "IA32_ARCH_CAPABILITIES MSR",
	  MSR_ALL("KVM emulates IA32_ARCH_CAPABILITIES and refuses it (#GP) when it is hidden") },
	{ "core-capability", NULL, NA, L7D(30), 0, "IA32_CORE_CAPABILITIES MSR",
	  MSR_ALL("KVM refuses IA32_CORE_CAPABILITIES (#GP) when core-capability is hidden") },
	{ "ssbd", NULL, NA, L7D(31), 0, "speculative store bypass disable (Intel)",
	  ALL(NONE, R_SPEC_CTRL) },

	/* leaf 7.1 EAX */
	{ "sha512", NULL, NA, L71A(0), Y, "VEX-encoded SHA-512 (VSHA512*)", INTEL_YMM_DEP },
	{ "sm3", NULL, NA, L71A(1), Y, "VEX-encoded SM3 hash (VSM3*)", INTEL_YMM_DEP },
	{ "sm4", NULL, NA, L71A(2), Y, "VEX-encoded SM4 cipher (VSM4*)", INTEL_YMM_DEP },
	{ "avx-vnni", "avx_vnni", NA, L71A(4), Y, "VEX-encoded VNNI", YMM_DEP },
	{ "avx512-bf16", "avx512_bf16", NA, L71A(5), Z, "AVX-512 bfloat16", ZMM_DEP },
	{ "cmpccxadd", NULL, NA, L71A(7), 0, "CMPccXADD",
	  ENF(NONE, R_NOLEVER, NONE, R_INTEL_ONLY, NONE, R_PVM_USER) },
	{ "fzrm", NULL, NA, L71A(10), 0, "fast zero-length REP MOVSB", USER_NONE(R_HINT) },
	{ "fsrs", NULL, NA, L71A(11), 0, "fast short REP STOSB", USER_NONE(R_HINT) },
	{ "fsrc", NULL, NA, L71A(12), 0, "fast short REP CMPSB/SCASB", USER_NONE(R_HINT) },
	{ "amx-fp16", NULL, NA, L71A(21), X86_XSTATE_AMX, "AMX half precision (TDPFP16PS)", AMX_DEP },
	{ "avx-ifma", NULL, NA, L71A(23), Y, "VEX-encoded IFMA (VPMADD52*)",
	  ENF(XCR0, R_YMM_DEP, NONE, R_INTEL_ONLY, NONE, R_PVM_USER) },
	{ "lam", "lam", NA, L71A(26), 0, "linear address masking (CR3.LAM_U48/U57, CR4.LAM_SUP)",
	  ENF(CR4, "KVM treats CR4.LAM_SUP and the CR3 LAM bits as reserved when lam is hidden: setting them #GPs",
	      CR4, "AMD has no LAM: KVM treats CR4.LAM_SUP and the CR3 LAM bits as reserved",
	      CR4, "KVM's common code treats CR4.LAM_SUP as reserved when lam is hidden") },

	/* leaf 7.1 EDX */
	{ "avx-vnni-int8", NULL, NA, L71D(4), Y, "VEX-encoded VNNI on bytes (VPDPB[SU,UU,SS]D[S])", INTEL_YMM_DEP },
	{ "avx-ne-convert", NULL, NA, L71D(5), Y, "VEX-encoded BF16/FP16 conversions without exceptions", INTEL_YMM_DEP },
	{ "avx-vnni-int16", NULL, NA, L71D(10), Y, "VEX-encoded VNNI on words (VPDPW[SU,US,UU]D[S])", INTEL_YMM_DEP },
	{ "prefetchiti", NULL, NA, L71D(14), 0, "PREFETCHIT0/1 (code prefetch)",
	  USER_NONE("a hint in NOP space (0F 18 /6, /7 with RIP-relative memory): it runs as a NOP on CPUs without it") },
	{ "avx10", NULL, NA, L71D(19), Z, "AVX10 converged vector ISA (version and lengths in leaf 0x24)",
	  ENF(XCR0, R_ZMM_DEP, NONE, R_INTEL_ONLY, NONE, R_PVM_USER) },

	/* leaf 7.2 EDX: IA32_SPEC_CTRL controls and an immunity bit */
	{ "intel-psfd", NULL, NA, L72D(0), 0, "IA32_SPEC_CTRL.PSFD (fast store forwarding predictor off)", ALL(NONE, R_SPEC_CTRL) },
	{ "ipred-ctrl", NULL, NA, L72D(1), 0, "IA32_SPEC_CTRL.IPRED_DIS_U/S", ALL(NONE, R_SPEC_CTRL) },
	{ "rrsba-ctrl", NULL, NA, L72D(2), 0, "IA32_SPEC_CTRL.RRSBA_DIS_U/S", ALL(NONE, R_SPEC_CTRL) },
	{ "ddpd-u", NULL, NA, L72D(3), 0, "IA32_SPEC_CTRL.DDPD_U (data dependent prefetcher off)", ALL(NONE, R_SPEC_CTRL) },
	{ "bhi-ctrl", NULL, NA, L72D(4), 0, "IA32_SPEC_CTRL.BHI_DIS_S", ALL(NONE, R_SPEC_CTRL) },
	{ "mcdt-no", NULL, NA, L72D(5), 0, "not susceptible to MXCSR configuration dependent timing", ALL(NONE, R_BEHAV) },

	/* leaf 0xD.1 EAX */
	{ "xsaveopt", "xsaveopt", NA, LD1A(0), 0, "XSAVEOPT", OSX_DEP },
	{ "xsavec", "xsavec", NA, LD1A(1), 0, "XSAVEC", OSX_DEP },
	{ "xgetbv1", "xgetbv1", NA, LD1A(2), 0, "XGETBV with ECX=1", OSX_DEP },
	{ "xsaves", "xsaves", NA, LD1A(3), 0, "XSAVES/XRSTORS (CPL0)",
	  ENF(INTERCEPT, "KVM clears 'enable XSAVES/XRSTORS' when xsaves is hidden: XSAVES/XRSTORS #UD",
	      CR4, "SVM has no XSAVES intercept: only CR4.OSXSAVE gates it, which KVM allows "
		   "whenever xsave is advertised: faults only when xsave is hidden too",
	      NONE, R_PVM_EMUL) },
	{ "xfd", NULL, NA, LD1A(4), 0, "extended feature disable (IA32_XFD, IA32_XFD_ERR)",
	  MSR_ALL("KVM refuses IA32_XFD and IA32_XFD_ERR (#GP) when xfd is hidden (kvm_set_msr_common())") },

	/* leaf 0x80000001 EDX */
	{ "syscall", "syscall", NA, X1D(11), 0, "SYSCALL/SYSRET",
	  ALL(NONE, "KVM accepts EFER.SCE whatever CPUID says, and SYSCALL then executes") },
	{ "nx", "nx", { "xd" }, X1D(20), 0, "no-execute pages (EFER.NXE)",
	  ALL(EFER, "KVM treats EFER.NXE as reserved when nx is hidden: setting it #GPs") },
	{ "mmxext", "mmxext", NA, X1D(22), 0, "AMD MMX extensions", NOLEVER },
	{ "fxsr-opt", "fxsr_opt", { "ffxsr" }, X1D(25), 0, "fast FXSAVE/FXRSTOR (EFER.FFXSR)",
	  ALL(EFER, "KVM treats EFER.FFXSR as reserved when fxsr-opt is hidden: setting it #GPs") },
	{ "pdpe1gb", "pdpe1gb", NA, X1D(26), 0, "1 GiB pages",
	  ENF(NONE, "with EPT the CPU walks guest page tables itself and accepts 1 GiB pages",
	      NONE, "with NPT the CPU walks guest page tables itself and accepts 1 GiB pages",
	      INTERCEPT, "PVM shadows guest page tables; KVM's shadow MMU treats PDPTE.PS as reserved (#PF) when pdpe1gb is hidden") },
	{ "rdtscp", "rdtscp", NA, X1D(27), 0, "RDTSCP",
	  ENF(INTERCEPT, "KVM keeps 'enable RDTSCP' while rdtscp or rdpid is advertised (shared control): RDTSCP #UDs only with both hidden",
	      INTERCEPT, "KVM intercepts RDTSCP when rdtscp is hidden and injects #UD",
	      NONE, R_PVM_USER) },
	{ "lm", "lm", { "i64" }, X1D(29), 0, "long mode (x86-64)",
	  ALL(EFER, "KVM treats EFER.LME as reserved when lm is hidden: long mode cannot be entered") },
	{ "3dnowext", "3dnowext", NA, X1D(30), 0, "AMD extensions to 3DNow!", USER_NONE(R_3DNOW) },
	{ "3dnow", "3dnow", NA, X1D(31), 0, "AMD 3DNow!", USER_NONE(R_3DNOW) },

	/* leaf 0x80000001 ECX */
	{ "lahf_lm", "lahf_lm", { "lahf-lm" }, X1C(0), 0, "LAHF/SAHF in 64-bit mode", NOLEVER },
	{ "cmp-legacy", "cmp_legacy", NA, X1C(1), 0, "core multi-processing legacy mode", INFO },
	{ "svm", "svm", NA, X1C(2), 0, "AMD SVM",
	  ENF(EFER, "Intel has no SVM: EFER.SVME is reserved (#GP) and VMRUN #UDs",
	      EFER, "KVM treats EFER.SVME as reserved when svm is hidden; VMRUN #UDs with it clear",
	      EFER, "KVM's common code refuses EFER.SVME when svm is hidden; VMRUN #UDs with it clear") },
	{ "extapic", "extapic", NA, X1C(3), 0, "extended APIC space", INFO },
	{ "cr8legacy", "cr8_legacy", NA, X1C(4), 0, "LOCK MOV CR0 means MOV CR8", INFO },
	{ "abm", "abm", { "lzcnt" }, X1C(5), 0, "advanced bit manipulation (LZCNT)",
	  USER_NONE("no lever; on a CPU without ABM, LZCNT runs as BSR (outcome altered)") },
	{ "sse4a", "sse4a", NA, X1C(6), 0, "SSE4a (EXTRQ, INSERTQ, MOVNTSx)", AMD_USER(R_NOLEVER) },
	{ "misalignsse", "misalignsse", NA, X1C(7), 0, "misaligned SSE mode", AMD_USER(R_NOLEVER) },
	{ "3dnowprefetch", "3dnowprefetch", { "prefetchw" }, X1C(8), 0, "PREFETCH/PREFETCHW", NOLEVER },
	{ "osvw", "osvw", NA, X1C(9), 0, "OS visible workaround MSRs", INFO },
	{ "xop", "xop", NA, X1C(11), Y, "AMD XOP", AMD_YMM_DEP },
	{ "fma4", "fma4", NA, X1C(16), Y, "AMD 4-operand FMA", AMD_YMM_DEP },
	{ "tbm", "tbm", NA, X1C(21), 0, "AMD trailing bit manipulation", AMD_USER(R_NOLEVER) },
	{ "topoext", "topoext", NA, X1C(22), 0, "topology extensions (0x8000001D/E)", INFO },
	{ "perfctr-core", "perfctr_core", NA, X1C(23), 0, "core performance counter extensions", INFO },
	{ "mwaitx", "mwaitx", NA, X1C(29), 0, "MONITORX/MWAITX (usable at CPL3)",
	  AMD_USER("KVM never advertises mwaitx and has no control that makes MONITORX/MWAITX fault") },

	/* leaf 0x80000007 EDX */
	{ "invtsc", NULL, NA, X7D(8), 0, "invariant TSC", INFO },

	/* leaf 0x80000008 EBX */
	{ "clzero", "clzero", NA, X8B(0), 0, "CLZERO", AMD_USER(R_NOLEVER) },
	{ "xsaveerptr", "xsaveerptr", NA, X8B(2), 0, "FXSAVE/XSAVE always save error pointers", INFO },
	{ "rdpru", "rdpru", NA, X8B(4), 0, "RDPRU (MPERF/APERF at CPL3)",
	  ENF(NONE, R_AMD_ONLY, INTERCEPT, "KVM intercepts RDPRU and injects #UD, advertised or not",
	      NONE, R_PVM_USER) },
	{ "ibpb", NULL, NA, X8B(12), 0, "indirect branch prediction barrier (IA32_PRED_CMD, AMD)",
	  MSR_ALL("KVM refuses IA32_PRED_CMD writes (#GP) when ibpb and spec-ctrl are hidden") },
	{ "ibrs", NULL, NA, X8B(14), 0, "indirect branch restricted speculation (AMD, IA32_SPEC_CTRL.IBRS)",
	  ALL(NONE, R_SPEC_CTRL) },
	{ "amd-stibp", NULL, NA, X8B(15), 0, "single thread indirect branch predictors (AMD)",
	  ALL(NONE, R_SPEC_CTRL) },
	{ "amd-ssbd", NULL, NA, X8B(24), 0, "speculative store bypass disable (AMD, IA32_SPEC_CTRL)",
	  ALL(NONE, R_SPEC_CTRL) },
	{ "stibp-always-on", NULL, NA, X8B(17), 0, "STIBP is always on (AMD)", ALL(NONE, R_BEHAV) },
	{ "amd-psfd", NULL, NA, X8B(28), 0, "IA32_SPEC_CTRL.PSFD (AMD)", ALL(NONE, R_SPEC_CTRL) },
	{ "wbnoinvd", "wbnoinvd", NA, X8B(9), 0, "WBNOINVD",
	  ALL(NONE, "on a CPU without it WBNOINVD runs as WBINVD; no control hides it") },

	/* leaf 0x8000000A EDX (SVM capabilities) */
	{ "npt", "npt", NA, XAD(0), 0, "nested page tables", INFO_SVMCAP },
	{ "nrip-save", "nrip_save", NA, XAD(3), 0, "next RIP saved on #VMEXIT", INFO_SVMCAP },
	{ "vgif", "vgif", NA, XAD(16), 0, "virtual GIF", INFO_SVMCAP },
	{ "vnmi", "vnmi", NA, XAD(25), 0, "virtual NMI", INFO_SVMCAP },
	{ "svme-addr-chk", NULL, NA, XAD(28), 0, "SVM instructions check addresses", INFO_SVMCAP },

	/* leaf 0x80000021 EAX (AMD extended features 2) */
	{ "no-nested-data-bp", NULL, NA, X21A(0), 0, "no nested data breakpoints", ALL(NONE, R_BEHAV) },
	{ "lfence-always-serializing", NULL, NA, X21A(2), 0, "LFENCE is always dispatch serializing", ALL(NONE, R_BEHAV) },
	{ "null-sel-clr-base", NULL, NA, X21A(6), 0, "loading a null selector clears the base", ALL(NONE, R_BEHAV) },
	{ "auto-ibrs", NULL, NA, X21A(8), 0, "automatic IBRS (EFER.AUTOIBRS)",
	  ALL(EFER, "KVM treats EFER.AUTOIBRS as reserved when auto-ibrs is hidden: setting it #GPs") },

	/* leaf 0x24 EBX (AVX10 vector lengths) */
	{ "avx10-128", NULL, NA, L24B(16), 0, "AVX10 128-bit vectors", ALL(NONE, R_BEHAV) },
	{ "avx10-256", NULL, NA, L24B(17), 0, "AVX10 256-bit vectors", ALL(NONE, R_BEHAV) },
	{ "avx10-512", NULL, NA, L24B(18), 0, "AVX10 512-bit vectors", ALL(NONE, R_BEHAV) },

	/* leaf 0xC0000001 EDX (VIA/Zhaoxin PadLock) */
	{ "xstore", "rng", NA, C1D(2), 0, "PadLock random number generator (XSTORE)", USER_NONE(R_PADLOCK) },
	{ "xstore-en", "rng_en", NA, C1D(3), 0, "PadLock RNG enabled", ALL(NONE, R_BEHAV) },
	{ "xcrypt", "ace", NA, C1D(6), 0, "PadLock AES engine (XCRYPT*)", USER_NONE(R_PADLOCK) },
	{ "xcrypt-en", "ace_en", NA, C1D(7), 0, "PadLock AES engine enabled", ALL(NONE, R_BEHAV) },
	{ "ace2", "ace2", NA, C1D(8), 0, "PadLock AES engine 2 (XCRYPT-CTR)", USER_NONE(R_PADLOCK) },
	{ "ace2-en", "ace2_en", NA, C1D(9), 0, "PadLock AES engine 2 enabled", ALL(NONE, R_BEHAV) },
	{ "phe", "phe", NA, C1D(10), 0, "PadLock hash engine (XSHA*)", USER_NONE(R_PADLOCK) },
	{ "phe-en", "phe_en", NA, C1D(11), 0, "PadLock hash engine enabled", ALL(NONE, R_BEHAV) },
	{ "pmm", "pmm", NA, C1D(12), 0, "PadLock Montgomery multiplier (MONTMUL)", USER_NONE(R_PADLOCK) },
	{ "pmm-en", "pmm_en", NA, C1D(13), 0, "PadLock Montgomery multiplier enabled", ALL(NONE, R_BEHAV) },
};

#define NFEATURES (sizeof(features) / sizeof(features[0]))
_Static_assert(NFEATURES <= FEATURESET_MAX, "featureset_t is too small for the feature table");

const unsigned int nfeatures = NFEATURES;

/* QEMU treats '_' and '-' alike in feature names; so does cpubench. */
static int name_char(int c)
{
	return c == '_' ? '-' : c;
}

static bool name_equal_loose(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (name_char(*a) != name_char(*b))
			return false;
	return *a == *b;
}

static bool feature_has_name(const struct feature *f, const char *name,
			     bool loose)
{
	const char *names[2 + FEATURE_MAX_ALIASES] = { f->name, f->cpuinfo };

	for (unsigned int i = 0; i < FEATURE_MAX_ALIASES; i++)
		names[2 + i] = f->aliases[i];
	for (unsigned int i = 0; i < 2 + FEATURE_MAX_ALIASES; i++) {
		if (!names[i])
			continue;
		if (loose ? name_equal_loose(names[i], name) : !strcmp(names[i], name))
			return true;
	}
	return false;
}

/*
 * Every exact spelling (canonical, cpuinfo, aliases) sorted by name, then
 * by feature index: lookups are a binary search, not a scan of the table
 * with up to five strcmp() a row (mask files name features thousands of
 * times in one run). Built on first use; cpubench is single-threaded.
 */
struct name_entry {
	const char *name;
	int feature;
};

static struct name_entry name_index[FEATURESET_MAX * (2 + FEATURE_MAX_ALIASES)];
static unsigned int name_count;

static int name_entry_cmp(const void *a, const void *b)
{
	const struct name_entry *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : x->feature - y->feature;
}

static void name_index_build(void)
{
	for (unsigned int i = 0; i < nfeatures; i++) {
		const struct feature *f = &features[i];
		const char *names[2 + FEATURE_MAX_ALIASES] = { f->name, f->cpuinfo };

		for (unsigned int a = 0; a < FEATURE_MAX_ALIASES; a++)
			names[2 + a] = f->aliases[a];
		for (unsigned int n = 0; n < 2 + FEATURE_MAX_ALIASES; n++)
			if (names[n] && name_count < sizeof(name_index) / sizeof(name_index[0]))
				name_index[name_count++] = (struct name_entry){ names[n], (int)i };
	}
	qsort(name_index, name_count, sizeof(name_index[0]), name_entry_cmp);
}

/* The lowest-indexed feature one of whose exact spellings is @name, or -1. */
static int name_index_find(const char *name)
{
	unsigned int lo = 0, hi;

	if (!name_count)
		name_index_build();
	hi = name_count;
	while (lo < hi) {	/* first entry >= name */
		unsigned int mid = lo + (hi - lo) / 2;

		if (strcmp(name_index[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < name_count && !strcmp(name_index[lo].name, name) ?
	       name_index[lo].feature : -1;
}

int feature_lookup(const char *name)
{
	int f;

	if (!name || !*name)
		return -1;
	/* exact spellings first, so a loose match can never shadow one */
	f = name_index_find(name);
	if (f >= 0)
		return f;
	for (unsigned int i = 0; i < nfeatures; i++)
		if (feature_has_name(&features[i], name, true))
			return (int)i;
	return -1;
}

const char *feature_suggest(const char *name)
{
	unsigned int best = 255;
	const char *found = NULL;

	if (!name || !*name)
		return NULL;
	for (unsigned int i = 0; i < nfeatures; i++) {
		const struct feature *f = &features[i];
		const char *names[2 + FEATURE_MAX_ALIASES] = { f->name, f->cpuinfo };

		for (unsigned int k = 0; k < FEATURE_MAX_ALIASES; k++)
			names[2 + k] = f->aliases[k];
		for (unsigned int k = 0; k < 2 + FEATURE_MAX_ALIASES; k++) {
			unsigned int d;

			if (!names[k])
				continue;
			d = name_distance(name, names[k]);
			/* on a tie prefer the later name: "avx3" -> "avx2" */
			if (d < best || (d == best && found && strcmp(f->name, found) > 0)) {
				best = d;
				found = f->name;
			}
		}
	}
	return name_close_enough(best, (unsigned int)strlen(name)) ? found : NULL;
}

const char *enforce_mech_name(enum enforce_mech mech)
{
	static const char *const names[ENFORCE_NR] = {
		[ENFORCE_NONE] = "none",
		[ENFORCE_XCR0] = "xcr0",
		[ENFORCE_CR4] = "cr4",
		[ENFORCE_EFER] = "efer",
		[ENFORCE_INTERCEPT] = "intercept",
	};

	return (unsigned int)mech < ENFORCE_NR ? names[mech] : "?";
}
