// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest CPUID builder (see cpuid_builder.h for the contract).
 * Register layouts: Intel SDM vol. 2A "CPUID", AMD APM vol. 3 appendix E.
 */
#include "cpu/cpuid_builder.h"

#include <stdlib.h>
#include <string.h>

#include "lib/err.h"

struct kvm_cpuid2 *cpuid2_alloc(unsigned int nent)
{
	struct kvm_cpuid2 *c;

	c = calloc(1, sizeof(*c) + nent * sizeof(c->entries[0]));
	if (c)
		c->nent = nent;
	return c;
}

#define LEAF_HV_FIRST		0x40000000u
#define LEAF_EXT_FIRST		CPUID_EXT_BASE
#define LEAF_EXT_LAST		0x8fffffffu
/* VIA/Zhaoxin (Centaur) leaves: 0xC0000000 EAX is the highest one */
#define LEAF_CENTAUR_FIRST	0xc0000000u
#define LEAF_CENTAUR_LAST	0xcfffffffu

/* Leaf 1 EDX bits that AMD repeats in 0x80000001 EDX (fpu..pse36, mmx, fxsr) */
#define AMD_EXT_EDX_ALIASES	0x0183f3ffu

/* 0x80000008 EAX for a created entry: 48-bit virtual, 40-bit physical (QEMU's default) */
#define ADDR_WIDTHS_DEFAULT	(48u << 8 | 40u)

/* Legacy FXSAVE region (512) + XSAVE header (64) */
#define XSAVE_LEGACY_SIZE	576u

/*
 * User state components cpubench can advertise, with Intel's standard-format
 * offsets. Used only for a component KVM does not report: AMD CPUs (no MPX
 * states 3-4) place AVX-512 and PKRU lower (0x340, 0x380, 0x580, 0x980 on
 * Zen 4/5), so an entry KVM reports keeps its own size and offset.
 */
static const struct xstate_area {
	unsigned int comp;
	uint32_t size, offset, ecx;
} xstate_areas[] = {
	{ 2, 256, 576, 0 },			/* YMM_Hi128 */
	{ 5, 64, 1088, 0 },			/* opmask k0-k7 */
	{ 6, 512, 1152, 0 },			/* ZMM_Hi256 */
	{ 7, 1024, 1664, 0 },			/* Hi16_ZMM */
	{ 9, 8, 2688, 0 },			/* PKRU */
	{ 17, 64, 2752, 0 },			/* XTILECFG */
	{ 18, 8192, 2816, CPUID_D_ECX_ALIGN64 },	/* XTILEDATA */
};
#define NR_XSTATE_AREAS (sizeof(xstate_areas) / sizeof(xstate_areas[0]))

/* The feature that owns each state group in XCR0 (as QEMU and KVM see it). */
static const struct {
	const char *feature;
	uint64_t states;
} xstate_owners[] = {
	{ "avx", X86_XSTATE_YMM },
	{ "avx512f", X86_XSTATE_AVX512 },
	{ "pku", X86_XSTATE_PKRU },
	{ "amx-tile", X86_XSTATE_AMX },
};

struct builder {
	struct kvm_cpuid2 *c;
	unsigned int cap;
};

bool cpuid_leaf_is_indexed(uint32_t leaf)
{
	static const uint32_t indexed[] = {
		0x4, 0x7, 0xb, 0xd, 0xf, 0x10, 0x12, 0x14, 0x17, 0x18,
		0x1d, 0x1e, 0x1f, 0x20, 0x23, 0x24,
		0x8000001d, 0x80000020, 0x80000026,
	};

	for (unsigned int i = 0; i < sizeof(indexed) / sizeof(indexed[0]); i++)
		if (indexed[i] == leaf)
			return true;
	return false;
}

struct kvm_cpuid_entry2 *cpuid_find(struct kvm_cpuid2 *c, uint32_t leaf,
				    uint32_t subleaf)
{
	for (unsigned int i = 0; c && i < c->nent; i++)
		if (cpuid_entry_is(&c->entries[i], leaf, subleaf))
			return &c->entries[i];
	return NULL;
}

static const struct kvm_cpuid_entry2 *
cpuid_find_const(const struct kvm_cpuid2 *c, uint32_t leaf, uint32_t subleaf)
{
	return cpuid_find((struct kvm_cpuid2 *)c, leaf, subleaf);
}

uint64_t cpuid_xcr0_allowed(const struct kvm_cpuid2 *c)
{
	const struct kvm_cpuid_entry2 *e = cpuid_find_const(c, 0xd, 0);

	return e ? (uint64_t)e->edx << 32 | e->eax : 0;
}

uint32_t cpuid_encode_fms(uint32_t family, uint32_t model, uint32_t stepping)
{
	uint32_t eax = (stepping & 0xf) | (model & 0xf) << 4;

	/* Family above 0xf: base family 0xf plus extended family. */
	if (family > 0xf)
		eax |= 0xfu << 8 | ((family - 0xf) & 0xff) << 20;
	else
		eax |= (family & 0xf) << 8;
	/* The extended model nibble counts only for family 6 and 0xf+. */
	if (family == 6 || family >= 0xf)
		eax |= ((model >> 4) & 0xf) << 16;
	return eax;
}

static uint32_t *entry_reg(struct kvm_cpuid_entry2 *e, enum cpuid_reg reg)
{
	switch (reg) {
	case CPUID_EAX:
		return &e->eax;
	case CPUID_EBX:
		return &e->ebx;
	case CPUID_ECX:
		return &e->ecx;
	default:
		return &e->edx;
	}
}

/* Finds @leaf/@subleaf, creating a zeroed entry if missing; NULL if full. */
static struct kvm_cpuid_entry2 *entry_get(struct builder *b, uint32_t leaf,
					  uint32_t subleaf, bool *created)
{
	struct kvm_cpuid_entry2 *e = cpuid_find(b->c, leaf, subleaf);

	if (created)
		*created = !e;
	if (e)
		return e;
	if (b->c->nent >= b->cap) {
		err_set("cpuid: no room for leaf 0x%x.%u", leaf, subleaf);
		return NULL;
	}
	e = &b->c->entries[b->c->nent++];
	memset(e, 0, sizeof(*e));
	e->function = leaf;
	if (cpuid_leaf_is_indexed(leaf)) {
		e->index = subleaf;
		e->flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX;
	}
	/*
	 * 0x80000008 EAX holds the address widths, and KVM takes the guest's
	 * MAXPHYADDR from it whenever the entry exists: never leave it 0.
	 */
	if (leaf == 0x80000008)
		e->eax = ADDR_WIDTHS_DEFAULT;
	return e;
}

static void entry_remove(struct kvm_cpuid2 *c, unsigned int i)
{
	memmove(&c->entries[i], &c->entries[i + 1],
		(c->nent - i - 1) * sizeof(c->entries[0]));
	c->nent--;
}

static bool fs_has_named(const featureset_t *fs, const char *name)
{
	return featureset_has(fs, feature_lookup(name));
}

static int apply_features(struct builder *b, const featureset_t *fs)
{
	for (unsigned int i = 0; i < nfeatures; i++) {
		const struct feature *f = &features[i];
		bool want = featureset_has(fs, (int)i);
		struct kvm_cpuid_entry2 *e;

		e = want ? entry_get(b, f->leaf, f->subleaf, NULL)
			 : cpuid_find(b->c, f->leaf, f->subleaf);
		if (want && !e)
			return -1;
		if (!e)
			continue;
		if (want)
			*entry_reg(e, f->reg) |= 1u << f->bit;
		else
			*entry_reg(e, f->reg) &= ~(1u << f->bit);
		/* AMD repeats some leaf 1 EDX bits: hide those copies too. */
		if (!want && f->leaf == 1 && f->reg == CPUID_EDX &&
		    (AMD_EXT_EDX_ALIASES >> f->bit & 1)) {
			e = cpuid_find(b->c, 0x80000001, 0);
			if (e)
				e->edx &= ~(1u << f->bit);
		}
	}
	return 0;
}

/* XCR0 states implied by @fs: x87|SSE, plus each owner's group with xsave. */
static uint64_t guest_xcr0(const featureset_t *fs)
{
	uint64_t xcr0 = X86_XSTATE_X87 | X86_XSTATE_SSE;

	if (!fs_has_named(fs, "xsave"))
		return xcr0;
	for (unsigned int i = 0; i < sizeof(xstate_owners) / sizeof(xstate_owners[0]); i++)
		if (fs_has_named(fs, xstate_owners[i].feature))
			xcr0 |= xstate_owners[i].states;
	return xcr0;
}

/* Size and offset of component @comp: KVM's entry if any, else the table. */
static bool xstate_area_of(const struct kvm_cpuid2 *c, unsigned int comp,
			   uint32_t *size, uint32_t *offset, uint32_t *ecx)
{
	const struct kvm_cpuid_entry2 *e = cpuid_find_const(c, 0xd, comp);

	if (e && e->eax) {
		*size = e->eax;
		*offset = e->ebx;
		*ecx = e->ecx;
		return true;
	}
	for (unsigned int i = 0; i < NR_XSTATE_AREAS; i++)
		if (xstate_areas[i].comp == comp) {
			*size = xstate_areas[i].size;
			*offset = xstate_areas[i].offset;
			*ecx = xstate_areas[i].ecx;
			return true;
		}
	return false;
}

/* Standard-format XSAVE area size for @xcr0: the end of its last component. */
static uint32_t xsave_size_standard(const struct kvm_cpuid2 *c, uint64_t xcr0)
{
	uint32_t size = XSAVE_LEGACY_SIZE, sz, off, ecx;

	for (unsigned int comp = 2; comp < 64; comp++)
		if ((xcr0 >> comp & 1) && xstate_area_of(c, comp, &sz, &off, &ecx) &&
		    off + sz > size)
			size = off + sz;
	return size;
}

/* Compacted-format size: components packed in order, some 64-byte aligned. */
static uint32_t xsave_size_compacted(const struct kvm_cpuid2 *c, uint64_t xcr0)
{
	uint32_t size = XSAVE_LEGACY_SIZE, sz, off, ecx;

	for (unsigned int comp = 2; comp < 64; comp++) {
		if (!(xcr0 >> comp & 1) || !xstate_area_of(c, comp, &sz, &off, &ecx))
			continue;
		if (ecx & CPUID_D_ECX_ALIGN64)
			size = (size + 63) & ~63u;
		size += sz;
	}
	return size;
}

/* Drops leaf 0xD subleaves >= 2 whose component is not in @keep. */
static void leaf_d_prune(struct kvm_cpuid2 *c, uint64_t keep)
{
	for (unsigned int i = 0; i < c->nent;) {
		const struct kvm_cpuid_entry2 *e = &c->entries[i];

		if (e->function == 0xd && (e->flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX) &&
		    e->index >= 2 && (e->index >= 64 || !(keep >> e->index & 1)))
			entry_remove(c, i);
		else
			i++;
	}
}

static int leaf_d_add_areas(struct builder *b, uint64_t xcr0)
{
	for (unsigned int i = 0; i < NR_XSTATE_AREAS; i++) {
		const struct xstate_area *a = &xstate_areas[i];
		struct kvm_cpuid_entry2 *e;
		bool created;

		if (!(xcr0 >> a->comp & 1))
			continue;
		e = entry_get(b, 0xd, a->comp, &created);
		if (!e)
			return -1;
		if (created || !e->eax) {
			e->eax = a->size;
			e->ebx = a->offset;
			e->ecx = a->ecx;
		}
		/* keep the host's layout and ECX flags (alignment, XFD): a user state */
		e->ecx &= ~(uint32_t)CPUID_D_ECX_SUPERVISOR;
		e->edx = 0;
	}
	return 0;
}

/*
 * Leaf 0xD from the feature set. KVM allows XSETBV/KVM_SET_XCRS only for
 * the states in 0xD.0 EDX:EAX, which is what makes hiding AVX real.
 */
static int build_leaf_d(struct builder *b, const featureset_t *fs)
{
	bool xsave = fs_has_named(fs, "xsave");
	bool xsaves = xsave && fs_has_named(fs, "xsaves");
	bool compact = xsave && (xsaves || fs_has_named(fs, "xsavec"));
	uint64_t xcr0 = guest_xcr0(fs), xss = 0;
	struct kvm_cpuid_entry2 *e0, *e1;

	e0 = xsave ? entry_get(b, 0xd, 0, NULL) : cpuid_find(b->c, 0xd, 0);
	e1 = xsave ? entry_get(b, 0xd, 1, NULL) : cpuid_find(b->c, 0xd, 1);
	if (xsave && (!e0 || !e1))
		return -1;
	if (e1) {
		/* IA32_XSS states exist only with XSAVES */
		if (xsaves)
			xss = (uint64_t)e1->edx << 32 | e1->ecx;
		else
			e1->ecx = e1->edx = 0;
	}
	leaf_d_prune(b->c, xsave ? xcr0 | xss : 0);
	if (xsave && leaf_d_add_areas(b, xcr0))
		return -1;
	/* entry_get may have moved the entries: look them up again */
	e0 = cpuid_find(b->c, 0xd, 0);
	e1 = cpuid_find(b->c, 0xd, 1);
	if (e0) {
		e0->eax = (uint32_t)xcr0;
		e0->edx = (uint32_t)(xcr0 >> 32);
		e0->ebx = e0->ecx = xsave_size_standard(b->c, xcr0);
	}
	if (e1)
		e1->ebx = compact ? xsave_size_compacted(b->c, xcr0) : 0;
	return 0;
}

static bool vendor_is_amd_like(const char *vendor)
{
	return !strcmp(vendor, "AuthenticAMD") || !strcmp(vendor, "HygonGenuine");
}

/* Leaf 0 (and AMD's 0x80000000 copy): EBX, EDX, ECX spell the vendor. */
static int set_vendor(struct builder *b, const char *vendor)
{
	char v[12] = { 0 };
	struct kvm_cpuid_entry2 *e = entry_get(b, 0, 0, NULL);

	if (!e)
		return -1;
	memcpy(v, vendor, strnlen(vendor, sizeof(v)));
	memcpy(&e->ebx, v, 4);
	memcpy(&e->edx, v + 4, 4);
	memcpy(&e->ecx, v + 8, 4);
	e = cpuid_find(b->c, LEAF_EXT_FIRST, 0);
	if (!e)
		return 0;
	if (vendor_is_amd_like(vendor)) {
		memcpy(&e->ebx, v, 4);
		memcpy(&e->edx, v + 4, 4);
		memcpy(&e->ecx, v + 8, 4);
	} else {
		e->ebx = e->ecx = e->edx = 0;	/* reserved on Intel */
	}
	return 0;
}

/* 0x80000002..4: the 48-byte brand string, NUL padded. */
static int set_brand(struct builder *b, const char *model_id)
{
	char s[48] = { 0 };

	memcpy(s, model_id, strnlen(model_id, sizeof(s)));
	for (uint32_t k = 0; k < 3; k++) {
		struct kvm_cpuid_entry2 *e = entry_get(b, 0x80000002 + k, 0, NULL);

		if (!e)
			return -1;
		memcpy(&e->eax, s + 16 * k, 4);
		memcpy(&e->ebx, s + 16 * k + 4, 4);
		memcpy(&e->ecx, s + 16 * k + 8, 4);
		memcpy(&e->edx, s + 16 * k + 12, 4);
	}
	return 0;
}

static int set_identity(struct builder *b, const struct cpu_identity *id)
{
	struct kvm_cpuid_entry2 *e;

	if (id->vendor[0] && set_vendor(b, id->vendor))
		return -1;
	e = entry_get(b, 1, 0, NULL);
	if (!e)
		return -1;
	e->eax = cpuid_encode_fms(id->family, id->model, id->stepping);
	if (id->model_id[0] && set_brand(b, id->model_id))
		return -1;
	return 0;
}

/* Raises the max-leaf entry @first's EAX to @max (creating it), if @max. */
static int raise_max_leaf(struct builder *b, uint32_t first, uint32_t max)
{
	struct kvm_cpuid_entry2 *e;

	if (!max)
		return 0;
	e = entry_get(b, first, 0, NULL);
	if (!e)
		return -1;
	if (e->eax < max)
		e->eax = max;
	return 0;
}

/*
 * Leaf 0 EAX, 0x80000000 EAX, 0xC0000000 EAX and 7.0 EAX must cover every
 * entry present.
 */
static int fix_max_leaves(struct builder *b)
{
	uint32_t basic = 0, ext = 0, centaur = 0, sub7 = 0;
	struct kvm_cpuid_entry2 *e;

	for (unsigned int i = 0; i < b->c->nent; i++) {
		const struct kvm_cpuid_entry2 *x = &b->c->entries[i];

		if (x->function < LEAF_HV_FIRST && x->function > basic)
			basic = x->function;
		if (x->function >= LEAF_EXT_FIRST && x->function <= LEAF_EXT_LAST &&
		    x->function > ext)
			ext = x->function;
		if (x->function >= LEAF_CENTAUR_FIRST && x->function <= LEAF_CENTAUR_LAST &&
		    x->function > centaur)
			centaur = x->function;
		if (x->function == 7 && (x->flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX) &&
		    x->index > sub7)
			sub7 = x->index;
	}
	e = entry_get(b, 0, 0, NULL);
	if (!e)
		return -1;
	if (e->eax < basic)
		e->eax = basic;
	if (raise_max_leaf(b, LEAF_EXT_FIRST, ext) ||
	    raise_max_leaf(b, LEAF_CENTAUR_FIRST, centaur))
		return -1;
	e = cpuid_find(b->c, 7, 0);
	if (e && e->eax < sub7)
		e->eax = sub7;
	return 0;
}

static void clear_os_bits(struct kvm_cpuid2 *c)
{
	struct kvm_cpuid_entry2 *e;

	e = cpuid_find(c, 1, 0);
	if (e)
		e->ecx &= ~(uint32_t)CPUID_1_ECX_OSXSAVE;
	e = cpuid_find(c, 7, 0);
	if (e)
		e->ecx &= ~(uint32_t)CPUID_7_ECX_OSPKE;
}

struct kvm_cpuid2 *cpuid_build(const struct kvm_cpuid2 *supported,
			       const featureset_t *fs,
			       const struct cpu_identity *id)
{
	struct builder b;

	if (!supported || !fs) {
		err_set("cpuid_build: no supported CPUID or feature set");
		return NULL;
	}
	/* room for: every feature's entry, leaf 0xD subleaves, identity, max leaves */
	b.cap = supported->nent + nfeatures + 64 + 8;
	b.c = cpuid2_alloc(b.cap);
	if (!b.c) {
		err_set("out of memory");
		return NULL;
	}
	memcpy(b.c->entries, supported->entries,
	       supported->nent * sizeof(supported->entries[0]));
	b.c->nent = supported->nent;

	if (apply_features(&b, fs) || build_leaf_d(&b, fs) ||
	    (id && id->set && set_identity(&b, id)) || fix_max_leaves(&b)) {
		free(b.c);
		return NULL;
	}
	clear_os_bits(b.c);
	return b.c;
}
