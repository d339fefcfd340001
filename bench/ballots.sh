#!/usr/bin/env bash
# Casting ballots over HTTP (issue 5's target: at least 5,000 ballots/s): one open motion,
# SOLIDUM_BENCH_VOTERS members (100,000 by default) each with an API token, and wrk
# posting one vote per voter (never the same voter twice: the counts of 201 answers and of
# papers in the database must match). On each store in SOLIDUM_BENCH_STORES.
# Usage: bench/ballots.sh [BUILD_DIR]   (a Release build: make build)
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
voters=${SOLIDUM_BENCH_VOTERS:-100000}
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
  ballot=$("$build/bench/ballot_bench_setup" "$db" "$voters" "$work/tokens")
  rm -f "$work/port"
  "$build/solidum" serve --db "$db" --listen 127.0.0.1:0 --port-file "$work/port" --no-access-log --workers "${SOLIDUM_BENCH_WORKERS:-64}" >"$work/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 600); do [ -s "$work/port" ] && break; sleep 0.05; done
  url=http://127.0.0.1:$(cat "$work/port")
  before=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  out=$(TOKENS="$work/tokens" BALLOT=$ballot WRK_THREADS=1 wrk -t1 -c"$connections" -d"${duration}s" --latency -s "$here/votes.lua" "$url")
  after=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  total=$(echo "$out" | awk '/requests in/ {print $1}')
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $4}')
  us=$(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v n="$total" 'BEGIN {printf "%.1f", t / hz * 1e6 / n}')
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
  if [ "$store" = sqlite ]; then
    papers=$(sqlite3 "$work/bench.db" "SELECT COUNT(*) FROM ballot_papers" 2>/dev/null || echo "?")
  else
    papers=$(psql "$db" -tAc "SELECT COUNT(*) FROM ballot_papers")
  fi
  printf '%-9s %9s votes/s  p50 %-8s p99 %-8s server CPU %s us/vote  (%s requests, %s non-2xx, %s papers stored, %s connections)\n' \
    "$store" "$rps" "$p50" "$p99" "$us" "$total" "${non2xx:-0}" "$papers" "$connections"
  if [ "$store" = postgres ]; then bash "$here/../scripts/test-postgres.sh" stop "$work/pg" >/dev/null; fi
done
