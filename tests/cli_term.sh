# SPDX-License-Identifier: GPL-2.0-only
# Sourced by tests/cli.sh: output for a terminal and for CI logs (issue
# 14): the width, --wide, --all, what a FAIL names, progress on a
# terminal's stderr only, --color. A terminal is script(1)'s pty
# (util-linux); the guest runs under QEMU's TCG (no /dev/kvm needed).

# widest LINE of FILE in characters (UTF-8), escape sequences removed
widest() {
	python3 -c 'import re,sys; t=open(sys.argv[1],encoding="utf-8").read(); print(max([len(re.sub(r"\x1b\[[0-9;]*[mK]","",l)) for l in t.split("\n")] or [0]))' "$1"
}

# under_tty CMD...: CMD's stdout and stderr as a terminal shows them
under_tty() {
	script -qec "$(printf '%q ' "$@")" /dev/null
}

expect_exit 2 "verify --color=bogus" "$CPUBENCH" verify --mask x86-64-v3 --color=bogus
one_line_error "--color=bogus: one line" "color takes auto, always or never"

if ! command -v qemu-system-x86_64 >/dev/null; then
	skipped "terminal output tests: qemu-system-x86_64 is not installed"
elif ! command -v script >/dev/null; then
	skipped "terminal output tests: script (util-linux) is not installed"
else
	# the width: 100 columns when not a terminal, $COLUMNS, the terminal's
	for cols in "" 100 80; do
		COLUMNS=$cols "$CPUBENCH" verify --mask Broadwell-v1 --backend qemu-tcg --all >"$TMP/t" 2>&1
		w=$(widest "$TMP/t"); want=${cols:-100}
		[ "$w" -le "$want" ] && ok "verify --all, COLUMNS='$cols': widest line $w <= $want" ||
			not_ok "COLUMNS='$cols': a line of $w columns: $(cat "$TMP/t")"
	done
	grep -q '^      a ring-0 probe did not finish under TCG: QEMU 7.2' "$TMP/t" &&
		ok "a long reason stands under its row, indented" || not_ok "long reason: $(cat "$TMP/t")"
	"$CPUBENCH" verify --mask Broadwell-v1 --backend qemu-tcg --all --wide >"$TMP/t" 2>&1
	[ "$(widest "$TMP/t")" -gt 100 ] && grep -q '^vmx .*untestable  *a ring-0 probe' "$TMP/t" &&
		ok "--wide: one line per row, no limit" || not_ok "--wide: $(head -30 "$TMP/t")"
	script -qec "stty cols 90; $CPUBENCH verify --mask Broadwell-v1 --backend qemu-tcg --all --color=never" /dev/null | tr -d '\r' >"$TMP/t"
	w=$(widest "$TMP/t")
	[ "$w" -le 90 ] && ok "a 90-column terminal: widest line $w" || not_ok "tty 90: widest $w"
	# x86-64-v3 does not boot under QEMU 7.2's TCG: one line, exit 3;
	# with xsaveopt it does, and fits
	COLUMNS=100 expect_exit 3 "x86-64-v3 under TCG" "$CPUBENCH" verify --mask x86-64-v3 --backend qemu-tcg
	COLUMNS=100 "$CPUBENCH" verify --mask x86-64-v3,+xsaveopt --backend qemu-tcg | cat >"$TMP/t"
	w=$(widest "$TMP/t")
	[ "$w" -le 100 ] && ok "COLUMNS=100 verify x86-64-v3,+xsaveopt | cat: widest line $w" || not_ok "x86-64-v3: $w: $(cat "$TMP/t")"

	# by default only what fails, the rest counted on one line
	"$CPUBENCH" verify --mask Broadwell-v1 --backend qemu-tcg >"$TMP/t" 2>&1
	! grep -q '^PROBE' "$TMP/t" && grep -q '^[0-9]* ok, [0-9]* hidden, .* (--all lists every row)$' "$TMP/t" &&
		ok "a PASS lists no row, counts them" || not_ok "collapsed: $(cat "$TMP/t")"

	# a FAIL's last line names exactly what failed (under --strict, TCG's
	# expected leaks), as the JSON report does
	expect_exit 1 "verify --strict Broadwell-v1 under TCG fails" \
		"$CPUBENCH" verify --mask Broadwell-v1 --backend qemu-tcg --strict --format json
	want="FAIL: leak under --strict $(json_get "' '.join(f['feature'] for f in j['failing'])")"
	[ "$(json_get "j['suggestion']")" = None ] && ok "JSON: no suggestion when only leaks fail" ||
		not_ok "suggestion: $(json_get "j['suggestion']")"
	"$CPUBENCH" verify --mask Broadwell-v1 --backend qemu-tcg --strict >"$TMP/t" 2>&1
	[ "$(tail -n 1 "$TMP/t")" = "$want" ] && ok "the last line names the failing features" ||
		not_ok "last line: '$(tail -n 1 "$TMP/t")', want '$want'"
	grep -q '^waitpkg .*leak (expected)' "$TMP/t" && ok "the failing rows are listed" || not_ok "rows: $(cat "$TMP/t")"
	# what test_model_suggest (test_cpuinfo.c) suggests for Broadwell-v1
	# without TSX holds when it runs
	for spec in Broadwell-noTSX Broadwell-v1,-hle,-rtm; do
		expect_exit 0 "the suggestion $spec holds under TCG" \
			"$CPUBENCH" verify --mask "$spec" --backend qemu-tcg --format json
	done

	# progress: on a terminal's stderr, erased at the end; not in a pipe
	under_tty "$CPUBENCH" verify --mask Haswell-v4 --backend qemu-tcg --output "$TMP/o" >"$TMP/tty"
	grep -q 'verify 0/1 Haswell-v4' "$TMP/tty" && grep -q "$(printf '\r\033\\[K')" "$TMP/tty" &&
		ok "progress on a terminal, erased" || not_ok "progress: $(od -c "$TMP/tty" | head)"
	! grep -q 'verify 0/1' "$TMP/o" && ok "progress never in --output" || not_ok "progress in the output file"
	"$CPUBENCH" verify --mask Haswell-v4 --backend qemu-tcg >/dev/null 2>"$TMP/err"
	[ ! -s "$TMP/err" ] && ok "no progress when stderr is not a terminal" || not_ok "stderr: $(od -c "$TMP/err" | head)"
	under_tty "$CPUBENCH" verify --compare-backends qemu-tcg,qemu-tcg --mask Haswell-v4 --output "$TMP/o" >"$TMP/tty"
	grep -q 'compare-backends 1/2 qemu-tcg, about [0-9]* s left' "$TMP/tty" &&
		ok "--compare-backends: done/total and the time left" || not_ok "compare progress: $(od -c "$TMP/tty" | head)"
	TERM=dumb under_tty "$CPUBENCH" verify --mask Haswell-v4 --backend qemu-tcg --output "$TMP/o" >"$TMP/tty"
	! grep -q 'verify 0/1' "$TMP/tty" && ok "no progress on TERM=dumb (no line erase)" || not_ok "dumb progress"
	# import qemu: one QMP expansion per model
	under_tty "$CPUBENCH" import qemu --out "$TMP/imp" >"$TMP/tty"
	grep -q 'import qemu [0-9]*/[0-9]* [A-Za-z]' "$TMP/tty" && grep -q "$(printf '\r\033\\[K')" "$TMP/tty" &&
		ok "import qemu: progress on a terminal, erased" || not_ok "import progress: $(tail -c 300 "$TMP/tty" | od -c | head)"
	rm -rf "$TMP/imp"

	# colour: the verdict words on a terminal; never, NO_COLOR, TERM=dumb
	# and pipes without; always everywhere but the CI formats
	esc=$(printf '\033\\[')
	colour_case() {	# colour_case WANT(yes|no) NAME CMD...
		want=$1 name=$2
		shift 2
		"$@" >"$TMP/c" 2>&1
		if grep -q "${esc}[0-9;]*m" "$TMP/c"; then got=yes; else got=no; fi
		[ "$got" = "$want" ] && ok "colour $want: $name" || not_ok "colour $got, want $want: $name"
	}
	V="verify --mask Haswell-v4 --backend qemu-tcg --strict"
	colour_case yes "auto on a terminal" under_tty $CPUBENCH $V
	grep -q "${esc}1;31mFAIL${esc}0m" "$TMP/c" && ok "FAIL in red" || not_ok "FAIL not red"
	colour_case no "auto in a pipe" $CPUBENCH $V
	colour_case no "--color=never on a terminal" under_tty $CPUBENCH $V --color=never
	NO_COLOR=1 colour_case no "NO_COLOR=1 on a terminal" under_tty $CPUBENCH $V
	NO_COLOR= colour_case yes "NO_COLOR empty on a terminal" under_tty $CPUBENCH $V
	TERM=dumb colour_case no "TERM=dumb on a terminal" under_tty $CPUBENCH $V
	TERM=dumb colour_case yes "TERM=dumb with --color=always" $CPUBENCH $V --color=always
	colour_case yes "--color=always in a pipe (CI logs)" $CPUBENCH $V --color=always
	colour_case no "--color=always --format json" $CPUBENCH $V --color=always --format json
	colour_case no "--color=always --format junit" $CPUBENCH $V --color=always --format junit
	colour_case no "--color=always --format tap" $CPUBENCH $V --color=always --format tap
	rm -f "$TMP/o"
	under_tty $CPUBENCH $V --output "$TMP/o" >/dev/null
	[ -s "$TMP/o" ] || not_ok "no --output file from a terminal"
	colour_case no "auto into an --output file" cat "$TMP/o"
	expect_exit 1 "--color=always --output" $CPUBENCH $V --output "$TMP/o" --color=always
	colour_case yes "--color=always into an --output file" cat "$TMP/o"
fi
