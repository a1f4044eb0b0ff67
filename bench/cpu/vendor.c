// SPDX-License-Identifier: GPL-2.0-only
/*
 * CPU vendors (vendor.h). Leaf 0 strings: Intel SDM vol. 2A, AMD APM vol.
 * 3, Linux arch/x86/kernel/cpu/{intel,amd,hygon,zhaoxin,centaur}.c
 * (c_ident of each cpu_dev).
 */
#include "cpu/vendor.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

static const struct {
	const char *id;		/* CPUID leaf 0 EBX:EDX:ECX */
	const char *brands[3];	/* words a brand string starts a vendor's name with */
} vendors[VENDOR_NR] = {
	[VENDOR_UNKNOWN] = { "unknown", { NULL } },
	[VENDOR_INTEL] = { "GenuineIntel", { "intel" } },
	[VENDOR_AMD] = { "AuthenticAMD", { "amd" } },
	[VENDOR_HYGON] = { "HygonGenuine", { "hygon" } },
	[VENDOR_ZHAOXIN] = { "  Shanghai  ", { "zhaoxin" } },
	[VENDOR_CENTAUR] = { "CentaurHauls", { "via", "centaur", "centaurhauls" } },
};

const char *vendor_id_string(enum cpu_vendor v)
{
	return (unsigned int)v < VENDOR_NR ? vendors[v].id : vendors[0].id;
}

/* @s without leading and trailing spaces: its start, its length in *@n. */
static const char *trimmed(const char *s, size_t *n)
{
	while (*s == ' ')
		s++;
	*n = strlen(s);
	while (*n && s[*n - 1] == ' ')
		(*n)--;
	return s;
}

/* Zhaoxin's "  Shanghai  " loses its blanks in /proc/cpuinfo: they do not count. */
enum cpu_vendor vendor_from_id(const char *id)
{
	size_t n, m;

	if (!id)
		return VENDOR_UNKNOWN;
	id = trimmed(id, &n);
	for (int v = VENDOR_INTEL; v < VENDOR_NR; v++) {
		const char *want = trimmed(vendors[v].id, &m);

		if (n == m && !strncmp(id, want, n))
			return (enum cpu_vendor)v;
	}
	return VENDOR_UNKNOWN;
}

/* Whether the word at @w (length @n) is @name, ignoring case. */
static bool word_is(const char *w, size_t n, const char *name)
{
	return strlen(name) == n && !strncasecmp(w, name, n);
}

enum cpu_vendor vendor_from_brand(const char *brand)
{
	const char *p = brand;

	/* words are runs of letters: "Intel(R)" gives "Intel", "R" */
	while (p && *p) {
		size_t n = 0;

		while (*p && !isalpha((unsigned char)*p))
			p++;
		while (isalpha((unsigned char)p[n]))
			n++;
		for (int v = VENDOR_INTEL; n && v < VENDOR_NR; v++)
			for (int k = 0; k < 3 && vendors[v].brands[k]; k++)
				if (word_is(p, n, vendors[v].brands[k]))
					return (enum cpu_vendor)v;
		p += n;
	}
	return VENDOR_UNKNOWN;
}

bool vendor_amd_like(enum cpu_vendor v)
{
	return v == VENDOR_AMD || v == VENDOR_HYGON;
}
