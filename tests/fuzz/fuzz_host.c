// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzzes host inputs (bench/host/host_load.c, host/cpuinfo.c, host/fingerprint.c): the
 * format detection of host_fp_parse() over /proc/cpuinfo, a bare flags
 * line, lscpu output and fingerprint JSON, and each parser directly (so
 * that the fuzzer reaches them past the text check, too).
 */
#include <ctype.h>

#include "fuzz.h"
#include "host/host_fp.h"

/* Every string a report or an error message will print is one clean line. */
static void check_fp(const struct host_fp *h)
{
	FUZZ_ASSERT(memchr(h->vendor, '\0', sizeof(h->vendor)));
	FUZZ_ASSERT(memchr(h->model_name, '\0', sizeof(h->model_name)));
	FUZZ_ASSERT(memchr(h->name, '\0', sizeof(h->name)));
	FUZZ_ASSERT(memchr(h->vendor_from, '\0', sizeof(h->vendor_from)));
	for (const char *s = h->vendor_from; *s; s++)
		FUZZ_ASSERT(isprint((unsigned char)*s));
	for (const char *s = h->model_name; *s; s++)
		FUZZ_ASSERT(isprint((unsigned char)*s));
	for (const char *s = h->vendor; *s; s++)
		FUZZ_ASSERT(isprint((unsigned char)*s));
	for (const char *s = h->name; *s; s++)
		FUZZ_ASSERT(isprint((unsigned char)*s));
}

static void run(int ret, const struct host_fp *h)
{
	if (ret)
		FUZZ_ASSERT_ERROR();
	else
		check_fp(h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct host_fp h;
	char *text = fuzz_text(data, size);

	run(host_fp_parse("fuzz.cpuinfo", text, size, &h), &h);
	run(fingerprint_parse("fuzz.json", text, size, &h), &h);
	memset(&h, 0, sizeof(h));
	run(cpuinfo_parse("fuzz.cpuinfo", text, &h), &h);
	memset(&h, 0, sizeof(h));
	run(lscpu_parse("fuzz.lscpu", text, &h), &h);
	free(text);
	return 0;
}
