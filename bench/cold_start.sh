#!/usr/bin/env bash
# A fresh process to an EC2 client ready and one call answered by the canned server:
# `boto call ec2 DescribeInstances` against bench/canned-server, RUNS times, under
# a timing harness (wall and max RSS); then boto3 doing the same (bench/boto3_cold_start.py).
#
#   bench/cold_start.sh [RUNS]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUNS="${1:-20}"
CACHE="${BOTO_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/boto-rs}"
VENV="$CACHE/boto3-1.44.5"
if [[ ! -x "$VENV/bin/python" ]]; then
    python3 -m venv "$VENV" >&2
    "$VENV/bin/pip" install -q --disable-pip-version-check boto3==1.44.5 >&2
fi
(cd "$ROOT" && cargo build -q --profile dist -p boto-cli)
URL="$("$ROOT/bench/canned-server/start.sh")"
trap '"$ROOT/bench/canned-server/stop.sh" "$URL"' EXIT
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1
# Each run is timed by a small Python harness: wall time around fork/exec/wait (perf_counter),
# the median of RUNS runs. Max RSS is measured in RUNS more runs under GNU time: a child's
# ru_maxrss from wait4 is at least its parent's resident size at the fork (Linux keeps the
# pre-exec high-water mark), so under Python it would read about 14 MiB for /bin/true.
measure() { # label, command...
    local label="$1"; shift
    python3 - "$label" "$RUNS" "$@" <<'PY'
import os, statistics, subprocess, sys, time
label, runs, cmd = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
import tempfile
walls, rss = [], []
for _ in range(runs):
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    _, status, _ = os.wait4(p.pid, 0)
    walls.append((time.perf_counter() - t0) * 1000)
    if status != 0:
        sys.exit(f"{label}: {' '.join(cmd)} failed ({status})")
with tempfile.NamedTemporaryFile("r") as out:
    for _ in range(runs):
        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", out.name, *cmd], stdout=subprocess.DEVNULL, check=True)
        out.seek(0)
        rss.append(int(out.read().split()[-1]) / 1024)
print(f"{label:8} wall_ms(median)={statistics.median(walls):7.1f} max_rss_mib(median)={statistics.median(rss):6.1f}")
PY
}
echo "# cold start: fresh process -> EC2 client -> DescribeInstances answered by $URL; $RUNS runs"
measure boto-rs "${CARGO_TARGET_DIR:-$ROOT/target}/dist/boto" call ec2 DescribeInstances --endpoint-url "$URL/ec2/"
measure boto3 "$VENV/bin/python" "$ROOT/bench/boto3_cold_start.py" "$URL/ec2/"
