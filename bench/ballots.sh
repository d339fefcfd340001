#!/usr/bin/env bash
# Casting ballots over HTTP (issue 5's target: at least 5,000 ballots/s): one open motion,
# SOLIDUM_BENCH_VOTERS members (100,000 by default) each with an API token, and wrk
# posting one vote per voter (never the same voter twice: the counts of 201 answers and of
# papers in the database must match). On each store in SOLIDUM_BENCH_STORES.
# Usage: bench/ballots.sh [BUILD_DIR]   (a Release build: make build)
set -euo pipefail
build=${1:-build/release}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
source "$here/lib.sh"
voters=${SOLIDUM_BENCH_VOTERS:-100000}
duration=${SOLIDUM_BENCH_SECONDS:-8}
connections=${SOLIDUM_BENCH_CONNECTIONS:-64}
for store in ${SOLIDUM_BENCH_STORES:-sqlite postgres}; do
  bench_store "$store"
  ballot=$("$build/bench/ballot_bench_setup" "$db" "$voters" "$work/tokens")
  bench_serve --workers "${SOLIDUM_BENCH_WORKERS:-64}"
  TOKENS="$work/tokens" BALLOT=$ballot WRK_THREADS=1 bench_wrk -t1 -c"$connections" -d"${duration}s" -s "$here/votes.lua"
  papers=$(bench_count "SELECT COUNT(*) FROM ballot_papers")
  printf '%-9s %9s votes/s  p50 %-8s p99 %-8s server CPU %s us/vote  (%s requests, %s non-2xx, %s papers stored, %s connections)\n' \
    "$store" "$rps" "$p50" "$p99" "$us" "$total" "$non2xx" "$papers" "$connections"
  bench_store_done "$store"
done
