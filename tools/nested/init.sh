#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# /init of the nested guest (busybox sh), put there by tools/nested/initramfs.sh.
#
# Loads the KVM modules listed in /nested/modules (in that order), checks that
# /dev/kvm appeared, runs /nested/script.sh in /job (where the caller's files
# are), then sends the result to the host and powers off.
#
# Two serial ports, so that kernel messages never corrupt the result:
#   ttyS0  the console: kernel log, the "nested-init: stage ..." lines that
#          tools/nested/run.sh follows, and a live copy of the script's output
#   ttyS1  the result only: a gzipped tar of /nested/result, base64, between
#          the lines NESTED-RESULT-BEGIN and NESTED-RESULT-END. It holds
#          status (the script's exit status, or "env-fail: REASON"), stdout,
#          stderr, guest.txt (kernel, CPU, dmesg) and out/ (what the script
#          wrote to /out).
# Both emulators have 16550 UARTs, and the kernel's 8250 driver is built in:
# no disk driver module is needed to get the result out.

export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/root
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /tmp /out /nested/result	# the initramfs root is already writable

. /nested/env	# NESTED_ENV=svm|vmx
export NESTED_ENV

# Each stage line carries the guest's uptime: under Bochs (clock: sync=none)
# it counts instructions, so it says where a boot spends its work whatever
# else the host is running.
stage() { echo "nested-init: stage $* (uptime $(cut -d' ' -f1 /proc/uptime) s)" > /dev/console; }
res=/nested/result

send_result() {
	cp -a /out "$res/out"
	{
		echo "kernel: $(uname -r)"
		echo "cmdline: $(cat /proc/cmdline)"
		grep -m1 '^model name' /proc/cpuinfo
		grep -m1 '^flags' /proc/cpuinfo
		echo "modules:"
		cat /proc/modules
		echo "kvm module parameters (ept, vpid, npt, nested...):"
		grep -H . /sys/module/kvm_intel/parameters/* \
			/sys/module/kvm_amd/parameters/* 2>/dev/null
		echo "dmesg:"
		dmesg
	} > "$res/guest.txt" 2>&1
	stage "sending result"
	# raw: no CR/LF rewriting on the data port.
	stty -F /dev/ttyS1 raw -echo 115200 2>/dev/null
	{
		echo NESTED-RESULT-BEGIN
		tar -C "$res" -czf - . | base64
		echo NESTED-RESULT-END
	} > /dev/ttyS1
	stage "result sent"
}

finish() {
	send_result
	stage "poweroff"
	sync
	poweroff -f
	# Not reached; if poweroff fails the host's watchdog ends the emulator.
	sleep 1000000
}

hostname "nested-$NESTED_ENV"
stage "init started"

for m in $(cat /nested/modules); do
	if ! out=$(insmod "/lib/modules/$(uname -r)/$m" 2>&1); then
		echo "env-fail: insmod $(basename "$m") failed: $out" > "$res/status"
		stage "insmod failed: $m: $out"
		finish
	fi
done
stage "modules loaded: $(cut -d' ' -f1 /proc/modules | tr '\n' ' ')"

if [ ! -c /dev/kvm ]; then
	reason=$(dmesg | grep -i -E 'kvm|svm|vmx' | tail -n1)
	echo "env-fail: no /dev/kvm after loading the modules (${reason:-no kvm message in dmesg})" > "$res/status"
	stage "no /dev/kvm"
	finish
fi
stage "/dev/kvm present"

# The script's stdout and stderr go to files and, live, to the console.
mkfifo /tmp/so /tmp/se
tee "$res/stdout" < /tmp/so > /dev/console &
t1=$!
tee "$res/stderr" < /tmp/se > /dev/console &
t2=$!
stage "script started"
(cd /job && exec sh /nested/script.sh) > /tmp/so 2> /tmp/se < /dev/null
rc=$?
wait $t1 $t2
echo "$rc" > "$res/status"
stage "script exited $rc"
finish
