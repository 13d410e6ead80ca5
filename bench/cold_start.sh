#!/usr/bin/env bash
# A fresh process to an EC2 client ready and one call answered by the canned server:
# `boto call ec2 DescribeInstances` against bench/canned-server, RUNS times, under
# /usr/bin/time (wall and max RSS); then boto3 doing the same (bench/boto3_cold_start.py).
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
(cd "$ROOT" && cargo build -q --release -p boto-cli)
URL="$("$ROOT/bench/canned-server/start.sh")"
trap '"$ROOT/bench/canned-server/stop.sh" "$URL"' EXIT
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
measure() { # label, command...
    local label="$1"; shift
    local walls=() rss=()
    for _ in $(seq "$RUNS"); do
        out="$( { /usr/bin/time -f "%e %M" "$@" >/dev/null; } 2>&1 | tail -n 1)"
        walls+=("$(echo "$out" | awk '{print $1 * 1000}')")
        rss+=("$(echo "$out" | awk '{print $2 / 1024}')")
    done
    printf '%-8s wall_ms(median)=%s max_rss_mib(median)=%s\n' "$label" \
        "$(printf '%s\n' "${walls[@]}" | median)" "$(printf '%s\n' "${rss[@]}" | median)"
}
echo "# cold start: fresh process -> EC2 client -> DescribeInstances answered by $URL; $RUNS runs"
measure boto-rs "$ROOT/target/release/boto" call ec2 DescribeInstances --endpoint-url "$URL/ec2/"
measure boto3 "$VENV/bin/python" "$ROOT/bench/boto3_cold_start.py" "$URL/ec2/"
