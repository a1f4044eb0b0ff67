/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the guest itself read from its CPUID instruction, against what the
 * model asked for. The guest records the leaves the feature database
 * reads (mailbox.h, struct mb_cpuid_leaf) on every backend; where they
 * differ from the model, the report says so (PVM runs CPUID natively; a
 * QEMU adds or drops bits).
 */
#ifndef CPUBENCH_JUDGE_GUEST_CPUID_H
#define CPUBENCH_JUDGE_GUEST_CPUID_H

#include <linux/kvm.h>

#include "cpu/featureset.h"
#include "guestcode/mailbox.h"
#include "judge/result.h"

/*
 * Builds a kvm_cpuid2 from the leaves the guest recorded in @mb (the
 * guest wrote them: only leaf numbers the guest dumps are kept); NULL
 * when out of memory. free() it.
 */
struct kvm_cpuid2 *guest_cpuid_from_mailbox(const struct mailbox *mb);

/*
 * Sets @r's guest_cpuid_checked/_matches/_note: @asked (the model's
 * features, less what the backend could not provide) against @seen, over
 * the features @r has probes for (a hypervisor's bits of its own, such as
 * "hypervisor", are not the model's concern). @seen NULL: not checked.
 */
void guest_cpuid_check(struct run_report *r, const featureset_t *asked,
		       const struct kvm_cpuid2 *seen);

#endif
