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
# host's two answers need KVM: with it, every model it calls runnable passes
# verify here; without it, it says it cannot tell, and lists nothing
if [ -e /dev/kvm ]; then
	json_get "' '.join(j['models']['runnable'])" >"$TMP/runnable"
	n=0
	for m in $(cat "$TMP/runnable"); do
		"$CPUBENCH" verify --mask "$m" >/dev/null 2>"$TMP/err" || { not_ok "host calls $m runnable, verify fails it"; n=1; }
	done
	[ "$n" = 0 ] && ok "every model host calls runnable passes verify ($(wc -w <"$TMP/runnable"))"
else
	json_get "(j['models']['known'], j['qemu_models']['known'], len(j['models']['runnable']), '/dev/kvm' in j['models']['why'])" |
		grep -q '(False, False, 0, True)' && ok "no /dev/kvm: host claims no runnable model and says why" ||
		not_ok "no /dev/kvm: host answers $(json_get "j['models']")"
fi
expect_exit 0 "host table" "$CPUBENCH" host
grep -q "x86-64 level  $level" "$TMP/out" && ok "host table shows $level" || not_ok "host table level"
if [ ! -e /dev/kvm ]; then
	grep -q '^verify here   cannot tell: /dev/kvm' "$TMP/out" && grep -q '^QEMU/libvirt  cannot tell' "$TMP/out" &&
		ok "host table: both answers say they cannot tell" || not_ok "host table claims answers without KVM"
fi

# show host works wherever verify --mask host does, with the same answer
"$CPUBENCH" verify --mask host >/dev/null 2>&1
vrc=$?
if [ "$vrc" = 3 ]; then
	expect_exit 3 "show host exits 3 where verify --mask host does" "$CPUBENCH" show host
	one_line_error "show host: one-line reason" "/dev/kvm|KVM"
else
	expect_exit 0 "show host where verify --mask host runs" "$CPUBENCH" show host --format json
	[ "$(json_get "len(j['features']) > 0")" = True ] && ok "show host lists KVM's features" ||
		not_ok "show host lists no feature"
fi
expect_exit 2 "show host --backend bad" "$CPUBENCH" show host --backend vmware

# QEMU/libvirt: libvirt's usable models against host's qemu_models (needs
# KVM and libvirt's QEMU driver; virsh's embed mode needs no daemon)
if [ -e /dev/kvm ] && command -v virsh >/dev/null; then
	"$CPUBENCH" host --format json >"$TMP/out" 2>/dev/null
	mkdir -p "$TMP/libvirt"
	if virsh --connect "qemu:///embed?root=$TMP/libvirt" domcapabilities --virttype kvm >"$TMP/domcaps.xml" 2>"$TMP/err"; then
		python3 - "$TMP/out" "$TMP/domcaps.xml" <<'PY' && ok "host's QEMU answer matches libvirt's usable models" || not_ok "host and libvirt disagree"
import json, sys, xml.etree.ElementTree as ET
j = json.load(open(sys.argv[1]))
ours = set(j['qemu_models']['runnable'])
known = set(ours) | {m['model'] for m in j['qemu_models']['not_runnable']}
usable = {m.text for m in ET.parse(sys.argv[2]).iter('model') if m.get('usable') == 'yes'}
listed = {m.text for m in ET.parse(sys.argv[2]).iter('model') if m.get('usable') in ('yes', 'no')}
# a model whose feature-MSR bits cpubench does not check may differ: host says so
diff = sorted(((ours ^ usable) & known & listed) - set(j['qemu_models']['msr_unchecked']))
print('differences:', diff)
sys.exit(1 if diff else 0)
PY
	else
		not_ok "virsh domcapabilities failed: $(head -1 "$TMP/err")"
	fi
else
	skipped "host vs libvirt: needs /dev/kvm and virsh (libvirt-clients, libvirt-daemon-driver-qemu)"
fi
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
[ "$(json_get "(j['vendor'], j['recommended'])")" = "(None, 'x86-64-v3')" ] &&
	ok "mixed vendors: the level is the fallback" || not_ok "mixed: $(json_get "(j['vendor'], j['recommended'])")"
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

# --- real hosts (tests/data/cpuinfo, SOURCES.md): the models they run
C=tests/data/cpuinfo
expect_exit 0 "a Skylake Xeon runs Skylake-Server-v5" \
	"$CPUBENCH" compare --mask Skylake-Server-v5 --host $C/intel-skylake-xeon-gold-6126.cpuinfo
expect_exit 1 "Cascade Lake-X without pku: Cascadelake-Server-v5 misses pku only" \
	"$CPUBENCH" compare --format json --mask Cascadelake-Server-v5 --host $C/intel-cascadelake-core-i9-10980xe.cpuinfo
[ "$(json_get "(j['missing'], j['nearest'])")" = "(['pku'], 'Cascadelake-Server-v5,-pku')" ] &&
	ok "compare names the nearest model: Cascadelake-Server-v5,-pku" || not_ok "compare: $(json_get "(j['missing'], j['nearest'])")"
expect_exit 0 "an EPYC Bergamo runs EPYC-Milan-v1" \
	"$CPUBENCH" compare --format json --mask EPYC-Milan-v1 --host $C/amd-bergamo-epyc-9754.cpuinfo
[ "$(json_get "j['unknown']")" = "['svme-addr-chk']" ] && ok "svme-addr-chk is unknown, not missing" ||
	not_ok "unknown: $(json_get "j['unknown']")"
# the same CPU seen without svm (a cloud guest): the nearest is -svm
sed 's/ svm / /' $C/amd-bergamo-epyc-9754.cpuinfo >"$TMP/nosvm.cpuinfo"
expect_exit 1 "EPYC without svm" "$CPUBENCH" compare --format json --mask EPYC-Milan-v1 --host "$TMP/nosvm.cpuinfo"
[ "$(json_get "j['nearest']")" = "EPYC-Milan-v1,-svm" ] && ok "nearest: EPYC-Milan-v1,-svm" ||
	not_ok "nearest: $(json_get "j['nearest']")"
expect_exit 0 "a Zen 3 Ryzen runs EPYC-Rome" \
	"$CPUBENCH" compare --mask EPYC-Rome --host $C/amd-zen3-ryzen-9-5950x.cpuinfo
expect_exit 1 "the EPYC 7413 lacks erms and fsrm" \
	"$CPUBENCH" compare --mask EPYC-Milan-v1 --host $C/amd-milan-epyc-7413.cpuinfo
grep -q 'missing: erms fsrm' "$TMP/out" && grep -q 'nearest that runs: EPYC-Milan-v1,-erms,-fsrm' "$TMP/out" &&
	grep -q 'best AuthenticAMD model that runs as it is: EPYC-Rome' "$TMP/out" &&
	ok "compare table: missing, nearest, best as is" || not_ok "compare table: $(cat "$TMP/out")"
for f in $C/*.cpuinfo; do
	"$CPUBENCH" compare --format json --mask x86-64-v1 --host "$f" >"$TMP/out" 2>/dev/null
	[ "$(json_get "'hypervisor' in j['missing']")" = False ] || not_ok "$f: hypervisor required of a host"
done
ok "hypervisor is never required of a host"
expect_exit 0 "baseline of two Zen 3 hosts, one without vendor_id" \
	"$CPUBENCH" baseline --format json $C/amd-zen3-ryzen-9-5950x.cpuinfo $C/amd-zen3-ryzen-9-5900x-flags-only.cpuinfo
[ "$(json_get "(j['vendor'], j['recommended'].startswith('EPYC'))")" = "('AuthenticAMD', True)" ] &&
	ok "two Zen 3 hosts: a named AMD model ($(json_get "j['recommended']"))" ||
	not_ok "two Zen 3 hosts: $(json_get "(j['vendor'], j['recommended'])")"
expect_exit 0 "baseline names the blockers per host" \
	"$CPUBENCH" baseline $C/amd-zen3-ryzen-9-5950x.cpuinfo $C/amd-milan-epyc-7413.cpuinfo
grep -Eq 'blocked by amd-milan-epyc-7413 +missing erms fsrm' "$TMP/out" &&
	ok "baseline: the 7413 blocks EPYC-Milan for lack of erms fsrm" || not_ok "baseline blockers: $(grep blocked "$TMP/out")"
expect_exit 1 "diff: vme is no passthrough-only feature" "$CPUBENCH" diff $C/amd-rome-epyc-7302p.cpuinfo EPYC-Rome-v2
grep 'passthrough-only' "$TMP/out" | grep -qw vme && not_ok "diff calls vme passthrough-only" || ok "diff: vme not passthrough-only"

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
		qemu-system-x86_64 -accel tcg -machine pc -nodefaults -display none \
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
	# a model only a later QEMU defines: emitted by name, flagged, and refused by 7.2
	expect_exit 0 "emit SapphireRapids-v1 as qemu" "$CPUBENCH" emit --mask SapphireRapids-v1 --as qemu
	grep -q 'warning: -cpu SapphireRapids-v1 needs QEMU 8.0 or later' "$TMP/err" &&
		ok "emit flags SapphireRapids-v1 as needing QEMU 8.0" || not_ok "emit: no newer-QEMU warning"
	# shellcheck disable=SC2046
	if qemu_cpu $(cat "$TMP/out"); then
		not_ok "this QEMU accepts SapphireRapids-v1: is it newer than 7.2? (then the flag is moot)"
	else
		grep -q 'unable to find CPU model' "$TMP/qemu.out" && ok "QEMU 7.2 indeed lacks SapphireRapids-v1" ||
			{ not_ok "QEMU refused SapphireRapids-v1 for another reason"; head -3 "$TMP/qemu.out"; }
	fi
	expect_exit 0 "emit Haswell-v4 as qemu" "$CPUBENCH" emit --mask Haswell-v4 --as qemu
	[ ! -s "$TMP/err" ] && ok "emit Haswell-v4: no newer-QEMU warning" || not_ok "emit Haswell-v4 warned"
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
