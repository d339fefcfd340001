# Shared by the HTTP benchmarks (ballots.sh, transfers.sh): a fresh store of each kind,
# the server on it, wrk's figures and the server's CPU per request. Source it after
# setting `build` and `here`; it sets up `work` and cleans up on exit.
work=$(mktemp -d)
chmod 755 "$work"
pid=""
bench_cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  if [ -d "$work/pg" ]; then bash "$here/../scripts/test-postgres.sh" stop "$work/pg" >/dev/null || true; fi
  rm -rf "$work"
}
trap bench_cleanup EXIT

# bench_store KIND: sets `db` to a fresh store's URL (PostgreSQL: a cluster with fsync on).
bench_store() {
  if [ "$1" = sqlite ]; then
    db="sqlite:$work/bench.db"
  else
    SOLIDUM_PG_DURABLE=1 bash "$here/../scripts/test-postgres.sh" start "$work/pg" >/dev/null
    local base
    base=$(cat "$work/pg/url")
    psql -q "${base}postgres" -c "CREATE DATABASE bench"
    db=${base}bench
  fi
}

# bench_serve [ARGS...]: the server on $db; sets `pid` and `url`. With
# SOLIDUM_BENCH_PRELOAD set, the server runs with that library in LD_PRELOAD.
bench_serve() {
  rm -f "$work/port"
  # SOLIDUM_BENCH_PRELOAD: a malloc to compare (a build with -DSOLIDUM_JEMALLOC=OFF).
  LD_PRELOAD=${SOLIDUM_BENCH_PRELOAD:-} "$build/solidum" serve --db "$db" --listen 127.0.0.1:0 --port-file "$work/port" --no-access-log "$@" >"$work/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 600); do [ -s "$work/port" ] && break; sleep 0.05; done
  url=http://127.0.0.1:$(cat "$work/port")
}

# bench_wrk [WRK ARGS...]: runs wrk against $url, then stops the server; sets `total`,
# `rps`, `p50`, `p99`, `non2xx` and `us` (server CPU per request, in microseconds).
bench_wrk() {
  local before after out
  before=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  out=$(wrk --latency "$@" "$url")
  after=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  total=$(echo "$out" | awk '/requests in/ {print $1}')
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  non2xx=${non2xx:-0}
  us=$(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v n="$total" 'BEGIN {printf "%.1f", t / hz * 1e6 / n}')
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
}

# bench_count SQL: one number from the store (after the run).
bench_count() {
  if [[ "$db" == sqlite:* ]]; then sqlite3 "${db#sqlite:}" "$1" 2>/dev/null || echo "?"; else psql "$db" -tAc "$1"; fi
}

# bench_store_done KIND: stops PostgreSQL's cluster.
bench_store_done() {
  if [ "$1" = postgres ]; then bash "$here/../scripts/test-postgres.sh" stop "$work/pg" >/dev/null; fi
}
