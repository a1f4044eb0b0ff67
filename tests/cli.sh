#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Command-line tests: exit statuses, one-line errors, JSON validity, and
# verdicts whose expectation is derived from the backend the run reports.
# Needs /dev/kvm for the tests that boot guests; those skip, with the
# reason, only where /dev/kvm is truly absent.
set -u
CPUBENCH=${CPUBENCH:-build/cpubench}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0
skip=0

ok() { pass=$((pass + 1)); echo "ok - $1"; }
not_ok() { fail=$((fail + 1)); echo "not ok - $1"; }
skipped() { skip=$((skip + 1)); echo "skip - $1"; }

# expect_exit STATUS DESCRIPTION CMD...: runs CMD, checks its exit status;
# stdout in $TMP/out, stderr in $TMP/err.
expect_exit() {
	local want=$1 desc=$2
	shift 2
	"$@" >"$TMP/out" 2>"$TMP/err"
	local got=$?
	if [ "$got" -eq "$want" ]; then ok "$desc (exit $got)"; else
		not_ok "$desc: exit $got, wanted $want"; sed 's/^/    /' "$TMP/err" | head -5; fi
}

# one_line_error DESCRIPTION PATTERN: stderr is one line matching PATTERN.
# (Lines of the coverage runtime, which a coverage build running as another
# user prints when it cannot write its data, are not cpubench's.)
one_line_error() {
	local lines
	grep -v '^profiling:\|^libgcov' "$TMP/err" >"$TMP/err.own"
	mv "$TMP/err.own" "$TMP/err"
	lines=$(wc -l <"$TMP/err")
	if [ "$lines" -eq 1 ] && grep -Eq -- "$2" "$TMP/err"; then ok "$1"; else
		not_ok "$1: stderr was:"; sed 's/^/    /' "$TMP/err" | head -5; fi
}

# json_get EXPR: evaluates a Python expression over the JSON in $TMP/out (j).
json_get() {
	python3 -c "import json,sys; j=json.load(open('$TMP/out')); print($1)"
}

result_field() {	# result_field PROBE FIELD
	json_get "next(r['$2'] for r in j['results'] if r['probe'] == '$1')"
}

expect_exit 0 "--version" "$CPUBENCH" --version
grep -q '^cpubench [0-9]' "$TMP/out" && ok "--version prints the version" || not_ok "--version output"
expect_exit 0 "--help" "$CPUBENCH" --help
expect_exit 0 "verify --help" "$CPUBENCH" verify --help
expect_exit 2 "no arguments" "$CPUBENCH"
expect_exit 2 "unknown command" "$CPUBENCH" frobnicate
one_line_error "unknown command: one line" "unknown command 'frobnicate'"
expect_exit 2 "verify without --mask" "$CPUBENCH" verify
one_line_error "verify without --mask: one line" "needs --mask"
expect_exit 2 "unknown option" "$CPUBENCH" verify --mask x86-64-v3 --frob
one_line_error "unknown option: one line" "unknown option '--frob'"
expect_exit 2 "bad --format" "$CPUBENCH" verify --mask x86-64-v3 --format yaml
expect_exit 2 "bad --ring" "$CPUBENCH" verify --mask x86-64-v3 --ring 1
expect_exit 2 "unknown model" "$CPUBENCH" verify --mask no-such-model
one_line_error "unknown model: one line" "unknown mask 'no-such-model'"
expect_exit 2 "misspelt model gets a suggestion" "$CPUBENCH" verify --mask x86-64-v5
one_line_error "misspelt model: suggestion" "did you mean 'x86-64-v[0-9]"
expect_exit 2 "unknown feature" "$CPUBENCH" verify --mask x86-64-v3,+avx3
one_line_error "unknown feature: one line" "avx3"
expect_exit 2 "conflicting features" "$CPUBENCH" verify --mask x86-64-v3,+avx2,-avx2
one_line_error "conflicting features: one line" "avx2"
expect_exit 2 "run without --probe" "$CPUBENCH" run --mask x86-64-v3
expect_exit 2 "unknown probe" "$CPUBENCH" run --mask x86-64-v3 --probe nosuch
one_line_error "unknown probe: one line" "unknown probe 'nosuch'"
expect_exit 3 "missing KVM device" "$CPUBENCH" verify --mask x86-64-v3 --kvm-device "$TMP/no-kvm"
one_line_error "missing KVM device: one line" "does not exist"
touch "$TMP/not-kvm"
expect_exit 3 "a file that is not a KVM device" "$CPUBENCH" verify --mask x86-64-v3 --kvm-device "$TMP/not-kvm"
one_line_error "not a KVM device: one line" "KVM_GET_API_VERSION"
if [ "$(id -u)" -ne 0 ] || command -v setpriv >/dev/null; then
	if [ -e /dev/kvm ] && command -v setpriv >/dev/null && [ "$(id -u)" -eq 0 ]; then
		expect_exit 3 "KVM device without permission" \
			setpriv --reuid=65534 --regid=65534 --clear-groups "$CPUBENCH" verify --mask x86-64-v3
		one_line_error "no permission: one line" "permission"
	fi
fi

if [ ! -e /dev/kvm ]; then
	skipped "guest-booting tests: /dev/kvm does not exist on this machine"
else
	# Whether a model holds depends on the host: the exit status must agree
	# with the report's own "passed".
	exit_matches_passed() {
		local st=$1 passed
		passed=$(json_get "j['passed']")
		if { [ "$passed" = True ] && [ "$st" -eq 0 ]; } || { [ "$passed" = False ] && [ "$st" -eq 1 ]; }; then
			ok "$2: exit $st agrees with passed=$passed"
		else
			not_ok "$2: exit $st, passed=$passed"
		fi
	}
	"$CPUBENCH" verify --mask x86-64-v3 --format json >"$TMP/out" 2>"$TMP/err"
	st=$?
	if python3 -m json.tool "$TMP/out" >/dev/null 2>&1; then ok "JSON is valid"; else not_ok "JSON is invalid"; fi
	exit_matches_passed $st "verify x86-64-v3"
	n=$(json_get "len(j['results'])")
	[ "$n" -ge 40 ] && ok "at least 40 results ($n)" || not_ok "only $n results"
	backend=$(json_get "j['backend']")
	echo "# backend: $backend"
	[ "$(result_field sse2 verdict)" = ok ] && ok "SSE2 control executes" || not_ok "SSE2 control: $(result_field sse2 verdict)"

	# x86-64-v2 hides AVX2. On VMX/SVM, KVM keeps YMM out of XCR0, so it
	# faults; on PVM ring 3 runs natively with the host's XCR0: a leak.
	"$CPUBENCH" verify --mask x86-64-v2 --format json >"$TMP/out" 2>"$TMP/err"
	exit_matches_passed $? "verify x86-64-v2"
	v=$(result_field avx2 verdict) l=$(result_field avx2 leak)
	host_avx2=$(grep -m1 -cw avx2 /proc/cpuinfo)
	case "$backend" in
	kvm-pvm) want="leak expected" ;;
	*) want="hidden None" ;;
	esac
	[ "$host_avx2" -eq 0 ] && want="hidden None"
	[ "$v $l" = "$want" ] && ok "x86-64-v2: avx2 is '$want' on $backend" || not_ok "x86-64-v2: avx2 is '$v $l', wanted '$want'"
	leaks=$(json_get "j['summary']['leak']")
	if [ "$leaks" -gt 0 ]; then
		expect_exit 1 "x86-64-v2 --strict fails on its $leaks leaks" "$CPUBENCH" verify --mask x86-64-v2 --strict
	else
		expect_exit 0 "x86-64-v2 --strict holds without leaks" "$CPUBENCH" verify --mask x86-64-v2 --strict
	fi

	# x86-64-v4 advertises AVX-512: it executes only where the CPU has it.
	"$CPUBENCH" verify --mask x86-64-v4 --format json >"$TMP/out" 2>"$TMP/err"
	st=$?
	v=$(result_field avx512f verdict)
	if grep -qw avx512f /proc/cpuinfo; then want=ok; else want=missing; fi
	[ "$v" = "$want" ] && ok "x86-64-v4: avx512f is $want (host cpuinfo)" || not_ok "x86-64-v4: avx512f is $v, wanted $want"
	[ "$want" = missing ] && { [ "$st" -eq 1 ] && ok "x86-64-v4 exits 1" || not_ok "x86-64-v4 exits $st"; }

	# A fault never ends the run: UD2 then SSE2 in one VM.
	expect_exit 0 "run selftest-ud2,sse2" "$CPUBENCH" run --mask x86-64-v1 --probe selftest-ud2,sse2 --format json
	[ "$(result_field selftest-ud2 exception)" = "#UD" ] && ok "ud2 captured as #UD" || not_ok "ud2: $(result_field selftest-ud2 exception)"
	[ "$(result_field sse2 verdict)" = ok ] && ok "probe after a fault still runs" || not_ok "probe after ud2: $(result_field sse2 verdict)"

	"$CPUBENCH" verify --mask x86-64-v3 >"$TMP/out" 2>"$TMP/err"
	grep -q 'sse2' "$TMP/out" && grep -Eq 'PASS|FAIL' "$TMP/out" && ok "table has rows and a summary" || not_ok "table output"

	# migrate on KVM: the guest reaches the point, its state moves, and the
	# exit status agrees with the report (1: refused or crashed).
	"$CPUBENCH" migrate --from x86-64-v3 --to x86-64-v2 --backend kvm --format json >"$TMP/out" 2>"$TMP/err"
	st=$?
	if python3 -m json.tool "$TMP/out" >/dev/null 2>&1; then ok "migrate kvm: JSON is valid"; else not_ok "migrate kvm: JSON is invalid"; fi
	[ "$(json_get "j['reached_migration_point']")" = True ] && ok "migrate kvm: guest reached the migration point" || not_ok "migrate kvm: no migration point"
	want=$(json_get "1 if j['restore_refused'] or j['crash_reproduced'] else 0")
	[ "$st" -eq "$want" ] && ok "migrate kvm: exit $st agrees with the report" || not_ok "migrate kvm: exit $st, report says $want"
	[ "$(json_get "j['resumed'] or j['restore_refused']")" = True ] && ok "migrate kvm: resumed on B or refusal reported" || not_ok "migrate kvm: neither resumed nor refused"
	"$CPUBENCH" migrate --from x86-64-v2 --to x86-64-v3 --backend kvm --format json >"$TMP/out" 2>"$TMP/err"
	st=$?
	[ "$st" -eq 0 ] && [ "$(json_get "j['resumed'] and not j['post_migration_faults']")" = True ] &&
		ok "migrate kvm v2 -> v3: resumed, no fault, exit 0" || not_ok "migrate kvm v2 -> v3: exit $st"

	if [ "${SANITIZE:-}" = 1 ]; then
		skipped "valgrind: this build uses ASan, which checks it instead"
	elif command -v valgrind >/dev/null; then
		valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
			"$CPUBENCH" verify --mask x86-64-v3,-avx2 >"$TMP/out" 2>"$TMP/err"
		st=$?
		[ "$st" -ne 99 ] && ok "valgrind: no errors or leaks (exit $st)" || { not_ok "valgrind found errors"; head -20 "$TMP/err"; }
	else
		skipped "valgrind: not installed"
	fi
fi

# the source tree: layering of bench/, one x86 header
. "$(dirname "$0")/source_tree.sh"

# hosts and clusters: host, baseline, compare, diff, emit
. "$(dirname "$0")/cli_host.sh"

# report formats, the probe catalog, the matrix, raw guest OS (issue 4)
. "$(dirname "$0")/cli_reports.sh"

# the model catalog: masks, show, import (issue 3)
. "$(dirname "$0")/cli_catalog.sh"

# the bad-input matrix: files, specs, devices, misbehaving guests (issue 7)
. "$(dirname "$0")/bad_input.sh"

# --jobs, run statistics, cpubench floor (issue 16)
. "$(dirname "$0")/cli_jobs.sh"

# help, suggestions, man page, completions, install (issue 14)
. "$(dirname "$0")/cli_help.sh"

# the QEMU backends, --compare-backends, migrate (issue 6)
. "$(dirname "$0")/cli_qemu.sh"

# output for a terminal and for CI logs: width, progress, colour (issue 14)
. "$(dirname "$0")/cli_term.sh"

# contrib/ansible/site.yml on a three-host inventory (issue 17)
. "$(dirname "$0")/ansible.sh"

# signals at random moments leave no QEMU and no temporary file (issue 13)
. "$(dirname "$0")/signals.sh"

echo "cli: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
