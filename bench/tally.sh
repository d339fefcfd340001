#!/usr/bin/env bash
# Counting a million ballots (15 candidates, 5 seats): the engines alone (Google
# Benchmark), then `solidum tally` end to end (file read, count, report) for each method,
# on ballots of realistic length and on full rankings.
# Usage: bench/tally.sh [BUILD_DIR]   (a Release build: make build)
set -euo pipefail
build=${1:-build/release}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$build/bench/tally_bench"
"$build/bench/tally_bench" --write "$work/m1.blt" 1000000
"$build/bench/tally_bench" --write "$work/m1full.blt" 1000000 full
for file in m1 m1full; do
  echo "$file.blt: $(du -h "$work/$file.blt" | cut -f1)"
  for method in scottish meek wigm irv plurality; do
    seats=""
    [ "$method" = irv ] && seats="--seats 1"
    # shellcheck disable=SC2086
    /usr/bin/time -f "  solidum tally --method $method: %e s wall, %M KB peak" \
      "$build/solidum" tally "$work/$file.blt" --method "$method" $seats --format json >/dev/null
  done
done
