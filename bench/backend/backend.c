// SPDX-License-Identifier: GPL-2.0-only
/*
 * Backend selection and what every backend shares: the run's lifetime and
 * its list of features the backend could not provide.
 */
#include "backend/backend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"

static const struct backend_ops *const backends[] = {
	&backend_kvm_ops, &backend_qemu_tcg_ops, &backend_qemu_kvm_ops,
};

static const struct backend_ops *backend_find(const char *name)
{
	for (size_t i = 0; i < sizeof(backends) / sizeof(backends[0]); i++)
		if (!strcmp(name, backends[i]->name))
			return backends[i];
	return NULL;
}

bool backend_name_valid(const char *name)
{
	return backend_find(name) != NULL;
}

int backend_open(struct backend *b, const char *name, const char *kvm_device)
{
	memset(b, 0, sizeof(*b));
	b->ops = backend_find(name);
	if (!b->ops) {
		err_set_class(EXIT_USAGE);
		return err_set("unknown backend '%s': use kvm, qemu-tcg or qemu-kvm", name);
	}
	if (b->ops->open(b, kvm_device)) {
		b->ops = NULL;
		return -1;
	}
	return 0;
}

void backend_close(struct backend *b)
{
	if (b->ops)
		b->ops->close(b);
	b->ops = NULL;
}

int backend_run(struct backend *b, struct backend_run *run, const struct mask *mask,
		const struct run_plan *plan, struct probe_obs *obs)
{
	memset(run, 0, sizeof(*run));
	run->mask = mask;
	run->plan = plan;
	run->obs = obs;
	run->stats = (struct run_stats){ .vcpus = 1, .kvm_runs = -1, .exits = -1 };
	return b->ops->run(b, run);
}

void backend_run_free(struct backend *b, struct backend_run *run)
{
	if (run->priv)
		b->ops->release(b, run);
	free(run->told);
	free(run->seen);
	run->told = run->seen = NULL;
}

bool backend_run_has_gap(const struct backend_run *run, int feature)
{
	for (unsigned int i = 0; i < run->ngaps; i++)
		if (run->gaps[i].feature == feature)
			return true;
	return false;
}

int backend_run_add_gap(struct backend_run *run, int feature, const char *why)
{
	if (feature < 0 || backend_run_has_gap(run, feature) || run->ngaps >= REPORT_MAX_GAPS)
		return 0;
	run->gaps[run->ngaps].feature = feature;
	snprintf(run->gaps[run->ngaps].why, sizeof(run->gaps[0].why), "%s", why);
	run->ngaps++;
	return 1;
}
