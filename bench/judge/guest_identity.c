// SPDX-License-Identifier: GPL-2.0-only
/* The guest's view of its identity (guest_identity.h). */
#include "judge/guest_identity.h"

#include <string.h>

void cpuid_decode_fms(uint32_t eax, uint32_t *family, uint32_t *model,
		      uint32_t *stepping)
{
	uint32_t base_family = eax >> 8 & 0xf;

	*stepping = eax & 0xf;
	*family = base_family;
	if (base_family == 0xf)
		*family += eax >> 20 & 0xff;
	*model = eax >> 4 & 0xf;
	if (base_family == 0x6 || base_family == 0xf)
		*model |= (eax >> 16 & 0xf) << 4;
}

/* The brand string: 48 bytes, NUL-padded; trailing blanks dropped. */
static void brand_string(const uint32_t brand[12], char out[49])
{
	size_t len;

	memcpy(out, brand, 48);
	out[48] = '\0';
	len = strlen(out);
	while (len && out[len - 1] == ' ')
		out[--len] = '\0';
}

void guest_identity_read(struct run_report *r, const struct mb_os *os,
			 const struct cpu_identity *model)
{
	__typeof__(r->guest_identity) *g = &r->guest_identity;

	memset(g, 0, sizeof(*g));
	if (!os->booted)
		return;
	g->read = true;
	memcpy(g->vendor, os->vendor, 12);
	g->vendor[12] = '\0';
	cpuid_decode_fms(os->cpuid1_eax, &g->family, &g->model, &g->stepping);
	brand_string(os->brand, g->model_id);
	if (!model || !model->set) {
		g->matches = true;
		return;
	}
	g->matches = !strcmp(g->vendor, model->vendor) && g->family == model->family &&
		     g->model == model->model && g->stepping == model->stepping &&
		     (!model->model_id[0] || !strcmp(g->model_id, model->model_id));
}
