/* SPDX-License-Identifier: GPL-2.0-only */
/* The `cpubench migrate` report (migrate/migrate.h): table or JSON. */
#ifndef CPUBENCH_REPORT_MIGRATE_H
#define CPUBENCH_REPORT_MIGRATE_H

#include <stdbool.h>
#include <stdio.h>

#include "migrate/migrate.h"

/* Writes @r to @out; 0, or -1 with err_set() on a write error. */
int migrate_report_write(FILE *out, const struct migrate_report *r, bool json);

#endif
