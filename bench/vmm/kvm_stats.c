// SPDX-License-Identifier: GPL-2.0-only
#include "vmm/kvm_stats.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* More than any KVM has (a few hundred bytes a statistic, ~100 of them). */
#define STATS_MAX_BYTES	(1024 * 1024)

int kvm_stats_find(const void *buf, size_t len, const char *name, uint64_t *off)
{
	struct kvm_stats_header h;
	size_t stride;

	if (len < sizeof(h))
		return -1;
	memcpy(&h, buf, sizeof(h));
	stride = sizeof(struct kvm_stats_desc) + h.name_size;
	if (!h.name_size || h.name_size > 4096 || h.desc_offset > len ||
	    h.num_desc > (len - h.desc_offset) / stride)
		return -1;
	for (uint32_t i = 0; i < h.num_desc; i++) {
		const char *p = (const char *)buf + h.desc_offset + i * stride;
		struct kvm_stats_desc d;

		memcpy(&d, p, sizeof(d));
		if ((d.flags & KVM_STATS_TYPE_MASK) != KVM_STATS_TYPE_CUMULATIVE ||
		    !d.size || strnlen(p + sizeof(d), h.name_size) == h.name_size ||
		    strcmp(p + sizeof(d), name))
			continue;
		*off = (uint64_t)h.data_offset + d.offset;
		return 0;
	}
	return -1;
}

/* The file offset of "exits" in every vCPU's stats file: -2 not looked up
 * yet, -1 absent. The layout is the kernel's, the same for every vCPU. */
static atomic_llong exits_off = -2;

static long long lookup_exits(int fd)
{
	struct kvm_stats_header h;
	uint64_t off;
	size_t len;
	char *buf;
	long long ret = -1;

	if (pread(fd, &h, sizeof(h), 0) != sizeof(h) || h.desc_offset > STATS_MAX_BYTES ||
	    h.num_desc > STATS_MAX_BYTES || h.name_size > 4096)
		return -1;
	len = h.desc_offset + (size_t)h.num_desc * (sizeof(struct kvm_stats_desc) + h.name_size);
	if (len > STATS_MAX_BYTES || !(buf = malloc(len)))
		return -1;
	if (pread(fd, buf, len, 0) == (ssize_t)len &&
	    !kvm_stats_find(buf, len, "exits", &off))
		ret = (long long)off;
	free(buf);
	return ret;
}

int64_t vcpu_exits(struct vcpu *vcpu)
{
	int fd = ioctl(vcpu->fd, KVM_GET_STATS_FD, NULL);
	long long off;
	uint64_t v;
	int64_t ret = -1;

	if (fd < 0)
		return -1;
	off = atomic_load(&exits_off);
	if (off == -2) {
		off = lookup_exits(fd);
		atomic_store(&exits_off, off);
	}
	if (off >= 0 && pread(fd, &v, sizeof(v), off) == sizeof(v))
		ret = (int64_t)v;
	close(fd);
	return ret;
}
