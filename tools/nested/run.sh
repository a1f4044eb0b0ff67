#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# tools/nested/run.sh: run a shell script inside a Linux guest that has real
# KVM, nested under an emulator, and bring back what it printed and wrote.
#
#   tools/nested/run.sh --env svm|vmx --script S.sh --out OUTDIR
#                       [--files 'F1 F2 DIR ...'] [--timeout SEC] [--smp N]
#                       [--verbose]
#
#   svm  QEMU 7.2 TCG, -cpu EPYC,+svm,+npt: the guest loads kvm_amd
#   vmx  Bochs 2.7, Haswell (corei7_haswell_4770): the guest loads kvm_intel
#
# The guest is Debian 12's kernel with a busybox initramfs (tools/nested/
# fetch.sh, initramfs.sh, init.sh). FILES (relative to the current directory,
# or absolute) are copied in with the libraries their programs need; the
# script runs as root in /job, where relative FILES keep their paths, with
# NESTED_ENV=svm|vmx set. Whatever it writes under /out comes back.
# --smp N gives the guest N CPUs (default 1), so that cpubench's vCPU
# threads run side by side (QEMU's multi-threaded TCG takes one host core
# for each; Bochs runs them in turn).
#
# OUTDIR receives:
#   stdout stderr   the script's (also replayed on this script's stdout/stderr)
#   status          its exit status
#   out/            the files it wrote under /out
#   guest.txt       guest kernel, CPU model and flags, modules, dmesg
#   console.log     the guest's serial console (kernel log, init stages)
#   boot.txt        the environment, the host-side time of each init stage,
#                   and the wall time of the whole boot
#
# Exit status: the script's, or
#   124  the boot or the script hung: killed after --timeout SEC (default
#        svm 600, vmx 900)
#   125  the environment failed: the emulator could not start or died, the
#        guest kernel panicked, a module did not load, /dev/kvm did not appear,
#        or the result could not be read back
#   2    bad usage
# each with one line "nested: ..." on stderr saying why. The emulator runs in
# its own process group, which is killed on timeout, on SIGINT/SIGTERM, and
# (through PR_SET_PDEATHSIG) when this script dies: no orphan emulators.
#
# Packages: tools/bootstrap.sh nested. Cache: tools/nested/fetch.sh.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
prog=nested

usage() {
	echo "usage: $0 --env svm|vmx --script S.sh --out OUTDIR [--files 'F ...'] [--timeout SEC] [--smp N] [--verbose]" >&2
	exit 2
}

env="" script="" outdir="" files="" timeout="" smp=1 verbose=0
while [ $# -gt 0 ]; do
	case $1 in
	--env) env=${2:-}; shift 2 || usage ;;
	--script) script=${2:-}; shift 2 || usage ;;
	--out) outdir=${2:-}; shift 2 || usage ;;
	--files) files=${2:-}; shift 2 || usage ;;
	--timeout) timeout=${2:-}; shift 2 || usage ;;
	--smp) smp=${2:-}; shift 2 || usage ;;
	--verbose|-v) verbose=1; shift ;;
	-h|--help) usage ;;
	*) echo "$prog: unknown argument '$1'" >&2; usage ;;
	esac
done
case $env in svm|vmx) ;; *) usage ;; esac
[ -n "$script" ] && [ -n "$outdir" ] || usage
[ -f "$script" ] || { echo "$prog: no script $script" >&2; exit 2; }
case ${timeout:-x} in
x) [ "$env" = svm ] && timeout=600 || timeout=900 ;;
*[!0-9]*|0) echo "$prog: --timeout needs a positive number of seconds" >&2; exit 2 ;;
esac
case $smp in
[1-8]) ;;
*) echo "$prog: --smp takes 1 to 8 CPUs, not '$smp'" >&2; exit 2 ;;
esac

envfail() { echo "$prog: $env: $*" >&2; exit 125; }

need() {
	for f in "$@"; do
		case $f in
		/*) [ -e "$f" ] ;;
		*) command -v "$f" >/dev/null ;;
		esac || envfail "$f is missing: run tools/bootstrap.sh nested"
	done
}
if [ "$env" = svm ]; then
	need qemu-system-x86_64
else
	need bochs-bin xorriso /usr/lib/ISOLINUX/isolinux.bin \
	     /usr/lib/syslinux/modules/bios/ldlinux.c32 \
	     /usr/share/bochs/BIOS-bochs-latest /usr/share/vgabios/vgabios.bin \
	     /usr/lib/x86_64-linux-gnu/bochs/plugins/libbx_term_gui.so
fi
need cpio gzip base64 setsid setpriv apt-get dpkg-deb

cache=$("$here/fetch.sh") || envfail "could not fetch the guest kernel (tools/nested/fetch.sh)"

mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)
rm -rf "$outdir/out" "$outdir/stdout" "$outdir/stderr" "$outdir/status" \
       "$outdir/guest.txt" "$outdir/console.log" "$outdir/boot.txt" "$outdir/result.txt"

work=$(mktemp -d "${TMPDIR:-/tmp}/cpubench-nested.XXXXXX")
pgid=""

# Ends the emulator's whole process group: TERM, then KILL.
stop_emulator() {
	[ -n "$pgid" ] || return 0
	kill -TERM -- "-$pgid" 2>/dev/null || true
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		kill -0 -- "-$pgid" 2>/dev/null || break
		sleep 0.2
	done
	kill -KILL -- "-$pgid" 2>/dev/null || true
	wait "$pgid" 2>/dev/null || true
	pgid=""
}
cleanup() {
	stop_emulator
	[ -f "$work/console.log" ] && cp "$work/console.log" "$outdir/console.log"
	rm -rf "$work"
}
trap cleanup EXIT
trap 'echo "$prog: $env: interrupted" >&2; exit 130' INT
trap 'echo "$prog: $env: terminated" >&2; exit 143' TERM

# shellcheck disable=SC2086 # FILES is a space-separated list
"$here/initramfs.sh" "$cache" "$env" "$script" "$work/initrd.img" $files ||
	envfail "could not build the initramfs"

# Smallest command line that works: the console on the first UART, no
# kernel chatter below warnings, no reboot on panic (QEMU exits on
# -no-reboot; Bochs would boot again), and no crypto self-tests: under
# Bochs they take 15 s of guest time (crypto_algapi_init, initcall_debug).
# NESTED_CMDLINE_EXTRA adds to it (e.g. initcall_debug log_buf_len=4M, to
# see where a boot spends its time in guest.txt's dmesg).
cmdline="console=ttyS0 quiet panic=-1 cryptomgr.notests${NESTED_CMDLINE_EXTRA:+ $NESTED_CMDLINE_EXTRA}"

: > "$work/console.log"
: > "$work/data.txt"

boot_svm() {
	# NESTED_QEMU_CPU replaces the -cpu model (EPYC,-svm tests the path
	# where kvm_amd does not load).
	# -nodefaults: no VGA, NIC, floppy or CD-ROM to probe. Two UARTs:
	# ttyS0 the console, ttyS1 the result (tools/nested/init.sh).
	setsid setpriv --pdeathsig KILL -- \
		qemu-system-x86_64 -accel tcg -cpu "${NESTED_QEMU_CPU:-EPYC,+svm,+npt}" -m 1024 -smp "$smp" \
		-nodefaults -display none -no-reboot -monitor none \
		-serial "file:$work/console.log" -serial "file:$work/data.txt" \
		-kernel "$cache/kernel/vmlinuz" -initrd "$work/initrd.img" \
		-append "$cmdline" \
		< /dev/null > "$work/emulator.log" 2>&1 &
	pgid=$!
}

boot_vmx() {
	# Bochs has no -kernel: isolinux boots the kernel from a CD image.
	mkdir -p "$work/iso/isolinux"
	cp /usr/lib/ISOLINUX/isolinux.bin /usr/lib/syslinux/modules/bios/ldlinux.c32 \
	   "$work/iso/isolinux/"
	cp "$cache/kernel/vmlinuz" "$work/iso/vmlinuz"
	mv "$work/initrd.img" "$work/iso/initrd.img"
	cat > "$work/iso/isolinux/isolinux.cfg" <<-EOF
	default nested
	prompt 0
	timeout 0
	label nested
	  kernel /vmlinuz
	  initrd /initrd.img
	  append $cmdline
	EOF
	xorriso -as mkisofs -quiet -o "$work/boot.iso" -b isolinux/isolinux.bin \
		-c isolinux/boot.cat -no-emul-boot -boot-load-size 4 \
		-boot-info-table "$work/iso" > "$work/xorriso.log" 2>&1 ||
		envfail "xorriso failed: $(tail -n1 "$work/xorriso.log")"
	# ips: the instructions Bochs counts as one emulated second. With
	# sync=none the guest's clock follows that count, not the wall clock:
	# a large value means fewer timer interrupts per unit of work.
	cat > "$work/bochsrc" <<-EOF
	megs: ${NESTED_BOCHS_MEGS:-256}
	romimage: file=/usr/share/bochs/BIOS-bochs-latest
	vgaromimage: file=/usr/share/vgabios/vgabios.bin
	cpu: model=corei7_haswell_4770, count=$smp, ips=${NESTED_BOCHS_IPS:-50000000}, reset_on_triple_fault=0
	clock: sync=none, time0=local
	ata0-master: type=cdrom, path=$work/boot.iso, status=inserted
	boot: cdrom
	floppy_bootsig_check: disabled=1
	com1: enabled=1, mode=file, dev=$work/console.log
	com2: enabled=1, mode=file, dev=$work/data.txt
	speaker: enabled=0
	display_library: term
	log: $work/bochs.log
	panic: action=fatal
	error: action=report
	info: action=ignore
	debug: action=ignore
	EOF
	# Debian's Bochs is built with its debugger, which stops before the
	# first instruction: the rc file says continue, then quit.
	printf 'c\nq\n' > "$work/bochs.rc"
	# The term display needs a terminal type (CI may have no TERM: Bochs
	# then exits at once); it draws into emulator.log, nobody reads that.
	TERM=xterm setsid setpriv --pdeathsig KILL -- \
		bochs-bin -q -f "$work/bochsrc" -rc "$work/bochs.rc" \
		< /dev/null > "$work/emulator.log" 2>&1 &
	pgid=$!
}

# The host-side time of each "nested-init: stage" line the guest prints,
# and the CPU time the emulator had used by then (wall time depends on what
# else the machine runs; CPU time much less).
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
hz=$(getconf CLK_TCK)
cpu() {	# utime + stime of the emulator (all its threads), in seconds
	local stat
	# read once: the emulator may exit between a test and a read
	if [ -z "$pgid" ] || ! stat=$(cat "/proc/$pgid/stat" 2>/dev/null); then
		echo "?"	# the emulator has exited
		return
	fi
	printf '%s\n' "$stat" | sed 's/.*) //' |
		awk -v hz="$hz" '{ printf "%.1f", ($12 + $13) / hz }'
}
t0=$(now)
nstages=0
note_stages() {
	local lines n
	# Whole lines only (each ends with its uptime): the emulator may be
	# in the middle of writing the last one.
	lines=$(grep -a 'nested-init: stage' "$work/console.log" | tr -d '\r' |
		grep ' s)$' || true)
	n=$(printf '%s' "$lines" | grep -c . || true)
	if [ "$n" -gt "$nstages" ]; then
		# Lines seen in one look share its time (they may be older).
		stamp="+$(elapsed "$t0") s (emulator CPU $(cpu) s)"
		printf '%s\n' "$lines" | tail -n $((n - nstages)) | while read -r line; do
			echo "$stamp ${line#*nested-init: stage }"
		done >> "$work/stages.txt"
		[ "$verbose" = 1 ] && tail -n $((n - nstages)) "$work/stages.txt" | sed "s/^/$prog: $env: /" >&2
		nstages=$n
	fi
	return 0
}

"boot_$env"
reason=""
result=0
lastcpu="?"
while :; do
	note_stages
	c=$(cpu)
	[ "$c" = "?" ] || lastcpu=$c
	if grep -aq '^NESTED-RESULT-END' "$work/data.txt"; then
		result=1
		break
	fi
	if panic=$(grep -a -m1 'Kernel panic' "$work/console.log"); then
		reason="guest kernel panic: $(echo "$panic" | tr -d '\r' | cut -c1-200)"
		break
	fi
	if ! kill -0 "$pgid" 2>/dev/null; then
		wait "$pgid" 2>/dev/null && rc=0 || rc=$?
		pgid=""
		# A panic reboots, and -no-reboot ends QEMU: look once more.
		if panic=$(grep -a -m1 'Kernel panic' "$work/console.log"); then
			reason="guest kernel panic: $(echo "$panic" | tr -d '\r' | cut -c1-200)"
		else
			reason="the emulator exited ($rc) before the guest sent its result: $(tail -n1 "$work/emulator.log" | tr -d '\r' | cut -c1-200)"
		fi
		break
	fi
	if [ "$(elapsed "$t0" | cut -d. -f1)" -ge "$timeout" ]; then
		last=$(tail -n1 "$work/stages.txt" 2>/dev/null | cut -d' ' -f3- || true)
		reason="timeout: no result after $timeout s (last init stage: ${last:-none, the kernel did not reach /init}); see $outdir/console.log"
		stop_emulator
		{ echo "env: $env"; echo "timeout: $timeout s"; cat "$work/stages.txt" 2>/dev/null || true; } > "$outdir/boot.txt"
		echo "$prog: $env: $reason" >&2
		exit 124
	fi
	sleep 0.5
done
wall=$(elapsed "$t0")
# Once the result is in, poweroff -f ends QEMU; Bochs reports a panic on
# ACPI soft power off. Give either a moment, then end it.
for _ in 1 2 3 4 5 6 7 8 9 10; do
	[ -n "$pgid" ] && kill -0 "$pgid" 2>/dev/null || break
	sleep 0.3
done
stop_emulator
note_stages
{
	echo "env: $env"
	echo "wall: $wall s"
	echo "emulator CPU: $lastcpu s (at the last look, up to 0.5 s before the result came)"
	echo "stages (host time since the emulator started, when run.sh saw the line;"
	echo "the guest's uptime is when the guest printed it; CPU ? = emulator gone):"
	cat "$work/stages.txt" 2>/dev/null || true
} > "$outdir/boot.txt"
[ "$result" = 1 ] || envfail "$reason; see $outdir/console.log"

if ! sed -n '/^NESTED-RESULT-BEGIN/,/^NESTED-RESULT-END/p' "$work/data.txt" |
	tr -d '\r' | sed '1d;$d' | base64 -d > "$work/result.tar.gz"; then
	cp "$work/data.txt" "$outdir/result.txt"
	envfail "the result from the guest does not decode (base64); see $outdir/result.txt"
fi
if ! tar -xzf "$work/result.tar.gz" -C "$outdir"; then
	cp "$work/data.txt" "$outdir/result.txt"
	envfail "the result from the guest does not unpack (tar); see $outdir/result.txt"
fi

[ -f "$outdir/stdout" ] && cat "$outdir/stdout"
[ -f "$outdir/stderr" ] && cat "$outdir/stderr" >&2
status=$(cat "$outdir/status" 2>/dev/null || echo "env-fail: no status in the result")
case $status in
env-fail:*) envfail "${status#env-fail: }" ;;
*[!0-9]*|"") envfail "bad status in the result: $status" ;;
esac
[ "$verbose" = 1 ] && echo "$prog: $env: script exited $status, boot wall time $wall s" >&2
exit "$status"
