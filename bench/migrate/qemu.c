// SPDX-License-Identifier: GPL-2.0-only
/*
 * `migrate` on QEMU: QEMU's own migration. The source runs under -cpu A;
 * at the migration point the guest prints "@signal MIGR" and spins; cpubench
 * stops the VM and has QEMU migrate it to a file (QMP migrate
 * "exec:cat > state.bin"). A second QEMU with -cpu B loads it
 * (-incoming "exec:cat state.bin"); QEMU keeps it paused, as the source
 * was, until cpubench says cont; its debug console reads back 'R', which
 * releases the guest (guestcode/platform.c).
 */
#include "migrate/migrate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/err.h"
#include "qemu/qemu_vm.h"
#include "qemu/qmp_client.h"

#define MIGRATE_STEP_TIMEOUT_MS 5000

static int write_migrate_mailbox(const char *dir)
{
	static struct mailbox mb;
	char path[4200];
	FILE *f;

	memset(&mb, 0, sizeof(mb));
	mb.plan.magic = MB_MAGIC;
	mb.plan.version = MB_VERSION;
	mb.plan.guest_os = GUEST_OS_LINUX;
	mb.migrate.requested = 1;
	snprintf(path, sizeof(path), "%s/mailbox.bin", dir);
	f = fopen(path, "wb");
	if (!f || fwrite(&mb, sizeof(mb), 1, f) != 1) {
		if (f)
			fclose(f);
		return err_set("cannot write %s", path);
	}
	return fclose(f) ? err_set("cannot write %s", path) : 0;
}

/* stop, migrate to @file, wait until QEMU says completed. */
static int qmp_migrate_to_file(struct qmp *q, const char *file, char *why, size_t len)
{
	char uri[4300];
	json_t *ret;

	snprintf(uri, sizeof(uri), "exec:cat > '%s'", file);
	ret = qmp_cmd(q, "stop", NULL, MIGRATE_STEP_TIMEOUT_MS);
	if (!ret)
		return -1;
	json_decref(ret);
	ret = qmp_cmd(q, "migrate", json_pack("{s:s}", "uri", uri), MIGRATE_STEP_TIMEOUT_MS);
	if (!ret)
		return -1;
	json_decref(ret);
	for (int i = 0; i < MIGRATE_STEP_TIMEOUT_MS / 5; i++) {
		const char *status;

		ret = qmp_cmd(q, "query-migrate", NULL, MIGRATE_STEP_TIMEOUT_MS);
		if (!ret)
			return -1;
		status = json_string_value(json_object_get(ret, "status"));
		if (status && !strcmp(status, "completed")) {
			json_decref(ret);
			return 0;
		}
		if (status && !strcmp(status, "failed")) {
			const char *desc = json_string_value(json_object_get(ret, "error-desc"));

			snprintf(why, len, "QEMU's migration failed: %s", desc ? desc : "no reason given");
			json_decref(ret);
			return 1;
		}
		json_decref(ret);
		usleep(5000);
	}
	return err_set("QEMU's migration did not complete in %d ms", MIGRATE_STEP_TIMEOUT_MS);
}

/* Waits until the incoming migration is loaded, then resumes the VM. */
static int qmp_resume_incoming(struct qmp *q)
{
	for (int i = 0; i < MIGRATE_STEP_TIMEOUT_MS / 5; i++) {
		json_t *ret = qmp_cmd(q, "query-status", NULL, MIGRATE_STEP_TIMEOUT_MS);
		const char *status;
		bool loading;

		if (!ret)
			return -1;
		status = json_string_value(json_object_get(ret, "status"));
		loading = status && !strcmp(status, "inmigrate");
		json_decref(ret);
		if (!loading) {
			ret = qmp_cmd(q, "cont", NULL, MIGRATE_STEP_TIMEOUT_MS);
			json_decref(ret);
			return ret ? 0 : -1;
		}
		usleep(5000);
	}
	return err_set("QEMU did not load the migration stream in %d ms", MIGRATE_STEP_TIMEOUT_MS);
}

int migrate_qemu(struct backend *b, struct migrate_report *r)
{
	struct qemu_vm vm;
	struct qmp q = { .fd = -1 };
	static struct mailbox mb;
	char dir[4096], qmp_path[4200], qmp_in[4200], state[4200], incoming[4300];
	char resume_err[256];
	uint32_t sig;
	int w, ret = -1, m;

	snprintf(r->how, sizeof(r->how),
		 "QEMU migrate to a file, then -incoming with -cpu %s", r->to);
	if (qemu_workdir_create(dir, sizeof(dir)))
		return -1;
	snprintf(qmp_path, sizeof(qmp_path), "%s/qmp.sock", dir);
	snprintf(qmp_in, sizeof(qmp_in), "%s/qmp-in.sock", dir);
	snprintf(state, sizeof(state), "%s/state.bin", dir);
	snprintf(incoming, sizeof(incoming), "exec:cat '%s'", state);
	if (write_migrate_mailbox(dir) ||
	    qemu_start_model(b, &r->a, &r->res_a, &vm, dir, qmp_path, NULL))
		goto out;
	w = qemu_vm_wait(&vm, MIGRATE_STEP_TIMEOUT_MS, &sig);
	memset(&mb, 0, sizeof(mb));
	qemu_console_parse(vm.out, vm.out_len, &mb);
	if (w != QEMU_SIGNALLED || sig != MB_PORT_MIGRATE) {
		char why[256];

		qemu_error_line(&vm, why, sizeof(why));
		qemu_vm_stop(&vm);
		err_set("the guest did not reach the migration point under -cpu %s: %s",
			r->from, w == QEMU_TIMEOUT ? "timeout" : why);
		err_set_class(EXIT_ENV);
		goto out;
	}
	r->booted = true;
	r->at_point = mb.migrate;
	r->res_a.told = backend_cpuid_from_guest(&mb);
	r->told_by_guest = true;
	featureset_from_cpuid(&r->told_a, r->res_a.told);
	/* QEMU enforces B: B's model minus what the accelerator dropped. */
	r->told_b = r->b.features;
	if (qmp_open(&q, qmp_path, MIGRATE_STEP_TIMEOUT_MS)) {
		qemu_vm_stop(&vm);
		goto out;
	}
	m = qmp_migrate_to_file(&q, state, r->refused_by, sizeof(r->refused_by));
	qmp_close(&q);
	qemu_vm_stop(&vm);
	if (m < 0)
		goto out;
	if (m > 0) {
		r->refused = true;
		ret = 0;
		goto out;
	}

	if (qemu_start_model(b, &r->b, &r->res_b, &vm, dir, qmp_in, incoming))
		goto out;
	/*
	 * QEMU accepted the stream: resume the guest. It may finish and QEMU
	 * exit before the answer to "cont" arrives; only the guest's own
	 * signal below tells whether it resumed.
	 */
	resume_err[0] = '\0';
	if (vm.exit_status < 0) {
		if (qmp_open(&q, qmp_in, MIGRATE_STEP_TIMEOUT_MS) ||
		    qmp_resume_incoming(&q))
			snprintf(resume_err, sizeof(resume_err), "%s", err_msg());
		qmp_close(&q);
	}
	for (unsigned int i = 0; i < r->res_b.ndropped; i++)
		featureset_del(&r->told_b, r->res_b.dropped[i].feature);
	w = qemu_vm_wait(&vm, MIGRATE_STEP_TIMEOUT_MS, &sig);
	memset(&mb, 0, sizeof(mb));
	qemu_console_parse(vm.out, vm.out_len, &mb);
	if (w == QEMU_SIGNALLED && sig == MB_PORT_DONE) {
		r->resumed = true;
		r->final = mb.migrate;
		/* The guest's CPUID on B: its recorded leaves are A's; ask B's. */
	} else if (w == QEMU_SIGNALLED && sig == MB_PORT_PANIC) {
		r->resumed = true;
		r->final = mb.migrate;
		snprintf(r->note, sizeof(r->note),
			 "the guest panicked on B: exception %u at 0x%llx",
			 mb.status.panic_vector, (unsigned long long)mb.status.panic_rip);
	} else {
		r->refused = true;
		qemu_error_line(&vm, r->refused_by, sizeof(r->refused_by));
		if (resume_err[0])
			snprintf(r->refused_by, sizeof(r->refused_by), "%s", resume_err);
		if (w == QEMU_TIMEOUT)
			snprintf(r->refused_by, sizeof(r->refused_by),
				 "the guest did not resume on B within %d ms%s%.200s",
				 MIGRATE_STEP_TIMEOUT_MS, vm.err_len ? "; QEMU: " : "", vm.err);
	}
	qemu_vm_stop(&vm);
	ret = 0;
out:
	qemu_workdir_remove(dir);
	return ret;
}
