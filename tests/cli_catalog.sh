# SPDX-License-Identifier: GPL-2.0-only
# Sourced by tests/cli.sh: the model catalog (issue 3): masks, show,
# import qemu|libvirt, malformed mask files, the guest's identity.

expect_exit 0 "masks" "$CPUBENCH" masks
n=$(grep -c ' QEMU 7\.' "$TMP/out")
[ "$n" -ge 60 ] && ok "masks lists $n QEMU models (>= 60)" || not_ok "masks lists $n QEMU models"
expect_exit 0 "masks --format json" "$CPUBENCH" masks --format json
[ "$(json_get "j['count'] >= 60 and j['count'] == len(j['masks'])")" = True ] &&
	ok "masks JSON: valid, count matches" || not_ok "masks JSON"
[ "$(json_get "next(m['level'] for m in j['masks'] if m['name'] == 'Skylake-Server-v4')")" = x86-64-v4 ] &&
	ok "masks JSON: Skylake-Server-v4 is x86-64-v4" || not_ok "masks JSON: Skylake-Server-v4 level"
[ "$(json_get "next(m['inherits'] for m in j['masks'] if m['name'] == 'Haswell-noTSX')")" = Haswell-v2 ] &&
	ok "masks JSON: Haswell-noTSX inherits Haswell-v2" || not_ok "masks JSON: Haswell-noTSX alias"

expect_exit 0 "show Haswell-v4 --format json" "$CPUBENCH" show Haswell-v4 --format json
[ "$(json_get "'avx2' in j['features'] and 'hle' in j['removed'] and j['identity']['model'] == 60 and \
any(l['leaf'] == '0x00000001' and l['eax'] == '0x000306c1' for l in j['cpuid'])")" = True ] &&
	ok "show JSON: features, removed, identity, leaf 1 EAX" || not_ok "show JSON content"
expect_exit 0 "show table" "$CPUBENCH" show EPYC-Milan-v1
grep -q '^identity .*AuthenticAMD family 25' "$TMP/out" && ok "show table: identity" || not_ok "show table: identity"
expect_exit 2 "show unknown model" "$CPUBENCH" show Haswel-v4
one_line_error "show unknown model: one line, suggestion" "unknown mask 'Haswel-v4'.*did you mean"
expect_exit 2 "show without a model" "$CPUBENCH" show
one_line_error "show without a model: one line" "needs a model name"

# malformed files: file and line, exit 2
mkdir -p "$TMP/bad"
printf 'name: bad\n# c\nfeatures: +sse +no-such-feat\n' >"$TMP/bad/bad.mask"
expect_exit 2 "masks: unknown feature" "$CPUBENCH" masks --masks-dir "$TMP/bad"
one_line_error "unknown feature: file:line" "bad/bad\.mask:3: unknown feature 'no-such-feat'"
printf 'name: bad\nflavour: x\n' >"$TMP/bad/bad.mask"
expect_exit 2 "masks: unknown key" "$CPUBENCH" masks --masks-dir "$TMP/bad"
one_line_error "unknown key: file:line" "bad/bad\.mask:2: unknown key 'flavour'"
printf 'name: bad\ninherits: bad2\n' >"$TMP/bad/bad.mask"
printf 'name: bad2\ninherits: bad\n' >"$TMP/bad/bad2.mask"
expect_exit 2 "show: inheritance loop" "$CPUBENCH" show bad --masks-dir "$TMP/bad"
one_line_error "inheritance loop: one line" "inheritance loop: bad -> bad2 -> bad"
rm -f "$TMP/bad/"*

# import qemu regenerates masks/ exactly, except the x86-64 levels (not
# QEMU's), the models only a newer QEMU's source defines (import
# qemu-source, below) and the provenance lines when another QEMU build is
# installed
MASKS="$(dirname "$0")/../masks"
from_source=$(grep -l '^provenance: QEMU.* source, ' "$MASKS"/*.mask | sed 's|.*/||')
if command -v qemu-system-x86_64 >/dev/null; then
	expect_exit 0 "import qemu --out" "$CPUBENCH" import qemu --out "$TMP/qemu"
	d=$(diff -r -I '^provenance: ' -I '^# Source: ' "$MASKS" "$TMP/qemu" 2>&1 |
		grep -v '^Only in .*masks: x86-64-v[1-4]\(-AES\)\?\.mask$' |
		grep -v -F -f <(for f in $from_source; do echo "Only in $MASKS: $f"; done))
	[ -z "$d" ] && ok "import qemu: masks/ regenerated identically" ||
		{ not_ok "import qemu differs from masks/:"; echo "$d" | head -10 | sed 's/^/    /'; }
else
	skipped "import qemu: qemu-system-x86_64 not installed (Debian package qemu-system-x86)"
fi
expect_exit 3 "import qemu with a missing binary" "$CPUBENCH" import qemu --qemu /nonexistent/qemu --out "$TMP/q2"
one_line_error "missing QEMU: one line" "cannot run /nonexistent/qemu"

# import qemu-source regenerates, byte for byte, every masks/ file whose
# provenance is QEMU's source (the models QEMU 7.2 lacks); --keep-existing
# leaves the others alone
REF=${QSRC_QEMU_DIR:-$(dirname "$0")/../../shared/reference/qemu}
if [ -d "$REF" ]; then
	expect_exit 0 "import qemu-source" "$CPUBENCH" import qemu-source "$REF" --out "$TMP/src"
	n=0 bad=""
	for f in $from_source; do
		n=$((n + 1))
		cmp -s "$MASKS/$f" "$TMP/src/$f" || bad="$bad $f"
	done
	[ "$n" -ge 20 ] && [ -z "$bad" ] && ok "import qemu-source: the $n masks/ files from QEMU's source regenerated identically" ||
		not_ok "import qemu-source: $n files, different:$bad"
	grep -q 'qemu-since: 8.0' "$TMP/src/SapphireRapids-v1.mask" && ok "import qemu-source: SapphireRapids-v1 dated QEMU 8.0" ||
		not_ok "import qemu-source: SapphireRapids-v1 not dated"
	mkdir -p "$TMP/keep" && printf 'name: Haswell-v1\n' >"$TMP/keep/Haswell-v1.mask"
	expect_exit 0 "import qemu-source --keep-existing" "$CPUBENCH" import qemu-source "$REF" --out "$TMP/keep" --keep-existing
	[ "$(cat "$TMP/keep/Haswell-v1.mask")" = "name: Haswell-v1" ] && [ -s "$TMP/keep/SapphireRapids-v3.mask" ] &&
		ok "--keep-existing keeps what is there, writes the rest" || not_ok "--keep-existing"
	grep -q 'kept the 1 that were there' "$TMP/out" && ok "--keep-existing says what it kept" || not_ok "--keep-existing output"
	# a line QEMU's reader cannot interpret: an error naming file and line
	mkdir -p "$TMP/bad-src/target/i386"
	cp "$REF/target/i386/cpu.h" "$TMP/bad-src/target/i386/"
	sed 's/\.stepping = 4,/.stepping = 4 +,/' "$REF/target/i386/cpu.c" >"$TMP/bad-src/target/i386/cpu.c"
	expect_exit 2 "import qemu-source: a broken line" "$CPUBENCH" import qemu-source "$TMP/bad-src" --out "$TMP/src2"
	one_line_error "import qemu-source: error names the line" "target/i386/cpu\.c:[0-9]+: "
	# a model name is a file name: never a path out of --out
	sed 's|\.name = "486",|.name = "../evil",|' "$REF/target/i386/cpu.c" >"$TMP/bad-src/target/i386/cpu.c"
	expect_exit 2 "import qemu-source: a model name with a slash" "$CPUBENCH" import qemu-source "$TMP/bad-src" --out "$TMP/src2"
	one_line_error "import qemu-source: a path-like name is refused" "'\.\./evil-v1' cannot name a mask file"
	[ ! -e "$TMP/evil-v1.mask" ] && ok "nothing written outside --out" || not_ok "a file escaped --out"
else
	skipped "import qemu-source: no QEMU source tree at $REF (a clone without ../shared; set QSRC_QEMU_DIR)"
fi
expect_exit 2 "import qemu-source without a directory" "$CPUBENCH" import qemu-source
one_line_error "import qemu-source without a directory: one line" "needs a QEMU source directory"
expect_exit 2 "import qemu-source of a missing directory" "$CPUBENCH" import qemu-source /nonexistent --out "$TMP/src3"
one_line_error "missing source: one line" "cannot open /nonexistent/target/i386/cpu\.h"

if [ -r /usr/share/libvirt/cpu_map/x86_features.xml ]; then
	expect_exit 0 "import libvirt" "$CPUBENCH" import libvirt --out "$TMP/lv"
	[ ! -s "$TMP/err" ] && ok "import libvirt: every feature mapped" || not_ok "import libvirt: unmapped features"
	expect_exit 0 "show a libvirt import" "$CPUBENCH" show libvirt-Haswell --masks-dir "$TMP/lv" --format json
	[ "$(json_get "'avx2' in j['features'] and j['identity'] is None")" = True ] &&
		ok "libvirt-Haswell: features, no identity" || not_ok "libvirt-Haswell content"
else
	skipped "import libvirt: no /usr/share/libvirt/cpu_map (Debian package libvirt0)"
fi
expect_exit 2 "import libvirt from a bad directory" "$CPUBENCH" import libvirt /nonexistent --out "$TMP/lv2"
one_line_error "bad cpu_map: one line" "x86_features\.xml: (not readable XML|No such file)"

# the guest reports the identity it read; on PVM the report says whether
# it is the model's (derived from what the guest read, not assumed)
if [ -c /dev/kvm ] && [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
	"$CPUBENCH" verify --mask EPYC-Milan-v1 --format json >"$TMP/out" 2>"$TMP/err"
	[ "$(json_get "j['guest_cpuid']['identity'] is not None and \
isinstance(j['guest_cpuid']['identity']['matches_model'], bool)")" = True ] &&
		ok "verify EPYC-Milan-v1: guest identity reported" || not_ok "verify EPYC-Milan-v1: guest identity"
	"$CPUBENCH" verify --mask Haswell-v4 >"$TMP/out" 2>"$TMP/err"
	grep -q '^guest id  ' "$TMP/out" && ok "verify Haswell-v4: table shows the guest's identity" ||
		not_ok "verify Haswell-v4: no guest id line"
else
	skipped "guest identity: /dev/kvm absent"
fi
