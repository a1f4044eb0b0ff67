/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One model under a QEMU backend, start to verdicts: the counterpart of
 * model_run() (which runs cpubench's own KVM userspace).
 */
#ifndef CPUBENCH_MODEL_RUN_QEMU_H
#define CPUBENCH_MODEL_RUN_QEMU_H

#include "backend/backend.h"
#include "backend/model_run.h"

/*
 * As model_run(), on the QEMU backend @b. The verdicts judge what the guest
 * itself read from CPUID. Features QEMU could not provide become
 * @report->gaps (pointing into @res, which must outlive the report) and
 * their probes `untestable`. Free @res with backend_result_free().
 */
int model_run_qemu(struct backend *b, const struct model_run_opts *o,
		   struct mask *mask, struct run_report *report,
		   struct backend_result *res);

#endif
