#!/usr/bin/env bash
# The project's local AWS stand-in: moto server on 127.0.0.1.
#
#   scripts/aws-local.sh start     install moto (once, into a cached venv), start it on a free
#                                  port, print its URL (http://127.0.0.1:PORT) on stdout
#   scripts/aws-local.sh stop URL  stop the server started for URL
#   scripts/aws-local.sh install   only install
#
# Environment: MOTO_VERSION (default 5.2.5), PYTHON (default python3),
# BOTO_CACHE_DIR (default ${XDG_CACHE_HOME:-$HOME/.cache}/boto-rs).
# Clients need any credentials (AWS_ACCESS_KEY_ID=testing ...) and a region.
set -euo pipefail

MOTO_VERSION="${MOTO_VERSION:-5.2.5}"
PYTHON="${PYTHON:-python3}"
CACHE="${BOTO_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/boto-rs}"
VENV="$CACHE/moto-$MOTO_VERSION"
RUN="$CACHE/run"

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

start() {
    install
    mkdir -p "$RUN"
    local port url pid
    port="$(free_port)"
    url="http://127.0.0.1:$port"
    if command -v setsid >/dev/null; then
        setsid "$VENV/bin/moto_server" -H 127.0.0.1 -p "$port" </dev/null >"$RUN/moto-$port.log" 2>&1 &
    else
        "$VENV/bin/moto_server" -H 127.0.0.1 -p "$port" </dev/null >"$RUN/moto-$port.log" 2>&1 &
    fi
    pid=$!
    echo "$pid" >"$RUN/moto-$port.pid"
    for _ in $(seq 1 300); do
        if answers "$url"; then
            say "moto $MOTO_VERSION ready at $url (pid $pid, log $RUN/moto-$port.log)"
            echo "$url"
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || { tail -n 20 "$RUN/moto-$port.log" >&2; die "moto exited during startup"; }
        sleep 0.2
    done
    kill "$pid" 2>/dev/null || true
    die "moto did not answer on $url within 60 s"
}

stop() {
    local url="${1:?usage: aws-local.sh stop URL}"
    local port="${url##*:}"
    local pidfile="$RUN/moto-$port.pid"
    [[ -f "$pidfile" ]] || { say "nothing to stop for $url"; return 0; }
    local pid
    pid="$(cat "$pidfile")"
    if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q moto_server; then
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
    say "stopped moto at $url"
}

case "${1:-}" in
    start) start ;;
    stop) shift; stop "$@" ;;
    install) install ;;
    *) die "usage: $0 start | stop URL | install" ;;
esac
