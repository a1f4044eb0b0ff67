// SPDX-License-Identifier: GPL-2.0-only
/* Helpers shared by the host and cluster commands. */
#include "cli/common.h"

#include <string.h>

#include "cli/output.h"
#include "cli/run_opts.h"
#include "cpu/feature.h"
#include "lib/err.h"
#include "report/report.h"

int hcmd_fail(void)
{
	fprintf(stderr, "cpubench: %s\n", err_msg());
	return err_class();
}

int hcmd_usage(const char *cmd, const char *fmt, const char *arg)
{
	char prefixed[256];

	/* @cmd is a command's name, never user input: no '%' in it */
	snprintf(prefixed, sizeof(prefixed), "%s: %s", cmd, fmt);
	return cmd_usage_error(cmd, prefixed, arg);
}

json_t *hcmd_features_json(const featureset_t *fs, unsigned int max)
{
	json_t *a = json_array();
	unsigned int n = 0;

	for (int i = featureset_next(fs, -1); a && i >= 0 && (!max || n < max);
	     i = featureset_next(fs, i), n++)
		if (json_array_append_new(a, json_string(features[i].name))) {
			json_decref(a);
			return NULL;
		}
	return a;
}

void hcmd_features_print(FILE *out, const featureset_t *fs, unsigned int max)
{
	unsigned int n = 0, total = featureset_count(fs);

	for (int i = featureset_next(fs, -1); i >= 0 && (!max || n < max);
	     i = featureset_next(fs, i), n++)
		fprintf(out, "%s%s", n ? " " : "", features[i].name);
	if (n < total)
		fprintf(out, " (+%u more)", total - n);
}

int hcmd_format(const char *s, int *json)
{
	if (!strcmp(s, "table"))
		*json = 0;
	else if (!strcmp(s, "json"))
		*json = 1;
	else
		return -1;
	cli_output_format(*json ? REPORT_JSON : REPORT_TABLE);
	return 0;
}
