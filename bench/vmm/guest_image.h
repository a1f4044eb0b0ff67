/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest payload (guestcode/, built as an ELF executable and embedded
 * into cpubench by bench/payload.S) and the loading of it into guest memory.
 */
#ifndef CPUBENCH_GUEST_IMAGE_H
#define CPUBENCH_GUEST_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "vmm/kvm.h"

extern const uint8_t guest_payload[];
extern const uint8_t guest_payload_end[];

/*
 * Copies every PT_LOAD segment of the ELF image @elf into @vm's memory
 * (zero-filling up to p_memsz) and returns its entry point in @entry.
 * Rejects images that are malformed or do not fit guest memory.
 */
int guest_image_load(struct vm *vm, const uint8_t *elf, size_t size,
		     uint64_t *entry);

/*
 * Looks up a function symbol of the image: the symbol containing @addr
 * (for naming a faulting RIP) or the address and size of @name.
 * Return 0 if found.
 */
int guest_image_symbol_at(const uint8_t *elf, size_t size, uint64_t addr,
			  const char **name, uint64_t *offset);
int guest_image_symbol(const uint8_t *elf, size_t size, const char *name,
		       uint64_t *addr, uint64_t *len);

#endif
