#!/usr/bin/env bash
# Multilateral set-off end to end (issue 6's target: synthetic_network_03.csv, 285k
# obligations, under 1 second, file read included): `solidum clear` on the shared
# datasets, then on generated networks of 1M and 5M obligations (how time and memory grow).
# Each figure is the best of SOLIDUM_BENCH_RUNS (3) wall-clock runs, with the peak memory.
# Usage: bench/clearing.sh [BUILD_DIR]   (a Release build: make build)
set -euo pipefail
build=${1:-build/release}
here=$(cd "$(dirname "$0")" && pwd)
shared=${SOLIDUM_SHARED:-$here/../../shared}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
runs=${SOLIDUM_BENCH_RUNS:-3}
measure() {  # FILE LABEL
  local best="" mem="" out
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$work/time" "$build/solidum" clear "$1" --format json >"$work/out"
    read -r t m <"$work/time"
    if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN {exit !(a < b)}'; then best=$t; mem=$m; fi
  done
  out=$(cat "$work/out")
  printf '%-28s %6s s  %7.0f MiB peak   %s\n' "$2" "$best" "$(awk -v k="$mem" 'BEGIN {print k / 1024}')" "$out"
}
for f in "$shared"/datasets/obligations/synthetic_network_0*.csv; do measure "$f" "$(basename "$f")"; done
for n in ${SOLIDUM_BENCH_SIZES:-1000000 5000000}; do
  "$build/bench/obligations_gen" "$n" 1 >"$work/gen.csv"
  measure "$work/gen.csv" "generated $n"
done
