#!/usr/bin/env bash
# The PostgreSQL backup and restore of docs/operations.md, run for real: a register in one
# database, pg_dump in custom format, pg_restore into a new database, and `solidum checksums`
# must print the same on both. Run by ctest (PostgresBackup.DumpAndRestore) on the throwaway
# cluster: test-pg-backup.sh SOLIDUM_BIN CLUSTER_DIR
set -euo pipefail
bin=${1:?solidum binary}
cluster=${2:?cluster directory}
base=$(cat "$cluster/url")
bindir=$(pg_config --bindir 2>/dev/null || echo /usr/lib/postgresql/15/bin)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
suffix=$$_$RANDOM
live=live_$suffix
restored=restored_$suffix
psql -q "${base}postgres" -c "CREATE DATABASE $live" -c "CREATE DATABASE $restored"
"$bin" --db "${base}$live" demo --orgs 300 --seed 11 >/dev/null 2>&1
printf 'a long enough password\n' | "$bin" --db "${base}$live" user add backup@example.org --password-stdin >/dev/null 2>&1

# The documented commands.
"$bindir/pg_dump" --format=custom --file="$work/solidum.dump" "${base}$live"
"$bindir/pg_restore" --no-owner --exit-on-error --dbname="${base}$restored" "$work/solidum.dump"

"$bin" --db "${base}$live" checksums >"$work/live.txt"
"$bin" --db "${base}$restored" checksums >"$work/restored.txt"
grep -q "organisations *352 rows" "$work/live.txt" || { echo "the register was not created:" >&2; cat "$work/live.txt" >&2; exit 1; }
if ! diff -u "$work/live.txt" "$work/restored.txt"; then
  echo "test-pg-backup: the restored database differs" >&2
  exit 1
fi
# The restored database serves a search (its full-text column came back too).
hits=$(psql -At "${base}$restored" -c "SELECT COUNT(*) FROM organisations WHERE search @@ to_tsquery('simple', 'bakery')")
[ "$hits" -gt 0 ] || { echo "test-pg-backup: no full text in the restored database" >&2; exit 1; }
echo "test-pg-backup: restored database identical ($(wc -l <"$work/live.txt") tables)"
