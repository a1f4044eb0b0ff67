/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * QEMU's x86 CPU models, read from QEMU's C source as data.
 *
 * qsrc_load() reads target/i386/cpu.h and target/i386/cpu.c of a QEMU
 * source tree without a compiler: a tokenizer, a small preprocessor (only
 * #define, #undef and conditionals; no #include) and a reader for C
 * initializers. It understands the tables QEMU keeps its models in:
 *
 *   feature_word_info[]	feature names per CPUID register or MSR
 *   builtin_x86_defs[]		models: identity, features, versions
 *   feature_dependencies[]	features that need others (optional)
 *   default_cpu_version	what an unversioned name resolves to
 *
 * and the property names cpu.c registers (DEFINE_PROP_*,
 * object_property_add*, object_property_add_alias), to check the
 * properties that model versions set.
 *
 * Contract: anything it reads and cannot interpret is an error naming the
 * file and line ("cpu.c:2510: ..."), never skipped. What it deliberately
 * does not read: .cache_info contents (only the name of the object a model
 * or version points to is kept), .tcg_features and the other
 * accelerator-support fields of feature_word_info[], and anything outside
 * the tables above. Conditionals are decided for qemu-system-x86_64 (see
 * qsrc_pp.c); an #if it cannot decide is an error only where it guards
 * something the tables use.
 *
 * Two macros come from headers outside target/i386 (QEMU_HW_VERSION,
 * KVM_CPUID_FEATURES): they are read from DIR/include/... when present,
 * else taken from a built-in table; q->assumed lists the ones taken so.
 *
 * Errors: functions returning int return 0, or -1 with err_set() (class
 * EXIT_USAGE: the input could not be read or interpreted).
 */
#ifndef CPUBENCH_QEMU_SOURCE_H
#define CPUBENCH_QEMU_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define QSRC_MAX_WORDS		64	/* FeatureWord values accepted */
#define QSRC_WORD_BITS		64	/* bits (feat_names[] slots) per word */
#define QSRC_VENDOR_LEN		12	/* "GenuineIntel" */
#define QSRC_MODEL_ID_MAX	48	/* QEMU asserts model_id fits CPUID */
#define QSRC_MAX_ASSUMED	8

/* version numbers with a special meaning (QEMU's CPU_VERSION_*) */
#define QSRC_VERSION_BASE	0	/* the definition without any version props */
#define QSRC_VERSION_LATEST	(-1)	/* the last version listed */

enum qsrc_reg {
	QSRC_REG_NONE,
	QSRC_REG_EAX,
	QSRC_REG_EBX,
	QSRC_REG_ECX,
	QSRC_REG_EDX,
};

/* One FeatureWord: feature_word_info[word]. */
struct qsrc_word {
	bool present;		/* feature_word_info[] has an entry */
	bool is_msr;		/* .type = MSR_FEATURE_WORD */
	const char *enum_name;	/* the designator: "FEAT_7_0_EBX"; "word N" */
	uint32_t leaf;		/* CPUID words: .cpuid.eax */
	bool needs_subleaf;	/* .cpuid.needs_ecx */
	uint32_t subleaf;	/* .cpuid.ecx */
	enum qsrc_reg reg;	/* .cpuid.reg */
	uint32_t msr;		/* MSR words: .msr.index */
	const char *names[QSRC_WORD_BITS];	/* NULL slots kept */
	unsigned int line;
};

enum qsrc_prop_kind {
	QSRC_PROP_FEATURE,	/* a feature bit property: on/off */
	QSRC_PROP_IDENTITY,	/* vendor, family, model, stepping, model-id */
	QSRC_PROP_OTHER,	/* any other property cpu.c registers */
};

enum qsrc_ident {
	QSRC_ID_NONE,
	QSRC_ID_VENDOR,
	QSRC_ID_FAMILY,
	QSRC_ID_MODEL,
	QSRC_ID_STEPPING,
	QSRC_ID_MODEL_ID,
	QSRC_ID_MIN_LEVEL,	/* "min-level": overrides .level (OTHER) */
	QSRC_ID_MIN_XLEVEL,	/* "min-xlevel": overrides .xlevel (OTHER) */
	QSRC_ID_AVX10_VERSION,	/* "avx10-version" (OTHER) */
};

/* One { "prop", "value" } of a version's .props, as written and parsed. */
struct qsrc_prop {
	const char *name;
	const char *value;
	enum qsrc_prop_kind kind;
	const char *feature;	/* FEATURE: the canonical name (aliases resolved) */
	unsigned int word;	/* FEATURE: the word and the bits it names */
	uint64_t mask;
	bool on;		/* FEATURE: the value */
	enum qsrc_ident ident;	/* IDENTITY, and OTHER ones applied to a field */
	long long num;		/* numeric value of family, model, ... */
	unsigned int line;
};

/* One X86CPUVersionDefinition. */
struct qsrc_version {
	int version;
	const char *alias;	/* NULL: none */
	const char *note;	/* NULL: none */
	const char *cache_info;	/* .cache_info = &NAME: NAME; NULL: none */
	struct qsrc_prop *props;
	size_t nprops;
	unsigned int line;	/* 0 for the implicit version 1 */
};

/* One X86CPUDefinition of builtin_x86_defs[]. */
struct qsrc_model {
	const char *name;
	uint32_t level, xlevel;
	char vendor[QSRC_VENDOR_LEN + 1];
	int family, model, stepping;
	unsigned int avx10_version;
	uint64_t features[QSRC_MAX_WORDS];
	const char *model_id;
	const char *cache_info;
	const char *deprecation_note;
	bool explicit_versions;	/* false: no .versions, QEMU's { 1 } */
	struct qsrc_version *versions;	/* in array order, never empty */
	size_t nversions;
	unsigned int line;
};

/* One feature_dependencies[] entry: "to" needs "from". */
struct qsrc_dep {
	unsigned int from_word, to_word;
	uint64_t from_mask, to_mask;
	unsigned int line;
};

struct qsrc_arena;

struct qsrc {
	const char *source;	/* the directory, or the first input's name */
	const char *commit;	/* the source's git commit; "" if unknown */
	const char *qemu_version; /* DIR/VERSION; "" if absent */
	unsigned int nwords;	/* FEATURE_WORDS */
	struct qsrc_word words[QSRC_MAX_WORDS];
	struct qsrc_model *models;	/* in builtin_x86_defs[] order */
	size_t nmodels;
	struct qsrc_dep *deps;
	size_t ndeps;
	int default_version;	/* default_cpu_version: N, BASE or LATEST */
	unsigned int hyp_word;	/* CPUID_EXT_HYPERVISOR, set by QEMU's */
	uint64_t hyp_mask;	/* x86_cpu_load_model() for every model */
	const char *assumed[QSRC_MAX_ASSUMED];	/* "NAME=value (header)" */
	size_t nassumed;
	struct qsrc_arena *arena;	/* owns everything above */
};

/* One input file for qsrc_parse(). */
struct qsrc_input {
	const char *name;	/* for messages: "target/i386/cpu.c" */
	const char *text;	/* need not be NUL-terminated */
	size_t len;
};

/*
 * Reads DIR/target/i386/cpu.h and cpu.c (and, when present,
 * DIR/include/qemu/hw-version.h and
 * DIR/include/standard-headers/asm-x86/kvm_para.h for the two external
 * macros). The commit comes from DIR/.git, else from a SOURCE.md that
 * names cpu.c's commit (tests' vendored copy), else stays "". On error
 * *out is left empty (qsrc_free() is still safe).
 */
int qsrc_load(const char *dir, struct qsrc *out);

/*
 * As qsrc_load(), from memory: @in are processed in order as if each
 * #included the one before (cpu.h first, then cpu.c). The tables may be in
 * any of them. ->source is the last input's name, ->commit "".
 */
int qsrc_parse(const struct qsrc_input *in, size_t n, struct qsrc *out);

/* qsrc_parse() of one text that holds everything (cpu.h's part first). */
int qsrc_parse_text(const char *name, const char *text, size_t len, struct qsrc *out);

/* Frees what qsrc_load()/qsrc_parse() allocated; *q becomes empty. */
void qsrc_free(struct qsrc *q);

/* A model name as QEMU's -cpu takes it, resolved. */
enum qsrc_name_kind {
	QSRC_NAME_VERSIONED,	/* "Haswell-v4" */
	QSRC_NAME_ALIAS,	/* "Haswell-noTSX-IBRS": a version's .alias */
	QSRC_NAME_UNVERSIONED,	/* "Haswell": default_cpu_version */
};

struct qsrc_ref {
	const struct qsrc_model *model;
	int version;		/* resolved: >= 1, or QSRC_VERSION_BASE */
	enum qsrc_name_kind kind;
};

/* Finds @name among the models, versions and aliases. */
int qsrc_find(const struct qsrc *q, const char *name, struct qsrc_ref *ref);

/* The version an unversioned @m resolves to (default_cpu_version). */
int qsrc_default_version(const struct qsrc *q, const struct qsrc_model *m);

/* qsrc_resolve() flags */
#define QSRC_EXPAND	0x1u	/* as QEMU loads and expands the model:
					 * hypervisor set, feature_dependencies[]
					 * applied (accelerator-independent part
					 * of x86_cpu_load_model() and
					 * x86_cpu_expand_features()) */

#define QSRC_MAX_OTHER	16

/* A model version as QEMU builds it. */
struct qsrc_cpu {
	const struct qsrc_model *def;
	int version;
	char name[96];			/* "Haswell-v4" ("Haswell" for BASE) */
	char vendor[QSRC_VENDOR_LEN + 1];
	int family, model, stepping;
	uint32_t level, xlevel;		/* minimum levels */
	unsigned int avx10_version;
	char model_id[QSRC_MODEL_ID_MAX + 1];
	const char *cache_info;		/* last one set up to this version */
	uint64_t features[QSRC_MAX_WORDS];
	/* OTHER props in effect (the last value of each), in first-set order */
	const struct qsrc_prop *other[QSRC_MAX_OTHER];
	size_t nother;
};

/*
 * Builds version @version of @m: the definition, then the props of each
 * version entry in array order up to and including @version's
 * (x86_cpu_apply_version_props()), QSRC_VERSION_BASE for none.
 * QSRC_VERSION_LATEST is resolved. Fails only for a version @m lacks.
 */
int qsrc_resolve(const struct qsrc *q, const struct qsrc_model *m, int version,
		 unsigned int flags, struct qsrc_cpu *out);

/*
 * The QEMU names of @c's features, word by word (feature_word_info[]
 * order), bit by bit; a name two bits share is given once. Fills up to
 * @max entries of @names (which may be NULL when @max is 0) and returns
 * how many there are. Bits without a name are not listed: see
 * qsrc_unnamed_bits().
 */
size_t qsrc_cpu_features(const struct qsrc *q, const struct qsrc_cpu *c,
			 const char **names, size_t max);

/* The bits of word @w that @c sets and feature_word_info[] leaves unnamed. */
uint64_t qsrc_unnamed_bits(const struct qsrc *q, const struct qsrc_cpu *c,
			   unsigned int w);

/* Whether @c has the feature QEMU calls @name. */
bool qsrc_cpu_has(const struct qsrc *q, const struct qsrc_cpu *c, const char *name);

/* The word and bits of feature @name; -1 (without err_set) if none. */
int qsrc_feature(const struct qsrc *q, const char *name, unsigned int *word,
		 uint64_t *mask);

/*
 * One line saying where @c came from: "QEMU 9.2.50 source, commit
 * 0048035a..., target/i386/cpu.c builtin_x86_defs Haswell v4" (the path
 * when the commit is unknown). Returns snprintf()'s value.
 */
int qsrc_provenance(const struct qsrc *q, const struct qsrc_cpu *c,
		    char *buf, size_t size);

#endif
