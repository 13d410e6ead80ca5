#!/usr/bin/env bash
# The project's local AWS stand-ins on 127.0.0.1: moto server (every service), and s3s-fs
# (a fast S3 server in Rust backed by a directory, for S3 transfer tests and benchmarks).
#
#   scripts/aws-local.sh start          install moto (once, into a cached venv), start it on a
#                                       free port, print its URL (http://127.0.0.1:PORT) on stdout
#   scripts/aws-local.sh start-s3s-fs   install s3s-fs (once, with cargo install into the cache;
#                                       takes minutes the first time), start it on a free port
#                                       with a fresh data directory, print its URL on stdout
#   scripts/aws-local.sh stop URL       stop the server (moto or s3s-fs) started for URL; an
#                                       s3s-fs data directory is removed
#   scripts/aws-local.sh install        only install moto
#   scripts/aws-local.sh install-s3s-fs only install s3s-fs
#
# Environment: MOTO_VERSION (default 5.2.5), S3S_FS_VERSION (default 0.14.1, the newest that
# builds with rustc 1.95), PYTHON (default python3), BOTO_CACHE_DIR (default
# ${XDG_CACHE_HOME:-$HOME/.cache}/boto-rs), S3S_FS_DATA (parent of s3s-fs data directories,
# default /dev/shm when writable, else the cache's run directory).
# Clients need credentials testing/testing (s3s-fs checks signatures), any region, and
# path-style addressing (the default with an endpoint URL of 127.0.0.1).
set -euo pipefail

MOTO_VERSION="${MOTO_VERSION:-5.2.5}"
PYTHON="${PYTHON:-python3}"
CACHE="${BOTO_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/boto-rs}"
VENV="$CACHE/moto-$MOTO_VERSION"
RUN="$CACHE/run"
S3S_FS_VERSION="${S3S_FS_VERSION:-0.14.1}"
S3S_ROOT="$CACHE/s3s-fs-$S3S_FS_VERSION"
S3S_BIN="$S3S_ROOT/bin/s3s-fs"

say() { echo "aws-local: $*" >&2; }
die() { say "error: $*"; exit 1; }

install() {
    [[ -f "$VENV/.ok" ]] && return 0
    command -v "$PYTHON" >/dev/null || die "$PYTHON not found (set PYTHON)"
    mkdir -p "$CACHE"
    exec 9>"$CACHE/.moto.lock"
    command -v flock >/dev/null && flock 9
    [[ -f "$VENV/.ok" ]] && return 0
    say "installing moto[server]==$MOTO_VERSION into $VENV"
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV" >&2 || die "cannot create a venv (is python3-venv installed?)"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check "moto[server]==$MOTO_VERSION" >&2 \
        || { rm -rf "$VENV"; die "pip install moto[server]==$MOTO_VERSION failed"; }
    touch "$VENV/.ok"
}

free_port() {
    "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

answers() {
    "$PYTHON" - "$1" <<'PY' >/dev/null 2>&1
import sys, urllib.request
urllib.request.urlopen(sys.argv[1] + "/moto-api/data.json", timeout=2)
PY
}

# Waits until PROBE answers on URL (TRIES times 0.2 s) and prints URL; otherwise stops PID and
# fails, showing the end of LOG if the process died.
wait_ready() { # name, pid, url, log, probe, tries, detail
    local name="$1" pid="$2" url="$3" log="$4" probe="$5" tries="$6" detail="$7"
    for _ in $(seq 1 "$tries"); do
        if "$probe" "$url"; then
            say "$name ready at $url ($detail)"
            echo "$url"
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || { tail -n 20 "$log" >&2; die "${name%% *} exited during startup"; }
        sleep 0.2
    done
    kill "$pid" 2>/dev/null || true
    die "${name%% *} did not answer on $url within $((tries / 5)) s"
}

start() {
    install
    mkdir -p "$RUN"
    local port url pid
    port="$(free_port)"
    url="http://127.0.0.1:$port"
    local cmd=("$VENV/bin/moto_server" -H 127.0.0.1 -p "$port")
    command -v setsid >/dev/null && cmd=(setsid "${cmd[@]}")
    "${cmd[@]}" </dev/null >"$RUN/moto-$port.log" 2>&1 &
    pid=$!
    echo "$pid" >"$RUN/moto-$port.pid"
    wait_ready "moto $MOTO_VERSION" "$pid" "$url" "$RUN/moto-$port.log" answers 300 "pid $pid, log $RUN/moto-$port.log"
}

install_s3s_fs() {
    [[ -x "$S3S_BIN" ]] && return 0
    command -v cargo >/dev/null || die "cargo not found (needed to install s3s-fs)"
    mkdir -p "$CACHE"
    exec 8>"$CACHE/.s3s-fs.lock"
    command -v flock >/dev/null && flock 8
    [[ -x "$S3S_BIN" ]] && return 0
    say "installing s3s-fs $S3S_FS_VERSION into $S3S_ROOT (minutes the first time; log $S3S_ROOT.log)"
    if ! cargo install --locked --quiet "s3s-fs@$S3S_FS_VERSION" --features binary --root "$S3S_ROOT" \
        >"$S3S_ROOT.log" 2>&1; then
        tail -n 20 "$S3S_ROOT.log" >&2
        die "cargo install s3s-fs@$S3S_FS_VERSION failed"
    fi
}

# s3s-fs refuses unsigned requests with an S3 XML error: any such answer means it is up.
s3s_answers() {
    "$PYTHON" - "$1" <<'PY' >/dev/null 2>&1
import sys, urllib.request, urllib.error
try:
    urllib.request.urlopen(sys.argv[1] + "/", timeout=2)
except urllib.error.HTTPError as e:
    sys.exit(0 if b"<Error>" in e.read() else 1)
PY
}

start_s3s_fs() {
    install_s3s_fs
    mkdir -p "$RUN"
    local port url pid parent data
    port="$(free_port)"
    url="http://127.0.0.1:$port"
    parent="${S3S_FS_DATA:-}"
    if [[ -z "$parent" ]]; then
        if [[ -d /dev/shm && -w /dev/shm ]]; then parent=/dev/shm; else parent="$RUN"; fi
    fi
    data="$parent/boto-rs-s3s-$port"
    rm -rf "$data"
    mkdir -p "$data"
    echo "$data" >"$RUN/s3s-$port.data"
    local cmd=("$S3S_BIN" --host 127.0.0.1 --port "$port" --access-key testing --secret-key testing "$data")
    command -v setsid >/dev/null && cmd=(setsid "${cmd[@]}")
    RUST_LOG="${RUST_LOG:-warn}" "${cmd[@]}" </dev/null >"$RUN/s3s-$port.log" 2>&1 &
    pid=$!
    echo "$pid" >"$RUN/s3s-$port.pid"
    wait_ready "s3s-fs $S3S_FS_VERSION" "$pid" "$url" "$RUN/s3s-$port.log" s3s_answers 150 \
        "pid $pid, data $data, log $RUN/s3s-$port.log"
}

# True if PIDFILE names a live process whose command line names WHAT.
alive() {
    local pidfile="$1" what="$2" pid
    [[ -f "$pidfile" ]] || return 1
    pid="$(cat "$pidfile")"
    kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "$what"
}

# Stops the process in PIDFILE if its command line names WHAT.
stop_pid() {
    local pidfile="$1" what="$2" pid
    pid="$(cat "$pidfile")"
    if alive "$pidfile" "$what"; then
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
}

# Stops whichever stand-in serves URL. Pid files left by a stand-in that died
# may name the same port, so the live process decides which kind it is.
stop() {
    local url="${1:?usage: aws-local.sh stop URL}"
    local port="${url##*:}"
    port="${port%%/*}"
    local s3s="$RUN/s3s-$port.pid" moto="$RUN/moto-$port.pid"
    if alive "$s3s" s3s-fs; then
        stop_pid "$s3s" s3s-fs
        say "stopped s3s-fs at $url"
    elif alive "$moto" moto_server; then
        stop_pid "$moto" moto_server
        say "stopped moto at $url"
    else
        say "nothing running for $url"
    fi
    rm -f "$s3s" "$moto"
    if [[ -f "$RUN/s3s-$port.data" ]]; then
        rm -rf "$(cat "$RUN/s3s-$port.data")"
        rm -f "$RUN/s3s-$port.data"
    fi
}

case "${1:-}" in
    start) start ;;
    start-s3s-fs) start_s3s_fs ;;
    stop) shift; stop "$@" ;;
    install) install ;;
    install-s3s-fs) install_s3s_fs ;;
    *) die "usage: $0 start | start-s3s-fs | stop URL | install | install-s3s-fs" ;;
esac
