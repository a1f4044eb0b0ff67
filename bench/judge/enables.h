/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The raw guest OS's enables as report rows (`--guest-os raw`).
 *
 * In raw mode the guest tries to set every CR4 bit and every XCR0 state
 * group it knows, whatever CPUID says, and records which writes faulted
 * (struct mb_os). Each enable the guest tried becomes one extra result
 * row after the probe rows, named "cr4.<bit>" or "xcr0.<state>", ring 0,
 * feature = the CPUID feature that makes the enable legal:
 *
 *   accepted (outcome executed) + advertised  ok
 *   refused  (outcome fault #GP) + advertised  missing
 *   refused + hidden                           hidden: KVM enforces it
 *   accepted + hidden                          leak: unexpected where KVM
 *       ties the enable to CPUID (CR4 reserved bits, XCR0 against leaf
 *       0xD), expected where no such check exists (CR4.OSFXSR/OSXMMEXCPT)
 *
 * So rows flow through every report format, the summary and the exit
 * status like probe rows do. An enable the guest did not try (XCR0 when
 * CR4.OSXSAVE was refused) has no row.
 */
#ifndef CPUBENCH_ENABLES_H
#define CPUBENCH_ENABLES_H

#include <stdbool.h>

#include "cpu/backend_kind.h"
#include "guestcode/mailbox.h"
#include "judge/result.h"
#include "judge/verdict.h"

/* Room a caller keeps after its probe results for enables_append(). */
#define ENABLES_MAX 24

/*
 * Appends one judged row per enable the guest tried, per @os, to @out
 * (room for ENABLES_MAX). Returns the number of rows written.
 */
unsigned int enables_append(const struct mb_os *os, enum backend_kind backend,
			    const struct guest_view *g, struct probe_result *out);

/* The instruction text of an enable row ("mov cr4, ... (CR4.OSXSAVE)");
 * NULL when @p is not an enable row. */
const char *enable_instruction(const struct probe_desc *p);

#endif
