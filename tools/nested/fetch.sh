#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# tools/nested/fetch.sh: fetch and cache what the nested guest boots, and print
# the cache directory that holds it:
#   CACHE/kernel/vmlinuz          Debian 12's kernel (linux-image-*-amd64)
#   CACHE/kernel/lib/modules/VER/ its modules, with a modules.dep of our own
#   CACHE/kernel/version          VER
#   CACHE/busybox                 busybox-static's binary (guest shell and tools)
# CACHE is $CPUBENCH_NESTED_CACHE, else build/nested/cache in the repository.
# The packages are fetched with `apt-get download` and unpacked with dpkg-deb:
# nothing is installed on this host. Once cached, nothing is fetched again
# (rm -rf the cache to refresh); CPUBENCH_NESTED_KERNEL=linux-image-6.1.0-NN-amd64
# picks another kernel package than linux-image-amd64's current one.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
cache=${CPUBENCH_NESTED_CACHE:-$top/build/nested/cache}
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)

log() { echo "nested-fetch: $*" >&2; }

# One fetch at a time: tests/nested.sh starts both environments at once,
# and both find the cache empty on a fresh clone.
exec 9> "$cache/.lock"
flock 9

# apt-get download PKG into DIR; an outdated package list (the mirror moved
# on to a newer build) is refreshed once.
download() {
	(cd "$2" && apt-get download -q "$1" >/dev/null 2>&1) && return 0
	log "apt-get download $1 failed; refreshing the package lists once"
	apt-get update -qq >&2 || true
	(cd "$2" && apt-get download -q "$1" >&2)
}

if [ ! -x "$cache/busybox" ]; then
	log "fetching busybox-static (once)"
	tmp=$(mktemp -d "$cache/.bb.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	download busybox-static "$tmp"
	dpkg-deb -x "$tmp"/busybox-static_*.deb "$tmp/bb"
	mv "$tmp/bb/bin/busybox" "$cache/busybox"
	rm -rf "$tmp"
	trap - EXIT
fi

kdir=$cache/kernel
if [ ! -f "$kdir/version" ]; then
	pkg=${CPUBENCH_NESTED_KERNEL:-}
	if [ -z "$pkg" ]; then
		# linux-image-amd64 is a metapackage: it depends on the real one.
		pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
		      sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -n1)
		if [ -z "$pkg" ]; then
			apt-get update -qq >&2 || true
			pkg=$(apt-cache depends linux-image-amd64 |
			      sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -n1)
		fi
		[ -n "$pkg" ] || { log "cannot resolve linux-image-amd64"; exit 1; }
	fi
	ver=${pkg#linux-image-}
	log "fetching $pkg (once; cached in $kdir)"
	tmp=$(mktemp -d "$cache/.kernel.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	download "$pkg" "$tmp"
	mkdir "$tmp/root"
	dpkg-deb -x "$tmp"/"$pkg"_*.deb "$tmp/root"
	mkdir "$tmp/kernel"
	mv "$tmp/root/boot/vmlinuz-$ver" "$tmp/kernel/vmlinuz"
	mkdir -p "$tmp/kernel/lib/modules"
	mv "$tmp/root/lib/modules/$ver" "$tmp/kernel/lib/modules/$ver"
	# The package's postinst runs depmod; we unpacked it, so we run it.
	"$cache/busybox" depmod -b "$tmp/kernel" "$ver"
	echo "$ver" > "$tmp/kernel/version"
	rm -rf "$kdir"
	mv "$tmp/kernel" "$kdir"
	rm -rf "$tmp"
	trap - EXIT
fi

echo "$cache"
