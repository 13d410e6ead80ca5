#!/usr/bin/env bash
# Clean build of the `boto` binary (every AWS service included: the models are data), from an
# empty target directory: wall time, peak memory of the build, and the size of the stripped
# binary. Dependencies are fetched first so the network is not measured.
#
#   bench/build.sh [PROFILE]      (default: dist, the profile for shipping the binary; or release)
#
# For comparison, aws-sdk-rust with s3 + dynamodb + ec2 was measured at 10 min, 8 GB peak
# memory and 24 MB on a 2-core machine (../shared/bench/aws-sdk-rust/measure-build.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PROFILE="${1:-dist}"
TARGET="$(mktemp -d)"
trap 'rm -rf "$TARGET"' EXIT
cargo fetch -q
echo "# clean $PROFILE build of boto-cli, $(nproc) cores, $(rustc --version)"
/usr/bin/time -f "build wall_s=%e peak_rss_mib=%M" -o "$TARGET/time.txt" \
    env CARGO_TARGET_DIR="$TARGET" cargo build -q --profile "$PROFILE" --offline -p boto-cli
awk '{ split($3, m, "="); printf "%s %s peak_rss_mib=%.0f\n", $1, $2, m[2] / 1024 }' "$TARGET/time.txt"
cp "$TARGET/$PROFILE/boto" "$TARGET/boto.stripped"
strip "$TARGET/boto.stripped"
awk -v a="$(stat -c %s "$TARGET/$PROFILE/boto")" -v b="$(stat -c %s "$TARGET/boto.stripped")" \
    'BEGIN { printf "binary size_mib=%.1f stripped_mib=%.1f\n", a / 1048576, b / 1048576 }'
