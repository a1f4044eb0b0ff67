// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host facts for reports: CPUID vendor, /proc/cpuinfo model name, uname -r.
 */
#include "host/host_info.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include "cpu/host_cpu.h"
#include "host/host_fp.h"
#include "lib/err.h"

#define UNKNOWN "unknown"

/*
 * Copies @n bytes of @src into @out (size @len, @len > 0), truncating, NUL
 * terminating, and replacing anything but printable ASCII by '?' so that
 * every report format can carry the string as is.
 */
static void copy_printable(char *out, size_t len, const char *src, size_t n)
{
	if (n > len - 1)
		n = len - 1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)src[i];

		out[i] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	out[n] = '\0';
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}


int host_info_parse_model_name(const char *text, char *out, size_t len)
{
	if (!len)
		return -1;

	for (const char *line = text; line && *line; ) {
		const char *nl = strchr(line, '\n');
		const char *val = cpuinfo_line_value(line, "model name");

		if (val) {
			const char *end = nl ? nl : val + strlen(val);

			while (end > val && is_blank(end[-1]))
				end--;
			if (end > val) {
				copy_printable(out, len, val, (size_t)(end - val));
				return 0;
			}
		}
		line = nl ? nl + 1 : NULL;
	}
	copy_printable(out, len, UNKNOWN, strlen(UNKNOWN));
	return -1;
}

/* Reads @path line by line: /proc/cpuinfo lists every CPU, stop early. */
static void read_model_name(struct host_info *h, const char *path)
{
	char *line = NULL;
	size_t cap = 0;
	FILE *f = fopen(path, "r");

	snprintf(h->model_name, sizeof(h->model_name), UNKNOWN);
	if (!f)
		return;
	while (getline(&line, &cap, f) >= 0)
		if (!host_info_parse_model_name(line, h->model_name,
						sizeof(h->model_name)))
			break;
	free(line);
	fclose(f);
}

static void read_vendor(struct host_info *h)
{
#if defined(__x86_64__) || defined(__i386__)
	unsigned int eax, ebx, ecx, edx;
	char raw[12];

	if (__get_cpuid(0, &eax, &ebx, &ecx, &edx)) {
		/* leaf 0: the vendor string is EBX, EDX, ECX in that order */
		memcpy(raw, &ebx, 4);
		memcpy(raw + 4, &edx, 4);
		memcpy(raw + 8, &ecx, 4);
		copy_printable(h->vendor, sizeof(h->vendor), raw, sizeof(raw));
		return;
	}
#endif
	snprintf(h->vendor, sizeof(h->vendor), UNKNOWN);
}

/* The hypervisor below this host (cpu/hypervisor.h). */
static void read_l0(struct host_info *h)
{
	struct kvm_cpuid2 *cpuid = host_cpuid_read();
	char vendor[64] = "";
	FILE *f = fopen(HOST_DMI_BIOS_VENDOR, "r");

	if (f) {
		if (!fgets(vendor, sizeof(vendor), f))
			vendor[0] = '\0';
		fclose(f);
	}
	l0_detect(&h->l0, cpuid, f ? vendor : NULL);
	free(cpuid);
}

int host_info_read(struct host_info *h, const char *cpuinfo_path)
{
	struct utsname uts;

	read_vendor(h);
	read_l0(h);
	read_model_name(h, cpuinfo_path ? cpuinfo_path : HOST_CPUINFO_PATH);

	if (uname(&uts)) {
		snprintf(h->kernel, sizeof(h->kernel), UNKNOWN);
		return err_set_errno(errno, "uname");
	}
	copy_printable(h->kernel, sizeof(h->kernel), uts.release,
		       strnlen(uts.release, sizeof(uts.release)));
	return 0;
}
