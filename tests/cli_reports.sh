# SPDX-License-Identifier: GPL-2.0-only
# Sourced by tests/cli.sh (uses its CPUBENCH, TMP, expect_exit, one_line_error,
# json_get, ok, not_ok, skipped): report formats, the probe catalog, the
# matrix and raw guest-OS mode (issue 4).
XSD="$(dirname "$0")/junit.xsd"
PNG_COLOURS="$(dirname "$0")/png_colours.py"

# ---- the catalog -------------------------------------------------------
expect_exit 0 "probes (table)" "$CPUBENCH" probes
grep -q '^sse2 .*paddb' "$TMP/out" && ok "probes table names sse2's PADDB" || not_ok "probes table: no sse2 row with paddb"
expect_exit 0 "probes --format json" "$CPUBENCH" probes --format json
n=$(json_get "j['count']")
[ "$n" -ge 80 ] && ok "catalog has $n probes (at least 80)" || not_ok "catalog has only $n probes"
[ "$(json_get "len(j['probes']) == j['count']")" = True ] && ok "probes count matches the list" || not_ok "probes count"
bad=$(json_get "[p['name'] for p in j['probes'] if not p['instruction'] and p['name'] != 'selftest-nop']")
[ "$bad" = "[]" ] && ok "every probe names its instruction" || not_ok "probes without instruction: $bad"
# avx is enforced through XCR0 on VMX/SVM and leaks on PVM (ring 3): from the feature table
[ "$(json_get "j['probes'][[p['name'] for p in j['probes']].index('avx')]['backends']['kvm-vmx']['mechanism']")" = xcr0 ] &&
	ok "avx: kvm-vmx mechanism xcr0" || not_ok "avx: kvm-vmx mechanism"
[ "$(json_get "[p for p in j['probes'] if p['name']=='avx'][0]['backends']['kvm-pvm']['hidden_faults']")" = False ] &&
	ok "avx: hidden leaks on kvm-pvm" || not_ok "avx: kvm-pvm hidden_faults"
expect_exit 2 "probes --format yaml" "$CPUBENCH" probes --format yaml
one_line_error "probes bad format: one line" "unknown format 'yaml'"
expect_exit 2 "probes extra argument" "$CPUBENCH" probes extra
expect_exit 2 "matrix --format yaml" "$CPUBENCH" matrix --format yaml
one_line_error "matrix bad format: one line" "unknown format 'yaml'"
expect_exit 2 "matrix unknown model" "$CPUBENCH" matrix --masks x86-64-v3,no-such-model
one_line_error "matrix unknown model: one line" "no-such-model"
expect_exit 3 "matrix without a KVM device" "$CPUBENCH" matrix --kvm-device "$TMP/no-kvm"

# ---- the JUnit schema can fail ----------------------------------------
if command -v xmllint >/dev/null; then
	printf '<testsuites><testsuite name="x"><testcase name="a"/></testsuite></testsuites>\n' >"$TMP/bad.xml"
	xmllint --noout --schema "$XSD" "$TMP/bad.xml" >/dev/null 2>&1 &&
		not_ok "junit.xsd accepts a testsuite without tests=" || ok "junit.xsd rejects a testsuite without tests="
else
	not_ok "xmllint is not installed (tools/bootstrap.sh installs libxml2-utils)"
fi

# ---- make install and the manual page ---------------------------------
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD_DIR=$(dirname "$CPUBENCH")
if make -s -C "$ROOT" install BUILD="$(cd "$BUILD_DIR" && pwd)" PREFIX="$TMP/prefix" >"$TMP/install.log" 2>&1 &&
	[ -x "$TMP/prefix/bin/cpubench" ] && [ -f "$TMP/prefix/share/man/man1/cpubench.1" ]; then
	ok "make install PREFIX=... installs cpubench and cpubench.1"
	"$TMP/prefix/bin/cpubench" --version >/dev/null && ok "the installed cpubench runs" || not_ok "the installed cpubench fails"
else
	not_ok "make install:"; head -5 "$TMP/install.log" | sed 's/^/    /'
fi
if command -v man >/dev/null; then
	warn=$(MANWIDTH=80 man --warnings -l "$ROOT/cpubench.1" 2>&1 >/dev/null)
	[ -z "$warn" ] && ok "cpubench.1 renders without warnings" || not_ok "cpubench.1: $warn"
else
	skipped "cpubench.1 rendering: man is not installed"
fi

if [ ! -e /dev/kvm ]; then
	skipped "report-format tests that boot guests: /dev/kvm does not exist on this machine"
	return 0 2>/dev/null || exit 0
fi

# ---- JUnit, TAP, Markdown ---------------------------------------------
"$CPUBENCH" verify --mask x86-64-v3 --format json >"$TMP/v3.json" 2>/dev/null
nres=$(python3 -c "import json; print(len(json.load(open('$TMP/v3.json'))['results']))")
expect_exit 0 "verify --format junit" "$CPUBENCH" verify --mask x86-64-v3 --format junit
if xmllint --noout --schema "$XSD" "$TMP/out" 2>"$TMP/xmllint.err"; then
	ok "verify --format junit validates against tests/junit.xsd"
else
	not_ok "junit does not validate:"; head -5 "$TMP/xmllint.err" | sed 's/^/    /'
fi
ncase=$(grep -c '<testcase ' "$TMP/out")
[ "$ncase" -eq "$nres" ] && ok "one testcase per result ($ncase)" || not_ok "$ncase testcases for $nres results"
# a model that misses features: its failures are <failure> elements
"$CPUBENCH" run --mask x86-64-v3,+avx512-fp16 --probe avx512-fp16,sse2 --format junit >"$TMP/fail.xml" 2>/dev/null
st=$?
if [ "$st" -eq 1 ]; then
	grep -q '<failure message="missing' "$TMP/fail.xml" && xmllint --noout --schema "$XSD" "$TMP/fail.xml" 2>/dev/null &&
		ok "a missing feature is a valid <failure>" || not_ok "missing feature: no valid <failure>"
else
	skipped "forced avx512-fp16 did not fail here (exit $st): the host has it"
fi

expect_exit 0 "verify --format tap" "$CPUBENCH" verify --mask x86-64-v3 --format tap
plan=$(sed -n 2p "$TMP/out")
points=$(grep -cE '^(not )?ok [0-9]+ - ' "$TMP/out")
[ "$(head -1 "$TMP/out")" = "TAP version 13" ] && [ "$plan" = "1..$points" ] && [ "$points" -eq "$nres" ] &&
	ok "TAP 13 with plan $plan" || not_ok "TAP: header/plan '$plan', $points points, $nres results"
grep -q '^not ok' "$TMP/out" && not_ok "TAP of a passing model has 'not ok'" || ok "TAP of a passing model has no 'not ok'"
if command -v prove >/dev/null; then
	printf '#!/bin/sh\ncat %s\n' "$TMP/out" >"$TMP/tap.t"
	chmod +x "$TMP/tap.t"
	prove -e '' "$TMP/tap.t" >/dev/null 2>&1 && ok "prove accepts the TAP stream" || not_ok "prove rejects the TAP stream"
fi

expect_exit 0 "verify --format markdown" "$CPUBENCH" verify --mask x86-64-v3 --format markdown
grep -q '^## cpubench: `x86-64-v3`' "$TMP/out" && grep -q '^| Probe | Feature |' "$TMP/out" &&
	ok "markdown has a headline and a table" || not_ok "markdown output"

# ---- instructions in table and JSON -----------------------------------
expect_exit 0 "run selftest-ud2 --format json" "$CPUBENCH" run --mask x86-64-v3 --probe selftest-ud2 --format json
[ "$(json_get "j['results'][0]['fault_instruction']")" = ud2 ] && [ "$(json_get "j['results'][0]['fault_location']")" = probe_ud2+0x0 ] &&
	ok "a fault names its instruction and place (ud2 at probe_ud2+0x0)" ||
	not_ok "fault instruction: $(json_get "j['results'][0]['fault_instruction'], j['results'][0]['fault_location']")"
[ "$(python3 -c "import json; print([r['instruction'] for r in json.load(open('$TMP/v3.json'))['results'] if r['probe']=='avx2'][0])")" = "vpaddd ymm1, ymm0, ymm0" ] &&
	ok "avx2's instruction is VPADDD" || not_ok "avx2's instruction"
expect_exit 0 "table with instructions" "$CPUBENCH" run --mask x86-64-v3 --probe selftest-ud2,sse2
grep -q 'INSTRUCTION' "$TMP/out" && grep -q 'probe_ud2+0x0: ud2' "$TMP/out" &&
	ok "table names instructions and the faulting one" || not_ok "table instructions"

# ---- raw guest OS: enables -------------------------------------------
"$CPUBENCH" verify --mask x86-64-v2 --guest-os raw --format json >"$TMP/out" 2>"$TMP/err"
st=$?
[ "$st" -le 1 ] && ok "verify x86-64-v2 --guest-os raw runs (exit $st)" || not_ok "raw: exit $st"
rows=$(json_get "len([r for r in j['results'] if r['probe'].startswith(('cr4.', 'xcr0.'))])")
[ "$rows" -gt 0 ] && ok "raw mode reports $rows enables" || not_ok "raw mode reports no enables"
# every enable row: refused (#GP) iff hidden or missing; accepted iff ok or leak
incons=$(json_get "[r['probe'] for r in j['results'] if r['probe'].startswith(('cr4.','xcr0.')) and ((r['outcome']=='fault') != (r['verdict'] in ('hidden','missing')) or (r['outcome']=='fault' and r['exception']!='#GP'))]")
[ "$incons" = "[]" ] && ok "enable rows: refused = #GP = hidden/missing" || not_ok "inconsistent enable rows: $incons"
echo "# raw enables refused here: $(json_get "' '.join(r['probe'] for r in j['results'] if r['probe'].startswith(('cr4.','xcr0.')) and r['outcome']=='fault')")"
unexp=$(json_get "j['summary']['leak_unexpected']")
[ "$unexp" -gt 0 ] && want=1 || want=0
[ "$st" -eq "$want" ] && ok "raw: exit $st matches $unexp unexpected leaks" || not_ok "raw: exit $st with $unexp unexpected leaks"
"$CPUBENCH" verify --mask x86-64-v2 --format json >"$TMP/linux.json" 2>/dev/null
[ "$(python3 -c "import json; print(any(r['probe'].startswith('cr4.') for r in json.load(open('$TMP/linux.json'))['results']))")" = False ] &&
	ok "linux mode has no enable rows" || not_ok "linux mode has enable rows"

# ---- matrix -----------------------------------------------------------
nmasks=$("$CPUBENCH" matrix --format json 2>/dev/null | python3 -c "import json,sys; print(len(json.load(sys.stdin)['models']))")
[ "${nmasks:-0}" -ge 5 ] && ok "matrix --format json has $nmasks models" || not_ok "matrix json models: $nmasks"
expect_exit 0 "matrix --masks x86-64-v2,x86-64-v3,-avx2 (two models)" "$CPUBENCH" matrix --masks x86-64-v2,x86-64-v3,-avx2 --format json
[ "$(json_get "[m['mask'] for m in j['models']]")" = "['x86-64-v2', 'x86-64-v3,-avx2']" ] &&
	ok "a feature change attaches to the model before it" || not_ok "matrix --masks split: $(json_get "[m['mask'] for m in j['models']]")"
"$CPUBENCH" matrix --masks all --format html >"$TMP/m.html" 2>"$TMP/err"
st=$?
[ "$st" -le 1 ] && ok "matrix --masks all --format html (exit $st)" || not_ok "matrix html: exit $st"
grep -Eq 'src=|href=|url\(|@import' "$TMP/m.html" && not_ok "matrix HTML references an external resource" || ok "matrix HTML is self-contained"
ncells=$(grep -o '<td class="cell' "$TMP/m.html" | wc -l)
[ "$ncells" -ge $((nmasks * 80)) ] && ok "matrix HTML has $ncells cells" || not_ok "matrix HTML has $ncells cells"

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
	not_ok "chromium is not installed (tools/bootstrap.sh installs it)"
else
	profile=$(mktemp -d)
	"$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
		--screenshot="$TMP/m.png" --window-size=1400,900 "file://$TMP/m.html" >/dev/null 2>&1
	rm -rf "$profile"
	if [ -s "$TMP/m.png" ]; then
		# the grid's ok green and the header's grey must be on screen, among many colours
		python3 "$PNG_COLOURS" "$TMP/m.png" '#2e9e4f' '#eeeeee' >"$TMP/colours" 2>&1
		distinct=$(sed -n 's/^distinct //p' "$TMP/colours")
		if [ "${distinct:-0}" -ge 8 ] && grep -q 'has #2e9e4f yes' "$TMP/colours"; then
			ok "headless Chromium renders the grid ($distinct colours, ok-green cells)"
		else
			not_ok "the screenshot looks blank:"; sed 's/^/    /' "$TMP/colours"
		fi
	else
		not_ok "headless Chromium wrote no screenshot"
	fi
fi
