/* SPDX-License-Identifier: GPL-2.0-only */
/* Helpers shared by the host and cluster commands (host, baseline, compare, diff, emit). */
#ifndef CPUBENCH_HOST_CMD_H
#define CPUBENCH_HOST_CMD_H

#include <jansson.h>
#include <stdio.h>

#include "cpu/featureset.h"

/* Prints the recorded error as one line; returns its exit class. */
int hcmd_fail(void);
/* Prints "cpubench: @cmd: <fmt with @arg> (see 'cpubench @cmd --help')"; returns EXIT_USAGE. */
int hcmd_usage(const char *cmd, const char *fmt, const char *arg);
/* Feature names of @fs, canonical spelling, database order. NULL when out of memory. */
json_t *hcmd_features_json(const featureset_t *fs, unsigned int max);
/* Space-separated names, at most @max (0: all), then "(+N more)". */
void hcmd_features_print(FILE *out, const featureset_t *fs, unsigned int max);
/* Parses "table" or "json" into *json (cli_output_format()); returns -1 otherwise. */
int hcmd_format(const char *s, int *json);

/*
 * Resolves @spec (catalog plus @masks_dir), prints its migration lint on
 * stderr and writes the @kind configuration (emit.h) to @out, naming
 * models of libvirt's cpu_map @cpu_map (NULL: LIBVIRT_CPU_MAP) where the
 * stack takes libvirt's. Returns 0, or -1 with err_set(). (cmd_emit.c)
 */
int hcmd_emit_spec(FILE *out, const char *spec, const char *masks_dir,
		   const char *cpu_map, int kind);

#endif
