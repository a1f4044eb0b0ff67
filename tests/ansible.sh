#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# contrib/ansible/site.yml run for real (issue 17): ansible-playbook on an
# inventory of three hosts that are all this machine (ansible_connection=
# local), each fingerprinting a different real CPU through cpubench host
# --cpuinfo: Alder Lake (x86-64-v3), Zen 4 (v4) and Penryn (v1). Sourced
# by tests/cli.sh, whose helpers (ok, not_ok, skipped, $CPUBENCH, $TMP) it
# uses.
#
# verify runs on this machine's own CPU: what the play must do after the
# baseline is derived from what cpubench verify does here (0 the model
# holds, 1 it does not, 3 no usable /dev/kvm), never assumed.
H=tests/data/hosts
A=$TMP/ansible

# recap HOST FIELD: FIELD=N of HOST's PLAY RECAP line in $A/out
recap() {
	sed -n "s/^$1 *:.* $2=\([0-9]*\).*/\1/p" "$A/out"
}

# ran TASK: whether the task named TASK (a pattern) ran on some host in $A/out
ran() {
	sed -n "/^TASK \[cpubench : $1\]/,/^\(TASK\|PLAY\)/p" "$A/out" | grep -Eq '^(ok|changed|fatal):'
}

# play DESCRIPTION ARGS...: runs the playbook from the repository root,
# its output in $A/out; $st is its exit status.
play() {
	local desc=$1
	shift
	# (Ansible refuses to start without a UTF-8 locale)
	env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS -u SANITIZE LC_ALL=C.UTF-8 ANSIBLE_CONFIG="$A/ansible.cfg" \
		ANSIBLE_LOCAL_TEMP="$A/tmp" ANSIBLE_REMOTE_TEMP="$A/tmp" ANSIBLE_NOCOLOR=1 \
		ANSIBLE_PIPELINING=1 ansible-playbook -i "$A/inventory" contrib/ansible/site.yml \
		-e cpubench_out="$A/fleet" "$@" >"$A/out" 2>&1
	st=$?
	echo "# $desc: ansible-playbook exit $st"
}

# Every file of the results, with its checksum.
fleet_sums() {
	(cd "$A/fleet" && find . -type f | sort | xargs md5sum)
}

junit_valid() {	# junit_valid DESCRIPTION: every OUT/verify/*.xml against tests/junit.xsd
	if ! command -v xmllint >/dev/null; then
		skipped "$1: xmllint missing (tools/bootstrap.sh installs libxml2-utils)"
	elif xmllint --noout --schema tests/junit.xsd "$A"/fleet/verify/node-[abc].xml 2>"$A/err"; then
		ok "$1: every JUnit file is valid against tests/junit.xsd"
	else
		not_ok "$1: JUnit files are not valid"; head -5 "$A/err"
	fi
}

if ! command -v ansible-playbook >/dev/null; then
	skipped "ansible: ansible-playbook not installed (tools/bootstrap.sh test installs ansible-core)"
else
	mkdir -p "$A/tmp"
	: >"$A/ansible.cfg"	# none of this machine's Ansible settings
	{
		echo "[fleet]"
		echo "node-a cpubench_cpuinfo=$PWD/$H/alderlake-i7-12700k.cpuinfo cpubench_path=$A/hosts/node-a/bin/cpubench"
		echo "node-b cpubench_cpuinfo=$PWD/$H/zen4-epyc-9654.cpuinfo cpubench_path=$A/hosts/node-b/bin/cpubench"
		echo "node-c cpubench_cpuinfo=$PWD/$H/penryn-core2-e8400.cpuinfo cpubench_path=$A/hosts/node-c/bin/cpubench"
		echo "[fleet:vars]"
		echo "ansible_connection=local"
		echo "ansible_python_interpreter=/usr/bin/python3"
	} >"$A/inventory"

	# What cpubench itself says about these three CPUs and this machine.
	"$CPUBENCH" baseline --format json "$H/alderlake-i7-12700k.cpuinfo" \
		"$H/zen4-epyc-9654.cpuinfo" "$H/penryn-core2-e8400.cpuinfo" >"$A/baseline.direct"
	model=$(python3 -c "import json; print(json.load(open('$A/baseline.direct'))['recommended'])")
	"$CPUBENCH" emit --mask "$model" --as qemu >"$A/emit.direct" 2>/dev/null
	"$CPUBENCH" verify --mask "$model" --format junit >/dev/null 2>"$A/verify.err"
	here=$?
	echo "# the three CPUs' model: $model; cpubench verify --mask $model here: exit $here ($(head -1 "$A/verify.err"))"
	case $here in
	0) want=0 ;;
	1 | 3) want=2 ;;	# ansible-playbook's exit status when a host failed
	*) want=x; not_ok "cpubench verify --mask $model here: exit $here" ;;
	esac
	if [ ! -e /dev/kvm ] && [ "$here" -ne 3 ]; then
		not_ok "no /dev/kvm, yet cpubench verify exits $here, not 3"
	fi

	# --- the acceptance run: -e cpubench_binary=build/cpubench
	play "first run" -e cpubench_binary="$CPUBENCH"
	[ "$st" = "$want" ] && ok "site.yml exits $st (verify exits $here here)" ||
		{ not_ok "site.yml exits $st, wanted $want"; tail -30 "$A/out"; }
	bad=""
	for h in a b c; do
		cmp -s "$A/hosts/node-$h/bin/cpubench" "$CPUBENCH" || bad="$bad node-$h"
	done
	[ -z "$bad" ] && ok "cpubench_binary copied to every host" || not_ok "cpubench not copied to$bad"
	python3 - "$A" "$PWD/$H" <<'EOF' && ok "fingerprints: one per host, of its own cpuinfo, saying so" || not_ok "fingerprints"
import json, sys
a, h = sys.argv[1], sys.argv[2]
for node, cpu in [("a", "alderlake-i7-12700k"), ("b", "zen4-epyc-9654"), ("c", "penryn-core2-e8400")]:
    j = json.load(open(f"{a}/fleet/node-{node}.json"))
    assert j["hostname"] == cpu and j["cpuinfo_file"].startswith(h + "/" + cpu), (node, j["hostname"], j["cpuinfo_file"])
EOF
	python3 - "$A" <<'EOF' && ok "baseline.json: what cpubench baseline says of the three cpuinfo files" || not_ok "baseline.json differs"
import json, sys
a = sys.argv[1]
got, want = (json.load(open(f"{a}/{p}")) for p in ("fleet/baseline.json", "baseline.direct"))
def key(b):
    return (b["recommended"], b["best_level"], b["common_features"],
            sorted(h["name"] for h in b["hosts"]),
            [(s["model"], sorted((x["host"], x["missing"]) for x in s["blockers"])) for s in b["blocked"]])
assert key(got) == key(want), (key(got), key(want))
EOF
	bad=""
	for h in a:alderlake-i7-12700k b:zen4-epyc-9654 c:penryn-core2-e8400; do
		"$CPUBENCH" host --cpuinfo "$PWD/$H/${h#*:}.cpuinfo" --format json 2>/dev/null |
			cmp -s - "$A/fleet/node-${h%%:*}.json" || bad="$bad node-${h%%:*}.json"
	done
	"$CPUBENCH" baseline --format json "$A"/fleet/node-[abc].json 2>/dev/null | cmp -s - "$A/fleet/baseline.json" ||
		bad="$bad baseline.json"
	[ -z "$bad" ] && ok "fingerprints and baseline.json: cpubench's output, byte for byte" ||
		not_ok "not cpubench's output:$bad"
	cmp -s "$A/fleet/qemu-cpu.txt" "$A/emit.direct" && ok "qemu-cpu.txt is cpubench emit --mask $model --as qemu" ||
		not_ok "qemu-cpu.txt: $(cat "$A/fleet/qemu-cpu.txt" 2>&1)"
	n=$(ls "$A"/fleet/verify/*.xml 2>/dev/null | wc -l)
	[ "$n" -eq 3 ] && ok "one JUnit file per host" || not_ok "$n JUnit files"
	junit_valid "first run"
	bad="" unnamed=""
	for h in a b c; do
		f=$A/fleet/verify/node-$h.xml
		case $here in
		# exit 3: cpubench's own error document, the cause its message
		3) grep -q "<testsuite name=\"node-$h: cpubench verify $model\"" "$f" &&
			grep -q '<error message="[^"]\+" type="environment">' "$f" &&
			grep -q "classname=\"node-$h.cpubench\"" "$f" ;;
		*) grep -q "<testsuite name=\"node-$h: cpubench $model on kvm-" "$f" &&
			grep -q "classname=\"node-$h.cpubench.$model\"" "$f" ;;
		esac || bad="$bad node-$h"
		grep -q "^fatal: \[node-$h\]: FAILED! .*node-$h: .*$model" "$A/out" && [ "$(recap node-$h failed)" = 1 ] ||
			unnamed="$unnamed node-$h"
	done
	[ -z "$bad" ] && ok "each JUnit file says what verify did on its host (exit $here)" ||
		not_ok "JUnit files of$bad do not say what verify did (exit $here)"
	if [ "$want" = 0 ]; then
		[ "$unnamed" = " node-a node-b node-c" ] && ok "verify holds: no host failed" || not_ok "hosts failed though verify holds"
	else
		[ -z "$unnamed" ] && ok "verify exit $here: the play fails naming node-a, node-b and node-c" ||
			{ not_ok "the play does not name$unnamed"; grep -E '^(fatal|node-)' "$A/out"; }
	fi
	fleet_sums >"$A/sums.1"

	# --- idempotent: the same run again changes nothing
	play "second run" -e cpubench_binary="$CPUBENCH"
	[ "$st" = "$want" ] && ok "second run exits $st again" || not_ok "second run exits $st, wanted $want"
	c=$(recap node-a changed)$(recap node-b changed)$(recap node-c changed)
	[ "$c" = 000 ] && ok "second run: changed=0 on every host" ||
		{ not_ok "second run changed something ($c)"; grep -B3 '^changed:' "$A/out" | grep TASK; }
	fleet_sums | cmp -s - "$A/sums.1" && ok "second run: the files are as they were" || not_ok "second run rewrote files"

	# --- --check, on node-a alone (-l): its own baseline, a libvirt config
	# and its JUnit file would change; the run reports them, writes nothing,
	# and still verifies (cpubench only reads). Without required
	# verification, only a model that does not hold fails.
	"$CPUBENCH" baseline --format json "$H/alderlake-i7-12700k.cpuinfo" >"$A/baseline.a"
	model_a=$(python3 -c "import json; print(json.load(open('$A/baseline.a'))['recommended'])")
	"$CPUBENCH" verify --mask "$model_a" --format junit >/dev/null 2>&1
	here_a=$?
	play "--check -l node-a" --check -l node-a -e cpubench_binary="$CPUBENCH" -e cpubench_emit=libvirt \
		-e cpubench_verify_required=false
	case $here_a in 1) w=2 ;; *) w=0 ;; esac
	[ "$st" = "$w" ] && ok "--check, verification not required: exit $st (verify --mask $model_a exits $here_a here)" ||
		{ not_ok "--check exits $st, wanted $w"; tail -20 "$A/out"; }
	grep -A1 'Baseline to OUT/baseline.json' "$A/out" | grep -q '^changed' &&
		grep -A1 'Configuration to OUT/libvirt-cpu.xml' "$A/out" | grep -q '^changed' &&
		grep -A1 'JUnit file to OUT/verify/HOST.xml' "$A/out" | grep -q '^changed' &&
		ok "--check reports the baseline, libvirt config and JUnit file it would write" ||
		{ not_ok "--check does not report the changes"; grep -B2 '^changed' "$A/out"; }
	[ ! -e "$A/fleet/libvirt-cpu.xml" ] && fleet_sums | cmp -s - "$A/sums.1" &&
		ok "--check wrote nothing" || not_ok "--check wrote files"
	ran "Prove $model_a on the host (cpubench verify)" && ok "--check still verifies $model_a (cpubench only reads)" ||
		not_ok "--check did not run verify"

	# --- a model one host cannot run: that host fails the play before any
	# verify; each JUnit file says so. Without cpubench_binary, the role
	# builds the repository (here: make finds build/cpubench up to date).
	if env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS -u SANITIZE -u COVERAGE -u FUZZ make -q build/cpubench 2>/dev/null; then
		play "x86-64-v2, cpubench built by the role" -e cpubench_mask=x86-64-v2
		grep -A1 'Build cpubench in' "$A/out" | grep -q '^ok: ' && cmp -s "$A/hosts/node-a/bin/cpubench" build/cpubench &&
			ok "no cpubench_binary: make finds build/cpubench up to date, the hosts get it" ||
			not_ok "no cpubench_binary: build/cpubench not used"
	else
		skipped "the role's build: build/cpubench is not up to date here (make -q)"
		play "x86-64-v2" -e cpubench_binary="$CPUBENCH" -e cpubench_mask=x86-64-v2
	fi
	[ "$st" = 2 ] && ok "x86-64-v2 on a Penryn: the play fails (exit 2)" || not_ok "x86-64-v2: exit $st"
	grep -q '^fatal: \[node-c\]: FAILED! .*node-c: cannot run x86-64-v2: missing .*popcnt' "$A/out" &&
		[ "$(recap node-c failed)$(recap node-a failed)$(recap node-b failed)" = 100 ] &&
		ok "x86-64-v2: the play names node-c, and only node-c, with what it lacks" ||
		{ not_ok "x86-64-v2: node-c not named alone"; grep -E '^(fatal|node-)' "$A/out"; }
	ran "Prove .* (cpubench verify)" && not_ok "x86-64-v2: verify ran anyway" ||
		ok "x86-64-v2: nothing was verified"
	grep -q '<failure message="x86-64-v2 cannot run here: missing .*popcnt.*" type="missing">' "$A/fleet/verify/node-c.xml" &&
		grep -q '<skipped message="not verified: x86-64-v2 cannot run on node-c"/>' "$A/fleet/verify/node-a.xml" &&
		ok "x86-64-v2: node-c.xml a failure, node-a.xml skipped" || not_ok "x86-64-v2: JUnit files"
	junit_valid "x86-64-v2"
	cmp -s "$A/fleet/qemu-cpu.txt" "$A/emit.direct" && ok "x86-64-v2: no configuration written for it" ||
		not_ok "x86-64-v2: qemu-cpu.txt rewritten"
fi
