# SPDX-License-Identifier: GPL-2.0-only
# cpubench: `make` builds build/cpubench; `make check` runs every test.
# Both first install missing Debian build/test dependencies (tools/bootstrap.sh).
#
# Variants: `make check SANITIZE=1` (ASan+UBSan, in build-san/),
#           `make coverage` (lcov report of bench/ in build-cov/coverage/).

VERSION := 0.1.0
CC := gcc

ifeq ($(SANITIZE),1)
BUILD ?= build-san
VARIANT_CFLAGS := -O1 -fsanitize=address,undefined -fno-omit-frame-pointer \
		  -fno-sanitize-recover=undefined
VARIANT_LDFLAGS := -fsanitize=address,undefined
else ifeq ($(COVERAGE),1)
BUILD ?= build-cov
VARIANT_CFLAGS := -O0 --coverage
VARIANT_LDFLAGS := --coverage
else
BUILD ?= build
VARIANT_CFLAGS := -O2
endif

WARN := -Wall -Wextra -Werror
HOST_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) -g -I bench \
	       -DCPUBENCH_VERSION='"$(VERSION)"' $(VARIANT_CFLAGS) $(CFLAGS)
HOST_LDLIBS := -ljansson -lcapstone

# The guest payload: freestanding, baseline x86-64 only (never -march=native:
# the compiler would emit the very instructions under test), no SSE in C.
GUEST_CFLAGS := -std=gnu11 $(WARN) -O2 -ffreestanding -fno-pic -fno-pie \
		-mno-red-zone -mgeneral-regs-only -march=x86-64 -mtune=generic \
		-fno-stack-protector -fno-asynchronous-unwind-tables \
		-fcf-protection=none -I guestcode
GUEST_LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none \
		 -Wl,-T,guestcode/guest.lds -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments

GUEST_SRCS := guestcode/entry.S guestcode/kernel.c guestcode/probes.S
GUEST_HDRS := $(wildcard guestcode/*.h) guestcode/probes.def guestcode/guest.lds

LIB_SRCS := $(filter-out bench/main.c,$(wildcard bench/*.c))
LIB_OBJS := $(LIB_SRCS:bench/%.c=$(BUILD)/bench/%.o) $(BUILD)/bench/payload.o \
	    $(BUILD)/masks_embedded.o
HOST_HDRS := $(wildcard bench/*.h) guestcode/mailbox.h guestcode/probes.def

TEST_SRCS := $(wildcard tests/test_*.c)
TEST_BINS := $(TEST_SRCS:tests/%.c=$(BUILD)/tests/%)

DEPS_STAMP := $(BUILD)/.deps-ok

.PHONY: all check check-unit check-cli perf coverage clean deps fuzz

all: $(BUILD)/cpubench

deps: $(DEPS_STAMP)
$(DEPS_STAMP): tools/bootstrap.sh
	@mkdir -p $(BUILD)
	tools/bootstrap.sh
	@touch $@

$(BUILD)/guest.elf: $(GUEST_SRCS) $(GUEST_HDRS) | $(DEPS_STAMP)
	@mkdir -p $(BUILD)
	$(CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) $(GUEST_SRCS) -o $@

$(BUILD)/bench/payload.o: bench/payload.S $(BUILD)/guest.elf
	@mkdir -p $(dir $@)
	$(CC) -c -DGUEST_ELF_PATH='"$(BUILD)/guest.elf"' $< -o $@

$(BUILD)/masks_embedded.c: tools/embed-masks.sh $(wildcard masks/*.mask)
	@mkdir -p $(BUILD)
	tools/embed-masks.sh $@ $(sort $(wildcard masks/*.mask))

$(BUILD)/masks_embedded.o: $(BUILD)/masks_embedded.c bench/mask.h
	$(CC) $(HOST_CFLAGS) -c $< -o $@

$(BUILD)/bench/%.o: bench/%.c $(HOST_HDRS) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -c $< -o $@

$(BUILD)/libcpubench.a: $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/cpubench: $(BUILD)/bench/main.o $(BUILD)/libcpubench.a
	$(CC) $(VARIANT_LDFLAGS) $^ $(HOST_LDLIBS) -o $@

$(BUILD)/tests/%: tests/%.c $(BUILD)/libcpubench.a $(wildcard tests/*.h) $(HOST_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -I tests $< $(BUILD)/libcpubench.a $(VARIANT_LDFLAGS) \
		$(HOST_LDLIBS) -lcmocka -o $@

# Probe code linked into a host test, to check expected values natively.
$(BUILD)/tests/probes_host.o: guestcode/probes.S guestcode/probes.def
	@mkdir -p $(dir $@)
	$(CC) -c -Wa,--noexecstack $< -o $@

$(BUILD)/tests/test_probes_native: tests/test_probes_native.c $(BUILD)/tests/probes_host.o \
		$(BUILD)/libcpubench.a $(HOST_HDRS)
	$(CC) $(HOST_CFLAGS) -no-pie -I tests $< $(BUILD)/tests/probes_host.o \
		$(BUILD)/libcpubench.a $(VARIANT_LDFLAGS) $(HOST_LDLIBS) -lcmocka -o $@

# Unit and integration tests (cmocka), then command-line tests. Each runner
# prints its own summary; tools/run-tests.sh adds one closing line.
check: $(BUILD)/cpubench $(TEST_BINS)
	SANITIZE=$(SANITIZE) tools/run-tests.sh $(BUILD)

perf: $(BUILD)/cpubench
	tools/perf.sh $(BUILD)/cpubench

coverage:
	$(MAKE) COVERAGE=1 check
	tools/coverage.sh build-cov

clean:
	rm -rf build build-san build-cov
