#!/usr/bin/env bash
# Single transfers over HTTP (issue 6's target: at least 20,000/s at 64 connections): a
# currency with SOLIDUM_BENCH_ACCOUNTS accounts (10,000), its treasurer's API token, and
# wrk posting one transfer per request, each with a new time-ordered id, for
# SOLIDUM_BENCH_SECONDS (8), after SOLIDUM_BENCH_WARMUP seconds (8) of the same load on
# the same server, whose figure is printed too. The transfers stored are counted after
# the run (they must match the 201 answers). SOLIDUM_BENCH_RUNS runs (3), each on a fresh
# store, and their median, on each store in SOLIDUM_BENCH_STORES.
#
# Why a warm-up: a ledger runs for months, and its first seconds on an empty file are not
# its rate. On a fresh SQLite file the first seconds are about a quarter slower: the WAL
# grows to its working size (each commit then also extends the file, so each fdatasync
# writes metadata too), and each account's holders are read once into memory.
# Usage: bench/transfers.sh [BUILD_DIR]   (a Release build: make build)
set -euo pipefail
build=${1:-build/release}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
source "$here/lib.sh"
accounts=${SOLIDUM_BENCH_ACCOUNTS:-10000}
duration=${SOLIDUM_BENCH_SECONDS:-8}
warmup=${SOLIDUM_BENCH_WARMUP:-8}
connections=${SOLIDUM_BENCH_CONNECTIONS:-64}
runs=${SOLIDUM_BENCH_RUNS:-3}
# The median of the numbers on standard input.
median() { sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
for store in ${SOLIDUM_BENCH_STORES:-sqlite postgres}; do
  rates=()
  for _ in $(seq "$runs"); do
    rm -f "$work"/bench.db*
    bench_store "$store"
    read -r first n < <("$build/bench/ledger_bench_setup" "$db" "$accounts" "$work/token")
    bench_serve
    warm=$(TOKEN=$(cat "$work/token") FIRST=$first ACCOUNTS=$n PREFIX=warm wrk -t1 -c"$connections" -d"${warmup}s" -s "$here/transfers.lua" "$url" |
      awk '/Requests\/sec/ {print $2}')
    TOKEN=$(cat "$work/token") FIRST=$first ACCOUNTS=$n bench_wrk -t1 -c"$connections" -d"${duration}s" -s "$here/transfers.lua"
    stored=$(bench_count "SELECT COUNT(*) FROM transfers WHERE id NOT LIKE 'warm%'")
    printf '%-9s %9s transfers/s  p50 %-8s p99 %-8s server CPU %s us/transfer, wrk %s  (%s requests, %s non-2xx, %s stored, %s connections; first %ss on the empty file: %s/s)\n' \
      "$store" "$rps" "$p50" "$p99" "$us" "$client_us" "$total" "$non2xx" "$stored" "$connections" "$warmup" "$warm"
    bench_store_done "$store"
    rates+=("$rps")
  done
  # The machine is shared: each run is printed, and their median is the figure.
  printf '%-9s median of %s runs: %s transfers/s\n' "$store" "$runs" "$(printf '%s\n' "${rates[@]}" | median)"
done
