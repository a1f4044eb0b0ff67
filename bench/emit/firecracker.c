// SPDX-License-Identifier: GPL-2.0-only
/*
 * emit --as firecracker: a Firecracker custom CPU template (x86_64).
 *
 * Format (Firecracker docs/cpu_templates/cpu-templates.md, custom CPU
 * templates): { "cpuid_modifiers": [ { "leaf": "0x1", "subleaf": "0x0",
 * "flags": 0|1, "modifiers": [ { "register": "eax|ebx|ecx|edx",
 * "bitmap": "0b" + 32 of 0/1/x, bit 31 first } ] } ], "msr_modifiers": [] }.
 * 'x' keeps the host's bit; flags is KVM_CPUID_FLAG_SIGNIFCANT_INDEX.
 *
 * Every database feature's bit is written: 1 advertised, 0 hidden ("host"
 * with +feat/-feat writes only those, 'x' keeping the host's others). Leaf
 * 0xD.0 EAX (XCR0 states) is made consistent, because KVM enforces AVX,
 * AVX-512, PKU and AMX through it: a hidden owner feature clears its
 * states, an advertised one keeps the host's bits.
 */
#include <jansson.h>
#include <string.h>

#include "cpu/cpuid_builder.h"
#include "cpu/feature.h"
#include "emit/emit.h"
#include "lib/err.h"
#include "lib/out.h"

#define NSLOTS	32	/* CPUID registers the feature database uses, and leaf 0xD.0 EAX */

struct slot {
	uint32_t leaf, subleaf;
	enum cpuid_reg reg;
	char bits[33];		/* bits[0] is bit 31 */
};

static struct slot *slot_get(struct slot *s, unsigned int *n, uint32_t leaf,
			     uint32_t subleaf, enum cpuid_reg reg)
{
	for (unsigned int i = 0; i < *n; i++)
		if (s[i].leaf == leaf && s[i].subleaf == subleaf && s[i].reg == reg)
			return &s[i];
	if (*n == NSLOTS)
		return NULL;
	s[*n] = (struct slot){ .leaf = leaf, .subleaf = subleaf, .reg = reg };
	memset(s[*n].bits, 'x', 32);
	return &s[(*n)++];
}

static void set_bit(struct slot *s, unsigned int bit, char v)
{
	s->bits[31 - bit] = v;
}

/* Leaf 0xD.0 EAX: the XCR0 states of each owner feature in @gone cleared. */
static int xcr0_slot(struct slot *s, unsigned int *n, const featureset_t *gone)
{
	static const struct {
		const char *owner;
		uint64_t states;
	} owners[] = {
		{ "avx", X86_XSTATE_YMM }, { "avx512f", X86_XSTATE_AVX512 },
		{ "pku", X86_XSTATE_PKRU }, { "amx-tile", X86_XSTATE_AMX },
	};
	struct slot *x = slot_get(s, n, 0xd, 0, CPUID_EAX);

	if (!x)
		return err_set("firecracker template: too many CPUID registers");
	for (size_t i = 0; i < sizeof(owners) / sizeof(owners[0]); i++) {
		int f = feature_lookup(owners[i].owner);

		if (f < 0 || !featureset_has(gone, f))
			continue;
		for (unsigned int b = 0; b < 32; b++)
			if (owners[i].states & (1ULL << b))
				set_bit(x, b, '0');
	}
	return 0;
}

static json_t *slots_json(const struct slot *s, unsigned int n)
{
	static const char *const regs[] = { "eax", "ebx", "ecx", "edx" };
	json_t *mods = json_array();
	bool done[NSLOTS] = { false };

	for (unsigned int i = 0; mods && i < n; i++) {
		json_t *regs_a;
		char leaf[16], sub[16];

		if (done[i])
			continue;
		regs_a = json_array();
		for (unsigned int k = i; regs_a && k < n; k++) {
			char bitmap[40];

			if (s[k].leaf != s[i].leaf || s[k].subleaf != s[i].subleaf)
				continue;
			done[k] = true;
			snprintf(bitmap, sizeof(bitmap), "0b%s", s[k].bits);
			json_array_append_new(regs_a, json_pack("{s:s,s:s}",
				"register", regs[s[k].reg], "bitmap", bitmap));
		}
		snprintf(leaf, sizeof(leaf), "0x%x", s[i].leaf);
		snprintf(sub, sizeof(sub), "0x%x", s[i].subleaf);
		json_array_append_new(mods, json_pack("{s:s,s:s,s:i,s:o}",
			"leaf", leaf, "subleaf", sub,
			"flags", cpuid_leaf_is_indexed(s[i].leaf) ? KVM_CPUID_FLAG_SIGNIFCANT_INDEX : 0,
			"modifiers", regs_a));
	}
	return mods;
}

/*
 * The bit of feature @i: '1' advertised, '0' hidden, 0 left to the host
 * (only "host" leaves any: its template changes just the spec's bits).
 */
static char feature_bit(const struct mask *m, int i)
{
	if (featureset_has(&m->spec_add, i))
		return '1';
	if (featureset_has(&m->spec_del, i))
		return '0';
	if (m->is_host)
		return 0;
	return featureset_has(&m->features, i) ? '1' : '0';
}

int emit_firecracker(FILE *out, const struct emit_model *em)
{
	const struct mask *m = em->mask;
	struct slot slots[NSLOTS];
	featureset_t gone = { { 0 } };
	unsigned int n = 0;
	json_t *root;

	if (m->is_host && featureset_empty(&m->spec_add) && featureset_empty(&m->spec_del))
		return err_set("Firecracker has no host-passthrough template: start the microVM without a CPU template instead");
	for (unsigned int i = 0; i < nfeatures; i++) {
		const struct feature *f = &features[i];
		char bit = feature_bit(m, (int)i);
		struct slot *s;

		if (!bit)
			continue;
		s = slot_get(slots, &n, f->leaf, f->subleaf, f->reg);
		if (!s)
			return err_set("firecracker template: too many CPUID registers");
		set_bit(s, f->bit, bit);
		if (bit == '0')
			featureset_add(&gone, (int)i);
	}
	if (xcr0_slot(slots, &n, &gone))
		return -1;
	root = json_pack("{s:o,s:[]}", "cpuid_modifiers", slots_json(slots, n),
			 "msr_modifiers");
	return out_json(out, root);
}
