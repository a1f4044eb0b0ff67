#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# make perf: whole-process figures of `cpubench verify`, as medians over
# repeated runs in one go: wall time, probes executed per second, peak RSS.
set -euo pipefail
CPUBENCH=${1:-build/cpubench}
RUNS=${RUNS:-30}
MASK=${MASK:-x86-64-v3}

[ -e /dev/kvm ] || { echo "perf: /dev/kvm does not exist: nothing to measure" >&2; exit 3; }

python3 - "$CPUBENCH" "$RUNS" "$MASK" <<'PY'
import json, resource, statistics, subprocess, sys, time
cpubench, runs, mask = sys.argv[1], int(sys.argv[2]), sys.argv[3]
cmd = [cpubench, "verify", "--mask", mask, "--format", "json"]
walls, rss = [], []
nprobes = 0
for _ in range(runs):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.PIPE)
    walls.append(time.perf_counter() - t0)
    nprobes = len(json.loads(p.stdout)["results"])
# GNU time reports the peak RSS of the exec'd program alone (a child's
# rusage from Python would include the pre-exec copy of the interpreter).
for _ in range(5):
    p = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    rss.append(int(p.stderr.strip().splitlines()[-1]))
wall = statistics.median(walls)
print(f"verify --mask {mask}: median wall {wall*1000:.1f} ms over {runs} runs "
      f"(min {min(walls)*1000:.1f}, max {max(walls)*1000:.1f})")
print(f"probes per second (whole process): {nprobes / wall:.0f} ({nprobes} probes a run)")
print(f"peak RSS: median {statistics.median(rss)/1024:.1f} MiB")
PY
