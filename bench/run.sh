#!/usr/bin/env bash
# Benchmarks of the HTTP API with wrk, against a Release server on a fresh demo database.
# Usage: bench/run.sh [BUILD_DIR]   (make bench)
# Prints requests/s, latency percentiles and the server's CPU time per request, the
# figure that compares best on a shared, noisy machine; on each store in
# SOLIDUM_BENCH_STORES ("sqlite postgres" by default: PostgreSQL in a throwaway cluster,
# with fsync on, started by scripts/test-postgres.sh), side by side in one run.
set -euo pipefail
build=${1:-build/release}
bin=$build/solidum
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
chmod 755 "$work"  # PostgreSQL runs as its own user and reads its directory inside
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  if [ -d "$work/pg" ]; then bash "$here/../scripts/test-postgres.sh" stop "$work/pg" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
stores=${SOLIDUM_BENCH_STORES:-sqlite postgres}
orgs=${SOLIDUM_BENCH_ORGS:-2000}
duration=${SOLIDUM_BENCH_SECONDS:-15}
connections=${SOLIDUM_BENCH_CONNECTIONS:-64}
# One wrk thread: on a 2-core machine a second one only fights the server for the cores.
threads=${SOLIDUM_BENCH_WRK_THREADS:-1}

start_server() {  # extra serve flags...
  rm -f "$work/port"
  "$bin" serve --db "$db" --listen 127.0.0.1:0 --port-file "$work/port" "$@" \
    >"$work/server.log" 2>&1 &
  pid=$!
  # (A server loads its catalogue before it listens: about a second for 100,000 organisations.)
  for _ in $(seq 1200); do [ -s "$work/port" ] && break; sleep 0.05; done
  if [ ! -s "$work/port" ]; then echo "the server did not start:" >&2; cat "$work/server.log" >&2; exit 1; fi
  url=http://127.0.0.1:$(cat "$work/port")
}
stop_server() { kill "$pid"; wait "$pid" 2>/dev/null || true; }

cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }

run() {  # name, wrk args...
  local name=$1; shift
  wrk -t"$threads" -c"$connections" -d2s "$@" >/dev/null 2>&1  # warm up
  local before; before=$(cpu_ticks)
  local out; out=$(wrk -t"$threads" -c"$connections" -d"${duration}s" --latency "$@" 2>&1)
  if echo "$out" | grep -qE "Non-2xx|unexpected symbol|error"; then
    echo "$name: wrk reported errors:" >&2
    echo "$out" | grep -E "Non-2xx|unexpected|error" >&2
  fi
  local after; after=$(cpu_ticks)
  local rps; rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  local total; total=$(echo "$out" | awk '/requests in/ {print $1}')
  local p50; p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  local p99; p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  local hz; hz=$(getconf CLK_TCK)
  local us; us=$(awk -v t=$((after - before)) -v hz="$hz" -v n="$total" 'BEGIN {printf "%.1f", t / hz * 1e6 / n}')
  printf '%-34s %10s req/s  p50 %-8s p99 %-8s server CPU %s us/req  (%s requests, %s connections, %s wrk threads)\n' \
    "$name" "$rps" "$p50" "$p99" "$us" "$total" "$connections" "$threads"
}

echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, $(uname -r), $orgs organisations, ${duration}s per run"
for store in $stores; do
  if [ "$store" = postgres ]; then
    SOLIDUM_PG_DURABLE=1 bash "$here/../scripts/test-postgres.sh" start "$work/pg" >/dev/null
    base=$(cat "$work/pg/url")
    psql -q "${base}postgres" -c "CREATE DATABASE bench" -c "CREATE DATABASE import"
    db=${base}bench
    import_db=${base}import
  else
    db=sqlite:$work/bench.db
    import_db=sqlite:$work/import.db
  fi
  echo "## $store"
  "$bin" migrate --db "$import_db" >/dev/null 2>&1
  coops="$here/../../shared/datasets/registry/coops-uk-2022-essglobal.csv"
  if [ -f "$coops" ]; then
    t0=$(date +%s.%N)
    "$bin" import --db "$import_db" --format essglobal-csv "$coops" >/dev/null 2>&1
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%-34s %10.2f s\n", "import coops-uk (7,272 rows)", b - a}'
  fi
  t0=$(date +%s.%N)
  "$bin" demo --db "$db" --orgs "$orgs" --seed 1 >/dev/null 2>&1
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" -v n="$orgs" 'BEGIN {printf "%-34s %10.2f s\n", "demo --orgs " n, b - a}'
  if [ "$store" = postgres ]; then
    # Measure the steady state, not autovacuum catching up with the bulk load.
    psql -q "$db" -c "VACUUM (ANALYZE)" -c "CHECKPOINT"
  fi
  start_server --no-access-log
  run "GET /api/v1/organisations/{id}" -s "$here/get_organisation.lua" "$url"
  run "GET /healthz" "$url/healthz"
  run "search q+bbox+legal_form (facets)" -s "$here/search.lua" "$url"
  stop_server
  start_server  # the access log on, written to a file
  run "GET /api/v1/organisations/{id} +log" -s "$here/get_organisation.lua" "$url"
  stop_server
done
