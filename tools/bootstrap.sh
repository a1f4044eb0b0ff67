#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Installs the Debian packages cpubench needs to build and test, when missing.
# Called by the Makefile; safe to run again (it installs nothing when all
# are present). Uses sudo when not root.
#
#   gcc make binutils   compiler, linker (the guest payload too)
#   linux-libc-dev      <linux/kvm.h>
#   libjansson-dev      JSON reports (a library, not hand-built strings)
#   libcapstone-dev     disassembly of probe instructions (tests, reports)
#   libcmocka-dev       unit and integration tests
#   lcov                make coverage
#   python3             JSON validity checks in the command-line tests
#   valgrind            leak check of the host program in the tests
#   time                GNU time: peak RSS in make perf
set -eu

PACKAGES="gcc make binutils linux-libc-dev libjansson-dev libcapstone-dev \
libcmocka-dev lcov python3 valgrind time"

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
