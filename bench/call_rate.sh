#!/usr/bin/env bash
# Per-call client cost, boto-rs against boto3, in one run against the canned nginx server
# (bench/canned-server): N sequential DynamoDB GetItem, S3 PutObject and GetObject (1 KiB)
# on one client with keep-alive; calls/s and client CPU microseconds per call (getrusage).
#
#   bench/call_rate.sh [N]
#
# boto3 1.44.5 is installed into a cached venv; its side is bench/boto3_call_rate.py, the same
# call loop in Python.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
N="${1:-20000}"
CACHE="${BOTO_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/boto-rs}"
VENV="$CACHE/boto3-1.44.5"
if [[ ! -x "$VENV/bin/python" ]]; then
    python3 -m venv "$VENV" >&2
    "$VENV/bin/pip" install -q --disable-pip-version-check boto3==1.44.5 >&2
fi
URL="$("$ROOT/bench/canned-server/start.sh")"
trap '"$ROOT/bench/canned-server/stop.sh" "$URL"' EXIT
echo "# canned server $URL, N=$N, $(nproc) cores, $(date -u +%FT%TZ)"
echo "## boto-rs"
(cd "$ROOT" && BENCH_ENDPOINT="$URL" BENCH_N="$N" BENCH_MODES="${BENCH_MODES:-raw,blocking,async,async-mt}" cargo bench -q -p boto-core --bench call_rate 2>/dev/null)
echo "## boto3 1.44.5"
for op in ddb_get_item s3_put_object s3_get_object; do
    "$VENV/bin/python" "$ROOT/bench/boto3_call_rate.py" "$op" -n "$((N / 5))" --endpoint "$URL"
done
