#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""A stand-in for `qemu-system-x86_64 -machine none -qmp unix:PATH,...`,
as `cpubench import qemu --qemu tests/fake_qemu.py` starts it: it serves
QMP on PATH with the CPU models of $FAKE_QEMU_DEFS (a JSON array as
query-cpu-definitions returns it), each expanded to one small model.

$FAKE_QEMU_MODE:
  stubborn   ignores SIGTERM and does not exit on "quit" (a hung QEMU:
             only SIGKILL ends it)
  argv       also writes its arguments, one per line, to $FAKE_QEMU_ARGV
$FAKE_QEMU_PID, when set, names a file it writes its pid to.
"""
import json
import os
import signal
import socket
import sys
import time

args = sys.argv[1:]
mode = os.environ.get("FAKE_QEMU_MODE", "")
defs = json.loads(os.environ.get("FAKE_QEMU_DEFS", '[{"name": "Fake-v1"}]'))
if mode == "argv":
    with open(os.environ["FAKE_QEMU_ARGV"], "w") as f:
        f.write("\n".join(args) + "\n")
if os.environ.get("FAKE_QEMU_PID"):
    with open(os.environ["FAKE_QEMU_PID"], "w") as f:
        f.write("%d\n" % os.getpid())
if mode == "stubborn":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)

path = args[args.index("-qmp") + 1].split(",")[0][len("unix:"):]
server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
server.bind(path)
server.listen(1)
conn, _ = server.accept()
stream = conn.makefile("rw")


def send(msg):
    stream.write(json.dumps(msg) + "\n")
    stream.flush()


ANSWERS = {
    "qmp_capabilities": {},
    "query-version": {"qemu": {"major": 7, "minor": 2, "micro": 0},
                      "package": "fake"},
    "query-cpu-definitions": defs,
    "query-cpu-model-expansion": {"model": {"name": "base", "props": {
        "vendor": "GenuineIntel", "family": 6, "model": 1, "stepping": 1,
        "model-id": "Fake CPU", "sse2": True}}},
}

send({"QMP": {"version": {}, "capabilities": []}})
for line in stream:
    cmd = json.loads(line)["execute"]
    send({"return": ANSWERS.get(cmd, {})})
    if cmd == "quit":
        while mode == "stubborn":
            time.sleep(1)
        sys.exit(0)
