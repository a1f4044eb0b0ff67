/* SPDX-License-Identifier: GPL-2.0-only */
/* Guest-internal interfaces between entry.S, the guest kernel and probes. */
#ifndef CPUBENCH_GUEST_H
#define CPUBENCH_GUEST_H

#ifndef __ASSEMBLER__
#include <stdint.h>

/* Filled by the fault fixup (entry.S). */
struct guest_fault {
	uint64_t vector;
	uint64_t error_code;
	uint64_t rip;
	uint64_t valid;
};
extern struct guest_fault guest_fault;

typedef uint64_t (*guest_fn)(uint64_t arg);
uint64_t run_kernel(guest_fn fn, uint64_t arg);
uint64_t run_user(guest_fn fn, uint64_t user_rsp);
extern const uint64_t exc_stubs[32];
/* Runs a stint of plan entries (mailbox.h: struct mb_stint). */
uint64_t stint_loop(uint64_t unused);
void user_return(void);

/* Privileged one-instruction helpers for run_kernel (entry.S). */
uint64_t insn_write_cr4(uint64_t val);
uint64_t insn_xsetbv0(uint64_t val);
uint64_t insn_write_xfd(uint64_t val);

/*
 * XFD (entry.S): while xfd_armed, a #NM for tile data is answered as
 * Linux answers it for a task that asked for AMX (ARCH_REQ_XCOMP_PERM):
 * IA32_XFD and IA32_XFD_ERR cleared, the instruction retried, xfd_grants
 * counted.
 */
extern uint32_t xfd_armed, xfd_grants;

/* 1 when entered through the PVH entry, under QEMU (platform.c). */
extern uint32_t guest_booted_pvh;

struct mailbox;
/* Signals the host: MB_PORT_DONE, _PANIC or _MIGRATE (platform.c). */
void guest_signal(uint32_t value);
/*
 * Before plan entry @i: under QEMU, prints entry i-1's result and "@run i",
 * so a run QEMU ends early still reports what finished (platform.c).
 */
void guest_progress(struct mailbox *mb, uint32_t i);
/* Records the CPUID leaves the host judges by in mb->cpuid (platform.c). */
void guest_cpuid_dump(struct mailbox *mb);
/* Runs the migration scenario instead of the probe plan (migrate.c). */
void migrate_run(struct mailbox *mb);

#endif
#endif
