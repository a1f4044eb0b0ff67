/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A host as cluster commands see it (baseline, compare, diff): a name, a
 * vendor and the features a guest can be given there. Loaded from any of
 * the inputs host_fp_load() detects.
 */
#ifndef CPUBENCH_HOST_FP_H
#define CPUBENCH_HOST_FP_H

#include <stdbool.h>
#include <stddef.h>

#include "cpu/featureset.h"
#include "cpu/linux_flags.h"

#define HOST_FP_UNKNOWN	"unknown"
/* Inputs larger than this are refused: a /proc/cpuinfo of 512 CPUs is ~1 MiB. */
#define HOST_FP_FILE_MAX	(8u << 20)

enum host_fp_format {
	HOST_FP_FINGERPRINT,	/* cpubench host --save (JSON) */
	HOST_FP_CPUINFO,	/* /proc/cpuinfo, whole or just its flags line(s) */
	HOST_FP_LSCPU,		/* lscpu output ("Flags:") */
};

struct host_fp {
	char name[64];		/* hostname, else the file name without extension */
	char source[256];	/* the file it came from */
	char vendor[13];	/* CPUID leaf 0 string ("GenuineIntel") or "unknown" */
	char vendor_from[160];	/* where the vendor was read, or why it is unknown */
	char model_name[64];	/* "unknown" when the input lacks it */
	unsigned int family;	/* displayed CPU family; 0 when the input lacks it */
	enum host_fp_format format;
	bool is_guest;		/* the CPU says the "host" is itself a guest */
	/*
	 * What a guest can be given on this host, as far as the input tells,
	 * including what KVM and QEMU give every guest (linux_guest_always());
	 * and what the input cannot tell either way (flags Linux does not
	 * print): such a feature is never "missing", only "unknown".
	 */
	featureset_t features;
	featureset_t unknown;
	struct linux_cpu linux_cpu;	/* how the flags were read (unknown's reasons) */
};

const char *host_fp_format_name(enum host_fp_format f);

/*
 * Loads @path, detecting its format from its content: '{' starts a
 * fingerprint; a "flags : ..." line makes /proc/cpuinfo; a "Flags: ..."
 * line makes lscpu output. Returns 0, or -1 with err_set() ("FILE[:LINE]:
 * what is wrong, what to give instead"; class EXIT_USAGE).
 */
int host_fp_load(const char *path, struct host_fp *out);

/* As host_fp_load() for text already in memory; @file names it in errors. */
int host_fp_parse(const char *file, const char *text, size_t len,
		  struct host_fp *out);

/*
 * If the line at @line is "KEY<blanks>:..." (@key compared exactly),
 * returns the value after ':' and leading blanks; else NULL. (cpuinfo.c)
 */
const char *cpuinfo_line_value(const char *line, const char *key);

/* Parsers behind host_fp_parse(); @text is NUL-terminated. (cpuinfo.c) */
int cpuinfo_parse(const char *file, const char *text, struct host_fp *out);
int lscpu_parse(const char *file, const char *text, struct host_fp *out);
/* (fingerprint.c) */
int fingerprint_parse(const char *file, const char *text, size_t len,
		      struct host_fp *out);

/*
 * Sets @h's vendor from the CPUID string @vendor_id (NULL or "" when the
 * input has none; @key names its line), else from @h->model_name;
 * vendor_from says which, or why the vendor is unknown. (host_load.c)
 */
void host_fp_set_vendor(struct host_fp *h, const char *vendor_id, const char *key);

#endif
