// SPDX-License-Identifier: GPL-2.0-only
/*
 * The page tables the KVM host writes for the guest (bench/vmm/
 * guest_layout.c), walked as the CPU walks them: the identity map, the
 * user image on user pages, its supervisor alias, and under 5-level
 * paging the same map again at 1 << GUEST_LA57_ALIAS_BIT, which the la57
 * probe loads through. No KVM needed: the tables are written into plain
 * memory. (guestcode/boot32.S builds the same tables under QEMU; the
 * qemu-tcg oracle of test_qemu_backend runs the la57 probe there.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "guestcode/mailbox.h"
#include "guestcode/x86_arch.h"
#include "vmm/guest_layout.h"

#define ADDR_MASK	0x000ffffffffff000ULL

static struct vm vm;

static int setup(void **state)
{
	(void)state;
	vm.mem_size = GUEST_MEM_SIZE;
	vm.mem = calloc(1, vm.mem_size);
	return vm.mem && !guest_layout_write(&vm) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(vm.mem);
	return 0;
}

static uint64_t entry(uint64_t table, unsigned int index)
{
	uint64_t e;

	assert_true(table + 8 * index + 8 <= vm.mem_size);
	memcpy(&e, vm.mem + table + 8 * index, sizeof(e));
	return e;
}

/*
 * The guest-physical address @va maps to with @levels-level paging from
 * @cr3, or -1 when not present or not canonical; *@user: every level
 * allows CPL3.
 */
static int64_t walk(uint64_t cr3, int levels, uint64_t va, bool *user)
{
	unsigned int width = levels == 5 ? 57 : 48;
	int64_t sva = (int64_t)(va << (64 - width)) >> (64 - width);
	uint64_t table = cr3 & ADDR_MASK, e = 0;

	if ((uint64_t)sva != va)
		return -1;	/* non-canonical: #GP */
	*user = true;
	for (int level = levels; level >= 2; level--) {
		e = entry(table, (va >> (12 + 9 * (level - 1))) & 511);
		if (!(e & X86_PTE_P))
			return -1;
		*user &= !!(e & X86_PTE_US);
		if (level == 2) {
			assert_true(e & X86_PTE_PS);	/* 2 MiB pages only */
			return (int64_t)((e & ADDR_MASK & ~(X86_SZ_2M - 1)) | (va & (X86_SZ_2M - 1)));
		}
		assert_false(e & X86_PTE_PS);
		table = e & ADDR_MASK;
	}
	return -1;
}

static void test_four_level_map(void **state)
{
	bool user;

	(void)state;
	assert_int_equal(walk(GUEST_PML4_GPA, 4, MB_GPA + 8, &user), MB_GPA + 8);
	assert_false(user);
	assert_int_equal(walk(GUEST_PML4_GPA, 4, GUEST_USER_GPA + 0x1234, &user),
			 GUEST_USER_GPA + 0x1234);
	assert_true(user);
	/* the supervisor alias of the user image */
	assert_int_equal(walk(GUEST_PML4_GPA, 4, GUEST_USER_ALIAS_GPA + 0x1234, &user),
			 GUEST_USER_GPA + 0x1234);
	assert_false(user);
	/* the la57 probe's address: non-canonical under 4-level paging */
	assert_int_equal(walk(GUEST_PML4_GPA, 4, (1ULL << GUEST_LA57_ALIAS_BIT) +
			      GUEST_USER_ALIAS_GPA, &user), -1);
}

static void test_five_level_map(void **state)
{
	uint64_t high = 1ULL << GUEST_LA57_ALIAS_BIT;
	bool user;

	(void)state;
	/* the same identity map through PML5 slot 0 ... */
	assert_int_equal(walk(GUEST_PML5_GPA, 5, MB_GPA + 8, &user), MB_GPA + 8);
	assert_int_equal(walk(GUEST_PML5_GPA, 5, GUEST_USER_GPA + 0x1234, &user),
			 GUEST_USER_GPA + 0x1234);
	assert_true(user);
	/* ... and slot 1: where the la57 probe (ring 0, alias) loads */
	assert_int_equal(walk(GUEST_PML5_GPA, 5, high + GUEST_USER_ALIAS_GPA + 0x40, &user),
			 GUEST_USER_GPA + 0x40);
	assert_false(user);
	/* nothing beyond slot 1 */
	assert_int_equal(walk(GUEST_PML5_GPA, 5, 2 * high, &user), -1);
	/* the tables stay inside the pages mailbox.h reserves for them */
	assert_true(GUEST_PML5_GPA + 4096 <= MB_GPA);
	assert_true(GUEST_PML5_GPA >= GUEST_IST_STACK_TOP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_four_level_map),
		cmocka_unit_test(test_five_level_map),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
