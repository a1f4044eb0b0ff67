// SPDX-License-Identifier: GPL-2.0-only
/*
 * Disassembly of the embedded guest payload for reports (see disasm.h).
 *
 * Capstone 4.0 (Debian 12) does not know a few recent encodings, or shows
 * them as another instruction; those are taken from the vendor manuals
 * (manual_insns below) before capstone is asked.
 */
#include "vmm/disasm.h"

#include <capstone/capstone.h>
#include <elf.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "guestcode/mailbox.h"
#include "judge/enables.h"
#include "vmm/guest_image.h"

#define INSN_TEXT_MAX 96

/*
 * Encodings taken from the manuals, checked before capstone. RDPID: Intel
 * SDM vol. 2B, F3 0F C7 /7 (capstone 4.0 drops the F3 and shows RDSEED);
 * the others capstone 4.0 does not decode (SDM vol. 2, AMD APM vol. 3).
 */
static const struct {
	const char *bytes;
	size_t len;
	const char *text;
} manual_insns[] = {
	{ "\xf3\x0f\xc7\xf8", 4, "rdpid rax" },
	/* capstone 4.0 drops the F3 and shows WBINVD: SDM vol. 2B "WBNOINVD" */
	{ "\xf3\x0f\x09", 3, "wbnoinvd" },
	/* TSXLDTRK: F2 0F 01 E8 / E9 (SDM vol. 2B), before SERIALIZE's 0F 01 E8 */
	{ "\xf2\x0f\x01\xe8", 4, "xsusldtrk" },
	{ "\xf2\x0f\x01\xe9", 4, "xresldtrk" },
	{ "\x0f\x01\xef", 3, "wrpkru" },
	{ "\x0f\x01\xee", 3, "rdpkru" },
	{ "\x0f\x01\xe8", 3, "serialize" },
	{ "\x0f\x01\xfd", 3, "rdpru" },
	{ "\x0f\x01\xfa", 3, "monitorx" },
	{ "\x0f\x01\xfb", 3, "mwaitx" },
	{ "\x0f\x01\xfc", 3, "clzero" },
	{ "\x0f\x01\xd6", 3, "xtest" },
};

/*
 * Set-up and plumbing around the instruction under test: data moves,
 * general-register arithmetic, flags, branches. A probe's key instruction
 * is the first one not listed (unless a mnemonic names the probe).
 */
static const char *const scaffold[] = {
	"mov", "movabs", "movzx", "movsx", "movsxd", "lea", "xor", "or", "and",
	"add", "sub", "shl", "shr", "sar", "cmp", "test", "inc", "dec", "neg",
	"not", "push", "pop", "ret", "jmp", "call", "nop", "pause", "stc",
	"clc", "cld", "xchg", "cdq", "cqo", "cpuid", "movd", "movq", "movdqu",
	"movdqa", "movups", "movaps", "movss", "movsd", "pxor", "xorps",
	"movhlps", "vmovd", "vmovq", "vmovss", "vmovsd", "vmovdqu", "vmovdqa",
	"vmovdqu32", "vmovdqu64", "vmovdqa32", "vmovdqa64", "vmovups",
	"vmovaps", "vzeroupper", "vzeroall", "vextracti128", "vextractf128",
	"vextracti32x4", "vextracti64x4", "vbroadcastss", "vpbroadcastd",
	"vpbroadcastq", "vpbroadcastb", "vpbroadcastw", "vpxor", "vpxord",
	"vpxorq", "kmovw", "kmovq", "kmovd", "kmovb", "emms", "fninit",
	"movhps", "movlps", "pextrq", "vpextrq", "setc", "setae", "setb",
	"sete", "setne", "setnc", "setz", "setnz", "adc", "sbb", "bt", "imul",
	"rol", "ror", "rdmsr", "mfence", "lfence", "sfence", "rep stosq",
	"rep stosd", "rep stosb", "rep movsb", "rep movsq", "ldmxcsr",
	"stmxcsr", "wbinvd", "invlpg", "fwait", "wait", "vinserti128",
	"vinsertf128", "vinserti32x4", "vinserti64x4", "vpermq",
};

static bool is_scaffold(const cs_insn *i)
{
	/* a write to a control register is what CR4 probes test */
	if (!strcmp(i->mnemonic, "mov") && !strncmp(i->op_str, "cr", 2))
		return false;
	if (i->mnemonic[0] == 'j')	/* every Jcc */
		return true;
	for (size_t k = 0; k < sizeof(scaffold) / sizeof(scaffold[0]); k++)
		if (!strcmp(i->mnemonic, scaffold[k]))
			return true;
	return false;
}

/* Lower-case letters and digits only: "sha-ni" and "sha_ni" compare equal. */
static void squash(char *dst, size_t len, const char *src)
{
	size_t n = 0;

	for (; src && *src && n + 1 < len; src++)
		if ((*src >= 'a' && *src <= 'z') || (*src >= '0' && *src <= '9'))
			dst[n++] = *src;
	dst[n] = '\0';
}

/* The bytes of the payload at guest virtual @addr, @len of them. */
static const uint8_t *payload_bytes(uint64_t addr, uint64_t len)
{
	const uint8_t *elf = guest_payload;
	size_t size = guest_payload_end - guest_payload;
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)elf;
	const Elf64_Phdr *ph;

	if (size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_phoff > size ||
	    (size - eh->e_phoff) / sizeof(Elf64_Phdr) < eh->e_phnum)
		return NULL;
	ph = (const Elf64_Phdr *)(elf + eh->e_phoff);
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD || addr < ph[i].p_vaddr ||
		    addr - ph[i].p_vaddr > ph[i].p_filesz ||
		    len > ph[i].p_filesz - (addr - ph[i].p_vaddr) ||
		    ph[i].p_offset > size || ph[i].p_filesz > size - ph[i].p_offset)
			continue;
		return elf + ph[i].p_offset + (addr - ph[i].p_vaddr);
	}
	return NULL;
}

static csh cs_handle;
static bool cs_ready;

static csh disasm_handle(void)
{
	if (!cs_ready && cs_open(CS_ARCH_X86, CS_MODE_64, &cs_handle) == CS_ERR_OK)
		cs_ready = true;
	return cs_ready ? cs_handle : 0;
}

/* Matches @code against manual_insns; returns the length or 0. */
static size_t manual_decode(const uint8_t *code, size_t left, const char **text)
{
	for (size_t i = 0; i < sizeof(manual_insns) / sizeof(manual_insns[0]); i++)
		if (left >= manual_insns[i].len &&
		    !memcmp(code, manual_insns[i].bytes, manual_insns[i].len)) {
			*text = manual_insns[i].text;
			return manual_insns[i].len;
		}
	return 0;
}

static void insn_text(char *buf, size_t len, const cs_insn *i)
{
	int n = snprintf(buf, len, "%s", i->mnemonic);

	char *p;

	if (i->op_str[0] && n >= 0 && (size_t)n + 1 < len)
		snprintf(buf + n, len - n, " %.*s", (int)(len - n - 2), i->op_str);
	/* capstone 4.0 writes "zmm1 , zmm0" after an EVEX register */
	while ((p = strstr(buf, " ,")))
		memmove(p, p + 1, strlen(p + 1) + 1);
}

/* Decodes one instruction at @code into @text; returns its length or 0. */
static size_t decode_one(const uint8_t *code, size_t left, uint64_t addr,
			 char *text, size_t len, bool *scaff, char *mnem,
			 size_t mlen)
{
	const char *manual;
	cs_insn *insn;
	size_t n = manual_decode(code, left, &manual);
	csh cs = disasm_handle();

	if (n) {
		snprintf(text, len, "%s", manual);
		snprintf(mnem, mlen, "%.*s", (int)strcspn(manual, " "), manual);
		*scaff = false;
		return n;
	}
	if (!cs || cs_disasm(cs, code, left, addr, 1, &insn) != 1)
		return 0;
	insn_text(text, len, insn);
	snprintf(mnem, mlen, "%s", insn->mnemonic);
	*scaff = is_scaffold(insn);
	n = insn->size;
	cs_free(insn, 1);
	return n;
}

/* "62 f2 7d 48 50 c1 ... (capstone 4.0 cannot decode)": at most 8 bytes. */
static void bytes_text(char *buf, size_t len, const uint8_t *code, size_t left)
{
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < left && i < 8 && n + 4 < len; i++)
		n += snprintf(buf + n, len - n, "%s%02x", i ? " " : "", code[i]);
	if (n < len)
		snprintf(buf + n, len - n, " (bytes; capstone 4.0 cannot decode)");
}

/*
 * Whether squashed mnemonic @m names the probe or feature @name: equal,
 * a longer form ("vmx": vmxon, "aes": aesenc), or, for an instruction
 * that is not scaffolding, a shorter one ("lahf_lm": lahf).
 */
static bool names_insn(const char *m, const char *name, bool scaff)
{
	size_t ml = strlen(m), nl = strlen(name);

	if (!ml || nl < 3)
		return false;
	if (!strncmp(m, name, nl))
		return true;
	return !scaff && ml >= 4 && ml < nl && !strncmp(name, m, ml);
}

/* Finds the key instruction of probe_<sym> (see probe_instruction()). */
static void find_key(const struct probe_desc *p, char *out, size_t len)
{
	size_t size = guest_payload_end - guest_payload;
	char sym[80], name[32], feat[32], first[INSN_TEXT_MAX] = "";
	uint64_t addr, flen, off = 0;
	const uint8_t *code;

	out[0] = '\0';
	snprintf(sym, sizeof(sym), "probe_%s", p->sym ? p->sym : "");
	if (!p->sym || guest_image_symbol(guest_payload, size, sym, &addr, &flen) ||
	    !(code = payload_bytes(addr, flen)))
		return;
	squash(name, sizeof(name), p->name);
	squash(feat, sizeof(feat), p->feature);
	while (off < flen) {
		char text[INSN_TEXT_MAX], mnem[32], m[32];
		bool scaff;
		size_t n = decode_one(code + off, flen - off, addr + off, text,
				      sizeof(text), &scaff, mnem, sizeof(mnem));

		if (!n) {
			/* capstone 4.0 does not know it: name its bytes */
			if (!first[0])
				bytes_text(first, sizeof(first), code + off, flen - off);
			break;
		}
		off += n;
		squash(m, sizeof(m), mnem);
		if (names_insn(m, name, scaff) || names_insn(m, feat, scaff)) {
			snprintf(out, len, "%s", text);
			return;
		}
		if (!scaff && !first[0])
			snprintf(first, sizeof(first), "%s", text);
	}
	snprintf(out, len, "%s", first);
}

const char *probe_instruction(const struct probe_desc *p)
{
	static char cache[PROBE_ID_NR][INSN_TEXT_MAX];
	static bool cached[PROBE_ID_NR];
	const char *enable;

	if (!p)
		return "";
	enable = enable_instruction(p);
	if (enable)
		return enable;
	if (p->id >= PROBE_ID_NR)
		return "";
	if (!cached[p->id]) {
		find_key(p, cache[p->id], sizeof(cache[p->id]));
		cached[p->id] = true;
	}
	return cache[p->id];
}

/* The link address of a guest virtual address (ring 0 runs probes from
 * the supervisor alias of the user image). */
static uint64_t link_address(uint64_t rip)
{
	if (rip >= GUEST_USER_ALIAS_GPA &&
	    rip - GUEST_USER_ALIAS_GPA < GUEST_USER_SIZE)
		return rip - GUEST_USER_ALIAS_GPA + GUEST_USER_GPA;
	return rip;
}

int disasm_guest_rip(uint64_t rip, char *insn, size_t insn_len,
		     char *where, size_t where_len)
{
	size_t size = guest_payload_end - guest_payload;
	uint64_t addr = link_address(rip), off;
	char text[INSN_TEXT_MAX], mnem[32];
	const uint8_t *code = NULL;
	const char *sym;
	size_t left;
	bool scaff;

	if (insn && insn_len)
		insn[0] = '\0';
	if (where && where_len)
		where[0] = '\0';
	/* at most 15 bytes per instruction, fewer at the segment's end */
	for (left = 15; left; left--) {
		code = payload_bytes(addr, left);
		if (code)
			break;
	}
	if (!code || !decode_one(code, left, addr, text, sizeof(text),
				 &scaff, mnem, sizeof(mnem)))
		return -1;
	if (insn && insn_len)
		snprintf(insn, insn_len, "%s", text);
	if (where && where_len && !guest_image_symbol_at(guest_payload, size, addr,
							 &sym, &off))
		snprintf(where, where_len, "%s+0x%llx", sym, (unsigned long long)off);
	return 0;
}

void disasm_attach(struct probe_result *res)
{
	const char *enable = res->probe ? enable_instruction(res->probe) : NULL;

	res->insn = probe_instruction(res->probe);
	res->fault_insn[0] = '\0';
	res->fault_where[0] = '\0';
	if (res->outcome != OUTCOME_FAULT || !res->probe)
		return;
	if (enable)
		snprintf(res->fault_insn, sizeof(res->fault_insn), "%s", enable);
	else
		disasm_guest_rip(res->rip, res->fault_insn, sizeof(res->fault_insn),
				 res->fault_where, sizeof(res->fault_where));
}
