/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Runs guest probe code (guestcode/probes.S, linked into the test as
 * probes_host.o) natively on the host CPU, in a child process, so a test
 * can learn what the silicon does, whatever the host's CPUID says (a
 * nested host's CPUID may hide instructions its CPU runs).
 */
#ifndef CPUBENCH_TESTS_NATIVE_PROBE_H
#define CPUBENCH_TESTS_NATIVE_PROBE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cpu/featureset.h"
#include "cpu/host_cpu.h"

/* The host CPU's own CPUID table (bench/cpu/host_cpu.c), read once. */
static inline struct kvm_cpuid2 *host_cpuid(void)
{
	static struct kvm_cpuid2 *cpuid;

	if (!cpuid)
		cpuid = host_cpuid_read();
	return cpuid;
}

/* Whether the host CPU's CPUID (not KVM's) reports @feature. */
static inline bool host_cpu_has(int feature)
{
	featureset_t fs;

	featureset_from_cpuid(&fs, host_cpuid());
	return featureset_has(&fs, feature);
}

#define PROBE(sym, name, feature, ring, expected) uint64_t probe_##sym(void);
#include "guestcode/probes.def"
#undef PROBE

static uint64_t (*const native_probe_code[])(void) = {
#define PROBE(sym, name, feature, ring, expected) probe_##sym,
#include "guestcode/probes.def"
#undef PROBE
};

/*
 * Runs ring-3 probe @id natively; returns 0 with its value, or -1 if the
 * child died (SIGILL for an instruction the CPU lacks) or could not run.
 */
static inline int native_probe_run(unsigned int id, uint64_t *value)
{
	int fds[2], status;
	ssize_t got;
	pid_t pid;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (!pid) {
		uint64_t v;

		/* the test framework's handlers must not catch the child's fault */
		signal(SIGILL, SIG_DFL);
		signal(SIGSEGV, SIG_DFL);
		signal(SIGBUS, SIG_DFL);
		signal(SIGFPE, SIG_DFL);
		v = native_probe_code[id]();
		_exit(write(fds[1], &v, sizeof(v)) == sizeof(v) ? 0 : 1);
	}
	close(fds[1]);
	waitpid(pid, &status, 0);
	got = read(fds[0], value, sizeof(*value));
	close(fds[0]);
	if (!WIFEXITED(status) || WEXITSTATUS(status) || got != sizeof(*value))
		return -1;
	return 0;
}

#endif
