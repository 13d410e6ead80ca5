#!/usr/bin/env bash
# Starts the canned nginx server on a free port of 127.0.0.1 and prints its URL.
# Stop it with: bench/canned-server/stop.sh URL
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
NGINX="${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}"
[[ -x "$NGINX" ]] || { echo "canned-server: nginx not found (apt-get install nginx-light)" >&2; exit 1; }
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
DIR="${TMPDIR:-/tmp}/boto-canned-$PORT"
mkdir -p "$DIR"
sed -e "s|@PORT@|$PORT|g" -e "s|@DIR@|$DIR|g" "$HERE/nginx.conf" > "$DIR/nginx.conf"
"$NGINX" -q -t -c "$DIR/nginx.conf" -p "$DIR/" >&2
"$NGINX" -c "$DIR/nginx.conf" -p "$DIR/"
for _ in $(seq 50); do [[ -s "$DIR/nginx.pid" ]] && break; sleep 0.1; done
echo "http://127.0.0.1:$PORT"
