// SPDX-License-Identifier: GPL-2.0-only
#include "vmm/plan_parts.h"

#include <stdio.h>
#include <string.h>

unsigned int plan_split(unsigned int n, unsigned int jobs, struct plan_part *parts,
			unsigned int max)
{
	unsigned int k = jobs < n ? jobs : n;

	if (k > max)
		k = max;
	if (!k)
		k = 1;
	for (unsigned int p = 0; p < k; p++) {
		unsigned int first = (unsigned int)((unsigned long long)n * p / k);
		unsigned int end = (unsigned int)((unsigned long long)n * (p + 1) / k);

		parts[p] = (struct plan_part){ .first = first, .n = end - first };
	}
	return k;
}

void obs_set_corrupt(struct probe_obs *o)
{
	memset(o, 0, sizeof(*o));
	o->status = OBS_ERROR;
	snprintf(o->detail, sizeof(o->detail),
		 "mailbox corrupted: the guest overwrote the probe plan, so no record of this run can be trusted");
}

void obs_set_not_run(struct probe_obs *o, const char *why)
{
	memset(o, 0, sizeof(*o));
	o->status = OBS_ERROR;
	snprintf(o->detail, sizeof(o->detail), "not run: %s", why);
}

bool plan_merge(const struct plan_part *parts, unsigned int k, struct probe_obs *obs)
{
	const struct plan_part *dead = NULL;
	unsigned int n = k ? parts[k - 1].first + parts[k - 1].n : 0;

	for (unsigned int p = 0; p < k; p++) {
		if (parts[p].corrupt) {
			for (unsigned int i = 0; i < n; i++)
				obs_set_corrupt(&obs[i]);
			return false;
		}
		if (parts[p].died && (!dead || parts[p].died_at < dead->died_at))
			dead = &parts[p];
	}
	if (!dead)
		return true;
	/* its own part has this already; the others' later entries never ran */
	for (unsigned int i = dead->died_at + 1; i < n; i++)
		if (i >= dead->first + dead->n)
			obs_set_not_run(&obs[i], dead->fatal);
	return true;
}
