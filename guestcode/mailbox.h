/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The host <-> guest contract: guest-physical memory layout, the mailbox
 * page, and the I/O ports the guest uses to signal the host.
 *
 * Included by the freestanding guest and by the host; plain fixed-width
 * types only, no pointers, so the layout is identical on both sides.
 *
 * Flow: the host writes struct mb_plan, enters the guest at its ELF entry
 * point; the guest sets itself up as guest OS mode asks, records that in
 * struct mb_os, runs the planned probes in stints (struct mb_stint) and
 * fills one struct mb_result per probe, then writes MB_PORT_DONE to
 * MB_PORT. An unhandled exception writes MB_PORT_PANIC after filling
 * mb_status.panic_*.
 */
#ifndef CPUBENCH_MAILBOX_H
#define CPUBENCH_MAILBOX_H

/* Guest-physical layout (identity-mapped; see bench/guest_layout.c). */
#define GUEST_MEM_SIZE		0x800000ULL	/* 8 MiB */
#define GUEST_PML4_GPA		0x1000ULL
#define GUEST_PDPT_GPA		0x2000ULL
#define GUEST_PD_GPA		0x3000ULL
#define GUEST_GDT_GPA		0x4000ULL
#define GUEST_TSS_GPA		0x5000ULL
#define GUEST_IST_STACK_TOP	0x8000ULL	/* 0x6000..0x8000: RSP0 stack */
/*
 * 5-level paging (a guest told la57): CR3 points at this PML5, whose
 * slots 0 and 1 both point at the PML4 above, so the identity map is seen
 * again at linear 1 << GUEST_LA57_ALIAS_BIT, an address 4-level paging
 * cannot form (non-canonical). Both boot paths build it.
 */
#define GUEST_PML5_GPA		0x8000ULL
#define GUEST_LA57_ALIAS_BIT	48
#define MB_GPA			0x10000ULL	/* mailbox, 0x10000..0x20000 */
#define MB_SIZE			0x10000ULL
#define GUEST_KERNEL_GPA	0x100000ULL	/* kernel image: supervisor */
#define GUEST_USER_GPA		0x200000ULL	/* user image: user pages */
#define GUEST_USER_SIZE		0x200000ULL
/*
 * The user image is mapped a second time, supervisor-only, at this address
 * so that ring-0 probes run from supervisor pages (SMEP forbids ring 0 from
 * executing user pages). Probe code is position-independent.
 */
#define GUEST_USER_ALIAS_GPA	0x600000ULL

/* GDT selectors, as built by the host. */
#define SEL_KERNEL_CS	0x08
#define SEL_KERNEL_DS	0x10
#define SEL_USER_DS	0x1b	/* 0x18 | RPL 3 */
#define SEL_USER_CS	0x23	/* 0x20 | RPL 3 */
#define SEL_TSS		0x28

/* I/O ports: a 32-bit OUT to MB_PORT with one of the values below. */
#define MB_PORT		0x0510
#define MB_PORT_DONE	0x444f4e45	/* "DONE": results are complete */
#define MB_PORT_PANIC	0x50414e43	/* "PANC": unhandled exception */
#define MB_PORT_DEBUGCON 0x00e9		/* byte-wide debug console */
#define MB_PORT_MIGRATE	0x4d494752	/* "MIGR": migration point, see mb_migrate */

/*
 * Under QEMU (the payload entered through its PVH entry, guestcode/boot32.S)
 * port MB_PORT belongs to fw_cfg, so the guest signals differently
 * (guestcode/platform.c): it prints the mailbox on the debug console as
 * "@mb OFFSET HEX" lines, then "@signal VALUE", then, for DONE and PANIC,
 * writes QEMU_EXIT_PORT (isa-debug-exit) to end QEMU. At MB_PORT_MIGRATE it
 * spins reading the debug console until it reads MB_RESUME_READBACK: the
 * migration target's isa-debugcon is configured with that readback value.
 */
#define QEMU_EXIT_PORT		0x00f4
#define MB_RESUME_READBACK	0x52	/* 'R' */

/* Offset of struct mb_status in struct mailbox (used from assembly). */
#define MB_STATUS_OFF	0

/*
 * The stint record (struct mb_stint), on a user page of the user image's
 * range, above the image (guest.lds checks) and below the CPL3 stack.
 */
#define MB_STINT_GPA	0x300000ULL
/* Offsets in struct mb_stint and struct mb_result, for guestcode/entry.S. */
#define MB_STINT_NEXT		0
#define MB_STINT_END		4
#define MB_STINT_RING		8
#define MB_STINT_ENTRIES	16
#define MB_STINT_RESULTS	(16 + 4 * MB_MAX_PROBES)
#define MB_RESULT_SIZE		32
#define MB_RESULT_VALUE		24
#define MB_COMPLETED_BYTE	1	/* MB_COMPLETED, for assembly */

#define MB_MAGIC	0x42555043	/* "CPUB" */
#define MB_VERSION	1
#define MB_MAX_PROBES	512

/* The exits and exceptions each of the probes selftest-exits and
 * selftest-exceptions takes (guestcode/probes.S, bench/vmm/floor.c). */
#define FLOOR_REPEAT	16

/* Register-based fault fixup (guestcode/entry.S). */
#define FIXUP_MAGIC	0x4655584950425543ULL	/* in r15 while armed */

#ifndef __ASSEMBLER__

#include <stdint.h>

enum guest_os_mode {
	GUEST_OS_LINUX = 0,	/* enable exactly what CPUID advertises */
	GUEST_OS_RAW = 1,	/* try every enable, record refusals */
};

struct mb_plan_entry {
	uint16_t probe;		/* index into guestcode/probes.def */
	uint8_t ring;		/* 0 or 3 */
	uint8_t reserved;
};

struct mb_plan {
	uint32_t magic;
	uint32_t version;
	uint32_t guest_os;	/* enum guest_os_mode */
	uint32_t nprobes;
	struct mb_plan_entry entries[MB_MAX_PROBES];
};

/* The columns of guestcode/enables.def: what an enable writes, and when. */
#define ENABLE_CR4	0
#define ENABLE_XCR0	1
#define ENABLE_LINUX	1	/* a Linux-like guest sets it when advertised */
#define ENABLE_RAW	2	/* --guest-os raw tries it regardless */

/* What the guest OS enabled, and what the hypervisor refused (#GP). */
struct mb_os {
	uint64_t cr0;
	uint64_t cr4;		/* final CR4 */
	uint64_t cr4_refused;	/* bits whose enable faulted */
	uint64_t xcr0;		/* final XCR0 (0 if OSXSAVE is off) */
	uint64_t xcr0_refused;	/* states whose enable faulted */
	uint64_t efer;
	uint32_t cpuid1_ecx;	/* what the guest read from CPUID, as a check */
	uint32_t cpuid1_edx;
	uint32_t cpuid7_ebx;
	uint32_t cpuid7_ecx;
	uint32_t booted;	/* 1 once the guest reached its probe loop */
	uint32_t xfd_armed;	/* 1: IA32_XFD armed for tile data, as Linux does */
	/* The identity the guest read: leaf 0 EBX, EDX, ECX (the vendor
	 * string), leaf 1 EAX (family/model/stepping), leaves 0x80000002..4
	 * EAX..EDX (the brand string; zero when the leaves are absent). */
	uint32_t vendor[3];
	uint32_t cpuid1_eax;
	uint32_t brand[12];
	/* #NM exceptions for armed tile data the guest answered by granting
	 * the state and retrying, as Linux does for a permitted task */
	uint32_t xfd_grants;
	uint32_t reserved;
};

enum mb_result_status {
	MB_NOT_RUN = 0,		/* the guest never reached this probe */
	MB_COMPLETED = 1,	/* ran to the end; value is meaningful */
	MB_FAULTED = 2,		/* an exception was taken; vector etc. valid */
};

struct mb_result {
	uint16_t probe;
	uint8_t ring;
	uint8_t status;		/* enum mb_result_status */
	uint8_t vector;
	uint8_t reserved[3];
	uint32_t error_code;
	uint32_t reserved2;
	uint64_t rip;		/* faulting RIP (for MB_FAULTED) */
	uint64_t value;		/* the probe's computed value */
};

/* mb_status.current while the guest OS sets itself up */
#define MB_SETUP	0xffffffffu
/* mb_status.current while the guest runs its plan: the entry under way
 * is mb_stint.next */
#define MB_STINT	0xfffffffeu
/* kernel_call_safe()'s result when the host stepped over the call */
#define MB_HOST_SKIPPED	0x100

struct mb_status {
	uint32_t current;	/* index of the plan entry being run, or MB_SETUP */
	uint32_t panic_vector;
	uint64_t panic_rip;
	uint64_t panic_error_code;
	uint32_t host_skipped;	/* host: set when it stepped over a call */
	uint32_t reserved;
};

/* One CPUID leaf as the guest read it (what the guest was really told). */
struct mb_cpuid_leaf {
	uint32_t leaf, subleaf;
	uint32_t eax, ebx, ecx, edx;
};
#define MB_CPUID_LEAVES	12

/*
 * The migration scenario (guestcode/migrate.c), run instead of the plan when
 * the host sets `requested`: the guest picks one implementation per family
 * from CPUID (as glibc's ifunc resolvers do), runs them, signals
 * MB_PORT_MIGRATE, and after it resumes runs them again.
 */
#define MB_MIG_FAMILIES	4
#define MB_MIG_FAULTS	16

struct mb_mig_choice {
	uint8_t family;		/* enum mig_family (guestcode/migrate.h) */
	uint8_t impl;		/* enum mig_impl */
	uint8_t reserved[6];
	uint64_t value_before;	/* result before the migration point */
	uint64_t value_after;	/* result after it (0 if it faulted) */
};

struct mb_mig_fault {
	uint8_t family, impl, vector, phase;	/* phase: 0 before, 1 after */
	uint32_t error_code;
	uint64_t rip;
};

struct mb_migrate {
	uint32_t requested;	/* host: 1 = run the migration scenario */
	uint32_t phase;		/* guest: 1 once resumed after the point */
	uint32_t nchoices, nfaults;
	struct mb_mig_choice choices[MB_MIG_FAMILIES];
	struct mb_mig_fault faults[MB_MIG_FAULTS];
};

/*
 * A stint: consecutive plan entries of one ring that the guest runs in one
 * go (guestcode/entry.S: stint_loop), at that ring, without going back to
 * its kernel between them, so a probe that completes costs no exception
 * and no ring switch. The loop writes each completed entry's result
 * record here; the kernel copies them to mailbox.results when the stint
 * ends. A fault ends a stint (the kernel records it and starts the next
 * stint after it), and so does the host stepping over a probe (timeout,
 * emulation failure). The record sits on a user page, where the CPL3 loop
 * can write it; the kernel reaches it through the user image's
 * supervisor alias. The host reads `next` for the entry under way
 * (mb_status.current is MB_STINT), and the records of a stint the guest
 * never finished (it died in it).
 */
struct mb_stint {
	uint32_t next;		/* loop: the entry it runs, or runs next */
	uint32_t end;		/* kernel: the loop stops here ... */
	uint32_t ring;		/* kernel: ... or at an entry of another ring */
	uint32_t reserved;
	struct mb_plan_entry entries[MB_MAX_PROBES];	/* the plan's, copied at boot */
	struct mb_result results[MB_MAX_PROBES];	/* loop: completed entries */
};

_Static_assert(__builtin_offsetof(struct mb_stint, end) == MB_STINT_END &&
	       __builtin_offsetof(struct mb_stint, ring) == MB_STINT_RING &&
	       __builtin_offsetof(struct mb_stint, entries) == MB_STINT_ENTRIES &&
	       __builtin_offsetof(struct mb_stint, results) == MB_STINT_RESULTS &&
	       sizeof(struct mb_result) == MB_RESULT_SIZE &&
	       __builtin_offsetof(struct mb_result, value) == MB_RESULT_VALUE &&
	       MB_COMPLETED == MB_COMPLETED_BYTE,
	       "entry.S: stint_loop finds the stint record's fields");
_Static_assert(MB_STINT_GPA + sizeof(struct mb_stint) <= GUEST_USER_GPA + GUEST_USER_SIZE - 0x80000,
	       "the stint record leaves 512 KiB to the CPL3 stack at the top of the user range");

struct mailbox {
	struct mb_status status;	/* at MB_STATUS_OFF */
	struct mb_plan plan;
	struct mb_os os;
	struct mb_result results[MB_MAX_PROBES];
	struct mb_cpuid_leaf cpuid[MB_CPUID_LEAVES];	/* filled at boot */
	struct mb_migrate migrate;
};

_Static_assert(sizeof(struct mailbox) <= MB_SIZE, "mailbox fits its pages");
_Static_assert(__builtin_offsetof(struct mailbox, status) == MB_STATUS_OFF,
	       "entry.S finds mb_status");

#endif /* __ASSEMBLER__ */

#endif
