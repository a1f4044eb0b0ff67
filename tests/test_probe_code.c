// SPDX-License-Identifier: GPL-2.0-only
/*
 * Checks the probe code embedded in cpubench by disassembling it with
 * capstone: every probe exists, decodes completely, ends in RET, contains
 * the instruction it is named for, and never writes R14/R15 (the fault
 * fixup's registers, see guestcode/entry.S).
 */
#include <capstone/capstone.h>
#include <elf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cpu/feature.h"
#include "judge/probe.h"
#include "vmm/guest_image.h"

/*
 * Encodings of instructions capstone 4.0 cannot decode (see
 * unknown_to_capstone). EVEX: 62, P0 = R X B R' 0 m m m, P1 = W vvvv 1 pp,
 * P2 = z L'L b V' aaa (Intel SDM vol. 2A 2.7); VEX3: C4, R X B m-mmmm,
 * W vvvv L pp (2.3.5); vvvv and R X B R' V' inverted. The probes use fixed
 * registers for them (guestcode/probes.S), so the whole instruction,
 * ModRM included, is known.
 */
/* Intel SDM vol. 2, EVEX.512 forms, zmm2 = dst, zmm0 = src1, zmm1 = src2:
 * ModRM D1 = 11 010 001; one-source forms zmm1 <- zmm0: C8 = 11 001 000 */
#define VPDPBUSD_ZMM	"\x62\xf2\x7d\x48\x50\xd1"	/* EVEX.512.66.0F38.W0 50 /r */
#define VDPBF16PS_ZMM	"\x62\xf2\x7e\x48\x52\xd1"	/* EVEX.512.F3.0F38.W0 52 /r */
#define VADDPH_ZMM	"\x62\xf5\x7c\x48\x58\xc8"	/* EVEX.512.NP.MAP5.W0 58 /r, zmm0 + zmm0 */
#define VPMADD52LUQ_ZMM	"\x62\xf2\xfd\x48\xb4\xd1"	/* EVEX.512.66.0F38.W1 B4 /r */
#define VPERMB_ZMM	"\x62\xf2\x7d\x48\x8d\xd1"	/* EVEX.512.66.0F38.W0 8D /r */
#define VPSHLDD_ZMM	"\x62\xf3\x7d\x48\x71\xd1\x08"	/* EVEX.512.66.0F3A.W0 71 /r ib */
#define VPOPCNTB_ZMM	"\x62\xf2\x7d\x48\x54\xc8"	/* EVEX.512.66.0F38.W0 54 /r */
#define VPOPCNTQ_ZMM	"\x62\xf2\xfd\x48\x55\xc8"	/* EVEX.512.66.0F38.W1 55 /r */
#define VP2INTERSECTD_ZMM "\x62\xf2\x7f\x48\x68\xd1"	/* EVEX.512.F2.0F38.W0 68 /r, k2 */
/* VEX.256, ymm2 = dst, ymm0 = src1 (vvvv), ymm1 = src2 */
#define VPDPBUSD_YMM_VEX "\xc4\xe2\x7d\x50\xd1"	/* VEX.256.66.0F38.W0 50 /r */
#define VPMADD52LUQ_YMM_VEX "\xc4\xe2\xfd\xb4\xd1"	/* VEX.256.66.0F38.W1 B4 /r */
#define VPDPBSSD_YMM	"\xc4\xe2\x7f\x50\xd1"	/* VEX.256.F2.0F38.W0 50 /r */
/* VEX.256.F3.0F38.W0 B1 /r, ymm0 <- bf16 [rsi]: ModRM 06 = 00 000 110 */
#define VBCSTNEBF162PS	"\xc4\xe2\x7e\xb1\x06"
#define VAESENC_YMM	"\xc4\xe2\x7d\xdc\xd1"	/* VEX.256.66.0F38.WIG DC /r */
#define VPCLMULQDQ_YMM	"\xc4\xe3\x7d\x44\xd1\x00"	/* VEX.256.66.0F3A.WIG 44 /r ib */
#define GF2P8MULB	"\x66\x0f\x38\xcf\xc1"		/* 66 0F 38 CF /r, xmm0 <- xmm1 */
#define MOVDIRI		"\x48\x0f\x38\xf9\x04\x24"	/* NP REX.W 0F 38 F9 /r, [rsp] <- rax */
#define MOVDIR64B	"\x66\x0f\x38\xf8\x3e"		/* 66 0F 38 F8 /r, [rdi] <- [rsi] */
#define SERIALIZE	"\x0f\x01\xe8"			/* NP 0F 01 E8 */
#define XSUSLDTRK	"\xf2\x0f\x01\xe8"		/* F2 0F 01 E8 */
#define XRESLDTRK	"\xf2\x0f\x01\xe9"		/* F2 0F 01 E9 */
#define WBNOINVD	"\xf3\x0f\x09"			/* F3 0F 09; capstone 4.0: WBINVD */
/* la57: BTS RAX, 48 (REX.W 0F BA /5 ib), then MOV RAX, [RAX] (REX.W 8B /r) */
#define LA57_LOAD	"\x48\x0f\xba\xe8\x30\x48\x8b\x00"
#define TPAUSE		"\x66\x0f\xae\xf1"		/* 66 0F AE /6, ecx */
/* CMPccXADD: VEX.128.66.0F38.W1 E0+cc, cc 4 = Z; [rsp], rax, vvvv = rcx */
#define CMPZXADD	"\xc4\xe2\xf1\xe4\x04\x24"
/* AMD APM vol. 3 */
#define CLZERO		"\x0f\x01\xfc"
#define MONITORX	"\x0f\x01\xfa"
#define MWAITX		"\x0f\x01\xfb"
#define RDPRU		"\x0f\x01\xfd"
/* AMX (Intel SDM vol. 2): VEX.128.{NP,F2,F3}.0F38.W0 49/4B/5C/5E */
#define LDTILECFG	"\xc4\xe2\x78\x49\x04\x24"	/* NP 49 !(11):000:bbb, [rsp] */
#define TILERELEASE	"\xc4\xe2\x78\x49\xc0"		/* NP 49 C0 */
#define TILEZERO	"\xc4\xe2\x7b\x49\xc0"		/* F2 49 11:rrr:000, tmm0 */
#define TILELOADD_1	"\xc4\xe2\x7b\x4b\x0c\x16"	/* F2 4B, tmm1 <- [rsi + rdx] */
#define TILELOADD_2	"\xc4\xe2\x7b\x4b\x14\x16"	/* F2 4B, tmm2 <- [rsi + rdx] */
#define TILESTORED	"\xc4\xe2\x7a\x4b\x04\x17"	/* F3 4B, [rdi + rdx] <- tmm0 */
#define TDPBSSD		"\xc4\xe2\x6b\x5e\xc1"		/* F2 5E, tmm0 += tmm1 . tmm2 */
#define TDPBF16PS	"\xc4\xe2\x6a\x5c\xc1"		/* F3 5C, tmm0 += tmm1 . tmm2 */
#define TDPFP16PS	"\xc4\xe2\x6b\x5c\xc1"		/* F2 5C, tmm0 += tmm1 . tmm2 */

/*
 * The instruction each probe exists to run: capstone's mnemonic, or, where
 * capstone (4.0, as Debian ships it) decodes it wrongly, the encoding from
 * the vendor manual.
 */
static const struct {
	const char *probe;
	const char *mnemonic;
	const char *manual;	/* bytes that must occur in the probe */
	size_t manual_len;
} key_insn[] = {
#define K(p, m) { .probe = p, .mnemonic = m }
	K("sse2", "paddb"), K("sse", "addss"), K("mmx", "paddb"),
	K("cmov", "cmovne"), K("cx8", "cmpxchg8b"), K("fxsr", "fxsave"),
	K("sse3", "movddup"), K("ssse3", "pshufb"), K("sse4.1", "pmulld"),
	K("sse4.2", "crc32"), K("popcnt", "popcnt"), K("cx16", "cmpxchg16b"),
	K("lahf_lm", "lahf"), K("movbe", "movbe"), K("aes", "aesenc"),
	K("pclmulqdq", "pclmulqdq"), K("avx", "vaddps"), K("avx2", "vpaddd"),
	K("fma", "vfmadd231ss"), K("f16c", "vcvtph2ps"), K("bmi1", "andn"),
	K("bmi2", "pext"), K("abm", "lzcnt"), K("adx", "adcx"),
	K("sha-ni", "sha256rnds2"), K("rdrand", "rdrand"), K("rdseed", "rdseed"),
	K("rdtscp", "rdtscp"),
	/* Capstone 4.0 ignores the F3 prefix and shows RDSEED. Intel SDM
	 * vol. 2B "RDPID": F3 0F C7 /7; ModRM F8 = mod 11, reg 7, rm RAX. */
	{ .probe = "rdpid", .manual = "\xf3\x0f\xc7\xf8", .manual_len = 4 },
	K("xsave", "xsave"),
	K("xsaveopt", "xsaveopt"), K("xsavec", "xsavec"), K("xsaves", "xsaves"),
	K("fsgsbase", "wrgsbase"), K("pku", "wrpkru"), /* see unknown_to_capstone */ K("invpcid", "invpcid"),
	K("avx512f", "vpaddd"), K("avx512bw", "vpaddb"), K("avx512cd", "vplzcntd"),
	K("avx512dq", "vpmullq"), K("avx512vl", "vpaddd"), K("vmx", "vmxon"),
	K("svm", "wrmsr"), K("selftest-ud2", "ud2"),
	K("selftest-hang", "loop"), K("selftest-triple-fault", "lidt"),
	K("selftest-scribble", "stosq"), K("selftest-nop", "nop"),
	K("selftest-exits", "out"), K("selftest-exceptions", "ud2"),
	K("selftest-pf", "lodsb"),
	/* Not decoded by capstone 4.0: see unknown_to_capstone for the
	 * manual's encoding of each. */
#define M(p, b) { .probe = p, .manual = b, .manual_len = sizeof(b) - 1 }
	M("avx512vnni", VPDPBUSD_ZMM), M("avx512-bf16", VDPBF16PS_ZMM),
	M("avx512-fp16", VADDPH_ZMM), M("avx512ifma", VPMADD52LUQ_ZMM),
	M("avx512vbmi", VPERMB_ZMM), M("avx512vbmi2", VPSHLDD_ZMM),
	M("avx512bitalg", VPOPCNTB_ZMM), M("avx512-vpopcntdq", VPOPCNTQ_ZMM),
	M("avx512-vp2intersect", VP2INTERSECTD_ZMM),
	M("avx-vnni", VPDPBUSD_YMM_VEX), M("avx-ifma", VPMADD52LUQ_YMM_VEX),
	M("gfni", GF2P8MULB), M("vaes", VAESENC_YMM),
	M("vpclmulqdq", VPCLMULQDQ_YMM), M("movdiri", MOVDIRI),
	M("movdir64b", MOVDIR64B), M("serialize", SERIALIZE),
	M("waitpkg", TPAUSE), M("clzero", CLZERO), M("mwaitx", MWAITX),
	M("rdpru", RDPRU), M("cmpccxadd", CMPZXADD),
	M("amx-tile", TILEZERO), M("amx-int8", TDPBSSD), M("amx-bf16", TDPBF16PS),
	M("amx-fp16", TDPFP16PS), M("avx-vnni-int8", VPDPBSSD_YMM),
	M("avx-ne-convert", VBCSTNEBF162PS), M("tsx-ldtrk", XSUSLDTRK XRESLDTRK),
	M("wbnoinvd", WBNOINVD), M("la57", LA57_LOAD),
	/* Decoded, but the mnemonic alone is too common: MOV CR4, RAX is
	 * 0F 22 /r with ModRM E0 (reg 4 = CR4, rm 0 = RAX); MOV CR3, RAX
	 * has ModRM D8 (Intel SDM vol. 2B "MOV--Move to/from Control
	 * Registers"). */
	M("umip", "\x0f\x22\xe0"), M("smep", "\x0f\x22\xe0"), M("pcid", "\x0f\x22\xd8"),
	K("rtm", "xbegin"), K("hle", "xacquire xchg"), K("clflush", "clflush"),
	K("clflushopt", "clflushopt"), K("clwb", "clwb"),
	K("3dnowprefetch", "prefetchw"), K("monitor", "mwait"), K("tsc", "rdtsc"),
	K("xgetbv1", "xgetbv"), K("sse4a", "extrq"), K("xop", "vprotd"),
	K("fma4", "vfmaddss"), K("tbm", "blcmsk"), K("smap", "stac"),
	K("nx", "wrmsr"), K("tsc-adjust", "wrmsr"),
#undef M
};

#undef K

/*
 * Instructions capstone 4.0 cannot decode at all, with their encodings
 * from the vendor manuals: the walk steps over them by these bytes.
 * (Capstone 4.0 decodes UMONITOR, F3 0F AE /6, as MFENCE: right length,
 * so the walk goes on; the waitpkg probe is checked by its TPAUSE.)
 */

static const struct {
	const char *name;
	const char *bytes;
	size_t len;
} unknown_to_capstone[] = {
	{ "wrpkru", "\x0f\x01\xef", 3 },	/* WRPKRU: NP 0F 01 EF */
	{ "rdpkru", "\x0f\x01\xee", 3 },	/* RDPKRU: NP 0F 01 EE */
#define U(n, b) { n, b, sizeof(b) - 1 }
	U("vpdpbusd", VPDPBUSD_ZMM), U("vdpbf16ps", VDPBF16PS_ZMM),
	U("vaddph", VADDPH_ZMM), U("vpmadd52luq", VPMADD52LUQ_ZMM),
	U("vpermb", VPERMB_ZMM), U("vpshldd", VPSHLDD_ZMM),
	U("vpopcntb", VPOPCNTB_ZMM), U("vpopcntq", VPOPCNTQ_ZMM),
	U("vp2intersectd", VP2INTERSECTD_ZMM),
	U("vpdpbusd", VPDPBUSD_YMM_VEX), U("vpmadd52luq", VPMADD52LUQ_YMM_VEX),
	U("vaesenc", VAESENC_YMM), U("vpclmulqdq", VPCLMULQDQ_YMM),
	U("gf2p8mulb", GF2P8MULB), U("movdiri", MOVDIRI), U("movdir64b", MOVDIR64B),
	U("serialize", SERIALIZE), U("tpause", TPAUSE), U("cmpzxadd", CMPZXADD),
	U("clzero", CLZERO), U("monitorx", MONITORX), U("mwaitx", MWAITX),
	U("rdpru", RDPRU), U("ldtilecfg", LDTILECFG), U("tilerelease", TILERELEASE),
	U("tilezero", TILEZERO), U("tileloadd", TILELOADD_1),
	U("tileloadd", TILELOADD_2), U("tilestored", TILESTORED),
	U("tdpbssd", TDPBSSD), U("tdpbf16ps", TDPBF16PS), U("tdpfp16ps", TDPFP16PS),
	U("vpdpbssd", VPDPBSSD_YMM), U("vbcstnebf162ps", VBCSTNEBF162PS),
	U("xsusldtrk", XSUSLDTRK), U("xresldtrk", XRESLDTRK),
#undef U
};

static size_t manual_decode(const uint8_t *code, size_t left, const char **name)
{
	for (size_t i = 0; i < sizeof(unknown_to_capstone) / sizeof(unknown_to_capstone[0]); i++)
		if (left >= unknown_to_capstone[i].len &&
		    !memcmp(code, unknown_to_capstone[i].bytes, unknown_to_capstone[i].len)) {
			*name = unknown_to_capstone[i].name;
			return unknown_to_capstone[i].len;
		}
	return 0;
}

static int key_index(const char *probe)
{
	for (size_t i = 0; i < sizeof(key_insn) / sizeof(key_insn[0]); i++)
		if (!strcmp(key_insn[i].probe, probe))
			return i;
	return -1;
}

static bool writes_fixup_regs(csh cs, const cs_insn *insn)
{
	cs_regs rd, wr;
	uint8_t nrd, nwr;

	if (cs_regs_access(cs, insn, rd, &nrd, wr, &nwr))
		return false;
	for (int i = 0; i < nwr; i++) {
		const char *name = cs_reg_name(cs, wr[i]);

		if (!strncmp(name, "r14", 3) || !strncmp(name, "r15", 3))
			return true;
	}
	return false;
}

/* Probes that arm the fixup themselves, and put back the caller's R14 and
 * R15 before they return (guestcode/probes.S). */
static bool uses_fixup(const struct probe_desc *p)
{
	return !strcmp(p->name, "selftest-exceptions");
}

static void check_probe(csh cs, const struct probe_desc *p)
{
	size_t size = guest_payload_end - guest_payload;
	int key = key_index(p->name);
	const char *want;
	const uint8_t *code = NULL;
	char sym[64];
	uint64_t addr, len, off;
	cs_insn *insn;
	size_t count;
	bool found = false, last_ret = false;

	if (key < 0)
		fail_msg("%s: not in the key instruction table", p->name);
	want = key_insn[key].mnemonic;
	snprintf(sym, sizeof(sym), "probe_%s", p->sym);
	if (guest_image_symbol(guest_payload, size, sym, &addr, &len))
		fail_msg("%s: no symbol %s in the payload", p->name, sym);
	assert_true(len > 0);
	/* the user image is loaded at its link address; find its bytes */
	{
		const Elf64_Ehdr *eh = (const Elf64_Ehdr *)guest_payload;
		const Elf64_Phdr *ph = (const Elf64_Phdr *)(guest_payload + eh->e_phoff);

		for (int i = 0; i < eh->e_phnum; i++)
			if (ph[i].p_type == PT_LOAD && addr >= ph[i].p_vaddr &&
			    addr + len <= ph[i].p_vaddr + ph[i].p_filesz)
				code = guest_payload + ph[i].p_offset + (addr - ph[i].p_vaddr);
		assert_non_null(code);
	}
	off = 0;
	while (off < len) {
		const char *manual = NULL;
		size_t skip;

		count = cs_disasm(cs, code + off, len - off, addr + off, 0, &insn);
		for (size_t i = 0; i < count; i++) {
			off += insn[i].size;
			found |= want && !strcmp(insn[i].mnemonic, want);
			last_ret = !strcmp(insn[i].mnemonic, "ret");
			if (!uses_fixup(p) && writes_fixup_regs(cs, &insn[i]))
				fail_msg("%s: '%s %s' writes a fixup register", p->name,
					 insn[i].mnemonic, insn[i].op_str);
		}
		if (count)
			cs_free(insn, count);
		if (off >= len)
			break;
		skip = manual_decode(code + off, len - off, &manual);
		if (!skip || !manual)
			fail_msg("%s: neither capstone nor the manual table decodes "
				 "the bytes at +0x%llx", p->name, (unsigned long long)off);
		found |= want && !strcmp(manual, want);
		last_ret = false;
		off += skip;
	}
	assert_true(last_ret);
	if (!want)
		found = memmem(code, len, key_insn[key].manual, key_insn[key].manual_len) != NULL;
	if (!found)
		fail_msg("%s: no '%s' instruction", p->name,
			 want ? want : "(manual encoding)");
}

static void test_every_probe_disassembles(void **state)
{
	csh cs;

	(void)state;
	assert_int_equal(cs_open(CS_ARCH_X86, CS_MODE_64, &cs), CS_ERR_OK);
	cs_option(cs, CS_OPT_DETAIL, CS_OPT_ON);
	for (unsigned int i = 0; i < nprobes; i++)
		check_probe(cs, &probes[i]);
	cs_close(&cs);
}

static void test_key_table_covers_catalog(void **state)
{
	(void)state;
	assert_int_equal(sizeof(key_insn) / sizeof(key_insn[0]), nprobes);
}

/* Each feature listed as not testable is a feature no probe tests. */
static void test_unprobed_are_unprobed(void **state)
{
	(void)state;
	assert_true(nunprobed_features >= 4);
	for (unsigned int i = 0; i < nunprobed_features; i++) {
		int f = feature_lookup(unprobed_features[i].feature);

		if (f < 0 || strcmp(features[f].name, unprobed_features[i].feature))
			fail_msg("%s: not a canonical feature name", unprobed_features[i].feature);
		for (unsigned int k = 0; k < nprobes; k++)
			if (!strcmp(probes[k].feature, unprobed_features[i].feature))
				fail_msg("%s is listed as not testable, yet probe %s tests it",
					 unprobed_features[i].feature, probes[k].name);
		assert_true(strlen(unprobed_features[i].reason) > 20);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_probe_disassembles),
		cmocka_unit_test(test_key_table_covers_catalog),
		cmocka_unit_test(test_unprobed_are_unprobed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
