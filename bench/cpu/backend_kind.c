// SPDX-License-Identifier: GPL-2.0-only
#include "cpu/backend_kind.h"

#include <string.h>

static const char *const backend_names[BACKEND_ALL_NR] = {
	[BACKEND_KVM_VMX] = "kvm-vmx",
	[BACKEND_KVM_SVM] = "kvm-svm",
	[BACKEND_KVM_PVM] = "kvm-pvm",
	[BACKEND_QEMU_TCG] = "qemu-tcg",
	[BACKEND_QEMU_KVM] = "qemu-kvm",
};

const char *backend_kind_name(enum backend_kind kind)
{
	return kind < BACKEND_ALL_NR ? backend_names[kind] : "unknown";
}

int backend_kind_parse(const char *name)
{
	for (int i = 0; i < BACKEND_ALL_NR; i++)
		if (!strcmp(name, backend_names[i]))
			return i;
	return -1;
}
