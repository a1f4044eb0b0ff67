/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * x86-64 microarchitecture levels (x86-64 psABI 1.0, section 3.1.1), as
 * glibc's dynamic loader checks them for glibc-hwcaps (ld.so --help):
 *   v1: cmov cx8 fpu fxsr mmx syscall sse sse2 (and lm)
 *   v2: v1 + cx16 lahf_lm popcnt pni(SSE3) sse4.1 sse4.2 ssse3
 *   v3: v2 + avx avx2 bmi1 bmi2 f16c fma abm(LZCNT) movbe xsave(OSXSAVE)
 *   v4: v3 + avx512f avx512bw avx512cd avx512dq avx512vl
 * The feature set given must already say what is usable: a CPU whose OS
 * leaves YMM or ZMM state out of XCR0 cannot use AVX or AVX-512, and
 * glibc does not count them (host_cpu.c applies that rule to raw CPUID).
 */
#ifndef CPUBENCH_X86_LEVEL_H
#define CPUBENCH_X86_LEVEL_H

#include "cpu/featureset.h"

#define X86_LEVEL_MAX	4

/* The highest level 1..4 whose features are all in @fs; 0 if not even v1. */
int x86_level_of(const featureset_t *fs);

/* "x86-64-v1" .. "x86-64-v4"; "none" for 0. */
const char *x86_level_name(int level);

/* Every feature level @level requires (cumulative); empty for 0. */
void x86_level_features(int level, featureset_t *out);

#endif
