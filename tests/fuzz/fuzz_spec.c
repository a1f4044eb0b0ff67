// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzzes mask specs, "NAME[,+f|,-f|,f|,f=on|off]..." as --mask takes them
 * (bench/catalog/mask.c: mask_resolve), against the built-in catalog and "host".
 */
#include "catalog/mask.h"
#include "cpu/feature.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	featureset_t host = { { 0 } };
	struct mask m;
	char *spec = fuzz_text(data, size);

	/* a host with the first half of the database */
	for (unsigned int i = 0; i < nfeatures / 2; i++)
		featureset_add(&host, (int)i);
	if (mask_resolve_sources(spec, mask_builtin, mask_nbuiltin, &host, &m)) {
		FUZZ_ASSERT_ERROR();
	} else {
		featureset_t x;

		FUZZ_ASSERT(!strcmp(m.spec, spec));
		FUZZ_ASSERT(!strncmp(spec, m.name, strlen(m.name)));
		FUZZ_ASSERT(m.is_host == !strcmp(m.name, MASK_HOST));
		featureset_intersect(&x, &m.added, &m.inherited);
		FUZZ_ASSERT(featureset_empty(&x));
	}
	free(spec);
	return 0;
}
