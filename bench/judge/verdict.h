/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Verdicts (advertised x outcome, DESIGN.md section 2) and the backend
 * table that separates expected from unexpected leaks and names the
 * probes a backend cannot run at all.
 */
#ifndef CPUBENCH_VERDICT_H
#define CPUBENCH_VERDICT_H

#include <linux/kvm.h>

#include "cpu/backend_kind.h"
#include "cpu/featureset.h"
#include "judge/result.h"

/* What the guest was told: its CPUID, and the XCR0 states leaf 0xD allows. */
struct guest_view {
	featureset_t advertised;
	uint64_t xcr0_allowed;
};

void guest_view_from_cpuid(struct guest_view *g, const struct kvm_cpuid2 *cpuid);

/*
 * Sets r->feature, r->advertised, r->verdict, r->leak and r->reason for a
 * result whose outcome is known.
 */
void verdict_decide(struct probe_result *r, enum backend_kind backend,
		    const struct guest_view *g);

/*
 * Whether a hidden feature is expected to leak (execute) on @backend at
 * @ring under @g, with the reason; this is the backend x feature table.
 */
enum leak_kind verdict_leak_kind(int feature, enum backend_kind backend,
				 int ring, const struct guest_view *g,
				 const char **reason);

/*
 * If an `error` outcome is a known limitation of @backend for this probe
 * and ring, returns the reason (the result is `untestable`); else NULL.
 */
const char *verdict_untestable(const struct probe_result *r,
			       enum backend_kind backend);

#endif
