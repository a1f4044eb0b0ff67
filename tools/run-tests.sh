#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Runs every test program of a build (cmocka unit and integration tests,
# then the command-line tests) and closes with one summary line,
# "N passed, N failed". Exits non-zero when any test program fails.
BUILD=${1:-build}
passed=0
failed=0
failed_names=""

for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	echo "=== $(basename "$t")"
	if "$t"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		failed_names="$failed_names $(basename "$t")"
	fi
done

echo "=== cli"
if CPUBENCH="$BUILD/cpubench" tests/cli.sh; then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
	failed_names="$failed_names cli"
fi

[ -n "$failed_names" ] && echo "failed test programs:$failed_names"
echo "programs: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
