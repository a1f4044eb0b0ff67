#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Signals at random moments (issue 13): SIGTERM, SIGINT or SIGHUP while
# `verify --backend qemu-tcg`, `migrate --backend qemu-tcg` or `import
# qemu` runs must leave no QEMU process and no temporary file, and end
# with 143, 130 or 129 (or the command's own status, when it finished
# first). Sourced by tests/cli.sh (its helpers: ok, not_ok, skipped,
# $CPUBENCH, $TMP), or run alone: CPUBENCH=build/cpubench tests/signals.sh.
#
# SIGNAL_ROUNDS kills in all (default 15, five per command; the issue's
# acceptance is `SIGNAL_ROUNDS=50`, which `make check-signals` runs).
# Each command gets a private TMPDIR: every temporary path cpubench makes
# must be under it; and QEMU runs through a wrapper that records its pid,
# so "no QEMU left" is checked exactly, whatever else runs on the machine.
if [ -z "${TMP:-}" ]; then
	CPUBENCH=${CPUBENCH:-build/cpubench}
	TMP=$(mktemp -d)
	trap 'rm -rf "$TMP"' EXIT
	pass=0 fail=0 skip=0
	ok() { pass=$((pass + 1)); echo "ok - $1"; }
	not_ok() { fail=$((fail + 1)); echo "not ok - $1"; }
	skipped() { skip=$((skip + 1)); echo "skip - $1"; }
	standalone=1
fi
QEMU_BIN=${CPUBENCH_QEMU:-qemu-system-x86_64}
ROUNDS=${SIGNAL_ROUNDS:-15}
# the wrapper: records QEMU's pid ($SIG_PIDS), then is QEMU
SIG_QEMU=$TMP/sig-qemu
printf '#!/bin/sh\necho $$ >>"$SIG_PIDS"\nexec %s "$@"\n' "$QEMU_BIN" >"$SIG_QEMU"
chmod +x "$SIG_QEMU"

# kill_at_random MAX_MS SIG TMPDIR CMD...: starts CMD with TMPDIR, sends SIG
# after 0..MAX_MS ms (a few right at the start) and prints its exit status.
kill_at_random() {
	local max=$1 sig=$2 dir=$3 ms pid st
	shift 3
	ms=$((RANDOM % max))
	[ $((RANDOM % 8)) -eq 0 ] && ms=$((RANDOM % 30))
	# job control: the child gets SIGINT like a foreground job would
	# (a plain background job starts with SIGINT ignored)
	set -m
	TMPDIR=$dir SIG_PIDS=$dir.pids CPUBENCH_QEMU=$SIG_QEMU "$@" >/dev/null 2>"$dir.err" &
	pid=$!
	set +m
	sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
	kill -"$sig" "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	st=$?
	echo "$st $ms"
}

# leftovers TMPDIR: what a run left: files under it, QEMUs still running
leftovers() {
	local files procs="" p
	files=$(find "$1" -mindepth 1 2>/dev/null | head -3)
	for p in $(cat "$1.pids" 2>/dev/null); do
		kill -0 "$p" 2>/dev/null && procs="$procs $p"
	done
	[ -n "$procs" ] && procs=" QEMU still running:$procs"
	echo "$files$procs"
}

# signal_rounds NAME N MAX_MS CMD...
signal_rounds() {
	local name=$1 n=$2 max=$3 sigs=(TERM TERM TERM INT HUP) bad=0 killed=0 i
	shift 3
	local dir=$TMP/sig-$name
	for i in $(seq 1 "$n"); do
		local sig=${sigs[$((i % 5))]} want r st ms left
		case $sig in TERM) want=143 ;; INT) want=130 ;; HUP) want=129 ;; esac
		rm -rf "$dir" "$dir.pids"
		mkdir -p "$dir"
		r=$(kill_at_random "$max" "$sig" "$dir" "$@")
		st=${r% *}
		ms=${r#* }
		left=$(leftovers "$dir")
		if [ "$st" = "$want" ]; then
			killed=$((killed + 1))
		elif [ "$st" != 0 ] && [ "$st" != 1 ]; then
			not_ok "$name: SIG$sig after $ms ms: exit $st, wanted $want (or 0/1 if it had finished): $(head -c 200 "$dir.err")"
			bad=1
		fi
		if [ -n "$left" ]; then
			not_ok "$name: SIG$sig after $ms ms left: $left"
			bad=1
			for p in $(cat "$dir.pids" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
		fi
	done
	[ "$bad" = 0 ] && ok "$name: $n signals at random moments ($killed while it ran): no QEMU, no temporary file left"
}

if ! command -v "$QEMU_BIN" >/dev/null; then
	skipped "signals at random moments: $QEMU_BIN is not installed"
else
	per=$((ROUNDS / 3))
	signal_rounds verify "$((ROUNDS - 2 * per))" 2500 \
		"$CPUBENCH" verify --backend qemu-tcg --mask x86-64-v2 --format json
	signal_rounds migrate "$per" 2500 \
		"$CPUBENCH" migrate --from Haswell-v4 --to Westmere-v1 --backend qemu-tcg
	signal_rounds import "$per" 1200 \
		"$CPUBENCH" import qemu --qemu "$SIG_QEMU" --out "$TMP/sig-import-out"

	# --output: a signal never leaves its temporary file, nor touches the old one
	out=$TMP/sig-output
	rm -rf "$out"
	mkdir -p "$out" "$TMP/sig-output-tmp"
	echo '{"old": true}' >"$out/report.json"
	r=$(kill_at_random 1500 TERM "$TMP/sig-output-tmp" \
		"$CPUBENCH" verify --backend qemu-tcg --mask x86-64-v2 --format json \
		--output "$out/report.json")
	if [ "$(ls -A "$out")" = report.json ] && { [ "${r% *}" != 143 ] ||
		grep -q '"old": true' "$out/report.json"; }; then
		ok "--output and SIGTERM after ${r#* } ms: the old file intact, no temporary file (exit ${r% *})"
	else
		not_ok "--output and SIGTERM: exit ${r% *}, left: $(ls -A "$out")"
	fi
fi

if [ -n "${standalone:-}" ]; then
	echo "signals: $pass passed, $fail failed, $skip skipped"
	[ "$fail" -eq 0 ]
fi
