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
work=$(mktemp -d)
chmod 755 "$work"
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  if [ -d "$work/pg" ]; then bash "$here/../scripts/test-postgres.sh" stop "$work/pg" >/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
accounts=${SOLIDUM_BENCH_ACCOUNTS:-10000}
duration=${SOLIDUM_BENCH_SECONDS:-8}
connections=${SOLIDUM_BENCH_CONNECTIONS:-64}
for store in ${SOLIDUM_BENCH_STORES:-sqlite postgres}; do
  if [ "$store" = sqlite ]; then
    db="sqlite:$work/bench.db"
  else
    SOLIDUM_PG_DURABLE=1 bash "$here/../scripts/test-postgres.sh" start "$work/pg" >/dev/null  # fsync on
    base=$(cat "$work/pg/url")
    psql -q "${base}postgres" -c "CREATE DATABASE bench"
    db=${base}bench
  fi
  read -r first n < <("$build/bench/ledger_bench_setup" "$db" "$accounts" "$work/token")
  rm -f "$work/port"
  "$build/solidum" serve --db "$db" --listen 127.0.0.1:0 --port-file "$work/port" --no-access-log >"$work/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 600); do [ -s "$work/port" ] && break; sleep 0.05; done
  url=http://127.0.0.1:$(cat "$work/port")
  before=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  out=$(TOKEN=$(cat "$work/token") FIRST=$first ACCOUNTS=$n wrk -t1 -c"$connections" -d"${duration}s" --latency -s "$here/transfers.lua" "$url")
  after=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  total=$(echo "$out" | awk '/requests in/ {print $1}')
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $4}')
  us=$(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v n="$total" 'BEGIN {printf "%.1f", t / hz * 1e6 / n}')
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
  if [ "$store" = sqlite ]; then
    stored=$(sqlite3 "$work/bench.db" "SELECT COUNT(*) FROM transfers" 2>/dev/null || echo "?")
  else
    stored=$(psql "$db" -tAc "SELECT COUNT(*) FROM transfers")
  fi
  printf '%-9s %9s transfers/s  p50 %-8s p99 %-8s server CPU %s us/transfer  (%s requests, %s non-2xx, %s stored, %s connections)\n' \
    "$store" "$rps" "$p50" "$p99" "$us" "$total" "${non2xx:-0}" "$stored" "$connections"
  if [ "$store" = postgres ]; then bash "$here/../scripts/test-postgres.sh" stop "$work/pg" >/dev/null; fi
done
