/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Migration lint: what in a model limits live migration. verify, compare
 * and emit print these as warnings; they never change an exit status.
 *  - vmx/svm exposed: nested virtualization; live migration then needs
 *    KVM nested-state support, and management stacks commonly refuse it;
 *  - host passthrough: the guest sees this very CPU;
 *  - features QEMU marks unmigratable (invtsc).
 */
#ifndef CPUBENCH_LINT_H
#define CPUBENCH_LINT_H

#include <jansson.h>
#include <stdio.h>

#include "catalog/mask.h"

#define LINT_MAX	8

struct lint {
	unsigned int n;
	char msg[LINT_MAX][240];
};

void lint_mask(const struct mask *m, struct lint *out);
/* One "cpubench: warning: ..." line per finding. */
void lint_print(FILE *f, const struct lint *l);
/* An array of strings; NULL when out of memory. */
json_t *lint_json(const struct lint *l);

#endif
