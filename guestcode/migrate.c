// SPDX-License-Identifier: GPL-2.0-only
/*
 * The migration scenario: what real software does across a live migration.
 *
 * At boot the guest resolves one implementation per family from CPUID and
 * the XCR0 its OS enabled, exactly once, as glibc's ifunc resolvers do, and
 * runs them. It then stops at the migration point (guest_signal
 * MB_PORT_MIGRATE); the host moves it to a VM with another CPU model. The
 * guest resumes and runs the implementations it chose at boot again, never
 * looking at CPUID again: every fault after the point is the crash a
 * migrated guest would take. Implementations run at CPL3 with the fault
 * fixup armed; each fault is recorded in mb_migrate.faults.
 */
#include <stdint.h>

#include "guest.h"
#include "mailbox.h"
#include "migrate.h"
#include "x86.h"

_Static_assert(MIG_FAMILY_NR == MB_MIG_FAMILIES, "mb_migrate has a slot per family");

#define MIG_IMPL(sym, family, name, feature) uint64_t mig_##sym(uint64_t);
#include "migrate.def"
#undef MIG_IMPL

static const struct {
	guest_fn fn;
	enum mig_family family;
} impls[MIG_IMPL_NR] = {
#define MIG_IMPL(sym, family, name, feature) [MIG_IMPL_##sym] = { mig_##sym, MIG_##family },
#include "migrate.def"
#undef MIG_IMPL
};

static int bit(uint32_t v, int n)
{
	return (v >> n) & 1;
}

/* Whether @impl may be used, per CPUID and the XCR0 the OS enabled. */
static int impl_usable(enum mig_impl impl, uint64_t xcr0)
{
	struct cpuid_regs l1 = cpuid(1, 0), l7 = { 0, 0, 0, 0 };

	if (cpuid(0, 0).eax >= 7)
		l7 = cpuid(7, 0);
	switch (impl) {
	case MIG_IMPL_memcpy_avx512:
		return bit(l7.ebx, 16) && (xcr0 & 0xe6) == 0xe6;
	case MIG_IMPL_memcpy_avx2:
		return bit(l7.ebx, 5) && bit(l1.ecx, 28) && (xcr0 & 6) == 6;
	case MIG_IMPL_crc32_sse42:
		return bit(l1.ecx, 20);
	case MIG_IMPL_popcnt_hw:
		return bit(l1.ecx, 23);
	case MIG_IMPL_rand_rdrand:
		return bit(l1.ecx, 30);
	default:
		return 1;	/* baseline fallbacks */
	}
}

static void run_choice(struct mb_migrate *m, struct mb_mig_choice *c,
		       uint32_t phase)
{
	uint64_t v;

	guest_fault.valid = 0;
	v = run_user(impls[c->impl].fn, GUEST_USER_GPA + GUEST_USER_SIZE - 64);
	if (guest_fault.valid) {
		v = 0;
		if (m->nfaults < MB_MIG_FAULTS)
			m->faults[m->nfaults++] = (struct mb_mig_fault){
				.family = c->family, .impl = c->impl,
				.vector = guest_fault.vector, .phase = phase,
				.error_code = guest_fault.error_code,
				.rip = guest_fault.rip,
			};
	}
	if (phase)
		c->value_after = v;
	else
		c->value_before = v;
}

void migrate_run(struct mailbox *mb)
{
	struct mb_migrate *m = &mb->migrate;

	/* Resolve once, in preference order (migrate.def). */
	m->nchoices = 0;
	for (int f = 0; f < MIG_FAMILY_NR; f++) {
		for (int i = 0; i < MIG_IMPL_NR; i++) {
			if (impls[i].family != (enum mig_family)f ||
			    !impl_usable(i, mb->os.xcr0))
				continue;
			m->choices[m->nchoices++] = (struct mb_mig_choice){
				.family = f, .impl = i,
			};
			break;
		}
	}
	for (uint32_t i = 0; i < m->nchoices; i++)
		run_choice(m, &m->choices[i], 0);
	guest_signal(MB_PORT_MIGRATE);
	m->phase = 1;
	for (uint32_t i = 0; i < m->nchoices; i++)
		run_choice(m, &m->choices[i], 1);
}
