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
void user_return(void);

/* Privileged one-instruction helpers for run_kernel (entry.S). */
uint64_t insn_write_cr4(uint64_t val);
uint64_t insn_xsetbv0(uint64_t val);

#endif
#endif
