/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `cpubench migrate --from A --to B`: reproduces the crash a guest takes
 * after a live migration to a host whose model lacks what it chose at boot.
 *
 * The guest (guestcode/migrate.c) picks one implementation per family from
 * the CPUID of A, runs them, stops at the migration point; the backend
 * saves its complete state and restores it into a fresh guest whose model
 * is B (backend.h: run, save, restore); the guest runs them again.
 */
#ifndef CPUBENCH_MIGRATE_H
#define CPUBENCH_MIGRATE_H

#include <stdbool.h>

#include "backend/backend.h"
#include "catalog/mask.h"
#include "guestcode/mailbox.h"
#include "judge/result.h"

struct migrate_report {
	const char *from, *to;		/* the specs as given */
	const struct mask *a, *b;
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
	/* the faulting instructions of final.faults[], attached for reports */
	char fault_insn[MB_MIG_FAULTS][96];
	char fault_where[MB_MIG_FAULTS][64];
	unsigned int ngaps_a, ngaps_b;	/* what each model lacks on this backend */
	struct report_gap gaps_a[REPORT_MAX_GAPS], gaps_b[REPORT_MAX_GAPS];
};

/*
 * Runs the scenario on @b from @r->a to @r->b (resolved), filling @r.
 * Returns 0 (the report says what happened), or -1 with err_set() when
 * the guest could not be run at all.
 */
int migrate_run(struct backend *b, struct migrate_report *r);

/* Whether a crash was reproduced: the count of faults after the point. */
unsigned int migrate_post_faults(const struct migrate_report *r);

#endif
