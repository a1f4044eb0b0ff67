#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Installs the Debian packages cpubench needs, when missing:
#   tools/bootstrap.sh build   what `make` needs to build cpubench
#   tools/bootstrap.sh test    what `make check` (and perf, coverage, fuzz) need
#   tools/bootstrap.sh nested  what `make check-nested` (tools/nested/) needs
# Called by the Makefile; safe to run again (it installs nothing when all
# are present). Uses sudo when not root.
#
# build:
#   gcc make binutils   compiler, linker (the guest payload too)
#   linux-libc-dev      <linux/kvm.h>
#   libjansson-dev      JSON reports (a library, not hand-built strings)
#   libxml2-dev         cpubench import libvirt reads libvirt's cpu_map XML
#   libcapstone-dev     disassembly of probe instructions (tests, reports)
# test:
#   libcmocka-dev       unit and integration tests
#   lcov                make coverage
#   python3             JSON validity checks in the command-line tests
#   valgrind            leak check of the host program in the tests
#   time                GNU time: peak RSS in make perf
#   libvirt0 libxml2-utils  libvirt's domain.rng and xmllint: emit --as libvirt is validated
#   python3-jsonschema  emit --as firecracker checked against tests/schemas/ (Debian's /usr/bin/python3)
#   libvirt-clients python3-yaml  virt-xml-validate checks emit --as libvirt; KubeVirt YAML read back
#   qemu-system-x86     emit --as qemu: QEMU must accept the -cpu string; masks/
#                       must equal its CPU models (tests/test_catalog.c);
#                       also the qemu-tcg/qemu-kvm backends and migrate
#   chromium            the matrix HTML is rendered headless and screenshotted in the tests
#   (libxml2-utils also validates --format junit against tests/junit.xsd)
#   clang libclang-rt-14-dev  make fuzz: libFuzzer drivers (tests/fuzz/, -fsanitize=fuzzer)
#   zsh                 the generated zsh completion is loaded by zsh in the tests
#   ansible-core        contrib/ansible/site.yml is run for real by tests/ansible.sh
# nested (KVM inside an emulator, tools/nested/; the guest's kernel and
# busybox-static are fetched with apt-get download into a cache, never
# installed: busybox-static would replace a host's busybox):
#   qemu-system-x86     kvm-svm: QEMU TCG with -cpu EPYC,+svm,+npt runs kvm_amd
#   bochs bochsbios vgabios  kvm-vmx: Bochs' Haswell model runs kvm_intel
#   bochs-term          Bochs display without X (the serial ports carry the output)
#   isolinux syslinux-common xorriso  Bochs has no -kernel: it boots an isolinux CD image
#   cpio gzip           packing the initramfs
#   coreutils           base64, mktemp, od: the result comes back base64 on a UART
#   util-linux          setsid, setpriv --pdeathsig, flock: no orphan emulator, one fetch
set -eu

BUILD_PACKAGES="gcc make binutils linux-libc-dev libjansson-dev libcapstone-dev libxml2-dev"
TEST_PACKAGES="libcmocka-dev lcov python3 valgrind time \
libvirt0 libxml2-utils python3-jsonschema libvirt-clients python3-yaml qemu-system-x86 chromium \
clang libclang-rt-14-dev ansible-core zsh"
NESTED_PACKAGES="qemu-system-x86 bochs bochsbios vgabios bochs-term \
isolinux syslinux-common xorriso cpio gzip coreutils util-linux"

case "${1:-build}" in
build) PACKAGES=$BUILD_PACKAGES ;;
test) PACKAGES="$BUILD_PACKAGES $TEST_PACKAGES" ;;
nested) PACKAGES="$BUILD_PACKAGES $NESTED_PACKAGES" ;;
*) echo "usage: tools/bootstrap.sh build|test|nested" >&2; exit 2 ;;
esac

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "bootstrap: installing$missing" >&2
if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "bootstrap: need root or sudo to install:$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
