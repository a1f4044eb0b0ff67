/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The identity (vendor, family/model/stepping, brand string) the guest
 * read with its own CPUID instruction, compared with the model's.
 */
#ifndef CPUBENCH_GUEST_IDENTITY_H
#define CPUBENCH_GUEST_IDENTITY_H

#include "cpu/cpuid_builder.h"
#include "guestcode/mailbox.h"
#include "judge/result.h"

/* Decodes leaf 1 EAX as the SDM says (extended family/model rules). */
void cpuid_decode_fms(uint32_t eax, uint32_t *family, uint32_t *model,
		      uint32_t *stepping);

/*
 * Fills @r->guest_identity from @os (nothing if the guest never booted).
 * @model: the mask's identity, or NULL / !set when it keeps the host's
 * (then it matches by definition).
 */
void guest_identity_read(struct run_report *r, const struct mb_os *os,
			 const struct cpu_identity *model);

#endif
