#!/usr/bin/env bash
# Clean build of the `boto` binary (every AWS service included: the models are data), from an
# empty target directory: wall time, CPU time and peak memory of the build, and the size of the
# stripped binary. Dependencies are fetched first so the network is not measured.
#
#   bench/build.sh [PROFILE]      (default: dist, the profile for shipping the binary; or release)
#
# `dist` (root Cargo.toml) is what ships: opt-level "z", thin LTO, stripped, panics unwind. The
# goal is a clean build under 2 minutes and a stripped binary under 10,000,000 bytes on a
# 2-core machine. `release` (opt-level 3, no LTO) is the profile of `cargo bench`.
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
/usr/bin/time -f "%e %U %S %M" -o "$TARGET/time.txt" \
    env CARGO_TARGET_DIR="$TARGET" cargo build -q --profile "$PROFILE" --offline -p boto-cli
read -r wall user sys rss_kib <"$TARGET/time.txt"
cp "$TARGET/$PROFILE/boto" "$TARGET/boto.stripped"
strip "$TARGET/boto.stripped"
size="$(stat -c %s "$TARGET/$PROFILE/boto")"
stripped="$(stat -c %s "$TARGET/boto.stripped")"
awk -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss_kib" -v a="$size" -v b="$stripped" 'BEGIN {
    printf "build wall_s=%.1f (%dm%02ds) cpu_s=%.1f (user %.1f + sys %.1f) peak_rss_mib=%.0f\n",
        w, int(w / 60), int(w % 60), u + s, u, s, r / 1024
    printf "binary size_bytes=%d stripped_bytes=%d (%.2f MB, %.2f MiB)\n", a, b, b / 1e6, b / 1048576
}'
