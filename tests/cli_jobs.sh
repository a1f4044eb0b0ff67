#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Sourced by tests/cli.sh (issue 16): --jobs, the run statistics in the
# JSON report, cpubench floor; and, where /dev/kvm exists, that verify,
# run and matrix say the same whatever --jobs is: the results of probes
# spread over vCPUs are those of one vCPU, misbehaving guests included.

# ---- usage: no KVM needed --------------------------------------------------
for bad in 0 -1 257 two "" 1x; do
	expect_exit 2 "verify --jobs '$bad'" "$CPUBENCH" verify --mask x86-64-v3 --jobs "$bad"
	one_line_error "verify --jobs '$bad': one line" "jobs takes a number of vCPUs from 1 to 256"
done
expect_exit 2 "matrix --jobs 0" "$CPUBENCH" matrix --masks x86-64-v1 --jobs 0
one_line_error "matrix --jobs 0: one line" "jobs takes"
expect_exit 0 "floor --help" "$CPUBENCH" floor --help
grep -q "usage: cpubench floor" "$TMP/out" && ok "floor --help: usage" || not_ok "floor --help: no usage"
expect_exit 2 "floor --format junit" "$CPUBENCH" floor --format junit
one_line_error "floor --format junit: one line" "format takes table or json"
expect_exit 2 "floor --runs 0" "$CPUBENCH" floor --runs 0
one_line_error "floor --runs 0: one line" "runs takes 1 to 1000"
expect_exit 2 "floor with an argument" "$CPUBENCH" floor x86-64-v3
expect_exit 3 "floor without a KVM device" "$CPUBENCH" floor --kvm-device "$TMP/no-kvm"
one_line_error "floor without a KVM device: one line" "does not exist"
"$CPUBENCH" --help | grep -q "^  floor" && ok "--help lists floor" || not_ok "--help lacks floor"

if [ ! -e /dev/kvm ]; then
	skipped "--jobs against one vCPU, run statistics, floor: /dev/kvm does not exist"
else

	# ---- the same results whatever --jobs --------------------------------------
	# json_results FILE: the report without its run statistics (vCPUs, times
	# and exit counts are how it ran, not what it found).
	json_results() {
		python3 -c "
	import json, sys
	j = json.load(open(sys.argv[1]))
	docs = j['models'] if 'models' in j else [j]
	for d in docs:
	    d.pop('stats', None)
	print(json.dumps(j, sort_keys=True))" "$1"
	}

	same_with_jobs() {	# same_with_jobs DESCRIPTION CMD...: --jobs 1, the default, --jobs 3
		local desc=$1 st1 st
		shift
		"$@" --jobs 1 >"$TMP/j1" 2>"$TMP/j1.err"
		st1=$?
		for j in default 3; do
			if [ "$j" = default ]; then "$@" >"$TMP/jn" 2>"$TMP/jn.err"; else
				"$@" --jobs "$j" >"$TMP/jn" 2>"$TMP/jn.err"; fi
			st=$?
			if [ "$st" = "$st1" ] && [ "$(json_results "$TMP/j1")" = "$(json_results "$TMP/jn")" ]; then
				ok "$desc: --jobs $j says what --jobs 1 says (exit $st)"
			else
				not_ok "$desc: --jobs $j (exit $st) differs from --jobs 1 (exit $st1)"
				diff <(json_results "$TMP/j1" | tr ',' '\n') <(json_results "$TMP/jn" | tr ',' '\n') | head -10
			fi
		done
	}
	same_with_jobs "verify x86-64-v3" "$CPUBENCH" verify --mask x86-64-v3 --format json
	same_with_jobs "verify x86-64-v2 --ring 0" "$CPUBENCH" verify --mask x86-64-v2 --ring 0 --format json
	same_with_jobs "verify host --guest-os raw" "$CPUBENCH" verify --mask host --guest-os raw --format json
	same_with_jobs "matrix of four models" "$CPUBENCH" matrix --masks x86-64-v1,x86-64-v2,x86-64-v3,host --format json
	# guests that hang, triple-fault or overwrite their mailbox, among others
	for p in selftest-hang selftest-triple-fault selftest-scribble; do
		same_with_jobs "run sse2,$p,avx2,pku" "$CPUBENCH" run --mask x86-64-v3 \
			--probe "sse2,$p,avx2,pku" --timeout 200 --format json
	done
	"$CPUBENCH" matrix --masks x86-64-v2,x86-64-v3 --jobs 1 >"$TMP/m1" 2>&1
	"$CPUBENCH" matrix --masks x86-64-v2,x86-64-v3 >"$TMP/m2" 2>&1
	cmp -s "$TMP/m1" "$TMP/m2" && ok "matrix table: the same bytes with --jobs 1 and the default" ||
		not_ok "matrix table differs with --jobs"

	# ---- run statistics ----------------------------------------------------------
	"$CPUBENCH" verify --mask x86-64-v3 --format json --jobs 2 >"$TMP/out" 2>"$TMP/err"
	n=$(json_get "len(j['results'])")
	[ "$(json_get "j['stats']['vcpus']")" = 2 ] && ok "stats: 2 vCPUs with --jobs 2" || not_ok "stats: vcpus $(json_get "j['stats']['vcpus']")"
	[ "$(json_get "j['stats']['probes']")" = "$n" ] && ok "stats: $n probes" || not_ok "stats: probes $(json_get "j['stats']['probes']"), results $n"
	[ "$(json_get "j['stats']['kvm_runs'] >= 2 and j['stats']['wall_ms'] > 0")" = True ] &&
		ok "stats: a KVM_RUN a vCPU at least, a wall time" || not_ok "stats: $(json_get "j['stats']")"
	[ "$(json_get "j['stats']['exits'] is None or abs(j['stats']['exits_per_probe'] - j['stats']['exits'] / $n) < 1e-3")" = True ] &&
		ok "stats: exits per probe is exits / probes" || not_ok "stats: $(json_get "j['stats']")"

	# ---- the floor -----------------------------------------------------------------
	expect_exit 0 "floor --format json --runs 3" "$CPUBENCH" floor --format json --runs 3
	keys=$(json_get "' '.join(f['key'] for f in j['figures'] if f['ns'] is not None)")
	[ "$keys" = "boot kvm_run exception ring_switch_ud ring_switch_pf stint_probe" ] &&
		ok "floor: every figure measured" || not_ok "floor: measured only '$keys'"
	# Each OUT of selftest-exits is one exit to cpubench, whatever the backend
	# (null: a kernel without binary statistics).
	e=$(json_get "next(f['exits'] for f in j['figures'] if f['key'] == 'kvm_run')")
	[ "$e" = None ] || [ "$(python3 -c "print($e >= 0.99)")" = True ] &&
		ok "floor: a KVM_RUN round trip is a guest exit ($e)" || not_ok "floor: kvm_run exits $e"
fi
