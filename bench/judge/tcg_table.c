// SPDX-License-Identifier: GPL-2.0-only
/*
 * QEMU 7.2 TCG facts, from target/i386/tcg/translate.c and decode-new.c.inc
 * (7.2 moved SSE/AVX decoding to the new table decoder, which checks an
 * X86_FEAT_* CPUID bit per instruction) and target/i386/cpu.c (TCG_*_FEATURES:
 * what TCG can provide at all).
 */
#include "judge/tcg_table.h"

#include <stddef.h>
#include <string.h>

#include "cpu/feature.h"

#define R_DECODE "TCG's decoder checks this CPUID bit and raises #UD when the model hides it"
#define R_NEWDEC "QEMU 7.2's new SSE/AVX decoder checks this CPUID bit per instruction and raises #UD when it is hidden"
#define R_VEX	"QEMU 7.2's new decoder checks this CPUID bit for the VEX instruction (and XCR0.YMM) and raises #UD when it is hidden"
#define R_ABSENT "QEMU 7.2's TCG does not implement it: the instruction always #UDs and QEMU refuses to advertise it"
#define R_NOFLAG "QEMU 7.2 has no such CPUID flag and TCG does not implement the instruction: it always #UDs"
#define R_SIMD_BASE "QEMU 7.2's TCG gates MMX/SSE2 integer instructions on CR0.EM/TS and CR4.OSFXSR only, not on the CPUID bit"
#define R_NOFLAG_BIT "QEMU 7.2 has no such CPUID flag and TCG emulates nothing it controls or describes: it cannot be provided"
#define R_HINT_TCG "QEMU 7.2 has no such flag; a performance hint: TCG runs the string instructions whatever CPUID says"
#define R_PADLOCK_TCG "TCG does not implement VIA/Zhaoxin PadLock: QEMU refuses to advertise it and the instructions #UD"
#define R_CR4_HANG "TCG treats this CR4 bit as reserved when the feature is hidden; QEMU 7.2 then loops on an SVM #VMEXIT(INVALID) instead of raising #GP, so the hidden case hangs (untestable)"

static const struct tcg_row {
	const char *feature;
	enum tcg_check check;
	const char *reason;
	const char *checked_instead;	/* TCG checks this bit instead, or NULL */
} tcg_rows[] = {
	{ "cmov", TCG_CHECKS, R_DECODE, NULL },
	{ "cx8", TCG_CHECKS, R_DECODE, NULL },
	{ "mmx", TCG_NO_CHECK, R_SIMD_BASE, NULL },
	{ "fxsr", TCG_CHECKS, "TCG raises #UD for FXSAVE/FXRSTOR when fxsr is hidden", NULL },
	{ "sse", TCG_CHECKS, R_NEWDEC, NULL },
	{ "sse2", TCG_NO_CHECK, R_SIMD_BASE, NULL },
	{ "pni", TCG_CHECKS, R_NEWDEC, NULL },
	{ "ssse3", TCG_CHECKS, R_NEWDEC, NULL },
	{ "sse4.1", TCG_CHECKS, R_NEWDEC, NULL },
	{ "sse4.2", TCG_CHECKS, R_NEWDEC, NULL },
	{ "popcnt", TCG_CHECKS, "TCG checks CPUID_EXT_POPCNT for F3 0F B8 and raises #UD when it is hidden", NULL },
	{ "cx16", TCG_CHECKS, "TCG checks CPUID_EXT_CX16 for CMPXCHG16B and raises #UD when it is hidden", NULL },
	{ "lahf_lm", TCG_CHECKS, "TCG checks CPUID_EXT3_LAHF_LM for LAHF/SAHF in 64-bit mode and raises #UD when it is hidden", NULL },
	{ "movbe", TCG_CHECKS, R_DECODE, NULL },
	{ "aes", TCG_CHECKS, R_NEWDEC, NULL },
	{ "pclmulqdq", TCG_CHECKS, R_NEWDEC, NULL },
	{ "avx", TCG_CHECKS, R_VEX, NULL },
	{ "avx2", TCG_CHECKS, R_VEX, NULL },
	{ "fma", TCG_CHECKS, R_VEX, NULL },
	{ "f16c", TCG_CHECKS, R_VEX, NULL },
	{ "bmi1", TCG_CHECKS, "TCG checks CPUID_7_0_EBX_BMI1 for ANDN/BEXTR/BLS* (and decodes TZCNT as BSF without it)", NULL },
	{ "bmi2", TCG_CHECKS, "TCG checks CPUID_7_0_EBX_BMI2 for BZHI/MULX/PDEP/PEXT/RORX/SARX/SHLX/SHRX", NULL },
	{ "abm", TCG_NO_CHECK, "like a CPU without ABM, TCG decodes F3 0F BD as BSR when abm is hidden: LZCNT runs with other semantics, no fault", NULL },
	{ "adx", TCG_CHECKS, "TCG checks CPUID_7_0_EBX_ADX for ADCX/ADOX and raises #UD when it is hidden", NULL },
	{ "rdrand", TCG_CHECKS, "TCG checks CPUID_EXT_RDRAND for RDRAND and raises #UD when it is hidden", NULL },
	{ "rdseed", TCG_ABSENT, "QEMU 7.2's TCG cannot advertise rdseed, yet decodes RDSEED together with RDRAND and checks only the rdrand bit: RDSEED runs whenever rdrand is advertised", "rdrand" },
	{ "waitpkg", TCG_NO_CHECK, "QEMU 7.2's TCG has no WAITPKG and ignores the 66 prefix of the register form of 0F AE /6: TPAUSE decodes as MFENCE and runs", NULL },
	{ "3dnowprefetch", TCG_NO_CHECK, "TCG decodes PREFETCH/PREFETCHW (0F 0D) as a hint without checking CPUID", NULL },
	{ "tsc-adjust", TCG_NO_CHECK, "TCG emulates IA32_TSC_ADJUST whatever CPUID says: RDMSR/WRMSR of it do not fault", NULL },
	{ "rdtscp", TCG_CHECKS, "TCG checks CPUID_EXT2_RDTSCP for RDTSCP and raises #UD when it is hidden", NULL },
	{ "xsave", TCG_CHECKS, "TCG raises #UD for XSAVE/XRSTOR/XGETBV/XSETBV unless xsave is advertised and CR4.OSXSAVE is set", NULL },
	{ "xsaveopt", TCG_CHECKS, "TCG checks CPUID_XSAVE_XSAVEOPT for XSAVEOPT and raises #UD when it is hidden", NULL },
	{ "fsgsbase", TCG_CHECKS, "TCG raises #UD for RD/WR{FS,GS}BASE unless fsgsbase is advertised and CR4.FSGSBASE is set", NULL },
	{ "pku", TCG_CHECKS, "TCG refuses CR4.PKE when pku is hidden; RDPKRU/WRPKRU #UD with it clear", NULL },
	{ "sha-ni", TCG_ABSENT, R_ABSENT, NULL },
	{ "rdpid", TCG_ABSENT, R_ABSENT, NULL },
	{ "xsavec", TCG_ABSENT, R_ABSENT, NULL },
	{ "xsaves", TCG_ABSENT, R_ABSENT, NULL },
	{ "invpcid", TCG_ABSENT, R_ABSENT, NULL },
	{ "avx512f", TCG_ABSENT, R_ABSENT, NULL },
	{ "avx512bw", TCG_ABSENT, R_ABSENT, NULL },
	{ "avx512cd", TCG_ABSENT, R_ABSENT, NULL },
	{ "avx512dq", TCG_ABSENT, R_ABSENT, NULL },
	{ "avx512vl", TCG_ABSENT, R_ABSENT, NULL },
	{ "avx512vnni", TCG_ABSENT, R_ABSENT, NULL },
	{ "avx512-bf16", TCG_ABSENT, R_ABSENT, NULL },
	{ "avx512-fp16", TCG_ABSENT, R_ABSENT, NULL },
	{ "avx512ifma", TCG_ABSENT, R_ABSENT, NULL },
	{ "avx512vbmi", TCG_ABSENT, R_ABSENT, NULL },
	{ "avx512vbmi2", TCG_ABSENT, R_ABSENT, NULL },
	{ "avx512bitalg", TCG_ABSENT, R_ABSENT, NULL },
	{ "avx512-vpopcntdq", TCG_ABSENT, R_ABSENT, NULL },
	{ "avx512-vp2intersect", TCG_ABSENT, R_ABSENT, NULL },
	{ "avx-vnni", TCG_ABSENT, R_ABSENT, NULL },
	{ "gfni", TCG_ABSENT, R_ABSENT, NULL },
	{ "vpclmulqdq", TCG_ABSENT, R_ABSENT, NULL },
	{ "movdiri", TCG_ABSENT, R_ABSENT, NULL },
	{ "movdir64b", TCG_ABSENT, R_ABSENT, NULL },
	{ "serialize", TCG_ABSENT, R_ABSENT, NULL },
	{ "rtm", TCG_ABSENT, R_ABSENT, NULL },
	{ "hle", TCG_ABSENT, R_ABSENT, NULL },
	{ "clzero", TCG_ABSENT, R_ABSENT, NULL },
	{ "xop", TCG_ABSENT, R_ABSENT, NULL },
	{ "fma4", TCG_ABSENT, R_ABSENT, NULL },
	{ "tbm", TCG_ABSENT, R_ABSENT, NULL },
	{ "amx-tile", TCG_ABSENT, R_ABSENT, NULL },
	{ "amx-int8", TCG_ABSENT, R_ABSENT, NULL },
	{ "amx-bf16", TCG_ABSENT, R_ABSENT, NULL },
	{ "avx-ifma", TCG_ABSENT, R_NOFLAG, NULL },
	{ "mwaitx", TCG_ABSENT, R_NOFLAG, NULL },
	{ "rdpru", TCG_ABSENT, R_NOFLAG, NULL },
	{ "cmpccxadd", TCG_ABSENT, R_NOFLAG, NULL },
	{ "vaes", TCG_CHECKS, R_VEX, NULL },
	{ "sse4a", TCG_CHECKS, R_DECODE, NULL },
	{ "clflushopt", TCG_CHECKS, R_DECODE, NULL },
	{ "clwb", TCG_CHECKS, R_DECODE, NULL },
	{ "clflush", TCG_NO_CHECK, "TCG runs CLFLUSH (a no-op in an emulator) without checking CPUID", NULL },
	{ "tsc", TCG_NO_CHECK, "TCG runs RDTSC whatever CPUID says: only CR4.TSD gates it", NULL },
	{ "monitor", TCG_CHECKS, "TCG checks CPUID_EXT_MONITOR for MONITOR/MWAIT and raises #UD when it is hidden (advertised, MWAIT waits for an interrupt the guest never enables)", NULL },
	{ "xgetbv1", TCG_CHECKS, "TCG raises #GP for XGETBV with ECX=1 unless xgetbv1 is advertised", NULL },
	{ "umip", TCG_CHECKS, R_CR4_HANG, NULL },
	{ "smep", TCG_CHECKS, R_CR4_HANG, NULL },
	{ "smap", TCG_CHECKS, R_CR4_HANG, NULL },
	{ "pcid", TCG_NO_CHECK, "QEMU 7.2's TCG cannot advertise pcid, yet does not treat CR4.PCIDE as reserved: setting it succeeds", NULL },
	{ "nx", TCG_NO_CHECK, "TCG silently drops a write of EFER.NXE when nx is hidden (no #GP)", NULL },
	{ "vmx", TCG_ABSENT, "TCG does not implement VMX: VMXON always #UDs", NULL },
	/* features of QEMU's models after 7.2 */
	{ "avx-vnni-int8", TCG_ABSENT, R_NOFLAG, NULL },
	{ "avx-ne-convert", TCG_ABSENT, R_NOFLAG, NULL },
	{ "avx-vnni-int16", TCG_ABSENT, R_NOFLAG, NULL },
	{ "amx-fp16", TCG_ABSENT, R_NOFLAG, NULL },
	{ "sha512", TCG_ABSENT, R_NOFLAG, NULL },
	{ "sm3", TCG_ABSENT, R_NOFLAG, NULL },
	{ "sm4", TCG_ABSENT, R_NOFLAG, NULL },
	{ "avx10", TCG_ABSENT, R_NOFLAG, NULL },
	{ "tsx-ldtrk", TCG_ABSENT, "QEMU 7.2's TCG does not implement XSUSLDTRK/XRESLDTRK: they #UD, and QEMU refuses to advertise tsx-ldtrk", NULL },
	{ "wbnoinvd", TCG_NO_CHECK, "QEMU 7.2's TCG cannot advertise wbnoinvd, yet decodes F3 0F 09 as WBINVD, the prefix ignored as on a CPU without WBNOINVD: it runs at CPL0", NULL },
	{ "la57", TCG_CHECKS, "TCG provides 5-level paging; a guest not told la57 boots with 4-level paging as Linux does, where a 57-bit address #GPs", NULL },
	{ "bus-lock-detect", TCG_ABSENT, "TCG does not implement bus lock detection (DEBUGCTL.BUS_LOCK_DETECT): QEMU refuses to advertise it", NULL },
	{ "xfd", TCG_ABSENT, "TCG has no AMX and no IA32_XFD: QEMU refuses to advertise xfd", NULL },
	{ "fzrm", TCG_NO_CHECK, R_HINT_TCG, NULL },
	{ "fsrs", TCG_NO_CHECK, R_HINT_TCG, NULL },
	{ "fsrc", TCG_NO_CHECK, R_HINT_TCG, NULL },
	{ "prefetchiti", TCG_NO_CHECK, "QEMU 7.2 has no such flag; PREFETCHIT0/1 sit in the 0F 18 hint space, which TCG runs as a NOP", NULL },
	{ "lam", TCG_ABSENT, "QEMU 7.2 has no lam flag and TCG does not implement linear address masking", NULL },
	{ "intel-psfd", TCG_ABSENT, R_NOFLAG_BIT, NULL },
	{ "ipred-ctrl", TCG_ABSENT, R_NOFLAG_BIT, NULL },
	{ "rrsba-ctrl", TCG_ABSENT, R_NOFLAG_BIT, NULL },
	{ "ddpd-u", TCG_ABSENT, R_NOFLAG_BIT, NULL },
	{ "bhi-ctrl", TCG_ABSENT, R_NOFLAG_BIT, NULL },
	{ "mcdt-no", TCG_ABSENT, R_NOFLAG_BIT, NULL },
	{ "stibp-always-on", TCG_ABSENT, R_NOFLAG_BIT, NULL },
	{ "amd-psfd", TCG_ABSENT, R_NOFLAG_BIT, NULL },
	{ "no-nested-data-bp", TCG_ABSENT, R_NOFLAG_BIT, NULL },
	{ "lfence-always-serializing", TCG_ABSENT, R_NOFLAG_BIT, NULL },
	{ "null-sel-clr-base", TCG_ABSENT, R_NOFLAG_BIT, NULL },
	{ "auto-ibrs", TCG_ABSENT, R_NOFLAG_BIT, NULL },
	{ "vnmi", TCG_ABSENT, R_NOFLAG_BIT, NULL },
	{ "avx10-128", TCG_ABSENT, R_NOFLAG_BIT, NULL },
	{ "avx10-256", TCG_ABSENT, R_NOFLAG_BIT, NULL },
	{ "avx10-512", TCG_ABSENT, R_NOFLAG_BIT, NULL },
	{ "xstore", TCG_ABSENT, R_PADLOCK_TCG, NULL },
	{ "xstore-en", TCG_ABSENT, R_PADLOCK_TCG, NULL },
	{ "xcrypt", TCG_ABSENT, R_PADLOCK_TCG, NULL },
	{ "xcrypt-en", TCG_ABSENT, R_PADLOCK_TCG, NULL },
	{ "ace2", TCG_ABSENT, R_PADLOCK_TCG, NULL },
	{ "ace2-en", TCG_ABSENT, R_PADLOCK_TCG, NULL },
	{ "phe", TCG_ABSENT, R_PADLOCK_TCG, NULL },
	{ "phe-en", TCG_ABSENT, R_PADLOCK_TCG, NULL },
	{ "pmm", TCG_ABSENT, R_PADLOCK_TCG, NULL },
	{ "pmm-en", TCG_ABSENT, R_PADLOCK_TCG, NULL },
	{ "svm", TCG_NO_CHECK, "TCG silently drops a write of EFER.SVME when svm is hidden (no #GP): SVME reads back clear, so the probe sees other semantics", NULL },
};

enum tcg_check tcg_feature_check(int feature, const char **reason, bool *listed)
{
	*listed = false;
	if (feature >= 0) {
		for (size_t i = 0; i < sizeof(tcg_rows) / sizeof(tcg_rows[0]); i++) {
			if (feature_lookup(tcg_rows[i].feature) != feature)
				continue;
			*listed = true;
			*reason = tcg_rows[i].reason;
			return tcg_rows[i].check;
		}
	}
	*reason = "cpubench's TCG table has no row for it: assumed that TCG does not check this CPUID bit";
	return TCG_NO_CHECK;
}

enum leak_kind tcg_leak_kind(int feature, const featureset_t *advertised,
			     const char **reason)
{
	bool listed;

	if (feature < 0) {
		*reason = "self-test probe: no feature";
		return LEAK_EXPECTED;
	}
	for (size_t i = 0; i < sizeof(tcg_rows) / sizeof(tcg_rows[0]); i++) {
		const struct tcg_row *t = &tcg_rows[i];

		if (t->checked_instead && feature_lookup(t->feature) == feature &&
		    featureset_has(advertised, feature_lookup(t->checked_instead))) {
			*reason = t->reason;
			return LEAK_EXPECTED;
		}
	}
	return tcg_feature_check(feature, reason, &listed) == TCG_NO_CHECK ?
		LEAK_EXPECTED : LEAK_UNEXPECTED;
}
