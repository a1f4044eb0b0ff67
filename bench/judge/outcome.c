// SPDX-License-Identifier: GPL-2.0-only
#include "judge/outcome.h"

#include <stdio.h>

void outcome_observe(struct probe_result *r, const struct probe_obs *obs)
{
	r->vector = -1;
	r->error_code = 0;
	r->rip = 0;
	r->value = 0;
	snprintf(r->detail, sizeof(r->detail), "%s", obs->detail);
	switch (obs->status) {
	case OBS_FAULTED:
		r->outcome = OUTCOME_FAULT;
		r->vector = obs->vector;
		r->error_code = obs->error_code;
		r->rip = obs->rip;
		return;
	case OBS_COMPLETED:
		r->value = obs->value;
		r->outcome = obs->value == r->probe->expected ? OUTCOME_EXECUTED
							       : OUTCOME_ALTERED;
		return;
	case OBS_ERROR:
	default:
		r->outcome = OUTCOME_ERROR;
		return;
	}
}
