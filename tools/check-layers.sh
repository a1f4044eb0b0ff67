#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Checks the layering of bench/ (README "Architecture"): a file in
# bench/FLOOR/ may include only headers of its own floor, of the floors
# below it, and the host<->guest ABI under guestcode/. Every project
# include names its floor ("cpu/feature.h"); a bare "feature.h" is an
# error too, since it hides which floor it reaches.
#   tools/check-layers.sh [BENCH_DIR]     (default: bench)
# Prints one line per violation, naming both files; exits 1 if any.
set -eu
BENCH=${1:-bench}

# Lowest floor first; the same order as LAYERS in the Makefile.
FLOORS="lib cpu judge catalog vmm qemu backend host import emit migrate report cli"

rank() {
	r=0
	for f in $FLOORS; do
		r=$((r + 1))
		if [ "$f" = "$1" ]; then
			echo $r
			return
		fi
	done
	echo 0
}

check_file() {
	src=$1
	rel=${src#"$BENCH"/}
	case $rel in
	*/*) floor=${rel%%/*} ;;
	*) floor=cli ;;		# bench/main.c stands on the top floor
	esac
	own=$(rank "$floor")
	if [ "$own" -eq 0 ]; then
		echo "$src: folder '$floor' is not a floor of bench/ (see FLOORS in tools/check-layers.sh)"
		return
	fi
	grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$src" |
	sed 's/^\([0-9]*\):[^"]*"\([^"]*\)".*/\1 \2/' |
	while read -r line inc; do
		case $inc in
		guestcode/*) continue ;;	# the ABI, below every floor
		*/*) ;;
		*)
			echo "$src:$line: includes \"$inc\" without its floor (write \"FLOOR/$inc\")"
			continue ;;
		esac
		target=${inc%%/*}
		tr=$(rank "$target")
		if [ "$tr" -eq 0 ]; then
			echo "$src:$line: includes \"$inc\", which is in no floor of bench/"
		elif [ "$tr" -gt "$own" ]; then
			echo "$src:$line: includes $BENCH/$inc, a floor above $floor/ ($target/)"
		fi
	done
}

violations=$(find "$BENCH" -name '*.[chS]' | sort | while read -r f; do check_file "$f"; done)
if [ -n "$violations" ]; then
	echo "$violations"
	exit 1
fi
