#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The bad-input matrix (issue 7). Sourced by tests/cli.sh, whose helpers
# (ok, not_ok, skipped, expect_exit, one_line_error, json_get, $CPUBENCH,
# $TMP) it uses. Every case must end quickly (each command runs under
# `timeout`: a hang is exit 124, a failure), with its documented exit
# status and a one-line error; leaks fail the SANITIZE=1 run (LSan), and a
# few representative commands also run under valgrind otherwise.
BAD=$TMP/bad
mkdir -p "$BAD"
T="timeout 30"

# expect_error STATUS DESCRIPTION PATTERN CMD...: the status, and stderr
# one line matching PATTERN.
expect_error() {
	local want=$1 desc=$2 pat=$3
	shift 3
	expect_exit "$want" "$desc" $T "$@"
	one_line_error "$desc: one line" "$pat"
}

# masks_dir NAME: a fresh directory for --masks-dir
masks_dir() {
	rm -rf "$BAD/$1"
	mkdir -p "$BAD/$1"
	echo "$BAD/$1"
}

# ---- host inputs (baseline, compare, diff) ------------------------------
: >"$BAD/empty"
expect_error 2 "host input: empty file" "empty file" \
	"$CPUBENCH" compare --mask x86-64-v1 --host "$BAD/empty"
printf 'flags\t: sse2\x00\xff\xfe\x01garbage\x1b[31m\n' >"$BAD/garbage"
expect_error 2 "host input: binary garbage" "binary data" \
	"$CPUBENCH" baseline "$BAD/garbage"
# 100 MB, sparse: refused by its size before a byte is read (no time
# limit here: the peak RSS below shows nothing was read)
truncate -s 100M "$BAD/huge"
expect_error 2 "host input: 100 MB file" "larger than 8 MiB" \
	"$CPUBENCH" compare --mask x86-64-v1 --host "$BAD/huge"
# a 100 MB non-sparse file cannot hide its size from stat either; a /proc
# file (size 0) is read up to the cap only: the same rule holds by reading
rss=$(/usr/bin/time -f %M "$CPUBENCH" compare --mask x86-64-v1 --host "$BAD/huge" 2>&1 >/dev/null | tail -1)
if [ "${SANITIZE:-}" = 1 ]; then
	skipped "peak RSS of a refused 100 MB input: ASan's shadow memory dominates"
elif [ "${rss:-999999}" -lt 32768 ]; then
	ok "100 MB host file: peak RSS $((rss / 1024)) MiB (never read into memory)"
else
	not_ok "100 MB host file: peak RSS ${rss} KiB"
fi
mkdir -p "$BAD/a-directory"
expect_error 2 "host input: a directory" "not a regular file \(a directory\)" \
	"$CPUBENCH" compare --mask x86-64-v1 --host "$BAD/a-directory"
# A FIFO with no writer: opening it must not block (root ignores chmod 000,
# so a FIFO and a directory are the unreadable files every user has)
mkfifo "$BAD/fifo"
expect_error 2 "host input: a FIFO (no writer)" "not a regular file \(a FIFO\)" \
	"$CPUBENCH" compare --mask x86-64-v1 --host "$BAD/fifo"
mkdir -p "$BAD/cpu_map"
mkfifo "$BAD/cpu_map/x86_features.xml"
expect_error 2 "libvirt cpu_map: a FIFO named like its file" "not a regular file \(a FIFO\)" \
	"$CPUBENCH" import libvirt "$BAD/cpu_map" --out "$BAD/cpu_map-out"
expect_error 2 "host input: missing file" "cannot open .*No such file" \
	"$CPUBENCH" baseline "$BAD/no-such-file"
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	# chmod 000 binds only a user without CAP_DAC_OVERRIDE
	cp tests/data/hosts/zen3-epyc-7763.lscpu "$BAD/secret.lscpu"
	chmod 000 "$BAD/secret.lscpu"
	chmod 755 "$TMP" "$BAD"
	expect_error 2 "host input: chmod 000, read as nobody" "cannot open .*Permission denied" \
		setpriv --reuid=65534 --regid=65534 --clear-groups "$CPUBENCH" baseline "$BAD/secret.lscpu"
elif [ "$(id -u)" -ne 0 ]; then
	cp tests/data/hosts/zen3-epyc-7763.lscpu "$BAD/secret.lscpu"
	chmod 000 "$BAD/secret.lscpu"
	expect_error 2 "host input: chmod 000" "cannot open .*Permission denied" \
		"$CPUBENCH" baseline "$BAD/secret.lscpu"
else
	skipped "chmod 000 input: root bypasses it and setpriv is missing"
fi

# ---- mask files (--masks-dir) -------------------------------------------
D=$(masks_dir empty)
: >"$D/empty.mask"
expect_error 2 "mask: empty file" "empty.mask: missing 'name:'" \
	"$CPUBENCH" emit --mask x86-64-v3 --as qemu --masks-dir "$D"
D=$(masks_dir garbage)
printf '\x7fELF\x02\x01\x01\x00\x00\xff\xfe\n\x01\x02name: x\n' >"$D/garbage.mask"
expect_error 2 "mask: binary garbage" "garbage.mask:1:" \
	"$CPUBENCH" emit --mask x86-64-v3 --as qemu --masks-dir "$D"
D=$(masks_dir huge)
truncate -s 100M "$D/huge.mask"
expect_error 2 "mask: 100 MB file" "larger than 1 MiB" \
	"$CPUBENCH" emit --mask x86-64-v3 --as qemu --masks-dir "$D"
D=$(masks_dir fifo)
mkfifo "$D/fifo.mask"
expect_error 2 "mask: a FIFO in --masks-dir" "not a regular file \(a FIFO\)" \
	"$CPUBENCH" verify --mask x86-64-v3 --masks-dir "$D"
D=$(masks_dir dirmask)
mkdir "$D/dir.mask"
expect_error 2 "mask: a directory named *.mask" "not a regular file \(a directory\)" \
	"$CPUBENCH" verify --mask x86-64-v3 --masks-dir "$D"
expect_error 2 "mask: --masks-dir that does not exist" "cannot read mask directory" \
	"$CPUBENCH" verify --mask x86-64-v3 --masks-dir "$BAD/no-such-dir"

# 10,000 lines: parsed in one pass (a valid one, then one with the error last)
D=$(masks_dir long)
{
	echo "name: long"
	echo "inherits: x86-64-v2"
	for i in $(seq 1 3332); do
		echo "# line $i"
		echo "features: +avx2"
		echo "  fma"
	done
	echo "description: 10,000 lines"
} >"$D/long.mask"
[ "$(wc -l <"$D/long.mask")" -eq 9999 ] && echo "features: +bmi2" >>"$D/long.mask"
expect_exit 0 "mask: 10,000 lines" $T "$CPUBENCH" emit --mask long --as qemu --masks-dir "$D"
grep -q 'avx2' "$TMP/out" && grep -q 'bmi2' "$TMP/out" && ok "10,000-line mask: features of its first and last lines" ||
	not_ok "10,000-line mask: $(head -c 200 "$TMP/out")"
echo "features: +no-such-feature" >>"$D/long.mask"
expect_error 2 "mask: 10,001 lines, error on the last" "long.mask:10001: unknown feature 'no-such-feature'" \
	"$CPUBENCH" emit --mask long --as qemu --masks-dir "$D"

D=$(masks_dir loop)
printf 'name: loop-a\ninherits: loop-b\n' >"$D/loop-a.mask"
printf 'name: loop-b\ninherits: loop-c\n' >"$D/loop-b.mask"
printf 'name: loop-c\ninherits: loop-a\n' >"$D/loop-c.mask"
printf 'name: self\ninherits: self\n' >"$D/self.mask"
expect_error 2 "mask: inheritance loop a -> b -> c -> a" "inheritance loop: loop-a -> loop-b -> loop-c -> loop-a" \
	"$CPUBENCH" verify --mask loop-a --masks-dir "$D"
expect_error 2 "mask: a mask that inherits itself" "inheritance loop: self -> self" \
	"$CPUBENCH" emit --mask self --as qemu --masks-dir "$D"
D=$(masks_dir conflict)
printf 'name: both\nfeatures: +avx2 -avx2\n' >"$D/both.mask"
expect_error 2 "mask: +avx2 -avx2 in one file" "both.mask:2: feature 'avx2' is both added and removed" \
	"$CPUBENCH" emit --mask x86-64-v3 --as qemu --masks-dir "$D"
D=$(masks_dir unknownparent)
printf 'name: orphan\ninherits: x86-64-v9\n' >"$D/orphan.mask"
expect_error 2 "mask: unknown parent" "inherits unknown mask 'x86-64-v9'" \
	"$CPUBENCH" emit --mask orphan --as qemu --masks-dir "$D"

# ---- model specs -----------------------------------------------------------
expect_error 2 "spec: conflicting +avx2,-avx2" "conflicting: 'avx2' is both added and removed" \
	"$CPUBENCH" verify --mask x86-64-v3,+avx2,-avx2
expect_error 2 "spec: unknown feature" "unknown feature 'avx3'" \
	"$CPUBENCH" emit --mask x86-64-v3,+avx3 --as qemu
expect_error 2 "spec: unknown model" "unknown mask 'Zen9000'" \
	"$CPUBENCH" compare --mask Zen9000 --host tests/data/hosts/zen3-epyc-7763.lscpu
expect_error 2 "spec: control characters are not echoed" "unknown mask 'x86\?\?64'" \
	"$CPUBENCH" verify --mask "$(printf 'x86\r\03364')"
long=$(printf 'x86-64-v3%0300d' 0)
expect_error 2 "spec: 309 characters" "mask spec too long" "$CPUBENCH" verify --mask "$long"

# ---- the environment ---------------------------------------------------------
expect_error 3 "KVM device: missing" "does not exist" \
	"$CPUBENCH" verify --mask x86-64-v3 --kvm-device "$BAD/no-kvm"
expect_error 3 "KVM device: a directory" "(KVM|cannot open)" \
	"$CPUBENCH" verify --mask x86-64-v3 --kvm-device "$BAD/a-directory"
expect_error 3 "KVM device: /dev/null" "KVM" \
	"$CPUBENCH" verify --mask x86-64-v3 --kvm-device /dev/null
if [ -e /dev/kvm ] && [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	expect_error 3 "KVM device: no permission (as nobody)" "ermission" \
		setpriv --reuid=65534 --regid=65534 --clear-groups "$CPUBENCH" verify --mask x86-64-v3
fi

if [ ! -e /dev/kvm ]; then
	skipped "guest self-tests: /dev/kvm does not exist"
else
	# (A CPUID KVM refuses: tests/test_kvm_integration.c, through the
	# runner itself, without a knob in the program.)

	# Guests that misbehave: per-probe errors, exit 1, never a crash or hang.
	# selftest_case PROBE DETAIL-PATTERN NEXT-PATTERN
	selftest_case() {
		local probe=$1 start ms
		start=$(date +%s%N)
		expect_exit 1 "guest $probe" $T "$CPUBENCH" run --mask x86-64-v3 \
			--probe "$probe,sse2" --timeout 200 --format json
		ms=$((($(date +%s%N) - start) / 1000000))
		d=$(json_get "next(r['outcome'] + ': ' + (r['detail'] or '') for r in j['results'] if r['probe'] == '$probe')")
		echo "$d" | grep -Eq "^error: $2" && ok "$probe: $d ($ms ms)" || not_ok "$probe: '$d'"
		d=$(json_get "next(r['outcome'] + ': ' + (r['detail'] or '') for r in j['results'] if r['probe'] == 'sse2')")
		echo "$d" | grep -Eq "$3" && ok "$probe, then sse2: $d" || not_ok "$probe, then sse2: '$d'"
	}
	selftest_case selftest-hang "timeout: the probe did not finish" "^executed"
	selftest_case selftest-triple-fault "guest triple fault|KVM internal error|guest panic" \
		"^error: not run: (guest triple fault|KVM internal error|guest panic)"
	selftest_case selftest-scribble "mailbox corrupted" "^error: mailbox corrupted"
	$T "$CPUBENCH" verify --mask x86-64-v3 --format json >"$TMP/out" 2>"$TMP/err"
	[ "$(json_get "[r['probe'] for r in j['results'] if r['probe'].startswith('selftest')]")" = "[]" ] &&
		ok "verify runs no self-test" || not_ok "verify ran a self-test"
fi

# ---- valgrind on representative commands (ASan/LSan cover SANITIZE=1) ----
if [ "${SANITIZE:-}" = 1 ]; then
	skipped "valgrind on bad input: this build uses ASan/LSan instead"
elif ! command -v valgrind >/dev/null; then
	skipped "valgrind on bad input: not installed"
else
	vg() {	# vg DESCRIPTION CMD...: no memory errors, no leaks
		local desc=$1
		shift
		$T valgrind -q --error-exitcode=99 --leak-check=full \
			--errors-for-leak-kinds=definite,indirect "$@" >/dev/null 2>"$TMP/vg"
		[ $? -ne 99 ] && ok "valgrind: $desc" || { not_ok "valgrind: $desc"; head -20 "$TMP/vg"; }
	}
	vg "binary host input" "$CPUBENCH" baseline "$BAD/garbage"
	vg "inheritance loop" "$CPUBENCH" verify --mask loop-a --masks-dir "$BAD/loop"
	[ -e /dev/kvm ] && vg "guest scribbles over its mailbox" \
		"$CPUBENCH" run --mask x86-64-v3 --probe selftest-scribble,sse2
fi
