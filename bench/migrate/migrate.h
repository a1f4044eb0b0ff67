/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `cpubench migrate --from A --to B`: reproduces the crash a guest takes
 * after a live migration to a host whose model lacks what it chose at boot.
 *
 * The guest (guestcode/migrate.c) picks one implementation per family from
 * the CPUID of A, runs them, stops at the migration point; its complete
 * state moves to a fresh VM whose CPUID is B; it runs them again. The
 * backend-specific halves: migrate_qemu.c (QEMU's own migration to a file
 * and -incoming) and migrate_kvm.c (KVM state save and restore).
 */
#ifndef CPUBENCH_MIGRATE_H
#define CPUBENCH_MIGRATE_H

#include <stdbool.h>
#include <stdio.h>

#include "guestcode/mailbox.h"
#include "backend/backend.h"

struct migrate_report {
	const char *from, *to;		/* the specs as given */
	struct mask a, b;
	enum backend_kind backend;
	featureset_t told_a, told_b;	/* what the guest was told on each side */
	bool told_by_guest;		/* read by the guest's CPUID (else cpubench's) */
	bool booted;			/* the guest reached the migration point */
	bool resumed;			/* the guest finished on B */
	bool refused;			/* the restore into B was refused */
	char refused_by[320];		/* by what, in the refuser's words */
	char how[200];			/* how the state moved */
	char note[320];			/* a caveat about this backend, or "" */
	struct mb_migrate at_point;	/* choices and faults at the point */
	struct mb_migrate final;	/* after the run on B */
	struct backend_result res_a, res_b;
};

/* Backend halves: fill @r (after r->a, r->b are resolved). */
int migrate_qemu(struct backend *b, struct migrate_report *r);
int migrate_kvm(struct backend *b, struct migrate_report *r);

/* Report writers (migrate_report.c); FORMAT: "table" or "json". */
int migrate_report_write(FILE *out, const struct migrate_report *r, bool json);
/* Whether a crash was reproduced: a fault after the migration point. */
unsigned int migrate_post_faults(const struct migrate_report *r);

int cmd_migrate(int argc, char **argv);

#endif
