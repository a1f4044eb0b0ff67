/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The fingerprint of this host (cpubench host): what its CPU, its kernel
 * and its KVM offer a guest, with the evidence (raw CPUID leaves, KVM's
 * supported CPUID, /proc/cpuinfo, /sys/module parameters).
 *
 * JSON schema (stable: keys are added, never renamed or retyped):
 *   cpubench_fingerprint  1 (the format version)
 *   cpubench_version      string
 *   hostname, vendor, model_name, microcode, kernel   string
 *   family, model, stepping     number (displayed values, from leaf 1)
 *   backend               "kvm-vmx" | "kvm-svm" | "kvm-pvm" | null
 *   kvm                   { available: bool, error: string | null,
 *                           modules: { NAME: { PARAM: "value" } } }
 *   xcr0                  "0x..."
 *   cpuid, kvm_supported_cpuid   array of { leaf, subleaf, eax, ebx, ecx,
 *                           edx: "0x..." } (kvm_supported_cpuid null
 *                           without KVM)
 *   cpuinfo_flags         array of string (first CPU's flags line)
 *   cpu_features          features of the CPU usable by programs here
 *   kvm_features          features KVM reports supported ([] without KVM)
 *   guest_features        what a guest can be given here: kvm_features on
 *                         kvm-vmx/kvm-svm; cpu_features on kvm-pvm (guest
 *                         user code runs natively, and PVM's supported
 *                         CPUID is minimal) and without KVM
 *   guest_features_from   "kvm" | "cpu"
 *   x86_64_level          x86-64 level of cpu_features (as ld.so --help)
 *   guest_x86_64_level    x86-64 level of guest_features
 *   verify_features       what `cpubench verify` holds here (guest_caps.h);
 *                         null without a usable KVM
 *   verify_refused        what the backend refuses even when advertised
 *   qemu_features         what QEMU's -accel kvm,enforce accepts; null
 *                         without a usable KVM
 *   models                the catalog judged by verify_features:
 *                         { known: bool, why: string | null,
 *                           runnable: [name], not_runnable: [ { model,
 *                           missing: [feature] (first few), nmissing } ],
 *                           msr_unchecked: [name]: runnable models with
 *                           feature-MSR bits, which cpubench does not
 *                           compare with KVM's (QEMU does) }
 *   qemu_models           the same by qemu_features
 *   cpuinfo_file          string | null: cpubench host --cpuinfo FILE
 *                         describes FILE's CPU, not this machine (no CPUID,
 *                         KVM or modules read; fingerprint_from_cpuinfo())
 *   guest_features_unknown  [feature]: what FILE's flags cannot tell
 *                         (--cpuinfo only; read back as unknown, never
 *                         missing)
 * Readers (host_fp_load) need only guest_features; hostname, vendor and
 * model_name are used when present.
 */
#ifndef CPUBENCH_FINGERPRINT_H
#define CPUBENCH_FINGERPRINT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "cpu/featureset.h"
#include "judge/result.h"

#define FP_FORMAT_VERSION	1
#define FP_MAX_MODULES		4
#define FP_MAX_PARAMS		64

struct fp_param {
	char name[64];
	char value[128];
};

struct fp_module {
	char name[32];
	unsigned int nparams;
	struct fp_param params[FP_MAX_PARAMS];
};

struct host_fingerprint {
	char hostname[64];
	struct host_info info;		/* vendor, model name, kernel */
	char microcode[32];
	uint32_t family, model, stepping;
	int backend;			/* enum backend_kind, -1 if no KVM module */
	bool kvm_available;
	char kvm_error[256];
	struct kvm_cpuid2 *cpuid;	/* this CPU's CPUID instruction */
	struct kvm_cpuid2 *kvm_cpuid;	/* KVM_GET_SUPPORTED_CPUID or NULL */
	uint64_t xcr0;
	char *cpuinfo_flags;		/* malloc'ed flags line, or NULL */
	featureset_t cpu_features, kvm_features, guest_features;
	bool guest_from_kvm;
	/* the two answers of guest_caps.h; meaningful when kvm_available */
	featureset_t verify_features, verify_refused, qemu_features;
	/* --cpuinfo: the file described instead of this machine, and what its
	 * flags cannot tell (never "missing", only unknown); else NULL, {} */
	const char *cpuinfo_file;
	featureset_t guest_unknown;
	unsigned int nmodules;
	struct fp_module modules[FP_MAX_MODULES];
};

struct fp_paths {
	const char *cpuinfo;		/* default /proc/cpuinfo */
	const char *sysfs_module;	/* default /sys/module */
	const char *kvm_device;		/* default /dev/kvm */
};

/*
 * Collects this host's fingerprint. Missing KVM is not an error (kvm_error
 * says why); a CPU whose CPUID cannot be read is. Returns 0, or -1 with
 * err_set(). fingerprint_free() releases it either way.
 */
int fingerprint_collect(struct host_fingerprint *fp, const struct fp_paths *paths);
void fingerprint_free(struct host_fingerprint *fp);

/*
 * The fingerprint of the CPU that @path (a saved /proc/cpuinfo, its flags
 * line, or lscpu output) describes, not of this machine: no CPUID
 * instruction, KVM device or module is read (cpuid [], backend null,
 * kvm_error says so). Returns 0, or -1 with err_set() (EXIT_USAGE).
 */
int fingerprint_from_cpuinfo(struct host_fingerprint *fp, const char *path);

/*
 * The fingerprint as JSON (schema above); @models and @qemu_models (may
 * be NULL) are those members, whose references are taken. NULL when out
 * of memory.
 */
json_t *fingerprint_to_json(const struct host_fingerprint *fp, json_t *models,
			    json_t *qemu_models);

#endif
