# Shared by the HTTP benchmarks (ballots.sh, library.sh, setoff_upload.sh, transfers.sh,
# transfers_pair.sh): a fresh store of each kind, the server on it, wrk's figures and the
# CPU per request of the server and of wrk. Source it after setting `build` and `here`; it
# sets up `work` and cleans up on exit.
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
  bench_wait_file "$work/port"
  url=http://127.0.0.1:$(cat "$work/port")
}

# bench_wait_file FILE: waits up to 30 s for FILE to be written (a server's port file).
bench_wait_file() {
  for _ in $(seq 600); do [ -s "$1" ] && break; sleep 0.05; done
}

# bench_ticks PID: the CPU time (user + system, in clock ticks) the process has used.
bench_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# bench_us TICKS N: those ticks as microseconds per request, over N requests.
bench_us() { awk -v t="$1" -v hz="$(getconf CLK_TCK)" -v n="$2" 'BEGIN {printf "%.1f", t / hz * 1e6 / n}'; }

# bench_client_us TIMES N: wrk's own CPU (the "user system" seconds that bash's `time`
# wrote to the file TIMES) as microseconds per request: the client shares the two cores.
bench_client_us() { awk -v n="$2" '{printf "%.1f", ($1 + $2) * 1e6 / n}' "$1"; }

# bench_wrk [WRK ARGS...]: runs wrk against $url, then stops the server; sets `total`,
# `rps`, `p50`, `p99`, `non2xx`, `us` (server CPU per request, in microseconds) and
# `client_us` (wrk's CPU per request).
bench_wrk() {
  local before after out TIMEFORMAT='%U %S'
  before=$(bench_ticks "$pid")
  { time wrk --latency "$@" "$url" >"$work/wrk.out"; } 2>"$work/wrk.time"
  out=$(cat "$work/wrk.out")
  after=$(bench_ticks "$pid")
  total=$(echo "$out" | awk '/requests in/ {print $1}')
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  non2xx=${non2xx:-0}
  us=$(bench_us $((after - before)) "$total")
  client_us=$(bench_client_us "$work/wrk.time" "$total")
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
