/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The few facts about this host that a report names: CPU vendor, model
 * name, kernel release and the hypervisor it runs under (struct
 * host_info, in judge/result.h).
 */
#ifndef CPUBENCH_HOST_INFO_H
#define CPUBENCH_HOST_INFO_H

#include <stddef.h>

#include "judge/result.h"

#define HOST_CPUINFO_PATH "/proc/cpuinfo"
#define HOST_DMI_BIOS_VENDOR "/sys/class/dmi/id/bios_vendor"

/*
 * Fills @h: the vendor from the CPUID instruction, the hypervisor below
 * this host (CPUID signature, DMI), the model name from the
 * first "model name" line of @cpuinfo_path (HOST_CPUINFO_PATH when NULL),
 * the kernel from uname(2). A field that cannot be found reads "unknown":
 * an unreadable cpuinfo is not an error. Returns 0, or -1 with err_set()
 * when uname(2) fails (the other fields are still filled).
 */
int host_info_read(struct host_info *h, const char *cpuinfo_path);

/*
 * Finds the first "model name : VALUE" line in the cpuinfo-formatted @text
 * and copies VALUE, trimmed, printable ASCII only (other bytes become '?'),
 * truncated to @len - 1 bytes, into @out. Returns 0, or -1 when there is no
 * such line or its value is empty; then @out reads "unknown".
 */
int host_info_parse_model_name(const char *text, char *out, size_t len);

#endif
