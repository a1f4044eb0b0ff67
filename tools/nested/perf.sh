#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# tools/nested/perf.sh BUILD: make perf (tools/perf.sh) inside the nested KVM
# environments (`make perf-nested`), one after the other so that neither
# slows the other: kvm-svm under QEMU TCG with two guest CPUs (cpubench's
# default --jobs then runs two vCPUs side by side), and, when NESTED_ENVS
# names it, kvm-vmx under Bochs (one CPU, slow). tools/perf.sh labels the
# figures as nested: there times are the emulator's, not silicon's.
# Results in BUILD/nested/perf-ENV/ (tools/nested/run.sh lists the files).
#
# Environment: NESTED_ENVS (default "svm"), NESTED_SMP (svm's CPUs,
# default 2), NESTED_TIMEOUT, and perf.sh's RUNS, RUNS_MATRIX, MASK.
set -u
build=${1:?usage: tools/nested/perf.sh BUILD}
cd "$(dirname "$0")/../.." || exit 1
[ -x "$build/cpubench" ] || { echo "nested perf: $build/cpubench is not built" >&2; exit 2; }

wrapper=$(mktemp "${TMPDIR:-/tmp}/nested-perf.XXXXXX")
trap 'rm -f "$wrapper"' EXIT
{
	for v in RUNS RUNS_MATRIX RUNS_FLOOR MASK; do
		eval "val=\${$v:-}"
		[ -n "$val" ] && printf '%s=%s; export %s\n' "$v" "$val" "$v"
	done
	printf 'exec sh tools/perf.sh %s/cpubench\n' "$build"
} > "$wrapper"

status=0
for e in ${NESTED_ENVS:-svm}; do
	smp=1
	[ "$e" = svm ] && smp=${NESTED_SMP:-2}
	echo "== make perf in the nested $e environment ($smp guest CPU(s)); results in $build/nested/perf-$e"
	tools/nested/run.sh --env "$e" --smp "$smp" --script "$wrapper" --out "$build/nested/perf-$e" \
		${NESTED_TIMEOUT:+--timeout "$NESTED_TIMEOUT"} \
		--files "$build/cpubench tools/perf.sh" || status=$?
done
exit "$status"
