/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The host's view of the probe table (guestcode/probes.def).
 */
#ifndef CPUBENCH_PROBE_H
#define CPUBENCH_PROBE_H

#include <stdbool.h>
#include <stdint.h>

/* PROBE_ID_<sym>: a probe's index in probes.def, as sent to the guest. */
enum probe_id {
#define PROBE(sym_, name_, feature_, ring_, expected_) PROBE_ID_##sym_,
#include "guestcode/probes.def"
#undef PROBE
	PROBE_ID_NR
};

struct probe_desc {
	uint16_t id;		/* index in probes.def, as sent to the guest */
	const char *sym;	/* guest symbol is probe_<sym> */
	const char *name;	/* user-facing name */
	const char *feature;	/* canonical feature name; "" for self-tests */
	uint8_t ring;		/* 3: any ring, default CPL3; 0: CPL0 only */
	uint64_t expected;	/* value of an architecturally correct run */
};

extern const struct probe_desc probes[];
extern const unsigned int nprobes;

/* Looks a probe up by its name; NULL if unknown. */
const struct probe_desc *probe_find(const char *name);
/* Self-test probes test cpubench itself and are not part of `verify`. */
bool probe_is_selftest(const struct probe_desc *p);

/*
 * Features of QEMU's models whose instructions cannot fault by design, so
 * no probe can tell hidden from present by executing them; `probes`
 * lists them with the reason.
 */
struct unprobed_feature {
	const char *feature;	/* canonical name */
	const char *reason;
};

extern const struct unprobed_feature unprobed_features[];
extern const unsigned int nunprobed_features;

#endif
