#!/usr/bin/env bash
# S3 transfer benchmark, boto-rs against boto3 1.44.5 in one run: a 1 GiB file uploaded and
# downloaded with each tool's default transfer settings (8 MiB parts, 10 requests at once,
# CRC32 checksums), against a static nginx S3 target (bench/s3-static-nginx.conf: the server
# does almost nothing, so the client is measured) and against s3s-fs (a real S3 server in Rust,
# objects in /dev/shm). Prints MiB/s, client CPU seconds per GiB (user + system of the client
# process) and server CPU seconds per GiB (of the nginx worker or the s3s-fs process, read from
# /proc/PID/stat before and after) for:
#   boto3     boto3's upload_file/download_file (the shared transfer.py harness)
#   bench     boto-rs's TransferManager in a bench binary (crates/boto/benches/transfer.rs)
#   boto cp   the boto CLI, `boto s3 cp` (CPU from /usr/bin/time)
#
#   bench/transfer.sh [SIZE_MIB]     (default 1024)
#
# Environment:
#   BOTO3_TRANSFER_PY  boto3 harness (default: ../shared/bench/boto3/transfer.py beside the repo)
#   BENCH_DIR          where the test file and nginx run (default /dev/shm/boto-bench)
#   BENCH_RUNS         rounds (default 3): each round runs every client once, starting with
#                      a different one; the table gives each figure's median over the rounds
#                      (the machine's speed drifts within minutes, so one round proves little)
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
RUNS="${BENCH_RUNS:-3}"
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
for _ in $(seq 1 50); do [[ -s "$RUN/nginx.pid" ]] && break; sleep 0.1; done
NGINX_PID="$(pgrep -P "$(cat "$RUN/nginx.pid")" | head -n 1)" # the one worker
S3S_URL="$(scripts/aws-local.sh start-s3s-fs)"
S3S_PID="$(cat "$CACHE/run/s3s-${S3S_URL##*:}.pid")"

export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1

# --- runs --------------------------------------------------------------------------------
RESULTS="$DIR/results.txt"
: >"$RESULTS"

# record TARGET SIGNING CLIENT DIRECTION MIB_PER_S CLIENT_CPU_S SERVER_CPU_S
record() { echo "$*" >>"$RESULTS"; }

# CPU seconds (user + system) of process PID so far.
cpu_of() { awk '{ sub(/.*\) /, ""); printf "%.2f\n", ($12 + $13) / 100 }' "/proc/$1/stat"; }

# Parses "label N MiB wall_s=.. MiB_per_s=X client_cpu_s=Y ... server_cpu_s=Z" lines (padded numbers).
harness() { # target signing client command...
    local target="$1" signing="$2" client="$3"
    shift 3
    local out
    out="$("$@")" || die "$client on $target failed: $out"
    echo "$out" >&2
    sed -nE 's/^(upload|download)_file .*MiB_per_s= *([0-9.]+) .*client_cpu_s= *([0-9.]+).*server_cpu_s= *([0-9.]+).*/\1 \2 \3 \4/p' <<<"$out" |
        while read -r direction rate cpu server; do
            [[ "$direction" == upload ]] && direction=up || direction=down
            record "$target" "$signing" "$client" "$direction" "$rate" "$cpu" "$server"
        done
}

cli_one() { # target signing url pid direction source destination
    local target="$1" signing="$2" url="$3" pid="$4" direction="$5" t s0 s1
    s0="$(cpu_of "$pid")"
    t="$( { /usr/bin/time -f '%e %U %S' "$BOTO" s3 cp "$6" "$7" --endpoint-url "$url" --quiet; } 2>&1 >/dev/null | tail -n 1)"
    s1="$(cpu_of "$pid")"
    read -r wall user sys <<<"$t"
    echo "boto s3 cp $direction wall_s=$wall user=$user sys=$sys server_cpu_s=$(python3 -c "print(f'{$s1-$s0:.2f}')")" >&2
    record "$target" "$signing" "boto cp" "$direction" "$(python3 -c "print(f'{$SIZE_MIB/$wall:.1f}')")" \
        "$(python3 -c "print(f'{$user+$sys:.2f}')")" "$(python3 -c "print(f'{$s1-$s0:.2f}')")"
}

cli() { # target signing url pid
    local target="$1" signing="$2" url="$3" pid="$4"
    cli_one "$target" "$signing" "$url" "$pid" up "$FILE" "s3://bench/big.bin"
    cli_one "$target" "$signing" "$url" "$pid" down "s3://bench/big.bin" "$FILE.down"
    cmp -s "$FILE" "$FILE.down" || die "boto s3 cp downloaded different bytes from $target"
    rm -f "$FILE.down"
}

run_client() { # client target url pid signing
    local client="$1" target="$2" url="$3" pid="$4" signing="$5"
    case "$client" in
        boto3) harness "$target" "$signing" boto3 "$VENV/bin/python" "$TRANSFER_PY" --endpoint "$url" --file "$FILE" \
            --size-mib "$SIZE_MIB" --bucket bench --key big.bin --server-pid "$pid" ;;
        bench) harness "$target" "$signing" bench cargo bench -q -p boto --bench transfer -- --endpoint "$url" \
            --file "$FILE" --bucket bench --key big.bin --server-pid "$pid" ;;
        cp) cli "$target" "$signing" "$url" "$pid" ;;
    esac
}

run_target() { # target url pid signing round
    local target="$1" url="$2" pid="$3" signing="$4" round="$5"
    local clients=(boto3 bench cp) i
    say "== $target ($signing payloads), round $round =="
    for i in 0 1 2; do
        run_client "${clients[$(((i + round) % 3))]}" "$target" "$url" "$pid" "$signing"
    done
}

run_signing() { # signing round
    local signing="$1" round="$2"
    if [[ "$signing" == unsigned ]]; then
        export AWS_CONFIG_FILE="$DIR/unsigned.config"
        printf '[default]\ns3 =\n    payload_signing_enabled = false\n' >"$AWS_CONFIG_FILE"
    else
        export AWS_CONFIG_FILE="$DIR/empty.config"
        : >"$AWS_CONFIG_FILE"
    fi
    run_target nginx "$NGINX_URL" "$NGINX_PID" "$signing" "$round"
    run_target s3s-fs "$S3S_URL" "$S3S_PID" "$signing" "$round"
}

case "$SIGNING" in
    signed | unsigned | both) ;;
    *) die "BENCH_SIGNING must be signed, unsigned or both" ;;
esac
for round in $(seq 0 $((RUNS - 1))); do
    case "$SIGNING" in
        both) run_signing signed "$round"; run_signing unsigned "$round" ;;
        *) run_signing "$SIGNING" "$round" ;;
    esac
done

# --- the table ---------------------------------------------------------------------------
python3 - "$RESULTS" "$SIZE_MIB" "$RUNS" <<'PY'
import statistics, sys
rows, size, runs = {}, int(sys.argv[2]), int(sys.argv[3])
for line in open(sys.argv[1]):
    target, signing, *client, direction, rate, cpu, server = line.split()
    per_gib = 1024 / size
    cell = rows.setdefault((target, signing, " ".join(client)), {}).setdefault(direction, [])
    cell.append((float(rate), float(cpu) * per_gib, float(server) * per_gib))
med = statistics.median
def fig(samples):
    rates = [r for r, _, _ in samples]
    return med(rates), min(rates), max(rates), med(c for _, c, _ in samples), med(s for _, _, s in samples)
cores = open("/proc/cpuinfo").read().count("processor")
print(f"\n{size} MiB file, {cores} cores, {runs} rounds: medians (MiB/s range over the rounds);"
      " CPU = user+sys seconds per GiB of the client / of the server\n")
print("| target | payload | client | upload MiB/s | upload CPU client / server | download MiB/s"
      " | download CPU client / server | vs boto3 (up / down) |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
for (target, signing, client), r in rows.items():
    up, down = fig(r.get("up", [(0, 0, 0)])), fig(r.get("down", [(0, 0, 0)]))
    base = rows.get((target, signing, "boto3"))
    ratio = "-"
    if client != "boto3" and base:
        b_up, b_down = fig(base["up"]), fig(base["down"])
        ratio = f"{up[0] / b_up[0]:.1f}x / {down[0] / b_down[0]:.1f}x"
    def cols(f):
        return f"{f[0]:.0f} ({f[1]:.0f}-{f[2]:.0f}) | {f[3]:.2f} / {f[4]:.2f}"
    print(f"| {target} | {signing} | {client} | {cols(up)} | {cols(down)} | {ratio} |")
PY
