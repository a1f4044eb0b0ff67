/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Configuration for the stacks that run VMs, from a resolved model:
 *   qemu         a -cpu string, with enforce (QEMU refuses to start when
 *                the host lacks an advertised feature)
 *   libvirt      <cpu mode='custom' match='exact' check='full'>
 *   proxmox      a /etc/pve/virtual-guest/cpu-models.conf entry
 *   nova         [libvirt] cpu_mode, cpu_models, cpu_model_extra_flags
 *   kubevirt     spec.domain.cpu (YAML)
 *   firecracker  a custom CPU template (cpuid_modifiers bitmaps)
 *
 * Named QEMU models (a catalog mask with a CPU identity) are emitted for
 * QEMU by name, plus the spec's changes. Everything else, and every
 * libvirt-based stack (libvirt's cpu_map has no versioned "-vN" names),
 * is emitted as qemu64 plus the exact feature difference, which every
 * QEMU and libvirt knows; under KVM, QEMU gives qemu64 the host's vendor.
 * Host passthrough is emitted as each stack's passthrough mode.
 */
#ifndef CPUBENCH_EMIT_H
#define CPUBENCH_EMIT_H

#include <stdio.h>

#include "catalog/mask.h"

enum emit_kind {
	EMIT_QEMU, EMIT_LIBVIRT, EMIT_PROXMOX, EMIT_NOVA, EMIT_KUBEVIRT,
	EMIT_FIRECRACKER, EMIT_NR,
};

/* Returns the kind, or -1 for an unknown name. */
int emit_kind_parse(const char *name);
const char *emit_kind_name(enum emit_kind k);

struct emit_model {
	const struct mask *mask;
	/* the named model's own features (without spec changes); used when
	 * mask->identity.set, i.e. a named QEMU model */
	featureset_t named_features;
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
