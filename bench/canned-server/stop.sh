#!/usr/bin/env bash
# Stops the canned nginx server started for URL.
set -euo pipefail
PORT="${1##*:}"
DIR="${TMPDIR:-/tmp}/boto-canned-$PORT"
[[ -s "$DIR/nginx.pid" ]] && kill "$(cat "$DIR/nginx.pid")" 2>/dev/null || true
rm -rf "$DIR"
