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

#include "guest_image.h"
#include "probe.h"

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
};

#undef K

/*
 * Instructions capstone 4.0 cannot decode at all, with their encodings
 * from the Intel SDM vol. 2: the walk steps over them by these bytes.
 */
static const struct {
	const char *name;
	const char *bytes;
	size_t len;
} unknown_to_capstone[] = {
	{ "wrpkru", "\x0f\x01\xef", 3 },	/* WRPKRU: NP 0F 01 EF */
	{ "rdpkru", "\x0f\x01\xee", 3 },	/* RDPKRU: NP 0F 01 EE */
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
			if (writes_fixup_regs(cs, &insn[i]))
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_probe_disassembles),
		cmocka_unit_test(test_key_table_covers_catalog),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
