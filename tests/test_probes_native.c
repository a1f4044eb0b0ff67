// SPDX-License-Identifier: GPL-2.0-only
/*
 * Checks every ring-3 probe's `expected` value (guestcode/probes.def) by
 * running the probe code natively on the host CPU, in a child process, for
 * each feature the host CPU and OS provide. Catches a wrong constant or a
 * probe bug independently of any hypervisor.
 */
#include <asm/prctl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cmocka.h>

#include "cpu/cpuid_builder.h"
#include "cpu/feature.h"
#include "judge/probe.h"
#include "native_probe.h"

#ifndef ARCH_REQ_XCOMP_PERM
#define ARCH_REQ_XCOMP_PERM	0x1023
#endif

/* Whether Linux let this process use AMX tile data (see main()). */
static bool amx_permitted;

/* The feature's CPUID bit, and what the OS must enable for user code. */
static bool host_provides(const struct feature *f)
{
	struct kvm_cpuid2 *cpuid = host_cpuid();
	struct kvm_cpuid_entry2 *leaf7 = cpuid_find(cpuid, 7, 0);
	uint64_t xcr0 = host_xcr0(cpuid);	/* 0 unless the OS set OSXSAVE */

	if (!host_cpu_has((int)(f - features)))
		return false;
	if (!strcmp(f->name, "pku"))
		return leaf7 && (leaf7->ecx >> 4 & 1);	/* OSPKE */
	if ((f->xstates & X86_XSTATE_AMX) && !amx_permitted)
		return false;
	if (f->xstates || !strncmp(f->name, "xsave", 5) ||
	    !strcmp(f->name, "xgetbv1"))
		return xcr0 && (xcr0 & f->xstates) == f->xstates;
	return true;
}

static void test_expected_values_natively(void **state)
{
	unsigned int checked = 0;

	(void)state;
	for (unsigned int i = 0; i < nprobes; i++) {
		const struct probe_desc *p = &probes[i];
		uint64_t value;
		int f;

		if (p->ring == 0 || probe_is_selftest(p))
			continue;
		f = feature_lookup(p->feature);
		assert_true(f >= 0);
		if (!host_provides(&features[f])) {
			print_message("%-20s not on this host CPU/OS: not checked\n", p->name);
			continue;
		}
		if (native_probe_run(p->id, &value))
			fail_msg("probe %s died natively although the host has %s",
				 p->name, p->feature);
		if (value != p->expected)
			fail_msg("probe %s: native value 0x%llx, table says 0x%llx",
				 p->name, (unsigned long long)value,
				 (unsigned long long)p->expected);
		checked++;
	}
	print_message("%u probes checked natively\n", checked);
	assert_true(checked >= 10);	/* SSE2..SSE4.2 exist on every x86-64-v2 host */
}

/* Whether this host is itself a guest (CPUID.1:ECX "hypervisor"). */
static bool host_is_guest(void)
{
	struct kvm_cpuid_entry2 *e = cpuid_find(host_cpuid(), 1, 0);

	return e && (e->ecx & CPUID_1_ECX_HYPERVISOR);
}

/*
 * Why a hidden feature's instruction may run with another value than the
 * silicon's own, or NULL: TSX switched off (RTM_ALWAYS_ABORT, TSX_CTRL)
 * aborts every transaction, and a host that is itself a guest may have
 * its hypervisor intercept the instruction (AMD's RDPRU intercept, ...).
 */
static const char *host_alters(const struct probe_desc *p, uint64_t value)
{
	if (!strcmp(p->name, "rtm") && (value >> 32) == 1)
		return "no transaction commits: TSX is switched off on this CPU";
	/* Prefixes without HLE and XTEST without a transaction still run
	 * where RTM exists: the value then says "altered". */
	if (!strcmp(p->name, "hle"))
		return "the HLE prefixes are plain no-ops here";
	if (host_is_guest())
		return "this host is itself a guest: its hypervisor handles the instruction";
	return NULL;
}

/*
 * A probe that runs natively although the host's CPUID hides its feature
 * (a nested host's CPUID may hide what the silicon has) must still return
 * the architected value where nothing between it and the silicon changes
 * the instruction (host_alters()).
 */
static void test_hidden_but_present_silicon_agrees(void **state)
{
	unsigned int checked = 0;

	(void)state;
	for (unsigned int i = 0; i < nprobes; i++) {
		const struct probe_desc *p = &probes[i];
		uint64_t value;
		int f;

		if (p->ring == 0 || probe_is_selftest(p))
			continue;
		f = feature_lookup(p->feature);
		if (host_provides(&features[f]) || (features[f].xstates & X86_XSTATE_AMX))
			continue;
		if (native_probe_run(p->id, &value))
			continue;	/* the silicon lacks it too */
		if (value != p->expected && host_alters(p, value)) {
			print_message("%-20s hidden by CPUID, runs with value 0x%llx: %s\n",
				      p->name, (unsigned long long)value, host_alters(p, value));
			continue;
		}
		print_message("%-20s hidden by CPUID, runs on the silicon\n", p->name);
		if (value != p->expected)
			fail_msg("probe %s: native value 0x%llx, table says 0x%llx",
				 p->name, (unsigned long long)value,
				 (unsigned long long)p->expected);
		checked++;
	}
	print_message("%u hidden-but-present probes checked\n", checked);
}

static void test_ud2_selftest_dies_natively(void **state)
{
	const struct probe_desc *p = probe_find("selftest-ud2");
	uint64_t value;

	(void)state;
	assert_non_null(p);
	assert_int_equal(native_probe_run(p->id, &value), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expected_values_natively),
		cmocka_unit_test(test_hidden_but_present_silicon_agrees),
		cmocka_unit_test(test_ud2_selftest_dies_natively),
	};

	/* Linux keeps AMX tile data off until a process asks; children
	 * inherit the permission. Fails harmlessly without AMX. */
	amx_permitted = !syscall(SYS_arch_prctl, ARCH_REQ_XCOMP_PERM,
				 X86_XSTATE_XTILEDATA_BIT);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
