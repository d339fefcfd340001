#!/usr/bin/env bash
# Two servers at once, for an A/B of single transfers on a noisy shared machine: each on a
# fresh SQLite file of its own with SOLIDUM_BENCH_ACCOUNTS accounts (10,000), each with its
# own wrk (1 thread, 64 connections, bench/transfers.lua), 4 s of warm-up, then
# SOLIDUM_BENCH_SECONDS (10) measured, for SOLIDUM_BENCH_ROUNDS rounds (3). Both sides meet
# the same noise at the same time, so their ratio means more than two runs one after the
# other (an A/A pair agreed within 4 %). Each round prints both rates, each server's CPU
# per transfer and its wrk's.
# Usage: bench/transfers_pair.sh [BUILD_DIR]   with, optionally,
#   BIN_A, BIN_B   the two servers (default: BUILD_DIR/solidum for both), and
#   ENV_A, ENV_B   environment settings for each ("VAR=value ..."; e.g. SOLIDUM_IO_THREADS=1).
set -euo pipefail
build=${1:-build/release}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
source "$here/lib.sh"
accounts=${SOLIDUM_BENCH_ACCOUNTS:-10000}
duration=${SOLIDUM_BENCH_SECONDS:-10}
rounds=${SOLIDUM_BENCH_ROUNDS:-3}
bin_a=${BIN_A:-$build/solidum}
bin_b=${BIN_B:-$build/solidum}
pids=()
pair_cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  bench_cleanup
}
trap pair_cleanup EXIT

# start SIDE BIN "ENV": a fresh store and a server on it, in $work/SIDE.
start() {
  local dir=$work/$1
  rm -rf "$dir" && mkdir -p "$dir"
  "$build/bench/ledger_bench_setup" "sqlite:$dir/bench.db" "$accounts" "$dir/token" >"$dir/accounts"
  # shellcheck disable=SC2086  # ENV_A/ENV_B are word lists on purpose
  env $3 "$2" serve --db "sqlite:$dir/bench.db" --listen 127.0.0.1:0 --port-file "$dir/port" --no-access-log >"$dir/log" 2>&1 &
  echo $! >"$dir/pid"
  pids+=($!)
  bench_wait_file "$dir/port"
}

# load SIDE SECONDS PREFIX [OUT]: wrk against that side's server (its CPU times in
# $work/SIDE/wrk.time).
load() {
  local dir=$work/$1 first n TIMEFORMAT='%U %S'
  read -r first n <"$dir/accounts"
  { time TOKEN=$(cat "$dir/token") FIRST=$first ACCOUNTS=$n PREFIX=$3 \
    wrk -t1 -c64 -d"$2s" -s "$here/transfers.lua" "http://127.0.0.1:$(cat "$dir/port")" >"${4:-/dev/null}"; } 2>"$dir/wrk.time"
}

cpu() { bench_ticks "$(cat "$work/$1/pid")"; }

declare -A before after
for round in $(seq "$rounds"); do
  start a "$bin_a" "${ENV_A:-}"
  start b "$bin_b" "${ENV_B:-}"
  load a 4 warm & w1=$!
  load b 4 warm & w2=$!
  wait "$w1" "$w2"
  before[a]=$(cpu a) before[b]=$(cpu b)
  load a "$duration" w "$work/a/out" & w1=$!
  load b "$duration" w "$work/b/out" & w2=$!
  wait "$w1" "$w2"
  after[a]=$(cpu a) after[b]=$(cpu b)
  line="round $round:"
  for side in a b; do
    rps=$(awk '/Requests\/sec/ {print $2}' "$work/$side/out")
    total=$(awk '/requests in/ {print $1}' "$work/$side/out")
    us=$(bench_us $((after[$side] - before[$side])) "$total")
    line="$line  $side $rps transfers/s ($us us of server CPU each, wrk $(bench_client_us "$work/$side/wrk.time" "$total"))"
    kill "$(cat "$work/$side/pid")"
    wait "$(cat "$work/$side/pid")" 2>/dev/null || true
  done
  pids=()
  echo "$line"
done
