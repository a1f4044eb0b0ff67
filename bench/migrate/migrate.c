// SPDX-License-Identifier: GPL-2.0-only
/*
 * The migration scenario over the backend interface: run to the point
 * under A, save, restore under B, run to the end.
 */
#include "migrate/migrate.h"

#include <stdio.h>
#include <string.h>

#include "vmm/disasm.h"

unsigned int migrate_post_faults(const struct migrate_report *r)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < r->final.nfaults && i < MB_MIG_FAULTS; i++)
		n += r->final.faults[i].phase == 1;
	return n;
}

/*
 * What the guest chose from is what its CPUID instruction returned. Where
 * that is not A's (PVM runs CPUID natively), the report says so.
 */
static void note_guest_view(struct migrate_report *r, const struct backend_run *run)
{
	featureset_t fs;

	if (!run->seen)
		return;
	featureset_from_cpuid(&fs, run->seen);
	if (run->told_by_guest || featureset_equal(&fs, &r->told_a)) {
		r->told_by_guest = run->told_by_guest;
		return;
	}
	r->told_a = fs;
	r->told_by_guest = true;
	snprintf(r->note, sizeof(r->note),
		 "the guest's CPUID instruction did not return %s's features "
		 "(%s): it chose its implementations from what it read, shown "
		 "here as advertised at boot", r->from,
		 r->backend == BACKEND_KVM_PVM ?
		 "PVM runs CPUID natively on the host CPU" :
		 "this KVM does not apply the model's CPUID");
}

int migrate_run(struct backend *b, struct migrate_report *r)
{
	struct run_plan plan = { .guest_os = GUEST_OS_LINUX, .migrate = true };
	struct backend_run run;
	int ret = -1, st;

	r->backend = b->kind;
	snprintf(r->how, sizeof(r->how), "%s", b->ops->migration);
	if (backend_run(b, &run, r->a, &plan, NULL))
		goto out;
	r->booted = run.at_point;
	r->at_point = run.migrate;
	r->ngaps_a = run.ngaps;
	memcpy(r->gaps_a, run.gaps, run.ngaps * sizeof(run.gaps[0]));
	featureset_from_cpuid(&r->told_a, run.told);
	note_guest_view(r, &run);
	st = b->ops->save(b, &run);
	if (st < 0)
		goto out;
	if (st == 0) {
		st = b->ops->restore(b, &run, r->b);
		if (st < 0)
			goto out;
		r->final = run.migrate;
		r->resumed = r->final.phase == 1;
		r->told_b = run.told_to;
		r->ngaps_b = run.ngaps_to;
		memcpy(r->gaps_b, run.gaps_to, run.ngaps_to * sizeof(run.gaps_to[0]));
		if (run.died[0] && !r->note[0])
			snprintf(r->note, sizeof(r->note), "on %s the guest died: %s",
				 r->to, run.died);
	}
	r->refused = run.refused;
	snprintf(r->refused_by, sizeof(r->refused_by), "%s", run.refused_by);
	for (unsigned int i = 0; i < r->final.nfaults && i < MB_MIG_FAULTS; i++)
		disasm_guest_rip(r->final.faults[i].rip, r->fault_insn[i],
				 sizeof(r->fault_insn[i]), r->fault_where[i],
				 sizeof(r->fault_where[i]));
	ret = 0;
out:
	backend_run_free(b, &run);
	return ret;
}
