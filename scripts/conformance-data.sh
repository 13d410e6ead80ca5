#!/usr/bin/env bash
# Prints the directory holding the upstream conformance data, and on stderr which suites it lacks.
#
# Order: $BOTO_CONFORMANCE_DIR; ../shared/conformance beside the repository; otherwise the
# botocore-derived suites are extracted from the pinned botocore 1.44.5 sdist on PyPI (it ships
# tests/) into target/conformance. The aws-c-auth SigV4/SigV4a, JMESPath and boto3 resource-model
# suites exist only in the shared folder; when they are missing this says so loudly, and the test
# command fails if BOTO_REQUIRE_CONFORMANCE is set.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SDIST_SHA=a988f39e3a4484def0b8010f41128f71157da0515a4804fccce4739aa8f216da

say() { echo "conformance-data: $*" >&2; }

if [[ -n "${BOTO_CONFORMANCE_DIR:-}" ]]; then
    DIR="$BOTO_CONFORMANCE_DIR"
elif [[ -d "$ROOT/../shared/conformance" ]]; then
    DIR="$(cd "$ROOT/../shared/conformance" && pwd)"
else
    DIR="$ROOT/target/conformance"
    if [[ ! -f "$DIR/.ok" ]]; then
        say "no shared conformance data; extracting the botocore 1.44.5 sdist's tests into $DIR"
        TMP="$(mktemp -d)"
        trap 'rm -rf "$TMP"' EXIT
        "${PYTHON:-python3}" -m pip download -q --disable-pip-version-check --no-deps --no-binary :all: \
            botocore==1.44.5 -d "$TMP" >&2
        echo "$SDIST_SHA  $TMP/botocore-1.44.5.tar.gz" | sha256sum -c --quiet - >&2
        tar -xzf "$TMP/botocore-1.44.5.tar.gz" -C "$TMP"
        T="$TMP/botocore-1.44.5/tests"
        rm -rf "$DIR" && mkdir -p "$DIR/sigv4" "$DIR/config" "$DIR/credentials"
        cp -r "$T/unit/protocols" "$DIR/protocols"
        cp -r "$T/functional/endpoint-rules" "$DIR/endpoint-rules"
        cp -r "$T/unit/data/endpoints" "$DIR/endpoint-rules-engine"
        cp -r "$T/unit/auth/aws4_testsuite" "$DIR/sigv4/aws4_testsuite"
        mkdir -p "$DIR/cbor" && cp "$T"/unit/cbor/*.json "$DIR/cbor/"
        mkdir -p "$DIR/response-parsing" && cp -r "$T/unit/response_parsing/json" "$T/unit/response_parsing/xml" "$DIR/response-parsing/"
        cp -r "$T/unit/cfg" "$DIR/config/cfg"
        mkdir -p "$DIR/config/configured-endpoint-urls"
        cp "$T/functional/configured_endpoint_urls/profile-tests.json" "$DIR/config/configured-endpoint-urls/"
        cp -r "$T/unit/login" "$DIR/credentials/login"
        touch "$DIR/.ok"
    fi
fi

missing=()
for suite in protocols endpoint-rules endpoint-rules-engine sigv4/aws4_testsuite sigv4/aws-c-auth cbor \
    response-parsing config/cfg config/configured-endpoint-urls credentials/login jmespath misc/boto3-resource-model; do
    [[ -d "$DIR/$suite" ]] || missing+=("$suite")
done
if ((${#missing[@]})); then
    say "!!!!!!!! these conformance suites are NOT AVAILABLE in $DIR and will NOT RUN: ${missing[*]}"
fi
echo "$DIR"
