// SPDX-License-Identifier: GPL-2.0-only
/*
 * Backend selection and the kvm backend: cpubench's own KVM userspace
 * (runner_run) behind the common interface.
 */
#include "backend/backend.h"

#include <stdlib.h>
#include <string.h>

#include "cpu/cpuid_builder.h"
#include "lib/err.h"

int backend_open(struct backend *b, const char *name, const char *kvm_device)
{
	memset(b, 0, sizeof(*b));
	if (!strcmp(name, "kvm")) {
		if (kvm_sys_open(&b->kvm, kvm_device))
			return -1;
		b->kvm_open = true;
		b->kind = b->table = b->kvm.kind;
		featureset_from_cpuid(&b->host, b->kvm.supported);
		return 0;
	}
	if (strcmp(name, "qemu-tcg") && strcmp(name, "qemu-kvm")) {
		err_set_class(EXIT_USAGE);
		return err_set("unknown backend '%s': use kvm, qemu-tcg or qemu-kvm", name);
	}
	b->qemu = true;
	b->qemu_binary = getenv("CPUBENCH_QEMU");
	if (!b->qemu_binary || !*b->qemu_binary)
		b->qemu_binary = "qemu-system-x86_64";
	if (!strcmp(name, "qemu-tcg")) {
		b->kind = b->table = BACKEND_QEMU_TCG;
		return 0;
	}
	b->kind = BACKEND_QEMU_KVM;
	/* QEMU runs the guest on this KVM: that KVM's levers judge it. */
	{
		int k = kvm_detect_backend("/sys/module");

		if (k < 0)
			return err_env(err_set("qemu-kvm: no KVM module is loaded (kvm_intel, kvm_amd or kvm_pvm): use --backend qemu-tcg"));
		b->table = k;
	}
	return 0;
}

void backend_close(struct backend *b)
{
	if (b->kvm_open)
		kvm_sys_close(&b->kvm);
	b->kvm_open = false;
}

int backend_run(struct backend *b, const struct mask *mask,
		struct run_plan *plan, struct backend_result *out)
{
	memset(out, 0, sizeof(*out));
	if (b->qemu)
		return backend_qemu_run(b, mask, plan, out);
	out->told = cpuid_build(b->kvm.supported, &mask->features,
				mask->identity.set ? &mask->identity : NULL);
	if (!out->told)
		return -1;
	return runner_run(&b->kvm, out->told, plan, &out->os);
}

void backend_result_free(struct backend_result *out)
{
	free(out->told);
	out->told = NULL;
}

struct kvm_cpuid2 *backend_cpuid_from_guest(const struct mailbox *mb)
{
	struct kvm_cpuid2 *c = cpuid2_alloc(MB_CPUID_LEAVES);
	unsigned int n = 0;

	if (!c)
		return NULL;
	for (unsigned int i = 0; i < MB_CPUID_LEAVES; i++) {
		const struct mb_cpuid_leaf *l = &mb->cpuid[i];
		struct kvm_cpuid_entry2 *e = &c->entries[n];

		if (i && !l->leaf && !l->eax)
			continue;	/* unused slot */
		memset(e, 0, sizeof(*e));
		e->function = l->leaf;
		e->index = l->subleaf;
		if (cpuid_leaf_is_indexed(l->leaf))
			e->flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX;
		e->eax = l->eax;
		e->ebx = l->ebx;
		e->ecx = l->ecx;
		e->edx = l->edx;
		n++;
	}
	c->nent = n;
	return c;
}
