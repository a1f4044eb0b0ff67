#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Command-line tests of host, baseline, compare, diff and emit. Sourced by
# tests/cli.sh, whose helpers (ok, not_ok, skipped, expect_exit,
# one_line_error, json_get, $CPUBENCH, $TMP) it uses.
# Inputs: tests/data/hosts/, real /proc/cpuinfo, lscpu and flags-line
# captures of Alder Lake, Raptor Lake, Zen 3, Zen 4, Westmere and Penryn.
H=tests/data/hosts
AL=$H/alderlake-i7-12700k.cpuinfo RL=$H/raptorlake-i9-13900k.flags
Z3=$H/zen3-epyc-7763.lscpu Z4=$H/zen4-epyc-9654.cpuinfo
WM=$H/westmere-xeon-x5670.flags PN=$H/penryn-core2-e8400.cpuinfo

# --- cpubench host: its level must be what glibc's loader finds here
expect_exit 0 "host --format json" "$CPUBENCH" host --format json --save "$TMP/me.json"
level=$(json_get "j['x86_64_level']")
LDSO=/lib64/ld-linux-x86-64.so.2
if [ -x "$LDSO" ] && "$LDSO" --help 2>/dev/null | grep -q 'glibc-hwcaps'; then
	# ld.so lists x86-64-v4..v2 "(supported, searched)"; v1 is implied
	want=$("$LDSO" --help | sed -n 's/^ *\(x86-64-v[0-9]\) (supported, searched)$/\1/p' | sort | tail -1)
	[ -z "$want" ] && want=x86-64-v1
	[ "$level" = "$want" ] && ok "host level $level agrees with ld.so --help" ||
		not_ok "host level $level, ld.so --help says $want"
else
	skipped "host level vs ld.so: this glibc's loader has no glibc-hwcaps listing"
fi
cmp -s <(python3 -m json.tool "$TMP/me.json") <(python3 -m json.tool "$TMP/out") &&
	ok "--save writes the same fingerprint" || not_ok "--save differs from --format json"
n=$(json_get "len(j['cpuid'])")
[ "$n" -ge 4 ] && ok "fingerprint has raw CPUID leaves ($n)" || not_ok "fingerprint has $n CPUID leaves"
# every level model the host's guest features cover is listed runnable
json_get "all(m in j['models']['runnable'] for m in ['x86-64-v1'])" | grep -q True &&
	ok "x86-64-v1 runs here" || not_ok "x86-64-v1 not runnable here"
expect_exit 0 "host table" "$CPUBENCH" host
grep -q "x86-64 level  $level" "$TMP/out" && ok "host table shows $level" || not_ok "host table level"
expect_exit 2 "host: bad format" "$CPUBENCH" host --format xml
one_line_error "host: bad format is one line" "unknown format 'xml'"

# A saved fingerprint is a host input like any other.
expect_exit 0 "compare x86-64-v1 with this host's fingerprint" "$CPUBENCH" compare --mask x86-64-v1 --host "$TMP/me.json"

# --- host --cpuinfo FILE: the fingerprint of the CPU FILE describes, read
# without CPUID or KVM; it says so, and holds the features baseline reads
# from FILE itself.
expect_exit 0 "host --cpuinfo Penryn" "$CPUBENCH" host --cpuinfo "$PN" --format json --save "$TMP/pn.json"
[ "$(json_get "(j['hostname'], j['cpuinfo_file'], j['backend'], j['kvm']['available'], j['cpuid'])")" = \
  "('penryn-core2-e8400', '$PN', None, False, [])" ] &&
	ok "--cpuinfo: named after the file, says so, no CPUID or KVM read" ||
	not_ok "--cpuinfo fingerprint: $(json_get "(j['hostname'], j['cpuinfo_file'], j['backend'], j['kvm']['available'])")"
[ "$(json_get "(j['vendor'], j['family'], j['model'], j['stepping'], j['microcode'], j['guest_x86_64_level'])")" = \
  "('GenuineIntel', 6, 23, 10, '0xa0b', 'x86-64-v1')" ] &&
	ok "--cpuinfo: Penryn's identity and level from the file" ||
	not_ok "--cpuinfo identity: $(json_get "(j['vendor'], j['family'], j['model'], j['stepping'], j['microcode'], j['guest_x86_64_level'])")"
expect_exit 0 "--cpuinfo fingerprint has the features of the cpuinfo itself" "$CPUBENCH" diff "$TMP/pn.json" "$PN"
"$CPUBENCH" host --format json >"$TMP/out" 2>/dev/null
[ "$(json_get "j['cpuinfo_file']")" = None ] && ok "this machine's fingerprint: cpuinfo_file null" || not_ok "cpuinfo_file without --cpuinfo"
expect_exit 0 "host --cpuinfo of lscpu output" "$CPUBENCH" host --cpuinfo "$Z3" --format json
[ "$(json_get "(j['family'], j['model'], j['guest_x86_64_level'])")" = "(25, 1, 'x86-64-v3')" ] &&
	ok "--cpuinfo lscpu: Zen 3, x86-64-v3" || not_ok "--cpuinfo lscpu: $(json_get "(j['family'], j['model'], j['guest_x86_64_level'])")"
expect_exit 0 "host --cpuinfo table" "$CPUBENCH" host --cpuinfo "$Z4"
grep -q "^described .*$Z4" "$TMP/out" && grep -q 'x86-64 level  x86-64-v4' "$TMP/out" &&
	ok "--cpuinfo table says what it describes" || not_ok "--cpuinfo table"
expect_exit 2 "host --cpuinfo of a fingerprint" "$CPUBENCH" host --cpuinfo "$TMP/pn.json"
one_line_error "--cpuinfo fingerprint: one line" "already a cpubench fingerprint"
expect_exit 2 "host --cpuinfo of a missing file" "$CPUBENCH" host --cpuinfo "$TMP/no-such-cpuinfo"
one_line_error "--cpuinfo missing file: one line" "no-such-cpuinfo"

# --- baseline of the mixed cluster
expect_exit 0 "baseline: 12th/13th gen Intel + Zen 3 + Zen 4" \
	"$CPUBENCH" baseline --format json "$AL" "$RL" "$Z3" "$Z4"
[ "$(json_get "j['best_level']")" = x86-64-v3 ] && ok "mixed cluster: x86-64-v3" ||
	not_ok "mixed cluster: $(json_get "j['best_level']")"
b=$(json_get "' '.join(sorted(x['host'] for s in j['blocked'] if s['model']=='x86-64-v4' for x in s['blockers']))")
[ "$b" = "alderlake-i7-12700k raptorlake-i9-13900k zen3-epyc-7763" ] &&
	ok "v4 blocked by the hosts without AVX-512" || not_ok "v4 blockers: '$b'"
m=$(json_get "sorted(next(x['missing'] for s in j['blocked'] if s['model']=='x86-64-v4' for x in s['blockers'] if x['host']=='zen3-epyc-7763'))")
[ "$m" = "['avx512bw', 'avx512cd', 'avx512dq', 'avx512f', 'avx512vl']" ] &&
	ok "zen3 blocks v4 for lack of AVX-512 F/BW/CD/DQ/VL" || not_ok "zen3 lacks $m"
[ "$(json_get "j['vendor']")" = None ] && ok "mixed vendors: no per-vendor model" || not_ok "vendor $(json_get "j['vendor']")"
expect_exit 0 "baseline + Westmere" "$CPUBENCH" baseline --format json "$AL" "$RL" "$Z3" "$Z4" "$WM"
[ "$(json_get "j['best_level']")" = x86-64-v2-AES ] && ok "+ Westmere: x86-64-v2-AES" ||
	not_ok "+ Westmere: $(json_get "j['best_level']")"
b=$(json_get "' '.join(x['host'] for s in j['blocked'] if s['model']=='x86-64-v3' for x in s['blockers'])")
[ "$b" = westmere-xeon-x5670 ] && ok "Westmere alone blocks v3" || not_ok "v3 blockers: '$b'"
expect_exit 0 "baseline + Westmere + Penryn" "$CPUBENCH" baseline --format json "$AL" "$RL" "$Z3" "$Z4" "$WM" "$PN"
[ "$(json_get "j['best_level']")" = x86-64-v1 ] && ok "+ Penryn: x86-64-v1" ||
	not_ok "+ Penryn: $(json_get "j['best_level']")"
m=$(json_get "sorted(next(x['missing'] for s in j['blocked'] if s['model']=='x86-64-v2' for x in s['blockers'] if x['host']=='penryn-core2-e8400'))")
[ "$m" = "['popcnt', 'sse4.2']" ] && ok "Penryn blocks v2 for lack of popcnt, sse4.2" || not_ok "Penryn lacks $m"
expect_exit 0 "baseline table" "$CPUBENCH" baseline "$AL" "$Z4"
grep -q '^blocked x86-64-v4 by' "$TMP/out" && grep -q 'alderlake-i7-12700k *missing avx512f' "$TMP/out" &&
	ok "baseline table names v4's blocker" || not_ok "baseline table"
expect_exit 0 "baseline --emit qemu" "$CPUBENCH" baseline --emit qemu "$AL" "$Z3"
grep -q -- '-cpu .*enforce' "$TMP/out" && ok "baseline emits a -cpu string" || not_ok "baseline --emit output"

# --- malformed inputs: one line naming the file, exit 2
: >"$TMP/empty"
printf '\177ELF\002\001\001\000\000' >"$TMP/binary"
head -c 200 "$TMP/me.json" >"$TMP/truncated.json"
grep -v '^flags' "$Z4" >"$TMP/noflags.cpuinfo"
printf 'flags\t\t:\n' >"$TMP/emptyflags"
printf 'flags\t\t: fpu vme d\xc3\xa9\n' >"$TMP/badflag"
for f in empty binary truncated.json noflags.cpuinfo emptyflags badflag no-such-file; do
	expect_exit 2 "baseline rejects $f" "$CPUBENCH" baseline "$AL" "$TMP/$f"
	one_line_error "$f: one line naming the file" "$TMP/$f"
done
grep -q "truncated.json:[0-9]*:" "$TMP/err" 2>/dev/null
expect_exit 2 "truncated JSON names a line" "$CPUBENCH" compare --mask x86-64-v1 --host "$TMP/truncated.json"
one_line_error "truncated JSON: file:line" "truncated.json:[0-9]+: invalid JSON"
expect_exit 2 "flag with a bad byte names the line" "$CPUBENCH" diff "$TMP/badflag" x86-64-v1
one_line_error "bad flag byte: file:line" "badflag:1: "
expect_exit 2 "baseline without hosts" "$CPUBENCH" baseline
expect_exit 2 "baseline --emit bad" "$CPUBENCH" baseline --emit vmware "$AL"

# --- compare
expect_exit 0 "compare x86-64-v3 on Zen 3" "$CPUBENCH" compare --mask x86-64-v3 --host "$Z3"
expect_exit 1 "compare x86-64-v4 on Alder Lake" "$CPUBENCH" compare --mask x86-64-v4 --host "$AL" --format json
[ "$(json_get "sorted(j['missing'])")" = "['avx512bw', 'avx512cd', 'avx512dq', 'avx512f', 'avx512vl']" ] &&
	ok "compare lists what is missing" || not_ok "compare missing: $(json_get "j['missing']")"
expect_exit 0 "compare warns about vmx" "$CPUBENCH" compare --mask x86-64-v2,+vmx --host "$AL"
grep -q 'warning: .*vmx' "$TMP/err" && ok "vmx lint on compare" || not_ok "no vmx lint"
expect_exit 2 "compare unknown model" "$CPUBENCH" compare --mask nosuch --host "$AL"

# --- diff
expect_exit 1 "diff Zen 3 Zen 4 differ" "$CPUBENCH" diff --format json "$Z3" "$Z4"
json_get "'avx512f' in j['b']['only'] and 'svm' in j['a']['nested_virt'] and j['a']['invtsc']" | grep -q True &&
	ok "diff: AVX-512 only in Zen 4, svm and invtsc flagged" || not_ok "diff json"
expect_exit 0 "diff of identical sets" "$CPUBENCH" diff "$AL" "$RL"
expect_exit 1 "diff host vs model" "$CPUBENCH" diff "$WM" x86-64-v2-AES
grep -q 'nested virtualization exposed: vmx' "$TMP/out" && ok "diff highlights vmx" || not_ok "diff vmx highlight"

# --- emit
for k in qemu libvirt proxmox nova kubevirt firecracker; do
	expect_exit 0 "emit x86-64-v3 as $k" "$CPUBENCH" emit --mask x86-64-v3 --as "$k"
	cp "$TMP/out" "$TMP/emit.$k"
done
expect_exit 2 "emit unknown --as" "$CPUBENCH" emit --mask x86-64-v3 --as vmware
one_line_error "emit unknown --as: one line" "unknown --as 'vmware'"
expect_exit 0 "emit warns on host passthrough" "$CPUBENCH" emit --mask host --as libvirt
grep -q 'warning: .*host passthrough' "$TMP/err" && ok "passthrough lint" || not_ok "no passthrough lint"
expect_exit 0 "emit warns on invtsc" "$CPUBENCH" emit --mask x86-64-v3,+invtsc --as qemu
grep -q 'warning: .*invtsc.*not migratable' "$TMP/err" && ok "invtsc lint" || not_ok "no invtsc lint"
expect_exit 2 "firecracker has no passthrough" "$CPUBENCH" emit --mask host --as firecracker
one_line_error "firecracker passthrough: one line" "Firecracker"

# --- each stack's own names (bench/emit/emit.h): Proxmox's built-in models,
# the closest model of libvirt's cpu_map, the changes on host kept
expect_exit 0 "emit x86-64-v2-AES as proxmox" "$CPUBENCH" emit --mask x86-64-v2-AES --as proxmox
grep -qx 'cpu: x86-64-v2-AES' "$TMP/out" && ! grep -q '^cpu-model:' "$TMP/out" &&
	ok "proxmox: x86-64-v2-AES is Proxmox's built-in model, no custom one" || { not_ok "proxmox x86-64-v2-AES:"; cat "$TMP/out"; }
# CPUConfig.pm's x86-64-v3 adds aes, cpubench's (the psABI level) does not;
# aes is one of the flags a VM may set itself
grep -qx 'cpu: x86-64-v3,flags=-aes' "$TMP/emit.proxmox" &&
	ok "proxmox: x86-64-v3 is the built-in model less aes" || { not_ok "proxmox x86-64-v3:"; cat "$TMP/emit.proxmox"; }
# avx2 is not one of them: a custom model on the named model, which the VM names
expect_exit 0 "emit Haswell-v4,-avx2 as proxmox" "$CPUBENCH" emit --mask Haswell-v4,-avx2 --as proxmox
id=$(sed -n 's/^cpu-model: //p' "$TMP/out")
grep -qx '	flags -avx2' "$TMP/out" && grep -qx '	reported-model Haswell-noTSX-IBRS' "$TMP/out" &&
	grep -qx "cpu: custom-$id" "$TMP/out" && ok "proxmox: a change a VM may not set makes a custom model on Haswell-noTSX-IBRS" ||
	{ not_ok "proxmox Haswell-v4,-avx2:"; cat "$TMP/out"; }
expect_exit 0 "emit Haswell-v4 as kubevirt" "$CPUBENCH" emit --mask Haswell-v4 --as kubevirt
kv_model() { /usr/bin/python3 -c "import yaml; print(yaml.safe_load(open('$1'))['spec']['template']['spec']['domain']['cpu']['model'])"; }
if /usr/bin/python3 -c 'import yaml' 2>/dev/null; then
	! grep -q qemu64 "$TMP/out" && [ "$(kv_model "$TMP/out")" = Haswell-noTSX-IBRS ] &&
		ok "kubevirt: Haswell-v4 is a VirtualMachine on Haswell-noTSX-IBRS, no qemu64" || { not_ok "kubevirt Haswell-v4:"; cat "$TMP/out"; }
else
	skipped "kubevirt YAML: Debian's python3-yaml is not installed"
fi
expect_exit 0 "emit Haswell-v4 as libvirt" "$CPUBENCH" emit --mask Haswell-v4 --as libvirt
grep -q "<model fallback='forbid'>Haswell-noTSX-IBRS</model>" "$TMP/out" && ok "libvirt: Haswell-v4 is libvirt's Haswell-noTSX-IBRS" ||
	{ not_ok "libvirt Haswell-v4:"; cat "$TMP/out"; }
expect_exit 0 "emit Haswell-v4 as nova" "$CPUBENCH" emit --mask Haswell-v4 --as nova
grep -qx 'cpu_models = Haswell-noTSX-IBRS' "$TMP/out" && ! grep -q extra_flags "$TMP/out" &&
	ok "nova: Haswell-v4 is Haswell-noTSX-IBRS, nothing to add" || { not_ok "nova Haswell-v4:"; cat "$TMP/out"; }
expect_exit 2 "emit with a cpu_map that is none" "$CPUBENCH" emit --mask x86-64-v3 --as libvirt --cpu-map "$TMP/no-cpu-map"
one_line_error "missing cpu_map: one line naming it" "no-cpu-map"
expect_exit 2 "baseline --emit with --format" "$CPUBENCH" baseline --emit qemu --format json "$AL"
one_line_error "baseline --emit --format: one line" "format json does not apply with --emit"

# host's changes are kept in every stack that has host passthrough
for k in qemu libvirt nova kubevirt proxmox firecracker; do
	expect_exit 0 "emit host,-avx2 as $k" "$CPUBENCH" emit --mask host,-avx2 --as "$k"
	cp "$TMP/out" "$TMP/host.$k"
done
grep -qx -- '-cpu host,-avx2' "$TMP/host.qemu" && ok "qemu: -cpu host,-avx2" || not_ok "qemu host: $(cat "$TMP/host.qemu")"
grep -q "mode='host-passthrough'" "$TMP/host.libvirt" && grep -q "<feature policy='disable' name='avx2'/>" "$TMP/host.libvirt" &&
	ok "libvirt: host-passthrough with avx2 disabled" || { not_ok "libvirt host,-avx2:"; cat "$TMP/host.libvirt"; }
grep -qx 'cpu_mode = host-passthrough' "$TMP/host.nova" && grep -qx 'cpu_model_extra_flags = -avx2' "$TMP/host.nova" &&
	ok "nova: host-passthrough with -avx2" || { not_ok "nova host,-avx2:"; cat "$TMP/host.nova"; }
grep -q 'model: "host-passthrough"' "$TMP/host.kubevirt" && grep -A1 'name: "avx2"' "$TMP/host.kubevirt" | grep -q 'policy: disable' &&
	ok "kubevirt: host-passthrough with avx2 disabled" || { not_ok "kubevirt host,-avx2:"; cat "$TMP/host.kubevirt"; }
grep -qx '	reported-model host' "$TMP/host.proxmox" && grep -qx '	flags -avx2' "$TMP/host.proxmox" &&
	ok "proxmox: a custom model reporting host, -avx2" || { not_ok "proxmox host,-avx2:"; cat "$TMP/host.proxmox"; }
expect_exit 0 "emit host,-aes as proxmox" "$CPUBENCH" emit --mask host,-aes --as proxmox
grep -qx 'cpu: host,flags=-aes' "$TMP/out" && ok "proxmox: host,flags=-aes on the VM itself" || { not_ok "proxmox host,-aes:"; cat "$TMP/out"; }
python3 -c "
import json; t=json.load(open('$TMP/host.firecracker'))
m={(e['leaf'],r['register']):r['bitmap'] for e in t['cpuid_modifiers'] for r in e['modifiers']}
assert m[('0x7','ebx')][2+31-5]=='0', m                 # avx2 hidden
assert sum(b[2:].count('0')+b[2:].count('1') for b in m.values())==1, m  # nothing else set
" && ok "firecracker: host,-avx2 clears avx2 and keeps every other bit the host's" || not_ok "firecracker host,-avx2"

# libvirt's own validator on the domain XML, for named, level and host models
if command -v virt-xml-validate >/dev/null && command -v xmllint >/dev/null; then
	for m in x86-64-v3 x86-64-v2-AES,+vmx Haswell-v4,-avx2 EPYC-Rome host,-avx2; do
		"$CPUBENCH" emit --mask "$m" --as libvirt >"$TMP/cpu.xml" 2>/dev/null
		{ echo "<domain type='kvm'><name>cpubench</name><memory>65536</memory>"
		  echo "<os><type arch='x86_64'>hvm</type></os>"
		  cat "$TMP/cpu.xml"; echo "</domain>"; } >"$TMP/domain.xml"
		virt-xml-validate "$TMP/domain.xml" domain >"$TMP/err" 2>&1 &&
			ok "virt-xml-validate accepts the <cpu> for $m" ||
			{ not_ok "virt-xml-validate refuses the <cpu> for $m"; head -3 "$TMP/err"; }
	done
	# the check can fail: a policy libvirt does not know
	sed "s/policy='disable'/policy='demand'/" "$TMP/domain.xml" >"$TMP/bad.xml"
	virt-xml-validate "$TMP/bad.xml" domain >/dev/null 2>&1 &&
		not_ok "virt-xml-validate accepted a bad policy" || ok "virt-xml-validate rejects a bad policy"
else
	skipped "libvirt validation: virt-xml-validate or xmllint missing (tools/bootstrap.sh installs libvirt-clients, libxml2-utils)"
fi

# QEMU: the -cpu string must start a TCG machine (quit at once via QMP).
qemu_cpu() {	# qemu_cpu CPU-ARGS...: 0 if QEMU accepts them
	printf '%s\n' '{"execute":"qmp_capabilities"}' '{"execute":"quit"}' |
		timeout 30 qemu-system-x86_64 -accel tcg -machine pc -nodefaults -display none \
			-no-reboot -S -qmp stdio "$@" >"$TMP/qemu.out" 2>&1
}
if command -v qemu-system-x86_64 >/dev/null; then
	# shellcheck disable=SC2046
	qemu_cpu $(cat "$TMP/emit.qemu") && ok "QEMU TCG accepts $(cat "$TMP/emit.qemu")" ||
		{ not_ok "QEMU refused the x86-64-v3 -cpu string"; head -3 "$TMP/qemu.out"; }
	# enforce bites: QEMU 7.2's TCG has no AVX-512
	v4=$("$CPUBENCH" emit --mask x86-64-v4 --as qemu 2>/dev/null)
	# shellcheck disable=SC2086
	if qemu_cpu $v4; then
		skipped "this QEMU's TCG emulates AVX-512: enforce cannot be shown to refuse"
	else
		grep -qi 'avx512' "$TMP/qemu.out" && ok "QEMU enforce refuses x86-64-v4 under TCG (no AVX-512)" ||
			{ not_ok "QEMU refused x86-64-v4 for another reason"; head -3 "$TMP/qemu.out"; }
	fi
else
	skipped "QEMU -cpu check: qemu-system-x86_64 not installed (tools/bootstrap.sh installs qemu-system-x86)"
fi

# Firecracker: the template against tests/schemas/ (Firecracker's documented format).
if /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
	check_fc() {
		/usr/bin/python3 -c "import json,jsonschema,sys
jsonschema.validate(json.load(open(sys.argv[1])), json.load(open('tests/schemas/firecracker-cpu-template.schema.json')))" "$1" 2>"$TMP/err"
	}
	check_fc "$TMP/emit.firecracker" && ok "firecracker template matches the schema" ||
		{ not_ok "firecracker template does not match"; tail -2 "$TMP/err"; }
	sed 's/"eax"/"rax"/' "$TMP/emit.firecracker" >"$TMP/fc-bad.json"
	check_fc "$TMP/fc-bad.json" && not_ok "schema accepted register rax" || ok "schema rejects a bad register"
	python3 -c "
import json; t=json.load(open('$TMP/emit.firecracker'))
m={(e['leaf'],r['register']):r['bitmap'] for e in t['cpuid_modifiers'] for r in e['modifiers']}
b=m[('0x7','ebx')]; assert b[2+31-5]=='1', b          # avx2 advertised
assert m[('0x7','ebx')][2+31-16]=='0'                  # avx512f hidden
assert m[('0xd','eax')][2+31-5]=='0'                   # opmask state hidden with it
" && ok "firecracker bitmaps: avx2 on, avx512f and its XCR0 states off" || not_ok "firecracker bitmaps"
else
	skipped "firecracker schema: Debian's python3-jsonschema is not installed"
fi

# Every stack's output read as the stack reads it (tests/schemas/stack_cpu.py):
# Proxmox's grammar and KubeVirt's schema, names libvirt's cpu_map knows,
# QEMU (TCG, -S) starting with the -cpu the stack would give it, and QEMU's
# own expansion of that -cpu equal to the model's features.
SC="/usr/bin/python3 tests/schemas/stack_cpu.py"
CPU_MAP=/usr/share/libvirt/cpu_map
STACK_MASKS="x86-64-v1 x86-64-v2-AES x86-64-v3 x86-64-v4 Haswell-v4 Haswell-v4,-avx2 EPYC-Rome EPYC-Rome,+svm
Denverton kvm64 Skylake-Client-v1 x86-64-v3,+pcid,-aes"
: >"$TMP/pairs"
for k in libvirt nova kubevirt proxmox; do
	files="" bad=""
	for m in $STACK_MASKS; do
		f="$TMP/stack.$k.$(echo "$m" | tr ',+' '_p')"
		"$CPUBENCH" emit --mask "$m" --as "$k" >"$f" 2>/dev/null || bad="$bad $m(exit $?)"
		files="$files $f"
	done
	# shellcheck disable=SC2086
	$SC read "$k" $files >"$TMP/cpus.$k" 2>"$TMP/err" || bad="$bad (read: $(tail -1 "$TMP/err"))"
	paste <(echo "$STACK_MASKS" | tr ' ' '\n') "$TMP/cpus.$k" >>"$TMP/pairs"
	[ -z "$bad" ] && ok "$k: $(wc -l <"$TMP/cpus.$k") models emitted and read back as $k reads them" ||
		not_ok "$k:$bad"
done
cat "$TMP/cpus.libvirt" "$TMP/cpus.nova" "$TMP/cpus.kubevirt" >"$TMP/lvcpus"
if [ -d "$CPU_MAP" ]; then
	# libvirt, Nova and KubeVirt name a model of cpu_map and features of x86_features.xml
	python3 -c "
import os, sys, xml.etree.ElementTree as ET
known = {f.get('name') for f in ET.parse('$CPU_MAP/x86_features.xml').getroot().iter('feature')}
bad = []
for line in open('$TMP/lvcpus').read().splitlines():
    model, *opts = line.split(',')
    if model != 'host' and not os.path.exists('$CPU_MAP/x86_%s.xml' % model):
        bad.append(model)
    bad += [o for o in opts if o[1:] not in known]
sys.exit('not in cpu_map: %s' % bad if bad else 0)
" 2>"$TMP/err" && ok "libvirt, nova, kubevirt: every model and feature name is in libvirt's cpu_map" ||
		not_ok "$(cat "$TMP/err")"
else
	skipped "cpu_map names: $CPU_MAP missing (tools/bootstrap.sh installs libvirt0)"
fi
# the schema and the grammar can fail
printf 'cpu: Haswell-noTSX-IBRS,flags=-avx2\n' >"$TMP/pve-bad"
$SC read proxmox "$TMP/pve-bad" >/dev/null 2>&1 && not_ok "proxmox grammar accepted flags a VM may not set" ||
	ok "proxmox grammar refuses VM flags outside @supported_cpu_flags"
printf 'cpu-model: x\n\treported-model x86-64-v3\n\ncpu: custom-x\n' >"$TMP/pve-bad"
$SC read proxmox "$TMP/pve-bad" >/dev/null 2>&1 && not_ok "proxmox grammar accepted a built-in as reported-model" ||
	ok "proxmox grammar refuses a reported-model outside \$cpu_vendor_list"
if /usr/bin/python3 -c 'import yaml, jsonschema' 2>/dev/null; then
	"$CPUBENCH" emit --mask x86-64-v3 --as kubevirt 2>/dev/null | sed 's/model: ".*"/model: "qemu64"/' >"$TMP/kv-bad"
	$SC read kubevirt "$TMP/kv-bad" >/dev/null 2>&1 && not_ok "kubevirt schema accepted qemu64" ||
		ok "kubevirt schema refuses a model KubeVirt lists as obsolete"
fi
if command -v qemu-system-x86_64 >/dev/null; then
	for k in libvirt nova kubevirt proxmox; do
		cpu=$(sed -n 6p "$TMP/cpus.$k")	# Haswell-v4,-avx2
		qemu_cpu -cpu "$cpu" && ok "QEMU TCG starts with $k's -cpu $cpu" ||
			{ not_ok "QEMU refused $k's -cpu $cpu"; head -3 "$TMP/qemu.out"; }
	done
	$SC expand "$CPUBENCH" qemu-system-x86_64 "$TMP/pairs" >"$TMP/err" 2>&1 &&
		ok "QEMU's expansion of every stack's -cpu is exactly the model ($(wc -l <"$TMP/pairs") cases)" ||
		{ not_ok "a stack's -cpu is not the model:"; head -5 "$TMP/err"; }
	sed 's/,-avx2//' "$TMP/pairs" >"$TMP/pairs.bad"
	$SC expand "$CPUBENCH" qemu-system-x86_64 "$TMP/pairs.bad" >/dev/null 2>&1 &&
		not_ok "the expansion check missed avx2 left on" || ok "the expansion check sees avx2 left on"
else
	skipped "stack -cpu checks: qemu-system-x86_64 not installed (tools/bootstrap.sh installs qemu-system-x86)"
fi

# verify lints too (the warning comes before any guest runs)
if [ -e /dev/kvm ]; then
	"$CPUBENCH" verify --mask x86-64-v2,+vmx >"$TMP/out" 2>"$TMP/err"
	grep -q 'warning: .*exposes vmx' "$TMP/err" && ok "verify warns about vmx" || not_ok "verify: no vmx warning"
else
	skipped "verify lint: /dev/kvm does not exist on this machine"
fi
