#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# make fuzz: runs each libFuzzer driver of a fuzz build for SECONDS, seeded
# with tests/fuzz/corpus/NAME/ (read-only: what the fuzzer finds goes to
# BUILD/corpus/NAME/, crashes to BUILD/crashes/). Prints one line per
# driver and exits 1 if any driver crashed; a crash input belongs, once
# fixed, in tests/fuzz/regress/NAME/, which make check replays.
#   tools/fuzz.sh BUILD SECONDS NAME...
set -uo pipefail
BUILD=$1 SECONDS_EACH=$2
shift 2
status=0
mkdir -p "$BUILD/crashes"
for name in "$@"; do
	bin=$BUILD/fuzz/fuzz_$name
	work=$BUILD/corpus/$name
	log=$BUILD/fuzz-$name.log
	mkdir -p "$work"
	# the command-line driver prints like cpubench does: keep it quiet
	quiet=
	[ "$name" = cli ] && quiet=-close_fd_mask=2
	seeds=tests/fuzz/corpus/$name
	[ -d "$seeds" ] || seeds=
	# -rss_limit_mb: a parser must not need 512 MiB for any input
	"$bin" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=512 \
		-max_len=65536 -print_final_stats=1 $quiet \
		-artifact_prefix="$BUILD/crashes/$name-" "$work" $seeds >"$log" 2>&1
	st=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
	if [ "$st" -eq 0 ]; then
		echo "fuzz $name: ${runs:-?} runs in ${SECONDS_EACH}s, ${cov:-cov: ?}, no crash"
	else
		status=1
		echo "fuzz $name: CRASH (exit $st) after ${runs:-?} runs; input in $BUILD/crashes/, log $log"
		grep -m3 -E 'ERROR|SUMMARY|invariant failed' "$log" | sed 's/^/    /'
	fi
done
exit $status
