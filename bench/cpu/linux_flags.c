// SPDX-License-Identifier: GPL-2.0-only
/*
 * Linux flags -> QEMU features, by vendor (linux_flags.h).
 *
 * Plain renames live in the feature database (feature.c, `cpuinfo`); this
 * file holds what a rename cannot say: flags whose meaning depends on the
 * vendor or family, features no flag shows, and features a guest gets
 * whatever the host shows. Reference: tests/data/linux-flags.tsv and .md,
 * read from Linux's cpufeatures.h and arch/x86/kernel/cpu/ (the row's why).
 */
#include "cpu/linux_flags.h"

#include <stdio.h>
#include <string.h>

#include "cpu/feature.h"

#define INTEL_LIKE (VENDOR_BIT(VENDOR_INTEL) | VENDOR_BIT(VENDOR_ZHAOXIN) | \
		    VENDOR_BIT(VENDOR_CENTAUR))
#define AMD_LIKE (VENDOR_BIT(VENDOR_AMD) | VENDOR_BIT(VENDOR_HYGON))
#define AMD_ONLY VENDOR_BIT(VENDOR_AMD)
#define ANY 0u

struct linux_rule {
	const char *flag;	/* the token Linux prints; NULL: none */
	unsigned int vendors;	/* VENDOR_BIT()s it holds on; ANY: every vendor */
	const char *feature;	/* QEMU's name */
	enum linux_view view;	/* LINUX_SHOWN: @flag proves @feature */
	unsigned int min_family; /* holds from this CPU family on; 0: every one */
	bool old;		/* a spelling today's Linux no longer prints */
	const char *why;
};

#define R_SPEC_INTEL "common.c init_speculation_control(): Intel's SPEC_CTRL bit (7.EDX[26]) sets ibrs and ibpb"
#define R_SPEC_AMD "common.c init_speculation_control(): on AMD and Hygon the flag comes from leaf 0x80000008 EBX"

static const struct linux_rule rules[] = {
	/* vendor-dependent synthetic flags (init_speculation_control()) */
	{ "ibrs", INTEL_LIKE, "spec-ctrl", LINUX_SHOWN, 0, false, R_SPEC_INTEL },
	{ "ibpb", INTEL_LIKE, "spec-ctrl", LINUX_SHOWN, 0, false, R_SPEC_INTEL },
	{ "spec_ctrl", INTEL_LIKE, "spec-ctrl", LINUX_SHOWN, 0, true,
	  "Linux 4.15 printed the SPEC_CTRL bit itself" },
	{ "stibp", INTEL_LIKE, "stibp", LINUX_SHOWN, 0, false,
	  "common.c init_speculation_control(): INTEL_STIBP (7.EDX[27]) sets stibp" },
	{ "intel_stibp", INTEL_LIKE, "stibp", LINUX_SHOWN, 0, true,
	  "Linux 4.15 printed INTEL_STIBP itself" },
	{ "ssbd", INTEL_LIKE, "ssbd", LINUX_SHOWN, 0, false,
	  "common.c init_speculation_control(): SPEC_CTRL_SSBD (7.EDX[31]) sets ssbd" },
	{ "ibrs", AMD_LIKE, "ibrs", LINUX_SHOWN, 0, false, R_SPEC_AMD " (AMD_IBRS, bit 14)" },
	{ "ibpb", AMD_LIKE, "ibpb", LINUX_SHOWN, 0, false, R_SPEC_AMD " (AMD_IBPB, bit 12)" },
	{ "stibp", AMD_LIKE, "amd-stibp", LINUX_SHOWN, 0, false, R_SPEC_AMD " (AMD_STIBP, bit 15)" },
	{ "ssbd", AMD_ONLY, "amd-ssbd", LINUX_SHOWN, 0x19, false,
	  "AMD_SSBD (0x80000008 EBX[24]) sets ssbd; on families 15h-17h amd.c "
	  "bsp_init_amd() sets it through the LS_CFG MSR as well, and hygon.c always does" },
	{ "ibrs_enhanced", AMD_LIKE, "auto-ibrs", LINUX_SHOWN, 0, false,
	  "common.c cpu_set_bug_bits(): AUTOIBRS (0x80000021 EAX[8]) sets ibrs_enhanced on AMD" },
	{ "vnmi", AMD_LIKE, "vnmi", LINUX_SHOWN, 0, false,
	  "cpufeatures.h: SVM's virtual NMI (0x8000000A EDX[25]) on AMD; on Intel the same flag names VMX virtual NMIs" },
	{ "nonstop_tsc", ANY, "invtsc", LINUX_SHOWN, 0, false,
	  "intel.c/amd.c set nonstop_tsc from 0x80000007 EDX[8]" },
	/* the host, not a capability */
	{ NULL, ANY, "hypervisor", LINUX_HOST_ONLY, 0, false,
	  "says the host is itself a guest; QEMU sets it in every model" },
	/* what a guest gets whatever the host shows */
	{ NULL, ANY, "x2apic", LINUX_PROVIDED, 0, false,
	  "KVM emulates x2APIC whatever the host has (kvm_set_cpu_caps())" },
	{ NULL, ANY, "tsc-adjust", LINUX_PROVIDED, 0, false,
	  "KVM emulates IA32_TSC_ADJUST on every host (kvm_set_cpu_caps())" },
	{ NULL, ANY, "arch-capabilities", LINUX_PROVIDED, 0, false,
	  "KVM emulates IA32_ARCH_CAPABILITIES on every host (kvm_set_cpu_caps())" },
	{ NULL, ANY, "tsc-deadline", LINUX_PROVIDED, 0, false,
	  "KVM's in-kernel LAPIC has the TSC-deadline timer and QEMU sets the bit "
	  "(Linux hides the flag on CPUs with old microcode)" },
	{ NULL, ANY, "arat", LINUX_PROVIDED, 0, false,
	  "QEMU sets it for every KVM guest (kvm_arch_get_supported_cpuid())" },
	/* printed, but its absence proves nothing */
	{ NULL, AMD_LIKE, "auto-ibrs", LINUX_HIDDEN, 0, false,
	  "Linux prints AUTOIBRS only as ibrs_enhanced, and not at all with SEV-SNP on" },
	{ NULL, ANY, "la57", LINUX_HIDDEN, 0, false,
	  "Linux shows la57 only when it runs 5-level paging itself; KVM offers it from the CPU" },
};

#define NRULES (sizeof(rules) / sizeof(rules[0]))

/*
 * Names an older kernel did not print: its flags list cannot prove the
 * feature absent. Bug names date the kernel (struct linux_cpu.kernel).
 */
static const struct {
	const char *name;
	unsigned int since;	/* 100 * major + minor */
} names_since[] = {
	{ "spec_ctrl", 415 }, { "intel_stibp", 415 },
	{ "cpu_meltdown", 415 }, { "spectre_v1", 415 }, { "spectre_v2", 415 },
	{ "ibrs", 416 }, { "ibpb", 416 }, { "stibp", 416 },
	{ "ssbd", 417 }, { "spec_store_bypass", 417 },
	{ "flush_l1d", 419 }, { "l1tf", 419 },
	{ "md_clear", 502 }, { "mds", 502 }, { "msbds_only", 502 },
	{ "swapgs", 503 }, { "taa", 504 }, { "itlb_multihit", 504 },
	{ "fsrm", 506 }, { "srbds", 508 },
	{ "mmio_stale_data", 519 }, { "retbleed", 519 },
	{ "gds", 605 }, { "srso", 605 },
};

unsigned int linux_name_since(const char *name)
{
	for (size_t i = 0; i < sizeof(names_since) / sizeof(names_since[0]); i++)
		if (!strcmp(name, names_since[i].name))
			return names_since[i].since;
	return 0;
}

static bool rule_holds(const struct linux_rule *r, const struct linux_cpu *cpu)
{
	if (r->vendors && !(r->vendors & VENDOR_BIT(cpu->vendor)))
		return false;
	return !r->min_family || cpu->family >= r->min_family;
}

/* Whether this kernel prints @flag, as far as its own flags tell. */
static bool kernel_prints(const char *flag, const struct linux_cpu *cpu)
{
	return cpu->kernel >= linux_name_since(flag);
}

/* Whether some rule gives @flag a vendor- or family-dependent meaning. */
static bool linux_flag_is_synthetic(const char *flag)
{
	for (size_t i = 0; i < NRULES; i++)
		if (rules[i].flag && !strcmp(rules[i].flag, flag))
			return true;
	return false;
}

int linux_flag_feature(const char *flag, const struct linux_cpu *cpu)
{
	if (linux_flag_is_synthetic(flag)) {
		for (size_t i = 0; i < NRULES; i++)
			if (rules[i].flag && !strcmp(rules[i].flag, flag) &&
			    rule_holds(&rules[i], cpu))
				return feature_lookup(rules[i].feature);
		return -1;
	}
	for (unsigned int f = 0; f < nfeatures; f++)
		if (features[f].cpuinfo && !strcmp(features[f].cpuinfo, flag))
			return (int)f;
	/* a QEMU name pasted as a flag ("sse4.1") */
	for (unsigned int f = 0; f < nfeatures; f++)
		if (!strcmp(features[f].name, flag))
			return (int)f;
	return -1;
}

enum linux_view linux_feature_view(int f, const struct linux_cpu *cpu,
				   const char **why)
{
	const char *name = f >= 0 && (unsigned int)f < nfeatures ? features[f].name : "";
	const struct linux_rule *other = NULL;
	const char *stale = NULL;
	static char buf[160];	/* the reason; cpubench is single-threaded */

	for (size_t i = 0; i < NRULES; i++) {
		const struct linux_rule *r = &rules[i];

		if (strcmp(r->feature, name))
			continue;
		if (!r->flag && rule_holds(r, cpu)) {
			if (why)
				*why = r->why;
			return r->view;
		}
		if (r->flag && rule_holds(r, cpu) && kernel_prints(r->flag, cpu))
			return LINUX_SHOWN;
		if (r->flag && rule_holds(r, cpu))
			stale = r->flag;
		else if (r->flag)
			other = r;
	}
	if (f >= 0 && (unsigned int)f < nfeatures && features[f].cpuinfo) {
		if (kernel_prints(features[f].cpuinfo, cpu))
			return LINUX_SHOWN;
		stale = features[f].cpuinfo;
	}
	if (!why)
		return LINUX_HIDDEN;
	if (stale) {
		unsigned int v = linux_name_since(stale);

		snprintf(buf, sizeof(buf), "the flags show a kernel older than Linux %u.%u, "
			 "which did not print '%s'", v / 100, v % 100, stale);
		*why = buf;
	} else if (other && other->min_family && !cpu->family &&
		   (!other->vendors || (other->vendors & VENDOR_BIT(cpu->vendor)))) {
		snprintf(buf, sizeof(buf), "the CPU family is unknown, and '%s' proves "
			 "it only from family %xh on", other->flag, other->min_family);
		*why = buf;
	} else if (other && cpu->vendor == VENDOR_UNKNOWN) {
		snprintf(buf, sizeof(buf), "the vendor is unknown, and Linux's '%s' means "
			 "another CPUID bit on Intel than on AMD", other->flag);
		*why = buf;
	} else if (other) {
		*why = other->why;
	} else {
		*why = "Linux never prints this CPUID bit";
	}
	return LINUX_HIDDEN;
}

void linux_guest_always(featureset_t *fs)
{
	featureset_clear(fs);
	for (size_t i = 0; i < NRULES; i++)
		if (rules[i].view == LINUX_PROVIDED || rules[i].view == LINUX_HOST_ONLY)
			featureset_add(fs, feature_lookup(rules[i].feature));
}

/* Appends " @word" (or "@word" first) unless it is there already. */
static int append_word(char *out, size_t len, const char *word)
{
	size_t n = strlen(out), w = strlen(word);

	for (const char *p = out; (p = strstr(p, word)); p += w)
		if ((p == out || p[-1] == ' ') && (p[w] == ' ' || !p[w]))
			return 0;
	if (n + (n ? 1 : 0) + w + 1 > len)
		return -1;
	snprintf(out + n, len - n, "%s%s", n ? " " : "", word);
	return 0;
}

int linux_flags_render(const featureset_t *fs, enum cpu_vendor vendor,
		       char *out, size_t len)
{
	struct linux_cpu cpu = { .vendor = vendor, .family = 0xff, .kernel = ~0u };

	if (!len)
		return -1;
	out[0] = '\0';
	for (int f = featureset_next(fs, -1); f >= 0; f = featureset_next(fs, f))
		if (features[f].cpuinfo && append_word(out, len, features[f].cpuinfo))
			return -1;
	for (size_t i = 0; i < NRULES; i++) {
		const struct linux_rule *r = &rules[i];

		if (r->flag && !r->old && rule_holds(r, &cpu) &&
		    featureset_has(fs, feature_lookup(r->feature)) &&
		    append_word(out, len, r->flag))
			return -1;
	}
	return 0;
}
