# SPDX-License-Identifier: GPL-2.0-only
# The QEMU-source reader (bench/import/qemu_source.c and qsrc_*.c) with its
# tests, on its own until the main Makefile builds bench/import/. From the
# repository root:
#
#   make -f tests/qemu_source.mk [check]         unit test, fuzz corpus replay
#   make -f tests/qemu_source.mk SANITIZE=1 check    the same under ASan+UBSan
#   make -f tests/qemu_source.mk valgrind        the unit test under valgrind
#   make -f tests/qemu_source.mk fuzz [FUZZ_SECONDS=120]   libFuzzer, clang
#   make -f tests/qemu_source.mk dump            every model version, and a
#                                                comparison with masks/
#
# The reference tree is ../shared/reference/qemu (QSRC_QEMU_DIR overrides).
# Until bench/lib/err.h exists, a shim in the build directory points
# "lib/err.h" at bench/err.h.

CC := gcc
ifeq ($(SANITIZE),1)
BUILD ?= build-qsrc-san
VARIANT := -O1 -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=undefined
else
BUILD ?= build-qsrc
VARIANT := -O2
endif
FUZZ_SECONDS ?= 120
QSRC_QEMU_DIR ?= ../shared/reference/qemu

ERR_SRC := $(firstword $(wildcard bench/lib/err.c) bench/err.c)
ERR_HDR := $(firstword $(wildcard bench/lib/err.h) bench/err.h)
SRCS := $(wildcard bench/import/qemu_source.c bench/import/qsrc_*.c) $(ERR_SRC)
HDRS := $(wildcard bench/import/*.h) $(ERR_HDR)
SHIM := $(BUILD)/shim
CFLAGS_QSRC := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -g -I bench -I $(SHIM) \
	       $(VARIANT) $(CFLAGS)

.PHONY: check valgrind fuzz dump clean

check: $(BUILD)/test_qemu_source $(BUILD)/test_fuzz_qemu_source
	QSRC_QEMU_DIR=$(QSRC_QEMU_DIR) $(BUILD)/test_qemu_source
	$(BUILD)/test_fuzz_qemu_source

$(SHIM)/lib/err.h: $(ERR_HDR)
	@mkdir -p $(dir $@)
	ln -sf $(abspath $(ERR_HDR)) $@

$(BUILD)/test_qemu_source: tests/test_qemu_source.c $(SRCS) $(HDRS) $(SHIM)/lib/err.h
	$(CC) $(CFLAGS_QSRC) $< $(SRCS) -lcmocka -o $@

$(BUILD)/qsrc_dump: tests/qsrc_dump.c $(SRCS) $(HDRS) $(SHIM)/lib/err.h
	$(CC) $(CFLAGS_QSRC) $< $(SRCS) -o $@

# the fuzz driver without libFuzzer: replays tests/fuzz/corpus/qemu_source/
$(BUILD)/test_fuzz_qemu_source: tests/fuzz/fuzz_qemu_source.c tests/fuzz/replay.c \
		tests/fuzz/fuzz.h $(SRCS) $(HDRS) $(SHIM)/lib/err.h
	$(CC) $(CFLAGS_QSRC) -I tests/fuzz -DFUZZ_NAME='"qemu_source"' $< \
		tests/fuzz/replay.c $(SRCS) -o $@

valgrind: $(BUILD)/test_qemu_source
	QSRC_QEMU_DIR=$(QSRC_QEMU_DIR) valgrind -q --error-exitcode=1 --leak-check=full \
		--errors-for-leak-kinds=all $(BUILD)/test_qemu_source

$(BUILD)-fuzz/fuzz_qemu_source: tests/fuzz/fuzz_qemu_source.c tests/fuzz/fuzz.h \
		$(SRCS) $(HDRS) $(SHIM)/lib/err.h
	@mkdir -p $(dir $@)
	clang -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -g -O1 -I bench -I $(SHIM) \
		-I tests/fuzz -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined $< $(SRCS) -o $@

fuzz: $(BUILD)-fuzz/fuzz_qemu_source
	mkdir -p $(BUILD)-fuzz/corpus $(BUILD)-fuzz/crashes
	$< -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=512 -max_len=65536 \
		-print_final_stats=1 -artifact_prefix=$(BUILD)-fuzz/crashes/ \
		$(BUILD)-fuzz/corpus tests/fuzz/corpus/qemu_source

dump: $(BUILD)/qsrc_dump
	$< $(QSRC_QEMU_DIR)
	$< $(QSRC_QEMU_DIR) --compare masks

clean:
	rm -rf $(BUILD) $(BUILD)-fuzz

$(BUILD)/test_qemu_source $(BUILD)/qsrc_dump $(BUILD)/test_fuzz_qemu_source: | $(BUILD)
$(BUILD):
	mkdir -p $@
