#!/usr/bin/env bash
# Single transfers over HTTP (issue 6's target: at least 20,000/s at 64 connections): a
# currency with SOLIDUM_BENCH_ACCOUNTS accounts (10,000), its treasurer's API token, and
# wrk posting one transfer per request, each with a new time-ordered id, for
# SOLIDUM_BENCH_SECONDS (8). The transfers stored are counted after the run (they must
# match the 201 answers). On each store in SOLIDUM_BENCH_STORES.
# Usage: bench/transfers.sh [BUILD_DIR]   (a Release build: make build)
set -euo pipefail
build=${1:-build/release}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
source "$here/lib.sh"
accounts=${SOLIDUM_BENCH_ACCOUNTS:-10000}
duration=${SOLIDUM_BENCH_SECONDS:-8}
connections=${SOLIDUM_BENCH_CONNECTIONS:-64}
for store in ${SOLIDUM_BENCH_STORES:-sqlite postgres}; do
  bench_store "$store"
  read -r first n < <("$build/bench/ledger_bench_setup" "$db" "$accounts" "$work/token")
  bench_serve
  TOKEN=$(cat "$work/token") FIRST=$first ACCOUNTS=$n bench_wrk -t1 -c"$connections" -d"${duration}s" -s "$here/transfers.lua"
  stored=$(bench_count "SELECT COUNT(*) FROM transfers")
  printf '%-9s %9s transfers/s  p50 %-8s p99 %-8s server CPU %s us/transfer  (%s requests, %s non-2xx, %s stored, %s connections)\n' \
    "$store" "$rps" "$p50" "$p99" "$us" "$total" "$non2xx" "$stored" "$connections"
  bench_store_done "$store"
done
