// SPDX-License-Identifier: GPL-2.0-only
#include "cpu/feature.h"
#include "report/compare.h"

#include <jansson.h>
#include <string.h>

#include "lib/err.h"

static const char *cell(const struct probe_result *r, char *buf, size_t len)
{
	if (r->verdict == VERDICT_LEAK)
		snprintf(buf, len, "leak (%s)", leak_name(r->leak));
	else if (r->outcome == OUTCOME_FAULT && exception_name(r->vector))
		snprintf(buf, len, "%s %s", verdict_name(r->verdict),
			 exception_name(r->vector));
	else
		snprintf(buf, len, "%s", verdict_name(r->verdict));
	return buf;
}

/* One line about how the backends differ on result @i; "" if they agree. */
static void difference(const struct run_report *const *reports, unsigned int n,
		       unsigned int i, char *buf, size_t len)
{
	buf[0] = '\0';
	for (unsigned int a = 0; a < n; a++) {
		for (unsigned int b = 0; b < n; b++) {
			const struct probe_result *ra = &reports[a]->results[i];
			const struct probe_result *rb = &reports[b]->results[i];

			if (ra->verdict == VERDICT_LEAK && rb->verdict == VERDICT_HIDDEN) {
				snprintf(buf, len, "%s leaks what %s enforces",
					 backend_kind_name(reports[a]->backend),
					 backend_kind_name(reports[b]->backend));
				return;
			}
		}
	}
	for (unsigned int a = 1; a < n; a++)
		if (reports[a]->results[i].verdict != reports[0]->results[i].verdict) {
			snprintf(buf, len, "backends disagree");
			return;
		}
}

static int write_table(FILE *out, const struct run_report *const *reports,
		       unsigned int n)
{
	const struct run_report *r0 = reports[0];
	char buf[64], diff[128];

	fprintf(out, "mask      %s\n", r0->mask ? r0->mask : "-");
	for (unsigned int b = 0; b < n; b++) {
		fprintf(out, "backend   %-9s %u ok, %u missing, %u hidden, %u leak (%u unexpected), %u untestable, %u error — %s\n",
			backend_kind_name(reports[b]->backend),
			reports[b]->summary[VERDICT_OK], reports[b]->summary[VERDICT_MISSING],
			reports[b]->summary[VERDICT_HIDDEN], reports[b]->summary[VERDICT_LEAK],
			reports[b]->leaks[LEAK_UNEXPECTED], reports[b]->summary[VERDICT_UNTESTABLE],
			reports[b]->summary[VERDICT_ERROR], reports[b]->passed ? "PASS" : "FAIL");
		for (unsigned int g = 0; g < reports[b]->ngaps; g++)
			fprintf(out, "          %-9s cannot provide %s: %s\n",
				backend_kind_name(reports[b]->backend),
				features[reports[b]->gaps[g].feature].name, reports[b]->gaps[g].why);
	}
	fprintf(out, "\n%-12s %-4s", "probe", "adv");
	for (unsigned int b = 0; b < n; b++)
		fprintf(out, " %-18s", backend_kind_name(reports[b]->backend));
	fprintf(out, " difference\n");
	for (unsigned int i = 0; i < r0->nresults; i++) {
		const struct probe_result *r = &r0->results[i];

		fprintf(out, "%-12s %-4s", r->probe->name, r->advertised ? "yes" : "no");
		for (unsigned int b = 0; b < n; b++)
			fprintf(out, " %-18s", cell(&reports[b]->results[i], buf, sizeof(buf)));
		difference(reports, n, i, diff, sizeof(diff));
		fprintf(out, " %s\n", diff);
	}
	return ferror(out) ? err_set("cannot write the report") : 0;
}

static int write_json(FILE *out, const struct run_report *const *reports,
		      unsigned int n)
{
	json_t *root = json_object(), *list = json_array(), *diffs = json_array();
	int ret = 0;

	if (!root || !list || !diffs)
		ret = err_set("out of memory");
	for (unsigned int b = 0; !ret && b < n; b++)
		if (json_array_append_new(list, report_json_object(reports[b])))
			ret = err_set("out of memory");
	for (unsigned int i = 0; !ret && i < reports[0]->nresults; i++) {
		char diff[128];

		difference(reports, n, i, diff, sizeof(diff));
		if (diff[0] && json_array_append_new(diffs, json_pack("{s:s,s:s}",
				"probe", reports[0]->results[i].probe->name,
				"difference", diff)))
			ret = err_set("out of memory");
	}
	if (!ret) {
		json_object_set(root, "backends", list);
		json_object_set(root, "differences", diffs);
		if (json_dumpf(root, out, JSON_INDENT(2) | JSON_REAL_PRECISION(JSON_REALS)) || fputc('\n', out) == EOF)
			ret = err_set("cannot write the report");
	}
	json_decref(list);
	json_decref(diffs);
	json_decref(root);
	return ret;
}

int report_compare_write(FILE *out, const struct run_report *const *reports,
			 unsigned int n, enum report_format format)
{
	if (format == REPORT_TABLE)
		return write_table(out, reports, n);
	if (format == REPORT_JSON)
		return write_json(out, reports, n);
	return err_set("--compare-backends writes table or json only");
}
