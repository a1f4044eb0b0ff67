// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzzes the libvirt cpu_map reader (bench/import/libvirt.c): the input is
 * x86_features.xml, x86_vendors.xml and one model file x86_M.xml,
 * separated by lines "---"; they are written to a private directory (the
 * reader takes a directory) and read with libvirt_read_models(). A model
 * it returns has a name and parent that can name mask files (names.h).
 */
#include <stdbool.h>
#include <unistd.h>

#include "catalog/mask_file.h"
#include "fuzz.h"
#include "import/libvirt.h"

static const char *const files[] = {
	"x86_features.xml", "x86_vendors.xml", "x86_M.xml",
};
static char dir[256];

static void cleanup(void)
{
	char path[512];

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = access("/dev/shm", W_OK) ? getenv("TMPDIR") : "/dev/shm";

	(void)argc;
	(void)argv;
	snprintf(dir, sizeof(dir), "%s/cpubench-fuzz-libvirt-XXXXXX", tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		perror("fuzz_libvirt: mkdtemp");
		exit(1);
	}
	atexit(cleanup);
	return 0;
}

static void write_file(const char *name, const char *text, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(text, 1, len, f) != len || fclose(f)) {
		perror(path);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct libvirt_model *models;
	char *text = fuzz_text(data, size), *s = text;
	int n;

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char *sep = s ? strstr(s, "\n---\n") : NULL;
		size_t len = s ? (sep ? (size_t)(sep - s) : strlen(s)) : 0;

		write_file(files[i], s ? s : "", len);
		s = sep ? sep + 5 : NULL;
	}
	n = libvirt_read_models(dir, &models);
	if (n < 0) {
		FUZZ_ASSERT_ERROR();
	} else {
		FUZZ_ASSERT(n <= 1);
		for (int i = 0; i < n; i++) {
			char name[2 * MASK_NAME_MAX];

			/* what becomes a file name: checked, whatever the XML said */
			snprintf(name, sizeof(name), LIBVIRT_PREFIX "%s", models[i].name);
			FUZZ_ASSERT(mask_name_valid(name));
			snprintf(name, sizeof(name), LIBVIRT_PREFIX "%s", models[i].parent);
			FUZZ_ASSERT(!models[i].parent[0] || mask_name_valid(name));
			FUZZ_ASSERT(memchr(models[i].vendor, '\0', sizeof(models[i].vendor)));
			FUZZ_ASSERT(memchr(models[i].signatures, '\0', sizeof(models[i].signatures)));
		}
		free(models);
	}
	free(text);
	return 0;
}
