// SPDX-License-Identifier: GPL-2.0-only
/* The `cpubench migrate` report: table or JSON (jansson). */
#include "report/migrate.h"

#include <jansson.h>
#include <string.h>

#include "cpu/feature.h"
#include "guestcode/migrate.h"
#include "lib/err.h"
#include "lib/out.h"
#include "lib/textesc.h"
#include "report/report.h"

static const struct {
	const char *name, *feature;
} impl_info[MIG_IMPL_NR] = {
#define MIG_IMPL(sym, family, name, feature) [MIG_IMPL_##sym] = { name, feature },
#include "guestcode/migrate.def"
#undef MIG_IMPL
};

static const char *impl_name(unsigned int impl)
{
	return impl < MIG_IMPL_NR ? impl_info[impl].name : "?";
}

static const char *impl_feature(unsigned int impl)
{
	return impl < MIG_IMPL_NR ? impl_info[impl].feature : "";
}

static bool has(const featureset_t *fs, const char *name)
{
	int f = feature_lookup(name);

	return f >= 0 && featureset_has(fs, f);
}

/* "avx2 advertised at boot by A, absent from B" and the like. */
static void fault_why(const struct migrate_report *r, const char *feat,
		      char *buf, size_t len)
{
	if (!*feat) {
		snprintf(buf, len, "a baseline implementation: no feature explains it");
		return;
	}
	snprintf(buf, len, "%s %s at boot by %s, %s %s", feat,
		 has(&r->told_a, feat) ? "advertised" : "not advertised", r->from,
		 has(&r->told_b, feat) ? "still advertised by" : "absent from", r->to);
}

/* LABEL, NAME: (if any), then TEXT (QEMU's words: escaped), a newline. */
static void put_line(FILE *out, const char *label, const char *name, const char *text)
{
	fprintf(out, "%s%s%s", label, name ? name : "", name ? ": " : "");
	text_put(out, text);
	fputc('\n', out);
}

static void write_table(FILE *out, const struct migrate_report *r)
{
	unsigned int post = migrate_post_faults(r);

	fprintf(out, "migrate   %s -> %s on %s\n", r->from, r->to, backend_kind_name(r->backend));
	fprintf(out, "how       %s\n", r->how);
	for (unsigned int i = 0; i < r->ngaps_a; i++)
		put_line(out, "A lacks   ", features[r->gaps_a[i].feature].name,
			 r->gaps_a[i].why);
	for (unsigned int i = 0; i < r->ngaps_b; i++)
		put_line(out, "B lacks   ", features[r->gaps_b[i].feature].name,
			 r->gaps_b[i].why);
	if (r->note[0])
		put_line(out, "note      ", NULL, r->note);
	fprintf(out, "\nchosen at boot under %s (from CPUID, once, like glibc's ifuncs):\n", r->from);
	for (unsigned int i = 0; i < r->at_point.nchoices && i < MB_MIG_FAMILIES; i++) {
		const struct mb_mig_choice *c = &r->at_point.choices[i];
		const char *feat = impl_feature(c->impl);

		fprintf(out, "  %-18s %-8s result 0x%llx\n", impl_name(c->impl),
			*feat ? feat : "baseline", (unsigned long long)c->value_before);
	}
	fputc('\n', out);
	if (r->refused) {
		put_line(out, "restore   REFUSED: ", NULL, r->refused_by);
	} else {
		fprintf(out, "restore   accepted\n");
		fprintf(out, "after the migration point, on %s:\n", r->to);
		for (unsigned int i = 0; i < r->final.nchoices && i < MB_MIG_FAMILIES; i++) {
			const struct mb_mig_choice *c = &r->final.choices[i];
			const struct mb_mig_fault *f = NULL;
			unsigned int fk = 0;

			for (unsigned int k = 0; k < r->final.nfaults && k < MB_MIG_FAULTS; k++)
				if (r->final.faults[k].phase == 1 && r->final.faults[k].impl == c->impl) {
					f = &r->final.faults[k];
					fk = k;
				}
			if (f) {
				const char *exc = exception_name(f->vector);
				char why[200];

				fault_why(r, impl_feature(c->impl), why, sizeof(why));
				fprintf(out, "  %-18s %s at 0x%llx %s: %s\n", impl_name(c->impl),
					exc ? exc : "exception", (unsigned long long)f->rip,
					r->fault_where[fk], r->fault_insn[fk]);
				fprintf(out, "  %-18s %s\n", "", why);
			} else if (!r->resumed) {
				fprintf(out, "  %-18s not run\n", impl_name(c->impl));
			} else {
				fprintf(out, "  %-18s ran, result %s\n", impl_name(c->impl),
					c->value_after == c->value_before ? "unchanged" : "DIFFERS");
			}
		}
	}
	fputc('\n', out);
	if (post)
		fprintf(out, "result    CRASH reproduced: %u post-migration fault%s\n",
			post, post == 1 ? "" : "s");
	else if (r->refused)
		fprintf(out, "result    migration refused: the guest cannot move from %s to %s\n",
			r->from, r->to);
	else
		fprintf(out, "result    no post-migration fault\n");
}

static json_t *json_str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static int write_json(FILE *out, const struct migrate_report *r)
{
	json_t *root = json_object(), *choices = json_array(), *faults = json_array();

	for (unsigned int i = 0; i < r->at_point.nchoices && i < MB_MIG_FAMILIES; i++) {
		const struct mb_mig_choice *c = &r->at_point.choices[i];
		const struct mb_mig_choice *after = i < r->final.nchoices ? &r->final.choices[i] : NULL;

		json_array_append_new(choices, json_pack("{s:s,s:o,s:I,s:o}",
			"implementation", impl_name(c->impl),
			"feature", json_str_or_null(impl_feature(c->impl)),
			"value_before", (json_int_t)c->value_before,
			"same_after", r->resumed && after ?
				json_boolean(after->value_after == c->value_before) : json_null()));
	}
	for (unsigned int k = 0; k < r->final.nfaults && k < MB_MIG_FAULTS; k++) {
		const struct mb_mig_fault *f = &r->final.faults[k];
		const char *feat = impl_feature(f->impl);
		char rip[24];

		if (f->phase != 1)
			continue;
		snprintf(rip, sizeof(rip), "0x%llx", (unsigned long long)f->rip);
		json_array_append_new(faults, json_pack("{s:s,s:o,s:o,s:i,s:s,s:o,s:o,s:b,s:b}",
			"implementation", impl_name(f->impl),
			"feature", json_str_or_null(feat),
			"exception", json_str_or_null(exception_name(f->vector)),
			"vector", f->vector,
			"rip", rip,
			"instruction", json_str_or_null(r->fault_insn[k]),
			"where", json_str_or_null(r->fault_where[k]),
			"advertised_by_from", *feat && has(&r->told_a, feat),
			"advertised_by_to", *feat && has(&r->told_b, feat)));
	}
	json_object_set_new(root, "cpubench_version", json_string(CPUBENCH_VERSION));
	json_object_set_new(root, "from", json_string(r->from));
	json_object_set_new(root, "to", json_string(r->to));
	json_object_set_new(root, "backend", json_string(backend_kind_name(r->backend)));
	json_object_set_new(root, "how", json_string(r->how));
	json_object_set_new(root, "reached_migration_point", json_boolean(r->booted));
	json_object_set_new(root, "restore_refused", json_boolean(r->refused));
	json_object_set_new(root, "refused_by", r->refused && r->refused_by[0] ?
			    report_json_string(r->refused_by) : json_null());
	json_object_set_new(root, "note", r->note[0] ? report_json_string(r->note) : json_null());
	json_object_set_new(root, "resumed", json_boolean(r->resumed));
	json_object_set_new(root, "chosen", choices);
	json_object_set_new(root, "post_migration_faults", faults);
	json_object_set_new(root, "crash_reproduced", json_boolean(migrate_post_faults(r) > 0));
	return out_json(out, root);
}

int migrate_report_write(FILE *out, const struct migrate_report *r, bool json)
{
	if (json)
		return write_json(out, r);
	write_table(out, r);
	return out_flush(out);
}
