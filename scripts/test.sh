#!/usr/bin/env bash
# The test command: every test of the project against the local AWS stand-in, plus the
# conformance runners and the model-bundle check. Starts moto and s3s-fs itself and stops them
# at the end.
#
# BOTO_REQUIRE_CONFORMANCE=1 (set by CI) makes missing conformance data a failure; otherwise
# missing suites are reported loudly as NOT RUN.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

step() { printf '\n==> %s\n' "$*" >&2; }
not_run=()

step "conformance data"
BOTO_CONFORMANCE_DIR="$(scripts/conformance-data.sh)"
export BOTO_CONFORMANCE_DIR

step "local AWS stand-in (moto)"
BOTO_TEST_ENDPOINT="$(scripts/aws-local.sh start)"
export BOTO_TEST_ENDPOINT
BOTO_TEST_S3_ENDPOINT=""
stop_stand_ins() {
    scripts/aws-local.sh stop "$BOTO_TEST_ENDPOINT"
    if [[ -n "$BOTO_TEST_S3_ENDPOINT" ]]; then scripts/aws-local.sh stop "$BOTO_TEST_S3_ENDPOINT"; fi
}
trap stop_stand_ins EXIT

step "local S3 server (s3s-fs; the first run installs it, which takes minutes)"
BOTO_TEST_S3_ENDPOINT="$(scripts/aws-local.sh start-s3s-fs)"
export BOTO_TEST_S3_ENDPOINT

step "format"
cargo fmt --all -- --check

step "clippy"
cargo clippy --quiet --workspace --all-targets -- -D warnings

step "unit, integration and doc tests"
cargo test --workspace --all-targets
cargo test --workspace --doc

step "rustdoc builds without warnings"
RUSTDOCFLAGS="-D warnings" cargo doc --quiet --no-deps --workspace

step "model bundle is what the pinned wheels give"
cargo xtask models --check

conformance() { # suite, folder
    if [[ -d "$BOTO_CONFORMANCE_DIR/$2" ]]; then
        step "conformance $1 ($2)"
        cargo xtask conformance "$1" "$BOTO_CONFORMANCE_DIR/$2"
    elif [[ -n "${BOTO_REQUIRE_CONFORMANCE:-}" ]]; then
        echo "conformance data $BOTO_CONFORMANCE_DIR/$2 is missing" >&2
        exit 1
    else
        not_run+=("$1 ($2)")
    fi
}
conformance protocols protocols
conformance sigv4 sigv4
conformance endpoints endpoint-rules
conformance rules-engine endpoint-rules-engine
conformance jmespath jmespath

if ((${#not_run[@]})); then
    printf '\n!!!!!!!! conformance suites NOT RUN (data missing): %s\n' "${not_run[*]}" >&2
fi
step "all tests passed"
