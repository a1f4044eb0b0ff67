/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared by the libFuzzer drivers (tests/fuzz/fuzz_*.c): each defines
 * LLVMFuzzerTestOneInput() and, optionally, LLVMFuzzerInitialize(). Built
 * with clang -fsanitize=fuzzer by `make fuzz`; built with gcc and
 * tests/fuzz/replay.c by `make check`, which replays the seed corpus and
 * every regression input through the same entry point.
 *
 * A driver checks the parser's contract as well as its memory safety:
 * FUZZ_ASSERT aborts (a crash to libFuzzer, a failed test to make check).
 */
#ifndef CPUBENCH_FUZZ_H
#define CPUBENCH_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define FUZZ_ASSERT(cond)						\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", \
				__FILE__, __LINE__, #cond);		\
			abort();					\
		}							\
	} while (0)

/* @data as a malloc'ed NUL-terminated string (embedded NULs stay). */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Whether @s is one line of printable text (what the user will read). */
static inline int fuzz_one_line(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s == '\n' || *s == '\r')
			return 0;
	return 1;
}

/* Every failing parser leaves one non-empty line in err_msg(). */
#define FUZZ_ASSERT_ERROR()	FUZZ_ASSERT(fuzz_one_line(err_msg()))

#endif
