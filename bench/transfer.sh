#!/usr/bin/env bash
# S3 transfer benchmark, boto-rs against boto3 1.44.5 in one run: a 1 GiB file uploaded and
# downloaded with each tool's default transfer settings (8 MiB parts, 10 requests at once,
# CRC32 checksums), against a static nginx S3 target (bench/s3-static-nginx.conf: the server
# does almost nothing, so the client is measured) and against s3s-fs (a real S3 server in Rust,
# objects in /dev/shm). Prints MiB/s and client CPU seconds per GiB (user + system of the client
# process) for:
#   boto3     boto3's upload_file/download_file (the shared transfer.py harness)
#   bench     boto-rs's TransferManager in a bench binary (crates/boto/benches/transfer.rs)
#   boto cp   the boto CLI, `boto s3 cp` (CPU from /usr/bin/time)
#
#   bench/transfer.sh [SIZE_MIB]     (default 1024)
#
# Environment:
#   BOTO3_TRANSFER_PY  boto3 harness (default: ../shared/bench/boto3/transfer.py beside the repo)
#   BENCH_DIR          where the test file and nginx run (default /dev/shm/boto-bench)
#   BENCH_SIGNING      "signed" (default: the SDK default over plain http, a SHA-256 of every
#                      body in the signature), "unsigned" (s3.payload_signing_enabled = false in a
#                      config file given to both SDKs: UNSIGNED-PAYLOAD, as over https), or "both"
#   BOTO_CACHE_DIR     cache of the boto3 venv and s3s-fs (as scripts/aws-local.sh)
# Needs python3 (venv), cargo, nginx (apt-get install nginx-light is tried when missing).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

SIZE_MIB="${1:-1024}"
DIR="${BENCH_DIR:-/dev/shm/boto-bench}"
CACHE="${BOTO_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/boto-rs}"
VENV="$CACHE/boto3-1.44.5"
TRANSFER_PY="${BOTO3_TRANSFER_PY:-$ROOT/../shared/bench/boto3/transfer.py}"
SIGNING="${BENCH_SIGNING:-signed}"
FILE="$DIR/bench-${SIZE_MIB}m.bin"
RUN="$DIR/nginx"
say() { echo "bench: $*" >&2; }
die() { say "error: $*"; exit 1; }

[[ -f "$TRANSFER_PY" ]] || die "boto3 harness $TRANSFER_PY not found (set BOTO3_TRANSFER_PY)"
mkdir -p "$DIR" "$CACHE"

# --- tools -------------------------------------------------------------------------------
if ! command -v nginx >/dev/null && [[ ! -x /usr/sbin/nginx ]]; then
    say "installing nginx-light"
    (apt-get update -qq && apt-get install -y -qq nginx-light) >&2 || die "cannot install nginx"
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
if [[ ! -x "$VENV/bin/python" ]] || ! "$VENV/bin/python" -c 'import boto3' 2>/dev/null; then
    say "installing boto3==1.44.5 into $VENV"
    python3 -m venv "$VENV" >&2
    "$VENV/bin/pip" install -q --disable-pip-version-check boto3==1.44.5 >&2
fi
say "building boto-rs (release)"
cargo build -q --release -p boto-cli
cargo bench -q -p boto --bench transfer --no-run 2>/dev/null
BOTO="${CARGO_TARGET_DIR:-$ROOT/target}/release/boto"

# --- the test file -----------------------------------------------------------------------
if [[ ! -f "$FILE" ]] || (( $(stat -c %s "$FILE") != SIZE_MIB << 20 )); then
    say "writing $SIZE_MIB MiB of random bytes to $FILE"
    head -c "$((SIZE_MIB << 20))" /dev/urandom >"$FILE"
fi

# --- servers -----------------------------------------------------------------------------
S3S_URL=""
cleanup() {
    [[ -f "$RUN/nginx.pid" ]] && kill "$(cat "$RUN/nginx.pid")" 2>/dev/null || true
    [[ -n "$S3S_URL" ]] && scripts/aws-local.sh stop "$S3S_URL" >/dev/null 2>&1 || true
    rm -f "$FILE.down"
}
trap cleanup EXIT
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
rm -rf "$RUN"
mkdir -p "$RUN/objects/bench" "$RUN/body"
ln -s "$FILE" "$RUN/objects/bench/big.bin"
sed "s#@RUN@#$RUN#g; s#@PORT@#$PORT#g" bench/s3-static-nginx.conf >"$RUN/nginx.conf"
"$NGINX" -c "$RUN/nginx.conf" -p "$RUN/" || die "nginx did not start"
NGINX_URL="http://127.0.0.1:$PORT"
S3S_URL="$(scripts/aws-local.sh start-s3s-fs)"

export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1

# --- runs --------------------------------------------------------------------------------
RESULTS="$DIR/results.txt"
: >"$RESULTS"

# record TARGET SIGNING CLIENT DIRECTION MIB_PER_S CPU_S
record() { echo "$*" >>"$RESULTS"; }

# Parses "label N MiB wall_s=.. MiB_per_s=X client_cpu_s=Y ..." lines (padded numbers).
harness() { # target signing client command...
    local target="$1" signing="$2" client="$3"
    shift 3
    local out
    out="$("$@")" || die "$client on $target failed: $out"
    echo "$out" >&2
    sed -nE 's/^(upload|download)_file .*MiB_per_s= *([0-9.]+) .*client_cpu_s= *([0-9.]+).*/\1 \2 \3/p' <<<"$out" |
        while read -r direction rate cpu; do
            [[ "$direction" == upload ]] && direction=up || direction=down
            record "$target" "$signing" "$client" "$direction" "$rate" "$cpu"
        done
}

cli() { # target signing url bucket
    local target="$1" signing="$2" url="$3" bucket="$4" t
    t="$( { /usr/bin/time -f '%e %U %S' "$BOTO" s3 cp "$FILE" "s3://$bucket/big.bin" --endpoint-url "$url" --quiet; } 2>&1 >/dev/null | tail -n 1)"
    read -r wall user sys <<<"$t"
    echo "boto s3 cp up   wall_s=$wall user=$user sys=$sys" >&2
    record "$target" "$signing" "boto cp" up "$(python3 -c "print(f'{$SIZE_MIB/$wall:.1f}')")" "$(python3 -c "print(f'{$user+$sys:.2f}')")"
    t="$( { /usr/bin/time -f '%e %U %S' "$BOTO" s3 cp "s3://$bucket/big.bin" "$FILE.down" --endpoint-url "$url" --quiet; } 2>&1 >/dev/null | tail -n 1)"
    read -r wall user sys <<<"$t"
    echo "boto s3 cp down wall_s=$wall user=$user sys=$sys" >&2
    cmp -s "$FILE" "$FILE.down" || die "boto s3 cp downloaded different bytes from $target"
    rm -f "$FILE.down"
    record "$target" "$signing" "boto cp" down "$(python3 -c "print(f'{$SIZE_MIB/$wall:.1f}')")" "$(python3 -c "print(f'{$user+$sys:.2f}')")"
}

run_target() { # target url signing
    local target="$1" url="$2" signing="$3"
    say "== $target ($signing payloads) =="
    harness "$target" "$signing" boto3 "$VENV/bin/python" "$TRANSFER_PY" --endpoint "$url" --file "$FILE" \
        --size-mib "$SIZE_MIB" --bucket bench --key big.bin
    harness "$target" "$signing" bench cargo bench -q -p boto --bench transfer -- --endpoint "$url" \
        --file "$FILE" --bucket bench --key big.bin
    cli "$target" "$signing" "$url" bench
}

run_signing() {
    local signing="$1"
    if [[ "$signing" == unsigned ]]; then
        export AWS_CONFIG_FILE="$DIR/unsigned.config"
        printf '[default]\ns3 =\n    payload_signing_enabled = false\n' >"$AWS_CONFIG_FILE"
    else
        export AWS_CONFIG_FILE="$DIR/empty.config"
        : >"$AWS_CONFIG_FILE"
    fi
    run_target nginx "$NGINX_URL" "$signing"
    run_target s3s-fs "$S3S_URL" "$signing"
}

case "$SIGNING" in
    signed | unsigned) run_signing "$SIGNING" ;;
    both) run_signing signed; run_signing unsigned ;;
    *) die "BENCH_SIGNING must be signed, unsigned or both" ;;
esac

# --- the table ---------------------------------------------------------------------------
python3 - "$RESULTS" "$SIZE_MIB" <<'PY'
import sys
rows, size = {}, int(sys.argv[2])
for line in open(sys.argv[1]):
    target, signing, *client, direction, rate, cpu = line.split()
    rows.setdefault((target, signing, " ".join(client)), {})[direction] = (float(rate), float(cpu) * 1024 / size)
print(f"\n{size} MiB file, {open('/proc/cpuinfo').read().count('processor')} cores; CPU = client user+sys seconds per GiB\n")
print("| target | payload | client | upload MiB/s | upload CPU s/GiB | download MiB/s | download CPU s/GiB | vs boto3 (up / down) |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
for (target, signing, client), r in rows.items():
    base = rows.get((target, signing, "boto3"), {})
    up, down = r.get("up", (0, 0)), r.get("down", (0, 0))
    ratio = "-" if client == "boto3" or not base else f"{up[0] / base['up'][0]:.1f}x / {down[0] / base['down'][0]:.1f}x"
    print(f"| {target} | {signing} | {client} | {up[0]:.0f} | {up[1]:.2f} | {down[0]:.0f} | {down[1]:.2f} | {ratio} |")
PY
