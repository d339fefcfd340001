#!/usr/bin/env bash
# A network's set-off run uploaded through the API while the ledger is in use: the upload's
# wall time (parse, set-off, store; bench/RESULTS.md "Set-off runs through the API") and
# what it costs the circuit, the slowest single transfer answered meanwhile (the store
# run holds SQLite's write lock while it writes; the ledger's writer waits behind it).
# wrk sends transfers on 4 connections for the whole upload. SOLIDUM_BENCH_RUNS uploads
# (3) of SOLIDUM_BENCH_FILE (synthetic_network_03.csv, 285k obligations), on each store in
# SOLIDUM_BENCH_STORES (sqlite).
# Usage: bench/setoff_upload.sh [BUILD_DIR]   (a Release build: make build)
set -euo pipefail
build=${1:-build/release}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
source "$here/lib.sh"
shared=${SOLIDUM_SHARED:-$here/../../shared}
file=${SOLIDUM_BENCH_FILE:-$shared/datasets/obligations/synthetic_network_03.csv}
runs=${SOLIDUM_BENCH_RUNS:-3}
for store in ${SOLIDUM_BENCH_STORES:-sqlite}; do
  rm -f "$work"/bench.db*
  bench_store "$store"
  read -r first n < <("$build/bench/ledger_bench_setup" "$db" 1000 "$work/token")
  org=$(bench_count "SELECT organisation_id FROM currencies LIMIT 1")
  bench_serve
  token=$(cat "$work/token")
  for i in $(seq "$runs"); do
    TOKEN=$token FIRST=$first ACCOUNTS=$n wrk --latency -t1 -c4 -d6s -s "$here/transfers.lua" "$url" >"$work/wrk" &
    wrk_pid=$!
    sleep 1
    code=$(curl -s -o "$work/run.json" -w '%{http_code} %{time_total}' -X POST -H "Authorization: Bearer $token" -H "Content-Type: text/csv" \
      --data-binary @"$file" "$url/api/v1/organisations/$org/setoff-runs?title=bench-$i")
    wait "$wrk_pid"
    max=$(awk '$1=="Latency" {print $4}' "$work/wrk")
    p99=$(awk '$1=="99%" {print $2}' "$work/wrk")
    printf '%-9s upload %d: HTTP %s s   transfers meanwhile: max %s, p99 %s   (%s)\n' "$store" "$i" "$code" "$max" "$p99" "$(basename "$file")"
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
  bench_store_done "$store"
done
