#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# tools/nested/initramfs.sh CACHE ENV SCRIPT OUTPUT [FILE|DIR ...]
#
# Builds the nested guest's initramfs (newc cpio) into OUTPUT:
#   /bin/busybox and its applet links   from CACHE (tools/nested/fetch.sh)
#   /init                               tools/nested/init.sh
#   /lib/modules/VER/...                the KVM module of ENV (svm: kvm-amd,
#                                       vmx: kvm-intel) and what it depends
#                                       on per modules.dep; /nested/modules
#                                       lists them in load order
#   /nested/script.sh, /nested/env      the script to run, NESTED_ENV=ENV
#   /job/PATH                           each FILE or DIR given by a relative
#                                       PATH, so the script (run in /job) finds
#                                       it where the caller did; an absolute
#                                       PATH keeps its path
#   the libraries and dynamic loader that `ldd` lists for each dynamically
#   linked ELF file among them, at the paths ldd gives
set -eu

[ $# -ge 4 ] || { echo "usage: $0 CACHE ENV SCRIPT OUTPUT [FILE|DIR ...]" >&2; exit 2; }
cache=$1 env=$2 script=$3 output=$4
shift 4
here=$(cd "$(dirname "$0")" && pwd)
die() { echo "nested-initramfs: $*" >&2; exit 1; }

case $env in
svm) kmod=kvm-amd ;;
vmx) kmod=kvm-intel ;;
*) die "unknown environment '$env' (svm or vmx)" ;;
esac

kver=$(cat "$cache/kernel/version")
mdir=$cache/kernel/lib/modules/$kver
root=$(mktemp -d "${TMPDIR:-/tmp}/nested-root.XXXXXX")
trap 'rm -rf "$root"' EXIT

mkdir -p "$root/bin" "$root/sbin" "$root/usr/bin" "$root/usr/sbin" "$root/proc" \
	 "$root/sys" "$root/dev" "$root/tmp" "$root/root" "$root/nested" "$root/job"
cp "$cache/busybox" "$root/bin/busybox"
for applet in $("$cache/busybox" --list-full); do
	[ -e "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
done
cp "$here/init.sh" "$root/init"
chmod 755 "$root/init"
cp "$script" "$root/nested/script.sh"
echo "NESTED_ENV=$env" > "$root/nested/env"

# Modules: modules.dep lists, after the colon, every module a module needs;
# load those first (depth first), each once.
: > "$root/nested/modules"
add_module() {	# PATH relative to $mdir
	grep -qx "$1" "$root/nested/modules" && return 0
	deps=$(sed -n "s|^$1:||p" "$mdir/modules.dep")
	for d in $deps; do
		add_module "$d"
	done
	mkdir -p "$root/lib/modules/$kver/$(dirname "$1")"
	cp "$mdir/$1" "$root/lib/modules/$kver/$1"
	echo "$1" >> "$root/nested/modules"
}
kpath=$(sed -n "s|^\(\([^:]*/\)\{0,1\}$kmod\.ko[^:]*\):.*|\1|p" "$mdir/modules.dep")
[ -n "$kpath" ] || die "$kmod is not in $mdir/modules.dep"
add_module "$kpath"

# The caller's files, and the shared libraries of its ELF programs.
copy_libs() {	# ELF file
	ldd "$1" 2>/dev/null | while read -r a b c _; do
		case "$a $b $c" in
		*"not found"*) die "$1: $a not found (ldd)" ;;
		*" => /"*) lib=$c ;;	# libx.so.N => /path (0x...)
		/*) lib=$a ;;		# the dynamic loader
		*) continue ;;		# linux-vdso, static
		esac
		[ -e "$root$lib" ] && continue
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}
for f in "$@"; do
	[ -e "$f" ] || die "$f: no such file or directory"
	case $f in
	/*) dest=$root$f ;;
	../*|*/../*) die "$f: a relative path must stay below the current directory" ;;
	*) dest=$root/job/$f ;;
	esac
	mkdir -p "$(dirname "$dest")"
	cp -a "$f" "$dest"
	find "$dest" -type f | while read -r x; do
		if [ "$(head -c 4 "$x" | od -An -c | tr -d ' ')" = '177ELF' ]; then
			copy_libs "$x"
		fi
	done
done

# Not compressed by default: under Bochs the kernel took 13 s of guest time
# to unpack this (50 MB, mostly libicudata) from zstd and 20 s from gzip,
# 2 s uncompressed; reading the larger image from the CD costs less.
# NESTED_INITRD_COMPRESS=gzip makes it smaller.
case ${NESTED_INITRD_COMPRESS:-none} in
none) compress="cat" ;;
gzip) compress="gzip -6" ;;
*) die "NESTED_INITRD_COMPRESS: none or gzip" ;;
esac
(cd "$root" && find . | cpio -o -H newc -R 0:0 --quiet) | $compress > "$output.tmp"
mv "$output.tmp" "$output"
