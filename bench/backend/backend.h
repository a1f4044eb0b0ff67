/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Backends: what runs the guest payload under a CPU model, behind one
 * interface (struct backend_ops), so that verify, run, matrix, migrate
 * and --compare-backends are one pipeline (backend/model_run.c,
 * migrate/migrate.c) whatever runs the guest:
 *
 *   kvm       cpubench's own KVM userspace (vmm/); reported as the KVM
 *             kind it detects (kvm-vmx, kvm-svm, kvm-pvm)   backend/kvm.c
 *   qemu-tcg  qemu-system-x86_64 with software emulation    backend/qemu.c
 *   qemu-kvm  qemu-system-x86_64 on the same KVM            backend/qemu.c
 *
 * Every backend runs the identical payload and plan and fills the same
 * observations; each says what the guest was really told (its CPUID) and
 * which features of the model it could not provide, in the accelerator's
 * own words, so that the report lists them as untestable rather than
 * dropping them.
 */
#ifndef CPUBENCH_BACKEND_H
#define CPUBENCH_BACKEND_H

#include <linux/kvm.h>
#include <stdbool.h>

#include "catalog/mask.h"
#include "cpu/backend_kind.h"
#include "cpu/featureset.h"
#include "guestcode/mailbox.h"
#include "judge/plan.h"
#include "judge/result.h"

struct backend;

/*
 * One guest under one model, from boot to its end; owned by the caller,
 * which frees it with backend_run_free(). Everything a run produces lives
 * here, never in static storage: two runs (--compare-backends) never
 * share a byte.
 */
struct backend_run {
	/* in */
	const struct mask *mask;
	const struct run_plan *plan;
	struct probe_obs *obs;		/* plan->n entries, filled by run() */
	/* out */
	struct mb_os os;		/* what the guest OS enabled */
	struct kvm_cpuid2 *told;	/* the CPUID the guest was given (malloc'ed) */
	bool told_by_guest;		/* read back from the guest itself (QEMU) */
	unsigned int ngaps;		/* features the backend could not provide */
	struct report_gap gaps[REPORT_MAX_GAPS];
	struct kvm_cpuid2 *seen;	/* the CPUID leaves the guest read (malloc'ed) */
	struct run_stats stats;		/* what the backend could count (-1: not) */
	/* migration (plan->migrate): the guest's record, and what happened */
	struct mb_migrate migrate;	/* as read at the point, then at the end */
	bool at_point;			/* run() stopped at the migration point */
	bool refused;			/* save() or restore() was refused */
	char refused_by[320];		/* by what, in the refuser's words */
	char died[200];			/* after restore: why the guest died, or "" */
	featureset_t told_to;		/* restore(): what the resumed guest was told */
	unsigned int ngaps_to;		/* restore(): what its model lacks here */
	struct report_gap gaps_to[REPORT_MAX_GAPS];
	void *priv;			/* the backend's state between calls */
};

struct backend_ops {
	const char *name;		/* "kvm", "qemu-tcg", "qemu-kvm" */
	const char *migration;		/* how save/restore move a guest, for reports */
	bool concurrent;		/* run() may run in several threads at once */
	/* Prepares @b; 0, or -1 with err_set() (EXIT_ENV: cannot run here). */
	int (*open)(struct backend *b, const char *kvm_device);
	/*
	 * Boots a guest under run->mask and runs run->plan: to its end, or
	 * with plan->migrate until the guest stops at its migration point
	 * (run->at_point). 0, or -1 with err_set() when no guest could run.
	 */
	int (*run)(struct backend *b, struct backend_run *run);
	/*
	 * Captures the state of the guest stopped at its migration point and
	 * stops it there. 0; 1 when the backend refused to save (refused_by);
	 * -1 with err_set().
	 */
	int (*save)(struct backend *b, struct backend_run *run);
	/*
	 * Resumes the saved guest in a fresh VM under model @to and runs it to
	 * its end (run->migrate, run->died). 0; 1 when the state was refused
	 * (refused_by; the guest may still have run without it); -1 with
	 * err_set().
	 */
	int (*restore)(struct backend *b, struct backend_run *run,
		       const struct mask *to);
	/* Frees what run() or restore() left in run->priv. */
	void (*release)(struct backend *b, struct backend_run *run);
	void (*close)(struct backend *b);
};

struct backend {
	const struct backend_ops *ops;
	enum backend_kind kind;		/* named in reports */
	enum backend_kind table;	/* whose table judges leaks and errors */
	featureset_t host;		/* what the model "host" means here */
	const char *qemu_binary;	/* qemu backends: $CPUBENCH_QEMU or the default */
	void *priv;
};

/*
 * Opens backend @name ("kvm", "qemu-tcg", "qemu-kvm"); @kvm_device is the
 * KVM device for "kvm". Returns 0, or -1 with err_set(): EXIT_USAGE for
 * an unknown name, EXIT_ENV when the backend cannot run here.
 */
int backend_open(struct backend *b, const char *name, const char *kvm_device);
void backend_close(struct backend *b);

/* Whether @name is a backend name, without opening it. */
bool backend_name_valid(const char *name);

/* b->ops->run() on a zeroed @run for @mask and @plan (stats: nothing
 * counted yet, one vCPU). */
int backend_run(struct backend *b, struct backend_run *run, const struct mask *mask,
		const struct run_plan *plan, struct probe_obs *obs);
void backend_run_free(struct backend *b, struct backend_run *run);

/* Adds gap @feature with @why, unless it is listed already; 1 if added. */
int backend_run_add_gap(struct backend_run *run, int feature, const char *why);
bool backend_run_has_gap(const struct backend_run *run, int feature);

/* The backend implementations (backend/kvm.c, backend/qemu.c). */
extern const struct backend_ops backend_kvm_ops;
extern const struct backend_ops backend_qemu_tcg_ops;
extern const struct backend_ops backend_qemu_kvm_ops;

#endif
