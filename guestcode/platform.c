// SPDX-License-Identifier: GPL-2.0-only
/*
 * How the guest talks to whatever runs it, and what it records of the
 * CPUID it was given.
 *
 * Under cpubench's own KVM host the guest writes a value to MB_PORT and the
 * host reads the mailbox from guest memory. Under QEMU (entered through the
 * PVH entry, guestcode/boot32.S) MB_PORT is fw_cfg's, so the guest prints
 * the parts of the mailbox the host reads on the debug console instead; the
 * protocol is described in mailbox.h and parsed by bench/qemu_run.c.
 */
#include <stddef.h>
#include <stdint.h>

#include "guest.h"
#include "mailbox.h"
#include "x86.h"

/* Set by boot32.S before _start; 0 when the KVM host entered _start. */
uint32_t guest_booted_pvh;

static inline void outb(uint16_t port, uint8_t val)
{
	asm volatile("outb %0, %1" : : "a"(val), "Nd"(port) : "memory");
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port) : "memory");
	return v;
}

/* One string I/O instruction per line: a single exit under KVM. */
static void con_write(const char *s, uint64_t len)
{
	asm volatile("rep outsb"
		     : "+S"(s), "+c"(len)
		     : "d"((uint16_t)MB_PORT_DEBUGCON)
		     : "memory");
}

static char *put_hex(char *p, uint64_t v, int digits)
{
	static const char hex[] = "0123456789abcdef";

	for (int i = digits - 1; i >= 0; i--)
		*p++ = hex[(v >> (4 * i)) & 0xf];
	return p;
}

#define LINE_BYTES 64

/* "@mb OFFSET HEX\n" lines covering mailbox bytes [off, off + len). */
static void dump_range(const struct mailbox *mb, uint64_t off, uint64_t len)
{
	char line[8 + 8 + 2 * LINE_BYTES + 2];

	while (len) {
		uint64_t n = len < LINE_BYTES ? len : LINE_BYTES;
		const uint8_t *src = (const uint8_t *)mb + off;
		char *p = line;

		*p++ = '@'; *p++ = 'm'; *p++ = 'b'; *p++ = ' ';
		p = put_hex(p, off, 8);
		*p++ = ' ';
		for (uint64_t i = 0; i < n; i++)
			p = put_hex(p, src[i], 2);
		*p++ = '\n';
		con_write(line, (uint64_t)(p - line));
		off += n;
		len -= n;
	}
}

/* Everything the host reads back: never the plan, which it wrote. */
static void dump_mailbox(const struct mailbox *mb)
{
	uint32_t n = mb->plan.nprobes;

	if (n > MB_MAX_PROBES)
		n = MB_MAX_PROBES;
	dump_range(mb, offsetof(struct mailbox, status), sizeof(mb->status));
	dump_range(mb, offsetof(struct mailbox, os), sizeof(mb->os));
	dump_range(mb, offsetof(struct mailbox, results), n * sizeof(mb->results[0]));
	dump_range(mb, offsetof(struct mailbox, cpuid), sizeof(mb->cpuid));
	dump_range(mb, offsetof(struct mailbox, migrate), sizeof(mb->migrate));
}

void guest_progress(struct mailbox *mb, uint32_t i)
{
	char line[] = "@run 000\n";

	if (!guest_booted_pvh)
		return;
	if (!i) {	/* booted: what the OS enabled and the CPUID it read */
		dump_range(mb, offsetof(struct mailbox, os), sizeof(mb->os));
		dump_range(mb, offsetof(struct mailbox, cpuid), sizeof(mb->cpuid));
	} else {
		dump_range(mb, offsetof(struct mailbox, results) +
			   (i - 1) * sizeof(mb->results[0]), sizeof(mb->results[0]));
	}
	line[5] = '0' + i / 100 % 10;
	line[6] = '0' + i / 10 % 10;
	line[7] = '0' + i % 10;
	con_write(line, sizeof(line) - 1);
}

void guest_signal(uint32_t value)
{
	struct mailbox *mb = (struct mailbox *)MB_GPA;
	char line[] = "@signal 00000000\n";

	if (!guest_booted_pvh) {
		outl(MB_PORT, value);
		return;
	}
	dump_mailbox(mb);
	put_hex(line + 8, value, 8);
	con_write(line, sizeof(line) - 1);
	if (value == MB_PORT_MIGRATE) {
		/* Paused and migrated meanwhile; the target reads 'R'. */
		while (inb(MB_PORT_DEBUGCON) != MB_RESUME_READBACK)
			asm volatile("pause");
		return;
	}
	outl(QEMU_EXIT_PORT, 0);
	for (;;)
		asm volatile("cli; hlt");
}

/* The leaves the feature database reads (bench/feature.c). */
static const struct {
	uint32_t leaf, subleaf;
} dump_leaves[MB_CPUID_LEAVES] = {
	{ 0, 0 }, { 1, 0 }, { 6, 0 }, { 7, 0 }, { 7, 1 }, { 0xd, 0 },
	{ 0xd, 1 }, { 0x80000000, 0 }, { 0x80000001, 0 }, { 0x80000007, 0 },
	{ 0x80000008, 0 }, { 0, 0 },
};

void guest_cpuid_dump(struct mailbox *mb)
{
	uint32_t max_basic = cpuid(0, 0).eax;
	uint32_t max_ext = cpuid(0x80000000, 0).eax;

	for (int i = 0; i < MB_CPUID_LEAVES - 1; i++) {
		struct mb_cpuid_leaf *l = &mb->cpuid[i];
		uint32_t leaf = dump_leaves[i].leaf;
		struct cpuid_regs r = { 0, 0, 0, 0 };

		if (leaf < 0x80000000 ? leaf <= max_basic : leaf <= max_ext)
			r = cpuid(leaf, dump_leaves[i].subleaf);
		*l = (struct mb_cpuid_leaf){ leaf, dump_leaves[i].subleaf,
					     r.eax, r.ebx, r.ecx, r.edx };
	}
}
