/* SPDX-License-Identifier: GPL-2.0-only */
/* Embeds the guest payload ELF (build/guest.elf, see Makefile). */
	.section .rodata
	.balign 64
	.globl guest_payload
	.globl guest_payload_end
guest_payload:
	.incbin GUEST_ELF_PATH
guest_payload_end:
	.section .note.GNU-stack, "", @progbits
