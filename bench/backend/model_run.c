// SPDX-License-Identifier: GPL-2.0-only
/*
 * One model on this host: mask, guest CPUID, one VM, verdicts.
 */
#include "backend/model_run.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpuid_builder.h"
#include "judge/guest_identity.h"
#include "vmm/runner.h"
#include "judge/verdict.h"

/*
 * Compares what the guest read with its CPUID instruction against the
 * CPUID given to KVM. Bits KVM derives at run time (OSXSAVE, APIC, OSPKE)
 * are ignored.
 */
static void check_guest_cpuid(struct run_report *report,
			      struct kvm_cpuid2 *cpuid, const struct mb_os *os)
{
	static const struct {
		uint32_t leaf;
		int reg;		/* 2 ecx, 3 edx, 1 ebx */
		uint64_t ignore;
		size_t seen_off;
		const char *name;
	} checks[] = {
		{ 1, 2, CPUID_1_ECX_OSXSAVE, offsetof(struct mb_os, cpuid1_ecx), "1.ECX" },
		{ 1, 3, CPUID_1_EDX_APIC, offsetof(struct mb_os, cpuid1_edx), "1.EDX" },
		{ 7, 1, 0, offsetof(struct mb_os, cpuid7_ebx), "7.0.EBX" },
		{ 7, 2, CPUID_7_ECX_OSPKE, offsetof(struct mb_os, cpuid7_ecx), "7.0.ECX" },
	};

	if (!os->booted)
		return;
	report->guest_cpuid_checked = true;
	report->guest_cpuid_matches = true;
	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		struct kvm_cpuid_entry2 *e = cpuid_find(cpuid, checks[i].leaf, 0);
		uint32_t told = 0, seen;

		memcpy(&seen, (const uint8_t *)os + checks[i].seen_off, sizeof(seen));
		if (e)
			told = checks[i].reg == 1 ? e->ebx : checks[i].reg == 2 ? e->ecx : e->edx;
		if ((told ^ seen) & ~checks[i].ignore) {
			report->guest_cpuid_matches = false;
			snprintf(report->guest_cpuid_note, sizeof(report->guest_cpuid_note),
				 "the guest reads CPUID %s = 0x%08x, the model says 0x%08x: "
				 "this backend does not virtualize CPUID%s",
				 checks[i].name, seen, told,
				 report->backend == BACKEND_KVM_PVM ?
				 " (PVM runs it natively)" : "");
			return;
		}
	}
}

int model_run(struct kvm_sys *kvm, const struct model_run_opts *o,
	      struct mask *mask, struct run_report *report)
{
	featureset_t host;
	struct kvm_cpuid2 *cpuid;
	struct guest_view view;
	struct mb_os os;
	struct run_plan plan = {
		.guest_os = o->guest_os,
		.probe_timeout_ms = o->timeout_ms,
		.n = report->nresults,
		.results = report->results,
	};
	int ret;

	featureset_from_cpuid(&host, kvm->supported);
	if (mask_resolve(o->spec, o->masks_dir, &host, mask))
		return -1;
	cpuid = cpuid_build(kvm->supported, &mask->features,
			    mask->identity.set ? &mask->identity : NULL);
	if (!cpuid)
		return -1;
	for (unsigned int i = 0; i < report->nresults; i++) {
		struct probe_result *r = &report->results[i];

		r->ring = r->probe->ring == 0 ? 0 : (o->ring >= 0 ? o->ring : 3);
	}
	memset(&os, 0, sizeof(os));
	ret = runner_run(kvm, cpuid, &plan, &os);
	if (!ret) {
		check_guest_cpuid(report, cpuid, &os);
		guest_identity_read(report, &os, &mask->identity);
		guest_view_from_cpuid(&view, cpuid);
		for (unsigned int i = 0; i < report->nresults; i++)
			verdict_decide(&report->results[i], kvm->kind, &view);
		if (o->guest_os == GUEST_OS_RAW)
			report->nresults += enables_append(&os, kvm->kind, &view,
							   report->results + report->nresults);
	}
	free(cpuid);
	return ret;
}
