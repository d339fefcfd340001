#!/usr/bin/env bash
# Issue 7's targets on the solidarity-finance engines (Google Benchmark): schedules
# (instalments/s), a portfolio report over 1,000,000 loans of 24 instalments, and the
# surplus allocation of 7,000,000 members; then `solidum surplus` end to end on a
# generated 7,000,000-member activity file (read, allocate, write the CSV).
# Usage: bench/finance.sh [BUILD_DIR]   (a Release build: make build)
set -euo pipefail
build=${1:-build/release}
members=${SOLIDUM_BENCH_MEMBERS:-7000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$build/bench/finance_bench"
# Members M0000001...: capital 10.00-5,000.00, purchases over the year 0-20,000.00 (cents).
awk -v n="$members" 'BEGIN {
  srand(2026); print "member,capital,patronage";
  for (i = 1; i <= n; i++) printf "M%07d,%d,%d\n", i, 1000 + int(rand() * 499000), int(rand() * 2000000);
}' > "$work/activity.csv"
cat > "$work/rules.json" <<'JSON'
{"surplus": 123456789012, "reserve_bp": 3000, "reserve_min_bp": 1500, "fund_bp": 500,
 "share_interest_bp": 200, "share_interest_cap_bp": 400, "refunds_bp": 8000, "basis": "purchases"}
JSON
echo "activity.csv: $members members, $(du -h "$work/activity.csv" | cut -f1)"
/usr/bin/time -f "  solidum surplus --format csv: %e s wall, %M KB peak" \
  "$build/solidum" surplus "$work/rules.json" "$work/activity.csv" --format csv --output "$work/allocation.csv"
echo "allocation.csv: $(($(wc -l < "$work/allocation.csv") - 1)) members"
