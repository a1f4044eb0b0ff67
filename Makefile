# SPDX-License-Identifier: GPL-2.0-only
# cpubench: `make` builds build/cpubench; `make check` runs every test.
# Both first install missing Debian build/test dependencies (tools/bootstrap.sh).
#
# Variants: `make check SANITIZE=1` (ASan+UBSan, in build-san/),
#           `make coverage` (lcov report of bench/ in build-cov/coverage/),
#           `make fuzz` (libFuzzer drivers of tests/fuzz/, built with clang
#           in $(BUILD)-fuzz/, FUZZ_SECONDS each).
# `make check-nested`: cpubench on real KVM nested under emulators, kvm-svm
#           (QEMU TCG) and kvm-vmx (Bochs), results in $(BUILD)/nested/.
# `make perf`: timings, the backend's floor (tools/perf.sh); `make
#           perf-nested`: the same in the nested kvm-svm environment.

VERSION := 0.1.0
CC := gcc
GUEST_CC := gcc
FUZZ_SECONDS ?= 600

ifeq ($(FUZZ),1)
# Internal: `make fuzz` builds the host code with clang for libFuzzer.
BUILD ?= build-fuzz
CC := clang
VARIANT_CFLAGS := -O1 -fsanitize=fuzzer-no-link,address,undefined \
		  -fno-omit-frame-pointer -fno-sanitize-recover=undefined
VARIANT_LDFLAGS := -fsanitize=address,undefined
else ifeq ($(SANITIZE),1)
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
# Includes name their floor: "cpu/feature.h", "guestcode/mailbox.h".
# -MMD: each object depends on exactly the headers it includes.
HOST_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) -g -I bench -I . -I /usr/include/libxml2 \
	       -DCPUBENCH_VERSION='"$(VERSION)"' -MMD -MP $(VARIANT_CFLAGS) $(CFLAGS)
# -pthread: one thread per vCPU (lib/parallel.c).
HOST_LDLIBS := -ljansson -lcapstone -lxml2 -pthread

# The guest payload: freestanding, baseline x86-64 only (never -march=native:
# the compiler would emit the very instructions under test), no SSE in C.
GUEST_CFLAGS := -std=gnu11 $(WARN) -O2 -ffreestanding -fno-pic -fno-pie \
		-mno-red-zone -mgeneral-regs-only -march=x86-64 -mtune=generic \
		-fno-stack-protector -fno-asynchronous-unwind-tables \
		-fcf-protection=none -I guestcode
GUEST_LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none \
		 -Wl,-T,guestcode/guest.lds -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments

GUEST_SRCS := guestcode/entry.S guestcode/kernel.c guestcode/probes.S \
	      guestcode/boot32.S guestcode/platform.c guestcode/migrate.c \
	      guestcode/migrate_impl.S
GUEST_HDRS := $(wildcard guestcode/*.h) $(wildcard guestcode/*.def) guestcode/guest.lds

# bench/ has one folder per layer, lowest floor first (README "Architecture";
# tools/check-layers.sh enforces that a file includes only floors below it).
LAYERS := lib cpu judge catalog vmm qemu backend host import emit migrate report cli
LIB_SRCS := $(foreach l,$(LAYERS),$(wildcard bench/$(l)/*.c))
LIB_OBJS := $(LIB_SRCS:bench/%.c=$(BUILD)/bench/%.o) $(BUILD)/bench/vmm/payload.o \
	    $(BUILD)/masks_embedded.o

TEST_SRCS := $(wildcard tests/test_*.c)
TEST_BINS := $(TEST_SRCS:tests/%.c=$(BUILD)/tests/%)
# Fuzz drivers: libFuzzer binaries for `make fuzz`; for `make check`, the
# same drivers replay their seed corpus and regression inputs (test_fuzz_*).
FUZZ_NAMES := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_REPLAY := $(FUZZ_NAMES:%=$(BUILD)/tests/test_fuzz_%)

DEPS_STAMP := $(BUILD)/.deps-ok
# Shell completions, generated from the command table (bench/cli/commands.c).
COMPLETIONS := $(BUILD)/completion/cpubench.bash $(BUILD)/completion/_cpubench

.PHONY: all check check-unit check-cli check-nested check-signals perf perf-nested coverage clean deps fuzz install uninstall

all: $(BUILD)/cpubench $(COMPLETIONS)

deps: $(DEPS_STAMP)
$(DEPS_STAMP): tools/bootstrap.sh
	@mkdir -p $(BUILD)
	tools/bootstrap.sh build
	@touch $@

# What the tests need beyond the build (cmocka, QEMU, xmllint, chromium...).
TEST_DEPS_STAMP := $(BUILD)/.test-deps-ok
$(TEST_DEPS_STAMP): tools/bootstrap.sh
	@mkdir -p $(BUILD)
	tools/bootstrap.sh test
	@touch $@

$(BUILD)/guest.elf: $(GUEST_SRCS) $(GUEST_HDRS) | $(DEPS_STAMP)
	@mkdir -p $(BUILD)
	$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) $(GUEST_SRCS) -o $@

$(BUILD)/bench/vmm/payload.o: bench/vmm/payload.S $(BUILD)/guest.elf
	@mkdir -p $(dir $@)
	$(CC) -c -DGUEST_ELF_PATH='"$(BUILD)/guest.elf"' $< -o $@

$(BUILD)/masks_embedded.c: tools/embed-masks.sh $(wildcard masks/*.mask)
	@mkdir -p $(BUILD)
	tools/embed-masks.sh $@ $(sort $(wildcard masks/*.mask))

$(BUILD)/masks_embedded.o: $(BUILD)/masks_embedded.c
	$(CC) $(HOST_CFLAGS) -c $< -o $@

$(BUILD)/bench/%.o: bench/%.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -c $< -o $@

$(BUILD)/libcpubench.a: $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/cpubench: $(BUILD)/bench/main.o $(BUILD)/libcpubench.a
	$(CC) $(VARIANT_LDFLAGS) $^ $(HOST_LDLIBS) -o $@

$(BUILD)/tests/%: tests/%.c $(BUILD)/libcpubench.a | $(TEST_DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -I tests $< $(BUILD)/libcpubench.a $(VARIANT_LDFLAGS) \
		$(HOST_LDLIBS) -lcmocka -o $@

# Probe code linked into a host test, to check expected values natively.
$(BUILD)/tests/probes_host.o: guestcode/probes.S guestcode/probes.def
	@mkdir -p $(dir $@)
	$(CC) -c -Wa,--noexecstack $< -o $@

# Tests that run probe code natively on the host CPU (tests/native_probe.h).
NATIVE_TESTS := $(BUILD)/tests/test_probes_native $(BUILD)/tests/test_kvm_integration
$(NATIVE_TESTS): $(BUILD)/tests/%: tests/%.c $(BUILD)/tests/probes_host.o \
		$(BUILD)/libcpubench.a | $(TEST_DEPS_STAMP)
	$(CC) $(HOST_CFLAGS) -no-pie -I tests $< $(BUILD)/tests/probes_host.o \
		$(BUILD)/libcpubench.a $(VARIANT_LDFLAGS) $(HOST_LDLIBS) -lcmocka -o $@

# Unit and integration tests (cmocka), then command-line tests. Each runner
# prints its own summary; tools/run-tests.sh adds one closing line.
$(FUZZ_REPLAY): $(BUILD)/tests/test_fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c \
		$(BUILD)/libcpubench.a
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -I tests/fuzz -DFUZZ_NAME='"$*"' $< tests/fuzz/replay.c \
		$(BUILD)/libcpubench.a $(VARIANT_LDFLAGS) $(HOST_LDLIBS) -o $@

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(BUILD)/libcpubench.a
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -I tests/fuzz -fsanitize=fuzzer $< $(BUILD)/libcpubench.a \
		$(VARIANT_LDFLAGS) $(HOST_LDLIBS) -o $@

check: $(BUILD)/cpubench $(COMPLETIONS) $(TEST_BINS) $(FUZZ_REPLAY) | $(TEST_DEPS_STAMP)
	SANITIZE=$(SANITIZE) tools/run-tests.sh $(BUILD)

# What check-nested needs: the emulators, isolinux, cpio (tools/nested/).
NESTED_DEPS_STAMP := $(BUILD)/.nested-deps-ok
$(NESTED_DEPS_STAMP): tools/bootstrap.sh
	@mkdir -p $(BUILD)
	tools/bootstrap.sh nested
	@touch $@

# Boots a guest with real KVM in each emulator, both at once, and runs
# tests/nested.sh in it (tools/nested/run.sh); fails when one does not boot,
# has no /dev/kvm, or cpubench runs on another backend than kvm-svm/kvm-vmx.
check-nested: $(BUILD)/cpubench $(BUILD)/tests/test_kvm_integration | $(NESTED_DEPS_STAMP)
	tests/nested.sh $(BUILD)

$(BUILD)/completion/cpubench.bash: $(BUILD)/cpubench
	@mkdir -p $(dir $@)
	$(BUILD)/cpubench completion bash > $@.tmp && mv $@.tmp $@
$(BUILD)/completion/_cpubench: $(BUILD)/cpubench
	@mkdir -p $(dir $@)
	$(BUILD)/cpubench completion zsh > $@.tmp && mv $@.tmp $@

# `make install PREFIX=/opt/cpubench DESTDIR=...`: the program (payload
# and masks are embedded in it), its manual page and bash and zsh
# completions. `make uninstall` with the same variables removes them, and
# the directories install made that are left empty.
PREFIX ?= /usr/local
INSTALLED := bin/cpubench share/man/man1/cpubench.1 \
	     share/bash-completion/completions/cpubench share/zsh/site-functions/_cpubench
INSTALL_DIRS := share/zsh/site-functions share/zsh share/bash-completion/completions \
		share/bash-completion share/man/man1 share/man share bin
install: $(BUILD)/cpubench $(COMPLETIONS)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions \
		$(DESTDIR)$(PREFIX)/share/zsh/site-functions
	install -m 0755 $(BUILD)/cpubench $(DESTDIR)$(PREFIX)/bin/cpubench
	install -m 0644 cpubench.1 $(DESTDIR)$(PREFIX)/share/man/man1/cpubench.1
	install -m 0644 $(BUILD)/completion/cpubench.bash \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/cpubench
	install -m 0644 $(BUILD)/completion/_cpubench \
		$(DESTDIR)$(PREFIX)/share/zsh/site-functions/_cpubench

uninstall:
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/,$(INSTALLED))
	for d in $(INSTALL_DIRS); do \
		[ ! -d "$(DESTDIR)$(PREFIX)/$$d" ] || rmdir --ignore-fail-on-non-empty "$(DESTDIR)$(PREFIX)/$$d"; \
	done

# The acceptance of issue 13: 50 signals at random moments of verify,
# migrate (qemu-tcg) and import qemu; make check runs 15 of them.
check-signals: $(BUILD)/cpubench | $(TEST_DEPS_STAMP)
	SIGNAL_ROUNDS=50 CPUBENCH=$(BUILD)/cpubench tests/signals.sh

perf: $(BUILD)/cpubench | $(TEST_DEPS_STAMP)
	tools/perf.sh $(BUILD)/cpubench

# make perf inside the nested kvm-svm environment (NESTED_ENVS="svm vmx":
# kvm-vmx too), its figures labelled as nested (tools/nested/perf.sh).
perf-nested: $(BUILD)/cpubench | $(NESTED_DEPS_STAMP)
	tools/nested/perf.sh $(BUILD)

# `make fuzz [FUZZ_SECONDS=600]`: each driver for FUZZ_SECONDS (tools/fuzz.sh).
ifeq ($(FUZZ),1)
fuzz: $(FUZZ_NAMES:%=$(BUILD)/fuzz/fuzz_%)
	tools/fuzz.sh $(BUILD) $(FUZZ_SECONDS) $(FUZZ_NAMES)
else
fuzz: | $(TEST_DEPS_STAMP)
	$(MAKE) FUZZ=1 BUILD=$(BUILD)-fuzz fuzz
endif

coverage:
	$(MAKE) COVERAGE=1 check
	tools/coverage.sh build-cov

clean:
	rm -rf build build-san build-cov build-fuzz

# The header dependencies -MMD wrote (objects, tests, fuzz drivers).
-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
