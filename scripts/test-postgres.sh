#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the tests: `start DIR` creates one in DIR (initdb as
# an unprivileged user, listening on 127.0.0.1 at a free port, trust authentication for
# local connections only) and writes its base URL to DIR/url; `stop DIR` stops it and
# removes DIR. scripts/setup.sh installs PostgreSQL 15 from Debian when it is missing.
set -euo pipefail

cmd=${1:?usage: test-postgres.sh start|stop DIR}
dir=${2:?usage: test-postgres.sh start|stop DIR}

bindir=""
for candidate in "$(pg_config --bindir 2>/dev/null || true)" /usr/lib/postgresql/15/bin; do
  if [ -n "$candidate" ] && [ -x "$candidate/initdb" ]; then bindir=$candidate; break; fi
done
if [ -z "$bindir" ]; then
  echo "test-postgres: no initdb found; run scripts/setup.sh (it installs postgresql-15)" >&2
  exit 1
fi

# PostgreSQL refuses to run as root: as root, run it as the postgres user Debian creates.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo "test-postgres: no free port found" >&2
  exit 1
}

case "$cmd" in
  start)
    rm -rf "$dir"
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
    chmod 700 "$dir"
    as_owner "$bindir/initdb" -D "$dir/data" -U solidum --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
      --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    for attempt in 1 2 3 4 5; do
      port=$(free_port)
      # fsync off: a throwaway cluster does not need to survive a power cut, and tests run
      # faster. SOLIDUM_PG_DURABLE=1 keeps PostgreSQL's defaults (benchmarks).
      durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
      if [ "${SOLIDUM_PG_DURABLE:-0}" = 1 ]; then durability=""; fi
      if as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
           -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir $durability -c max_connections=300 -c shared_buffers=128MB" \
           start >/dev/null; then
        echo "postgresql://solidum@127.0.0.1:$port/" >"$dir/url"
        chmod 644 "$dir/url"
        chmod 755 "$dir"
        echo "test-postgres: cluster on port $port ($dir)"
        exit 0
      fi
      sleep 0.2
    done
    cat "$dir/server.log" >&2
    exit 1
    ;;
  stop)
    if [ -d "$dir/data" ]; then as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null || true; fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: test-postgres.sh start|stop DIR" >&2
    exit 2
    ;;
esac
