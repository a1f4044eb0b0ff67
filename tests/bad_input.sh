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

# expect_error STATUS DESCRIPTION PATTERN CMD...: the status, and stderr
# one line matching PATTERN.
expect_error() {
	local want=$1 desc=$2 pat=$3
	shift 3
	expect_exit "$want" "$desc" "$@"
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
expect_exit 0 "mask: 10,000 lines" "$CPUBENCH" emit --mask long --as qemu --masks-dir "$D"
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
		expect_exit 1 "guest $probe" "$CPUBENCH" run --mask x86-64-v3 \
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
	"$CPUBENCH" verify --mask x86-64-v3 --format json >"$TMP/out" 2>"$TMP/err"
	[ "$(json_get "[r['probe'] for r in j['results'] if r['probe'].startswith('selftest')]")" = "[]" ] &&
		ok "verify runs no self-test" || not_ok "verify ran a self-test"
fi

# ---- outputs, files, children, names, text, CI formats (issue 13) ----------
# Every row of this section fails on the code before issue 13.

# to FILE CMD...: CMD with its standard output on FILE (a device, a closed pipe)
TO="sh -c"
# The output: every write checked; a failure is exit 2, one line naming it.
for cmd in "masks" "masks --format json" "show x86-64-v3" "probes" "host" \
	"--help" "--version" "verify --help" "diff x86-64-v2 x86-64-v3" \
	"emit --mask x86-64-v2 --as libvirt" "baseline tests/data/hosts/zen3-epyc-7763.lscpu"; do
	# shellcheck disable=SC2086
	expect_error 2 "output: $cmd > /dev/full" \
		"^cpubench: cannot write standard output: No space left on device$" \
		$TO 'exec "$@" >/dev/full' sh "$CPUBENCH" $cmd
done
expect_error 2 "output: import libvirt's summary > /dev/full" "cannot write standard output" \
	$TO 'exec "$@" >/dev/full' sh "$CPUBENCH" import libvirt --out "$BAD/lv-full"
expect_error 2 "output: masks with standard output closed" "cannot write standard output: Bad file descriptor" \
	$TO 'exec "$@" >&-' sh "$CPUBENCH" masks
# a reader that went away: EPIPE, the same exit 2 for every command (the
# read end is closed before cpubench starts, so this is no race)
closed_pipe='import os, subprocess, sys
r, w = os.pipe(); os.close(r)
sys.exit(subprocess.call(sys.argv[1:], stdout=w))'
for cmd in "masks" "probes --format json" "show x86-64-v3"; do
	# shellcheck disable=SC2086
	expect_error 2 "output: $cmd into a closed pipe" "cannot write standard output: Broken pipe" \
		python3 -c "$closed_pipe" "$CPUBENCH" $cmd
done

# Files replaced safely: --save, --output, import --out.
OUT=$BAD/out
mkdir -p "$OUT"
echo '{"kept": true}' >"$OUT/victim.json"
ln -sf victim.json "$OUT/link.json"
mkfifo "$OUT/fifo.json"
expect_error 2 "host --save through a symbolic link: refused" "link.json: a symbolic link" \
	"$CPUBENCH" host --save "$OUT/link.json"
grep -q '"kept": true' "$OUT/victim.json" && ok "host --save: the link's target is untouched" ||
	not_ok "host --save wrote through the link"
expect_error 2 "host --save into a FIFO: refused, no wait" "fifo.json: not a regular file \(a FIFO\)" \
	"$CPUBENCH" host --save "$OUT/fifo.json"
for t in link.json fifo.json victim.json/x /dev/null "$OUT"; do
	case $t in /*) p=$t ;; *) p=$OUT/$t ;; esac
	expect_error 2 "--output $t: refused before anything runs" \
		"(symbolic link|not a regular file|cannot write)" "$CPUBENCH" masks --output "$p"
done
# a full disk (RLIMIT_FSIZE stands for one): the old file stays whole and
# no temporary file is left; SIGXFSZ ignored, the write fails with EFBIG
cp "$OUT/victim.json" "$OUT/good.json"
expect_error 2 "host --save on a full disk" "cannot write .*good.json: File too large" \
	$TO 'ulimit -f 1; trap "" XFSZ; exec "$@"' sh "$CPUBENCH" host --save "$OUT/good.json"
expect_error 2 "--output on a full disk" "cannot write .*good.json: File too large" \
	$TO 'ulimit -f 1; trap "" XFSZ; exec "$@"' sh "$CPUBENCH" masks --output "$OUT/good.json"
cmp -s "$OUT/victim.json" "$OUT/good.json" && [ "$(ls -A "$OUT" | grep -c tmp)" = 0 ] &&
	ok "full disk: the previous file intact, no temporary file" ||
	not_ok "full disk: $(ls -A "$OUT" | tr '\n' ' ')"
chmod 640 "$OUT/good.json"
expect_exit 0 "--output FILE" "$CPUBENCH" masks --format json --output "$OUT/good.json"
[ ! -s "$TMP/out" ] && python3 -c "import json; assert json.load(open('$OUT/good.json'))['count']" &&
	[ "$(stat -c %a "$OUT/good.json")" = 640 ] &&
	ok "--output FILE: the report in FILE, nothing on stdout, FILE's mode kept" ||
	not_ok "--output FILE: $(head -c 100 "$OUT/good.json")"
expect_error 2 "--output given twice" "output given twice" \
	"$CPUBENCH" probes --output "$OUT/a" --output "$OUT/b"

# Child processes (a stand-in QEMU serves QMP: tests/fake_qemu.py).
FAKE=tests/fake_qemu.py
expect_error 3 "import qemu: a QEMU that exits at once is noticed at once" \
	"QEMU exited \(exit status 0\) before it opened its QMP socket" \
	"$CPUBENCH" import qemu --qemu /bin/true --out "$BAD/q-true"
expect_exit 0 "import qemu: a QEMU that ignores SIGTERM and quit is killed, no hang" \
	env FAKE_QEMU_MODE=stubborn FAKE_QEMU_PID="$BAD/q-pid" "$CPUBENCH" import qemu \
	--qemu "$FAKE" --out "$BAD/q-stubborn"
left=$(cat "$BAD/q-pid")
[ -n "$left" ] && ! kill -0 "$left" 2>/dev/null && ok "import qemu: the stubborn QEMU is gone" ||
	{ not_ok "import qemu left '$left' running"; kill -KILL "$left"; }
mkdir -p "$BAD/tmpdir"
expect_exit 0 "import qemu under TMPDIR" env TMPDIR="$BAD/tmpdir" FAKE_QEMU_MODE=argv \
	FAKE_QEMU_ARGV="$BAD/q-argv" "$CPUBENCH" import qemu --qemu "$FAKE" --out "$BAD/q-tmp"
grep -q "^unix:$BAD/tmpdir/cpubench-" "$BAD/q-argv" && [ -z "$(ls -A "$BAD/tmpdir")" ] &&
	ok "import qemu: its socket under TMPDIR, removed after" ||
	not_ok "import qemu: QMP at $(grep unix: "$BAD/q-argv"), left: $(ls -A "$BAD/tmpdir")"

# Names from QEMU: checked before anything is written, --out only.
# qemu_names DESC PATTERN DEFS: import of the models DEFS (query-cpu-definitions)
qemu_names() {
	rm -rf "$BAD/qn" "$BAD/evil.mask"
	expect_error 2 "import qemu: $1" "$2" env FAKE_QEMU_DEFS="$3" \
		"$CPUBENCH" import qemu --qemu "$FAKE" --out "$BAD/qn"
	[ -z "$(ls -A "$BAD/qn" 2>/dev/null)" ] && [ ! -e "$BAD/evil.mask" ] &&
		ok "import qemu: $1: nothing written" || not_ok "import qemu: $1: wrote $(ls "$BAD/qn")"
}
qemu_names "a name with ../" "model name '\.\./evil' cannot name a mask file: it must be 1 to 63 " \
	'[{"name": "../evil"}]'
qemu_names "a name with a newline" "model name 'x\?features: \+avx512f' cannot name" \
	'[{"name": "x\nfeatures: +avx512f"}]'
long=$(printf 'M%.0s' $(seq 70))
qemu_names "two names sharing their first 63 characters" "cannot name a mask file: it must be 1 to 63" \
	"[{\"name\": \"${long}1\"}, {\"name\": \"${long}2\"}]"
qemu_names "names that differ in case only" "'Haswell-v1' .* 'haswell-v1' differ only in case" \
	'[{"name": "Haswell-v1"}, {"name": "haswell-v1"}]'
qemu_names "a duplicate" "both define model 'Haswell-v1'" \
	'[{"name": "Haswell-v1"}, {"name": "Haswell-v1"}]'
qemu_names "an alias loop" "inherits itself" \
	'[{"name": "A", "alias-of": "B"}, {"name": "B", "alias-of": "A"}]'
qemu_names "an alias of a missing model" "'A' inherits 'Nope', which this import does not define" \
	'[{"name": "A", "alias-of": "Nope"}]'

# Names from libvirt's XML: the same, with the file named.
LV=$BAD/lv-map
lv_model() {	# lv_model FILE NAME [PARENT]: one model file of $LV
	{
		printf '<cpus>\n  <model name="%s">\n' "$2"
		[ -n "${3:-}" ] && printf '    <model name="%s"/>\n' "$3"
		printf '    <feature name="sse2"/>\n  </model>\n</cpus>\n'
	} >"$LV/$1"
}
# lv_names DESC PATTERN: the import of $LV's models fails, writes nothing
lv_names() {
	rm -rf "$BAD/lvn" "$BAD/libvirt-evil.mask"
	expect_error 2 "import libvirt: $1" "$2" "$CPUBENCH" import libvirt "$LV" --out "$BAD/lvn"
	[ -z "$(ls -A "$BAD/lvn" 2>/dev/null)" ] && [ ! -e "$BAD/libvirt-evil.mask" ] &&
		ok "import libvirt: $1: nothing written" || not_ok "import libvirt: $1: wrote $(ls "$BAD/lvn")"
	rm -f "$LV/x86_a.xml" "$LV/x86_b.xml"
}
mkdir -p "$LV"
cp /usr/share/libvirt/cpu_map/x86_features.xml /usr/share/libvirt/cpu_map/x86_vendors.xml "$LV/" 2>/dev/null ||
	printf '<cpus/>\n' | tee "$LV/x86_features.xml" >"$LV/x86_vendors.xml"
lv_model x86_a.xml "../../evil"
lv_names "a model name with ../" "x86_a.xml: model name '\.\./\.\./evil' cannot name a mask file"
lv_model x86_a.xml "base"
lv_model x86_b.xml "child" "base&#10;features: +avx512f"
lv_names "a parent name injecting a line" "x86_b.xml: model name 'base\?features: \+avx512f' cannot name"
lv_model x86_a.xml "${long}1"
lv_model x86_b.xml "${long}2"
lv_names "two names sharing their first 63 characters" "it must be 1 to 55 letters"
lv_model x86_a.xml "Haswell"
lv_model x86_b.xml "haswell"
lv_names "names that differ in case only" "differ only in case"
lv_model x86_a.xml "Haswell"
lv_model x86_b.xml "Haswell"
lv_names "two files, one model" "x86_a.xml and x86_b.xml both define model 'libvirt-Haswell'"
lv_model x86_a.xml "loop-a" "loop-b"
lv_model x86_b.xml "loop-b" "loop-a"
lv_names "an inheritance loop" "inherits itself"
lv_model x86_a.xml "orphan" "Nope"
lv_names "a missing parent" "x86_a.xml: model 'libvirt-orphan' inherits 'libvirt-Nope', which this import does not define"
mkdir -p "$BAD/lvo"
echo "name: victim" >"$BAD/victim.mask"
ln -sf "$BAD/victim.mask" "$BAD/lvo/libvirt-good.mask"
lv_model x86_a.xml "good"
expect_error 2 "import libvirt --out: a mask file that is a symbolic link" "libvirt-good.mask: a symbolic link" \
	"$CPUBENCH" import libvirt "$LV" --out "$BAD/lvo"
[ "$(cat "$BAD/victim.mask")" = "name: victim" ] && ok "import libvirt: the link's target untouched" ||
	not_ok "import libvirt wrote through a link"
rm -f "$LV/x86_a.xml" "$LV/x86_b.xml"

# Text out: control bytes escaped in every human output and in errors.
D=$(masks_dir ctl)
printf 'name: ctl\ninherits: x86-64-v1\ndescription: a\rb\xc2\x9b31mc\n' >"$D/ctl.mask"
for cmd in "show ctl" "masks"; do
	# shellcheck disable=SC2086
	expect_exit 0 "text: $cmd with a CR and a C1 CSI in a description" "$CPUBENCH" $cmd --masks-dir "$D"
	! LC_ALL=C grep -aq $'\r\|\xc2\x9b' "$TMP/out" && grep -q 'a?b?31mc' "$TMP/out" &&
		ok "text: $cmd escapes them (a?b?31mc)" || not_ok "text: $cmd printed them raw"
done
expect_error 2 "text: an error quoting a C1 CSI" "unknown mask 'x\?31m'" \
	"$CPUBENCH" verify --mask "$(printf 'x\xc2\x9b31m')"
if command -v qemu-system-x86_64 >/dev/null; then
	# the guest overwrites its mailbox, identity included, with 0xa5 bytes
	expect_exit 1 "text: the guest's scribbled identity, table" "$CPUBENCH" run \
		--backend qemu-tcg --mask x86-64-v2 --probe selftest-scribble,sse2
	LC_ALL=C grep -a '^guest id' "$TMP/out" | LC_ALL=C grep -q $'\xa5' && not_ok "text: guest id line printed raw" ||
		ok "text: the guest id line escapes the guest's bytes"
	expect_exit 1 "text: the guest's scribbled identity, JSON" "$CPUBENCH" run \
		--backend qemu-tcg --mask x86-64-v2 --probe selftest-scribble,sse2 --format json
	[ "$(json_get "j['guest_cpuid']['identity']['vendor']")" = "????????????" ] &&
		ok "text: JSON carries the identity as '?', not 'out of memory'" ||
		not_ok "text: JSON identity: $(head -c 200 "$TMP/out")"
	# exit codes: the TCG triple-fault self-test ends as README says
	expect_exit 1 "TCG triple fault: an error outcome, exit 1" "$CPUBENCH" run \
		--backend qemu-tcg --mask x86-64-v2 --probe selftest-triple-fault,sse2 --format json
	d=$(json_get "next(r['verdict'] + ': ' + (r['detail'] or '') for r in j['results'] if r['probe'] == 'selftest-triple-fault')")
	echo "$d" | grep -q "^error: QEMU: guest triple fault" && ok "TCG triple fault: $d" || not_ok "TCG triple fault: '$d'"
	# JUnit carries time and timestamp
	expect_exit 0 "junit of a qemu-tcg run" "$CPUBENCH" run --backend qemu-tcg --mask x86-64-v2 \
		--probe sse2 --format junit
	grep -Eq '<testsuite [^>]* time="[0-9]+\.[0-9]{3}" timestamp="[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}"' "$TMP/out" &&
		xmllint --noout --schema tests/junit.xsd "$TMP/out" 2>/dev/null &&
		ok "junit: <testsuite> has time and timestamp, and validates" || not_ok "junit: $(grep '<testsuite ' "$TMP/out")"
else
	skipped "guest text and TCG self-tests: qemu-system-x86_64 is not installed"
fi

# CI formats always parse: on exit 2 or 3, an error document.
ci_doc() {	# ci_doc STATUS DESC CMD...: --format junit, tap and json of CMD
	local want=$1 desc=$2
	shift 2
	expect_exit "$want" "$desc, junit" "$@" --format junit
	xmllint --noout --schema tests/junit.xsd "$TMP/out" 2>/dev/null &&
		xmllint --xpath "//testcase/error/@message" "$TMP/out" >/dev/null 2>&1 &&
		ok "$desc: junit validates, with an <error>" || not_ok "$desc: junit: $(head -c 200 "$TMP/out")"
	expect_exit "$want" "$desc, tap" "$@" --format tap
	grep -q '^TAP version 13$' "$TMP/out" && grep -q '^Bail out! ' "$TMP/out" &&
		ok "$desc: tap bails out" || not_ok "$desc: tap: $(head -c 200 "$TMP/out")"
	expect_exit "$want" "$desc, json" "$@" --format json
	[ "$(json_get "(j['passed'], j['exit_status'], bool(j['error']))")" = "(False, $want, True)" ] &&
		ok "$desc: json has error and passed: false" || not_ok "$desc: json: $(head -c 200 "$TMP/out")"
}
ci_doc 2 "CI: verify of an unknown model" "$CPUBENCH" verify --mask no-such-model
ci_doc 2 "CI: matrix of an unknown model" "$CPUBENCH" matrix --masks no-such-model
ci_doc 3 "CI: verify without a KVM device" "$CPUBENCH" verify --mask x86-64-v2 --kvm-device "$BAD/no-kvm"
rm -f "$OUT/ci.xml"
expect_exit 2 "CI: --output gets the error document too" "$CPUBENCH" verify --mask no-such-model \
	--format junit --output "$OUT/ci.xml"
xmllint --noout --schema tests/junit.xsd "$OUT/ci.xml" 2>/dev/null && ok "CI: --output's JUnit validates" ||
	not_ok "CI: --output: $(head -c 200 "$OUT/ci.xml" 2>&1)"
expect_exit 2 "CI: probes > /dev/full is 2, never 3" $TO 'exec "$@" >/dev/full' sh "$CPUBENCH" probes

# Inheritance: memoized, linear, with a depth limit.
D=$(masks_dir chain)
printf 'name: c0\ninherits: x86-64-v1\n' >"$D/c0.mask"
for i in $(seq 1 4999); do printf 'name: c%d\ninherits: c%d\n' "$i" $((i - 1)) >"$D/c$i.mask"; done
expect_error 2 "inheritance: a chain of 5,000 masks, one clear error" "inheritance deeper than 128 levels" \
	"$CPUBENCH" masks --masks-dir "$D"
expect_exit 0 "inheritance: 100 deep works" "$CPUBENCH" show c99 --masks-dir "$D"
grep -q '^inherits     c98$' "$TMP/out" && ok "inheritance: c99 inherits c98" || not_ok "inheritance: $(head -5 "$TMP/out")"

# ---- valgrind on representative commands (ASan/LSan cover SANITIZE=1) ----
if [ "${SANITIZE:-}" = 1 ]; then
	skipped "valgrind on bad input: this build uses ASan/LSan instead"
elif ! command -v valgrind >/dev/null; then
	skipped "valgrind on bad input: not installed"
else
	vg() {	# vg DESCRIPTION CMD...: no memory errors, no leaks
		local desc=$1
		shift
		valgrind -q --error-exitcode=99 --leak-check=full \
			--errors-for-leak-kinds=definite,indirect "$@" >/dev/null 2>"$TMP/vg"
		[ $? -ne 99 ] && ok "valgrind: $desc" || { not_ok "valgrind: $desc"; head -20 "$TMP/vg"; }
	}
	vg "binary host input" "$CPUBENCH" baseline "$BAD/garbage"
	vg "inheritance loop" "$CPUBENCH" verify --mask loop-a --masks-dir "$BAD/loop"
	[ -e /dev/kvm ] && vg "guest scribbles over its mailbox" \
		"$CPUBENCH" run --mask x86-64-v3 --probe selftest-scribble,sse2
fi
