/* SPDX-License-Identifier: GPL-2.0-only */
/* Command implementations; each returns the process exit status. */
#ifndef CPUBENCH_CMD_H
#define CPUBENCH_CMD_H

#ifndef CPUBENCH_VERSION
#define CPUBENCH_VERSION "0.1.0"
#endif

/* Every probe of the catalog, and the probes named with --probe. */
int cmd_verify(int argc, char **argv);
int cmd_run(int argc, char **argv);
/* Catalog and matrix (issue 4): argv[0] is the command name. */
int cmd_probes(int argc, char **argv);
int cmd_matrix(int argc, char **argv);
/* Hosts and clusters (issue 5): argv[0] is the command name. */
int cmd_host(int argc, char **argv);
int cmd_baseline(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_emit(int argc, char **argv);
/* Model catalog (issue 3): argv[0] is the command name. */
int cmd_masks(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_import(int argc, char **argv);	/* import qemu|libvirt ... */
/* Post-migration crash reproduction (issue 6, bench/migrate.h). */
int cmd_migrate(int argc, char **argv);
/* The floor of this KVM backend (issue 16, vmm/floor.h). */
int cmd_floor(int argc, char **argv);
/* Help and completion from the command table (issue 14, cli/commands.h). */
int cmd_help(int argc, char **argv);
int cmd_completion(int argc, char **argv);

#endif
