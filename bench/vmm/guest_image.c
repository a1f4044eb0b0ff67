// SPDX-License-Identifier: GPL-2.0-only
#include "vmm/guest_image.h"

#include <elf.h>
#include <string.h>

#include "lib/err.h"

static const Elf64_Ehdr *elf_header(const uint8_t *elf, size_t size)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)elf;

	if (size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_machine != EM_X86_64 ||
	    eh->e_phentsize != sizeof(Elf64_Phdr) ||
	    eh->e_phoff > size ||
	    (size - eh->e_phoff) / sizeof(Elf64_Phdr) < eh->e_phnum) {
		err_set("guest payload is not a valid x86-64 ELF image (rebuild cpubench)");
		return NULL;
	}
	return eh;
}

int guest_image_load(struct vm *vm, const uint8_t *elf, size_t size,
		     uint64_t *entry)
{
	const Elf64_Ehdr *eh = elf_header(elf, size);
	const Elf64_Phdr *ph;

	if (!eh)
		return -1;
	ph = (const Elf64_Phdr *)(elf + eh->e_phoff);
	for (int i = 0; i < eh->e_phnum; i++) {
		uint8_t *dst;

		if (ph[i].p_type != PT_LOAD)
			continue;
		if (ph[i].p_filesz > ph[i].p_memsz || ph[i].p_offset > size ||
		    ph[i].p_filesz > size - ph[i].p_offset)
			return err_set("guest payload segment %d is malformed", i);
		dst = vm_gpa(vm, ph[i].p_paddr, ph[i].p_memsz);
		if (!dst)
			return err_set("guest payload segment %d (0x%llx+0x%llx) is outside guest memory",
				       i, (unsigned long long)ph[i].p_paddr,
				       (unsigned long long)ph[i].p_memsz);
		memcpy(dst, elf + ph[i].p_offset, ph[i].p_filesz);
		memset(dst + ph[i].p_filesz, 0, ph[i].p_memsz - ph[i].p_filesz);
	}
	*entry = eh->e_entry;
	return 0;
}

/* Calls @fn for each function symbol until it returns nonzero. */
static int elf_for_each_func(const uint8_t *elf, size_t size,
			     int (*fn)(const Elf64_Sym *, const char *, void *),
			     void *ctx)
{
	const Elf64_Ehdr *eh = elf_header(elf, size);
	const Elf64_Shdr *sh;

	if (!eh || eh->e_shoff > size || eh->e_shentsize != sizeof(Elf64_Shdr) ||
	    (size - eh->e_shoff) / sizeof(Elf64_Shdr) < eh->e_shnum)
		return 0;
	sh = (const Elf64_Shdr *)(elf + eh->e_shoff);
	for (int i = 0; i < eh->e_shnum; i++) {
		const Elf64_Shdr *strtab;
		const Elf64_Sym *sym;
		size_t n;

		if (sh[i].sh_type != SHT_SYMTAB || sh[i].sh_link >= eh->e_shnum)
			continue;
		strtab = &sh[sh[i].sh_link];
		if (sh[i].sh_offset > size || sh[i].sh_size > size - sh[i].sh_offset ||
		    strtab->sh_offset > size || strtab->sh_size > size - strtab->sh_offset)
			return 0;
		sym = (const Elf64_Sym *)(elf + sh[i].sh_offset);
		n = sh[i].sh_size / sizeof(*sym);
		for (size_t j = 0; j < n; j++) {
			const char *name;
			int ret;

			if (ELF64_ST_TYPE(sym[j].st_info) != STT_FUNC ||
			    sym[j].st_name >= strtab->sh_size)
				continue;
			name = (const char *)elf + strtab->sh_offset + sym[j].st_name;
			if (!memchr(name, '\0', strtab->sh_size - sym[j].st_name))
				continue;
			ret = fn(&sym[j], name, ctx);
			if (ret)
				return ret;
		}
	}
	return 0;
}

struct sym_at {
	uint64_t addr;
	const char **name;
	uint64_t *offset;
};

static int match_addr(const Elf64_Sym *sym, const char *name, void *ctx)
{
	struct sym_at *q = ctx;

	if (q->addr < sym->st_value || q->addr - sym->st_value >= sym->st_size)
		return 0;
	*q->name = name;
	*q->offset = q->addr - sym->st_value;
	return 1;
}

int guest_image_symbol_at(const uint8_t *elf, size_t size, uint64_t addr,
			  const char **name, uint64_t *offset)
{
	struct sym_at q = { addr, name, offset };

	return elf_for_each_func(elf, size, match_addr, &q) ? 0 : -1;
}

struct sym_named {
	const char *name;
	uint64_t *addr, *len;
};

static int match_name(const Elf64_Sym *sym, const char *name, void *ctx)
{
	struct sym_named *q = ctx;

	if (strcmp(name, q->name))
		return 0;
	*q->addr = sym->st_value;
	*q->len = sym->st_size;
	return 1;
}

int guest_image_symbol(const uint8_t *elf, size_t size, const char *name,
		       uint64_t *addr, uint64_t *len)
{
	struct sym_named q = { name, addr, len };

	return elf_for_each_func(elf, size, match_name, &q) ? 0 : -1;
}
