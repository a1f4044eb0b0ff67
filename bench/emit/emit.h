/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Configuration for the stacks that run VMs, from a resolved model, in
 * each stack's own vocabulary:
 *   qemu         a -cpu string, with enforce (QEMU refuses to start when
 *                the host lacks an advertised feature)
 *   libvirt      <cpu mode='custom' match='exact' check='full'>: the
 *                closest model of libvirt's cpu_map plus feature policies
 *   proxmox      a VM's "cpu:" line: a Proxmox built-in model with the
 *                flags= a VM may set, else a cpu-models.conf custom model
 *   nova         nova.conf [libvirt] cpu_mode, cpu_models, cpu_model_extra_flags
 *   kubevirt     a VirtualMachine's spec.template.spec.domain.cpu (YAML)
 *   firecracker  a custom CPU template (cpuid_modifiers bitmaps)
 *
 * Every stack but Firecracker hands QEMU a model name, and QEMU gives the
 * guest that model's definition: the catalog's model of that name (QEMU
 * 7.2's, imported by `cpubench import qemu`). A writer picks the stack's
 * model whose definition needs the fewest changes, then writes those
 * changes, so that the guest gets exactly the mask's features.
 *
 * Some bits the accelerator decides, not the model (emit.c accel_bits):
 * under KVM QEMU sets hypervisor and x2apic and clears acpi, monitor and
 * svm on every model; vme is the model's under KVM but cleared under TCG,
 * where the catalog was expanded. For the KVM stacks these follow the
 * chosen model unless the mask sets them itself (the spec's +feat/-feat,
 * a -feat of its file, a +feat of a file that inherits): no stack is told
 * to drop the hypervisor bit because x86-64-v3 does not list it, and
 * `EPYC,+svm` still asks for svm.
 *
 * "host" is each stack's passthrough mode; its spec's +feat/-feat are
 * kept (QEMU -cpu host,-avx2; libvirt and KubeVirt feature policies on
 * host-passthrough; Nova extra flags; a Proxmox custom model reporting
 * host; a Firecracker template that changes only those bits).
 */
#ifndef CPUBENCH_EMIT_H
#define CPUBENCH_EMIT_H

#include <stdint.h>
#include <stdio.h>

#include "catalog/mask.h"
#include "import/libvirt.h"

enum emit_kind {
	EMIT_QEMU, EMIT_LIBVIRT, EMIT_PROXMOX, EMIT_NOVA, EMIT_KUBEVIRT,
	EMIT_FIRECRACKER, EMIT_NR,
};

/* Returns the kind, or -1 for an unknown name. */
int emit_kind_parse(const char *name);
const char *emit_kind_name(enum emit_kind k);
/* Whether @k's writer names a model of libvirt's cpu_map (libvirt, nova, kubevirt). */
bool emit_kind_uses_libvirt(enum emit_kind k);

struct emit_model {
	const struct mask *mask;
	/* the named model's own features (without spec changes); used when
	 * mask->identity.set, i.e. a named QEMU model */
	featureset_t named_features;
	/* the resolved catalog (mask_resolve_all()): what each QEMU model
	 * name gives the guest; every writer but qemu and firecracker */
	const struct mask *catalog;
	unsigned int ncatalog;
	/* libvirt's cpu_map models (libvirt_read_models()) and their
	 * directory: the names libvirt, Nova and KubeVirt accept */
	const struct libvirt_model *libvirt;
	unsigned int nlibvirt;
	const char *cpu_map;
};

/* Writes @k's configuration for @em. Returns 0, or -1 with err_set(). */
int emit_write(FILE *out, const struct emit_model *em, enum emit_kind k);

/* --- shared by the writers (emit.c) --- */

/* QEMU 7.2's qemu64 (target/i386/cpu.c) and libvirt's qemu64 (cpu_map). */
void emit_qemu64_features(featureset_t *fs, bool libvirt);
/* *add, *del: what @fs has beyond / lacks from @base. */
void emit_delta(const featureset_t *fs, const featureset_t *base,
		featureset_t *add, featureset_t *del);
/* The libvirt (cpu_map/x86_features.xml) name of feature @i. */
const char *emit_libvirt_name(int i);
/* libvirt's vendor name for a CPUID vendor string, NULL if none. */
const char *emit_libvirt_vendor(const char *cpuid_vendor);

/* The catalog's model @name (QEMU's definition), NULL if it has none. */
const struct mask *emit_catalog_find(const struct emit_model *em, const char *name);

/* What a model gives the guest, or changes to one. */
struct emit_cpu {
	featureset_t features;
	uint32_t msr;		/* feature-MSR bits: 1 << index in msr_features[] */
};

/* *@out: what QEMU gives a guest of model @def (the catalog's) under KVM. */
void emit_kvm_model(const struct mask *def, struct emit_cpu *out);
/*
 * The changes that turn @model (what the stack's model gives the guest
 * under KVM, emit_kvm_model()) into @m: *@req to require, *@dis to
 * disable. @listed, when not NULL, is what the stack itself believes the
 * model has (libvirt's cpu_map definition, checked by check='full'); the
 * changes then make both agree with @m. Returns their number.
 */
unsigned int emit_policies(const struct mask *m, const struct emit_cpu *model,
			   const struct emit_cpu *listed, struct emit_cpu *req,
			   struct emit_cpu *dis);
/* The number of changes in @req and @dis. */
unsigned int emit_changes(const struct emit_cpu *req, const struct emit_cpu *dis);

/* Writes one change; @first is true for the first one written. */
typedef void (*emit_put_fn)(FILE *out, const char *name, bool enable, bool first);
/*
 * Writes @req's then @dis's changes through @put, CPUID features in
 * database order then feature-MSR bits; names in libvirt's spelling when
 * @libvirt, else QEMU's.
 */
void emit_put_changes(FILE *out, const struct emit_cpu *req, const struct emit_cpu *dis,
		      bool libvirt, emit_put_fn put);

/* --- the closest libvirt model (libvirt_model.c) --- */

#define EMIT_LV_CHECK_FULL	1u	/* libvirt's definition must agree too */
#define EMIT_LV_KUBEVIRT	2u	/* not a model KubeVirt lists as obsolete */

struct emit_libvirt_choice {
	const struct libvirt_model *model;
	struct emit_cpu req, dis;
	/* no model of the mask's vendor (vendor-neutral ones for a mask
	 * without identity) qualified: the closest of any vendor is used */
	bool other_vendor;
};

/*
 * The model of em->libvirt that QEMU also defines (the catalog has it),
 * of the mask's vendor (no vendor for a mask without identity), with the
 * fewest feature policies; ties go to the mask's own name, then to the
 * first name in order. Returns 0, or -1 with err_set().
 */
int emit_libvirt_choose(const struct emit_model *em, unsigned int flags,
			struct emit_libvirt_choice *out);
/* Whether KubeVirt's node labeller skips @model (DefaultObsoleteCPUModels). */
bool emit_kubevirt_obsolete(const char *model);

int emit_qemu(FILE *out, const struct emit_model *em);

/* The QEMU release cpubench's catalog and QEMU backend are checked against. */
#define EMIT_QEMU_CHECKED	"7.2"

/*
 * Whether emit_qemu() names a model that QEMU EMIT_QEMU_CHECKED does not
 * define (its qemu-since is a later release): then writes a one-line
 * warning into @buf (of @size) and returns true.
 */
bool emit_qemu_needs_newer(const struct emit_model *em, char *buf, size_t size);
int emit_libvirt(FILE *out, const struct emit_model *em);
int emit_proxmox(FILE *out, const struct emit_model *em);
int emit_nova(FILE *out, const struct emit_model *em);
int emit_kubevirt(FILE *out, const struct emit_model *em);
int emit_firecracker(FILE *out, const struct emit_model *em);

#endif
