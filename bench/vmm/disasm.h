/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Instruction text for results, by disassembling (capstone, Intel syntax)
 * the guest payload embedded in cpubench: the instruction a probe exists
 * to run, and the instruction at a faulting guest RIP.
 */
#ifndef CPUBENCH_DISASM_H
#define CPUBENCH_DISASM_H

#include <stddef.h>
#include <stdint.h>

#include "judge/probe.h"
#include "judge/result.h"

/*
 * The instruction under test of @p, e.g. "vpaddd ymm1, ymm0, ymm0": the
 * first instruction of probe_<sym> whose mnemonic is the probe's (or its
 * feature's) name, else the first one that is not set-up scaffolding
 * (moves, arithmetic on general registers, branches, RET; see disasm.c).
 * For a raw-mode enable row (enables.h), the enable's instruction.
 * Returns a string owned by the module (cached per probe), "" when the
 * code cannot be found or decoded; never NULL.
 */
const char *probe_instruction(const struct probe_desc *p);

/*
 * Disassembles the guest instruction at virtual address @rip (user image,
 * its supervisor alias, or the kernel image) into @insn, and names its
 * place as "probe_avx2+0x9" in @where (either may be NULL). Returns 0, or
 * -1 when @rip is outside the payload or does not decode.
 */
int disasm_guest_rip(uint64_t rip, char *insn, size_t insn_len,
		     char *where, size_t where_len);

/*
 * Attaches the instruction texts to a judged-or-not result (its outcome
 * must be known): the instruction under test, and for a fault the
 * faulting instruction and its place (an enable row's instruction, no
 * place). Reports read only these fields, never the guest image.
 */
void disasm_attach(struct probe_result *res);

#endif
