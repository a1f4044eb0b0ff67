// SPDX-License-Identifier: GPL-2.0-only
/*
 * Replays inputs through a fuzz driver without libFuzzer, for `make check`:
 *   test_fuzz_NAME              every file of tests/fuzz/corpus/NAME/ and
 *                               tests/fuzz/regress/NAME/ (run from the
 *                               repository root)
 *   test_fuzz_NAME FILE|DIR...  those inputs
 * A crash, a sanitizer report or a failed FUZZ_ASSERT fails the test; an
 * unreadable input or an empty default set is a failure too, so that a
 * mistyped path cannot pass silently.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

#ifndef FUZZ_NAME
#error "build with -DFUZZ_NAME='\"name\"'"
#endif

/* A driver without LLVMFuzzerInitialize gets this one. */
__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f) {
		fprintf(stderr, "replay: cannot open %s: %s\n", path, strerror(errno));
		return -1;
	}
	do {
		if (len == cap) {
			uint8_t *nb = realloc(buf, cap = cap ? cap * 2 : 4096);

			if (!nb)
				abort();
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replays @path (a file, or every regular file of a directory). */
static int replay_path(const char *path, unsigned int *count)
{
	struct stat st;
	struct dirent *de;
	char **names = NULL;
	unsigned int n = 0;
	DIR *d;
	int ret = 0;

	if (stat(path, &st)) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		ret = replay_file(path);
		*count += !ret;
		return ret;
	}
	d = opendir(path);
	if (!d) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		names = realloc(names, (n + 1) * sizeof(*names));
		if (!names || !(names[n] = malloc(strlen(path) + strlen(de->d_name) + 2)))
			abort();
		sprintf(names[n++], "%s/%s", path, de->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	for (unsigned int i = 0; i < n; i++) {
		if (!ret && replay_file(names[i]))
			ret = -1;
		else if (!ret)
			(*count)++;
		free(names[i]);
	}
	free(names);
	return ret;
}

int main(int argc, char **argv)
{
	static const char *const defaults[] = {
		"tests/fuzz/corpus/" FUZZ_NAME, "tests/fuzz/regress/" FUZZ_NAME,
	};
	unsigned int count = 0;
	int ret = 0;

	LLVMFuzzerInitialize(&argc, &argv);
	if (argc > 1) {
		for (int i = 1; i < argc && !ret; i++)
			ret = replay_path(argv[i], &count);
	} else {
		for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]) && !ret; i++) {
			struct stat st;

			/* regress/NAME exists only once a crash was found */
			if (i == 1 && stat(defaults[i], &st))
				continue;
			ret = replay_path(defaults[i], &count);
		}
	}
	if (!ret && !count) {
		fprintf(stderr, "replay: no inputs for fuzz driver %s\n", FUZZ_NAME);
		ret = -1;
	}
	/* what the driver printed to a redirected stdout is not ours */
	fprintf(stderr, "fuzz %s: %u inputs replayed%s\n", FUZZ_NAME, count,
		ret ? ", FAILED" : ", no crash");
	return ret ? 1 : 0;
}
