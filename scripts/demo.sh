#!/usr/bin/env bash
# The demo: builds boto-rs, starts the local AWS stand-in (moto) and runs examples/tour.rs
# against it, then stops the stand-in.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
cargo build --release -p boto --example tour
URL="$(scripts/aws-local.sh start)"
trap 'scripts/aws-local.sh stop "$URL"' EXIT
AWS_ENDPOINT_URL="$URL" AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 \
    "${CARGO_TARGET_DIR:-$ROOT/target}/release/examples/tour"
