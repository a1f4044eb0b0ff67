# SPDX-License-Identifier: GPL-2.0-only
# Sourced by tests/cli.sh: checks of the source tree itself.

# The layering of bench/ (tools/check-layers.sh): the tree passes, and an
# upward include in a copy of it fails, naming both files.
if tools/check-layers.sh >"$TMP/layers" 2>&1; then
	ok "layering: every include of bench/ goes down a floor"
else
	not_ok "layering violations:"; sed 's/^/    /' "$TMP/layers" | head -20
fi
rm -rf "$TMP/bench"
cp -r bench "$TMP/bench"
printf '#include "report/report.h"\n' >>"$TMP/bench/cpu/featureset.c"
if tools/check-layers.sh "$TMP/bench" >"$TMP/layers" 2>&1; then
	not_ok "layering: an upward include (cpu -> report) was not caught"
elif grep -q "bench/cpu/featureset.c:.*bench/report/report.h, a floor above cpu/" "$TMP/layers"; then
	ok "layering: an upward include fails, naming both files"
else
	not_ok "layering: unexpected message:"; sed 's/^/    /' "$TMP/layers" | head -5
fi
printf '#include "featureset.h"\n' >"$TMP/bench/lib/bare.c"
if ! tools/check-layers.sh "$TMP/bench" 2>&1 | grep -q 'lib/bare.c:1: includes "featureset.h" without its floor'; then
	not_ok "layering: an include without its floor was not caught"
else
	ok "layering: an include without its floor fails"
fi
rm -rf "$TMP/bench"

# No flat .c file in bench/ but main.c.
flat=$(find bench -maxdepth 1 -name '*.c' ! -name main.c)
[ -z "$flat" ] && ok "bench/: no flat source file but main.c" || not_ok "flat files in bench/: $flat"

# Architectural bits are named once, in guestcode/x86_arch.h: no shift of
# a literal bit number anywhere else in the host or the guest.
lits=$(grep -rnE '\b1(u|U|ull|ULL)?[[:space:]]*<<[[:space:]]*[0-9]+\b' bench guestcode \
	--include='*.[chS]' --include='*.def' | grep -v '^guestcode/x86_arch.h:')
[ -z "$lits" ] && ok "no bare bit literal outside guestcode/x86_arch.h" ||
	{ not_ok "bare bit literals:"; echo "$lits" | sed 's/^/    /' | head; }
