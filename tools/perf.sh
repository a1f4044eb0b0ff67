#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# make perf: whole-process figures of cpubench, as medians over repeated
# runs in one go:
#   verify --mask MASK          wall time, probes executed per second, peak RSS
#   matrix --masks all          wall time (every model x every probe)
#   verify --backend qemu-tcg   wall time, and its ratio to the same verify
#                               through KVM, both for QEMU_MASK
# RUNS (verify, default 30), RUNS_MATRIX and RUNS_QEMU (default 5), MASK
# (default x86-64-v3), QEMU_MASK (default x86-64-v2: QEMU 7.2's TCG hangs
# on x86-64-v3, whose xsave comes without xsaveopt; see README).
# Parts whose command this cpubench lacks are skipped, saying so.
set -euo pipefail
CPUBENCH=${1:-build/cpubench}
RUNS=${RUNS:-30}
RUNS_MATRIX=${RUNS_MATRIX:-5}
RUNS_QEMU=${RUNS_QEMU:-5}
MASK=${MASK:-x86-64-v3}
QEMU_MASK=${QEMU_MASK:-x86-64-v2}

[ -e /dev/kvm ] || { echo "perf: /dev/kvm does not exist: nothing to measure" >&2; exit 3; }

python3 - "$CPUBENCH" "$RUNS" "$MASK" "$RUNS_MATRIX" "$RUNS_QEMU" "$QEMU_MASK" <<'PY'
import json, statistics, subprocess, sys, time
cpubench, runs, mask, runs_matrix, runs_qemu, qmask = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]

def timed(cmd, n):
    """Median wall time of n whole-process runs; the last run's stdout."""
    walls = []
    for _ in range(n):
        t0 = time.perf_counter()
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        walls.append(time.perf_counter() - t0)
        if p.returncode not in (0, 1):
            return None, p.stderr.strip().splitlines()[-1:] or ["exit %d" % p.returncode]
    return walls, p.stdout

def peak_rss_kib(cmd, n=5):
    # GNU time reports the peak RSS of the exec'd program alone (a child's
    # rusage from Python would include the pre-exec copy of the interpreter).
    rss = []
    for _ in range(n):
        p = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        rss.append(int(p.stderr.strip().splitlines()[-1]))
    return statistics.median(rss)

def show(label, walls, n):
    print(f"{label}: median wall {statistics.median(walls)*1000:.1f} ms over {n} runs "
          f"(min {min(walls)*1000:.1f}, max {max(walls)*1000:.1f})")

help_text = subprocess.run([cpubench, "--help"], stdout=subprocess.PIPE, text=True).stdout
verify_help = subprocess.run([cpubench, "verify", "--help"], stdout=subprocess.PIPE, text=True).stdout

cmd = [cpubench, "verify", "--mask", mask, "--format", "json"]
walls, out = timed(cmd, runs)
if walls is None:
    sys.exit(f"perf: {' '.join(cmd)} failed: {out[0]}")
kvm = statistics.median(walls)
nprobes = len(json.loads(out)["results"])
show(f"verify --mask {mask}", walls, runs)
print(f"probes per second (whole process): {nprobes / kvm:.0f} ({nprobes} probes a run)")
print(f"peak RSS: median {peak_rss_kib(cmd)/1024:.1f} MiB")

if "matrix" in help_text:
    mcmd = [cpubench, "matrix", "--masks", "all", "--format", "json"]
    mwalls, mout = timed(mcmd, runs_matrix)
    if mwalls is None:
        print(f"matrix --masks all: failed: {mout[0]}")
    else:
        j = json.loads(mout)
        nmodels = len(j["models"])
        nres = sum(len(m["results"]) for m in j["models"])
        show(f"matrix --masks all ({nmodels} models)", mwalls, runs_matrix)
        print(f"matrix probes per second: {nres / statistics.median(mwalls):.0f} "
              f"({nres} probes a run); peak RSS {peak_rss_kib(mcmd, 3)/1024:.1f} MiB")
else:
    print("matrix: this cpubench has no matrix command")

if "qemu-tcg" in verify_help:
    kcmd = [cpubench, "verify", "--mask", qmask, "--format", "json"]
    kwalls, _ = timed(kcmd, runs) if qmask != mask else (walls, None)
    qwalls, qout = timed(kcmd + ["--backend", "qemu-tcg"], runs_qemu)
    if qwalls is None or kwalls is None:
        print(f"verify --mask {qmask} --backend qemu-tcg: failed: {qout[0] if qout else '?'}")
    else:
        if qmask != mask:
            show(f"verify --mask {qmask}", kwalls, runs)
        show(f"verify --mask {qmask} --backend qemu-tcg", qwalls, runs_qemu)
        print(f"kvm backend is {statistics.median(qwalls) / statistics.median(kwalls):.0f}x "
              f"faster than qemu-tcg (verify --mask {qmask})")
else:
    print("qemu-tcg: this cpubench has no QEMU backend")
PY
