#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# make coverage: lcov report of bench/ from a COVERAGE=1 test run.
set -eu
BUILD=${1:-build-cov}
lcov --quiet --capture --directory "$BUILD" --output-file "$BUILD/coverage.info" \
	--rc lcov_branch_coverage=0 >/dev/null
lcov --quiet --extract "$BUILD/coverage.info" "$(pwd)/bench/*" \
	--output-file "$BUILD/coverage-bench.info" >/dev/null
genhtml --quiet "$BUILD/coverage-bench.info" --output-directory "$BUILD/coverage"
lcov --summary "$BUILD/coverage-bench.info" 2>&1 | grep -E 'lines|functions'
echo "report: $BUILD/coverage/index.html"
