#!/usr/bin/env bash
# Library search over HTTP (issue 8's target: at least 3,000 requests/s with p99 under
# 20 ms at 32 connections over 200,000 resources in four languages): text in four
# languages, filters, facets, a page of 20 (bench/library.lua). On each store in
# SOLIDUM_BENCH_STORES.
# Usage: bench/library.sh [BUILD_DIR]   (a Release build: make build)
set -euo pipefail
build=${1:-build/release}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
source "$here/lib.sh"
resources=${SOLIDUM_BENCH_RESOURCES:-200000}
duration=${SOLIDUM_BENCH_SECONDS:-10}
connections=${SOLIDUM_BENCH_CONNECTIONS:-32}
for store in ${SOLIDUM_BENCH_STORES:-sqlite postgres}; do
  bench_store "$store"
  start=$(date +%s.%N)
  "$build/bench/library_bench_setup" "$db" "$resources" >/dev/null
  loaded=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.1f", e - s}')
  bench_serve
  # The first search loads the catalogue; each word's first search reads its matches from
  # the full-text index (cold: timed here, one after the other); then a warm-up, then the measure.
  cold=$(curl -s -o /dev/null -w '%{time_total}' "$url/api/v1/library/resources?limit=1")
  for w in $(grep -o '"[^"]*"' "$here/library.lua" | head -12 | tr -d '"'); do
    cold="$cold $(curl -s -o /dev/null -w '%{time_total}' "$url/api/v1/library/resources?q=$w&limit=20")"
  done
  echo "$store: first searches (catalogue load, then each word cold), seconds: $cold"
  wrk -t1 -c"$connections" -d2s --timeout 10s -s "$here/library.lua" "$url" >/dev/null 2>&1
  bench_wrk -t1 -c"$connections" -d"${duration}s" --timeout 10s -s "$here/library.lua"
  printf '%-9s %9s req/s  p50 %-8s p99 %-8s server CPU %s us/req  (%s requests, %s non-2xx, %s connections, %s resources loaded in %s s)\n' \
    "$store" "$rps" "$p50" "$p99" "$us" "$total" "$non2xx" "$connections" "$resources" "$loaded"
  bench_store_done "$store"
done
