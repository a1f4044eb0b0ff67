// SPDX-License-Identifier: GPL-2.0-only
/*
 * Checks every ring-3 probe's `expected` value (guestcode/probes.def) by
 * running the probe code natively on the host CPU, in a child process, for
 * each feature the host CPU and OS provide. Catches a wrong constant or a
 * probe bug independently of any hypervisor.
 */
#include <cpuid.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "feature.h"
#include "probe.h"

#define PROBE(sym, name, feature, ring, expected) uint64_t probe_##sym(void);
#include "../guestcode/probes.def"
#undef PROBE

static uint64_t (*const probe_code[])(void) = {
#define PROBE(sym, name, feature, ring, expected) probe_##sym,
#include "../guestcode/probes.def"
#undef PROBE
};

static bool cpuid_bit(uint32_t leaf, uint32_t subleaf, int reg, int bit)
{
	unsigned int r[4];

	if (leaf > __get_cpuid_max(leaf & 0x80000000, NULL))
		return false;
	__cpuid_count(leaf, subleaf, r[0], r[1], r[2], r[3]);
	return (r[reg] >> bit) & 1;
}

/* The feature's CPUID bit, and what the OS must enable for user code. */
static bool host_provides(const struct feature *f)
{
	if (!cpuid_bit(f->leaf, f->subleaf, f->reg, f->bit))
		return false;
	if (!strcmp(f->name, "pku"))
		return cpuid_bit(7, 0, 2, 4);	/* OSPKE */
	if (f->xstates || !strncmp(f->name, "xsave", 5)) {
		uint32_t lo, hi;

		(void)hi;

		if (!cpuid_bit(1, 0, 2, 27))	/* OSXSAVE */
			return false;
		__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
		return (lo & f->xstates) == f->xstates;
	}
	return true;
}

/* Runs probe @i in a child; returns 0 and the value, or -1 if it died. */
static int run_native(unsigned int i, uint64_t *value)
{
	int fds[2], status;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		uint64_t v = probe_code[i]();

		_exit(write(fds[1], &v, sizeof(v)) == sizeof(v) ? 0 : 1);
	}
	close(fds[1]);
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) ||
	    read(fds[0], value, sizeof(*value)) != sizeof(*value)) {
		close(fds[0]);
		return -1;
	}
	close(fds[0]);
	return 0;
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
			print_message("%-10s not on this host CPU/OS: not checked\n", p->name);
			continue;
		}
		if (run_native(i, &value))
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

static void test_ud2_selftest_dies_natively(void **state)
{
	const struct probe_desc *p = probe_find("selftest-ud2");
	uint64_t value;

	(void)state;
	assert_non_null(p);
	assert_int_equal(run_native(p->id, &value), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expected_values_natively),
		cmocka_unit_test(test_ud2_selftest_dies_natively),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
