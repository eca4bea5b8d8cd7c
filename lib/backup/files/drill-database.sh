#!/bin/sh
# Restore drill of a CloudNativePG backup (barman-cloud, the in-tree method of CNPG 1.25): the
# newest base backup must be younger than the class allows; it is restored into scratch space,
# PostgreSQL replays the archived WAL (to a target time when one is given, else to the end) and
# is promoted, and the database must answer with user tables. Nothing is written back: the
# archive_command of the restored configuration is switched off. Any failure exits non-zero;
# the CronJob's result is the metric the alerts read. The same script runs in the test suite
# with Debian's PostgreSQL and barman-cli-cloud (tests/drills/).
#
# Environment: BARMAN_DESTINATION (s3://bucket/prefix), SERVER_NAME (the CNPG cluster),
# ENDPOINT_URL, AWS_* keys, DATABASE, MAX_AGE_SECONDS, SCRATCH (an empty directory),
# optional PG_BIN (directory of pg_ctl/psql), RECOVERY_TARGET_TIME, CHECK_SQL (prints a number > 0).
set -eu

dest="${BARMAN_DESTINATION:?BARMAN_DESTINATION is required}"
server="${SERVER_NAME:?SERVER_NAME is required}"
endpoint="${ENDPOINT_URL:?ENDPOINT_URL is required}"
database="${DATABASE:?DATABASE is required}"
max_age="${MAX_AGE_SECONDS:?MAX_AGE_SECONDS is required}"
scratch="${SCRATCH:-/scratch}"
bin="${PG_BIN:+$PG_BIN/}"
port="${DRILL_PORT:-5439}"
check_sql="${CHECK_SQL:-select count(*) from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema')}"
data="$scratch/pgdata"

fail() {
  echo "restore drill FAILED: $*" >&2
  if [ -f "$data/postmaster.pid" ]; then "${bin}pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true; fi
  exit 1
}

list=$(barman-cloud-backup-list --endpoint-url "$endpoint" --cloud-provider aws-s3 --format json "$dest" "$server") || fail "cannot list the backups of $server (keys, endpoint or network)"
# The newest completed backup: id and end time (seconds since the epoch, UTC).
newest=$(printf '%s' "$list" | python3 -c '
import json, sys
from datetime import datetime, timezone
done = [b for b in json.load(sys.stdin).get("backups_list", []) if b.get("status") == "DONE"]
if not done:
    sys.exit(0)
b = max(done, key=lambda b: b["backup_id"])
# barman prints end_time with ctime() (no zone); CNPG instances and the drill run in UTC.
end = datetime.strptime(b["end_time"], "%a %b %d %H:%M:%S %Y").replace(tzinfo=timezone.utc)
print(b["backup_id"], int(end.timestamp()))
') || fail "cannot read the backup list"
[ -n "$newest" ] || fail "no completed backup of $server in $dest"
id="${newest% *}"
ended="${newest#* }"
age=$(( $(date -u +%s) - ended ))
echo "newest base backup $id of $server, ${age}s old"
[ "$age" -le "$max_age" ] || fail "the newest base backup is ${age}s old, more than the class allows (${max_age}s)"

rm -rf "$data"
mkdir -p "$data"
chmod 700 "$data"
barman-cloud-restore --endpoint-url "$endpoint" --cloud-provider aws-s3 "$dest" "$server" "$id" "$data" || fail "restoring base backup $id failed"

# Settings read last win (postgresql.auto.conf): no archiving into production, no TLS or log
# paths of the original pod, a private socket, and the WAL from the archive.
{
  echo "archive_mode = off"
  echo "ssl = off"
  echo "logging_collector = off"
  echo "log_destination = 'stderr'"
  echo "listen_addresses = ''"
  echo "port = $port"
  echo "unix_socket_directories = '$scratch'"
  echo "hba_file = '$data/pg_hba.conf'"
  echo "ident_file = '$data/pg_ident.conf'"
  echo "restore_command = 'barman-cloud-wal-restore --endpoint-url $endpoint --cloud-provider aws-s3 $dest $server %f %p'"
  echo "recovery_target_action = 'promote'"
  if [ -n "${RECOVERY_TARGET_TIME:-}" ]; then echo "recovery_target_time = '$RECOVERY_TARGET_TIME'"; fi
} >>"$data/postgresql.auto.conf"
# Only the drill connects, through its private socket.
printf 'local all all trust\n' >"$data/pg_hba.conf"
[ -f "$data/pg_ident.conf" ] || : >"$data/pg_ident.conf"
touch "$data/recovery.signal"

"${bin}pg_ctl" -D "$data" -l "$scratch/postgres.log" -w -t 600 start || { cat "$scratch/postgres.log" >&2; fail "PostgreSQL did not start from backup $id"; }
promoted=""
for _ in $(seq 1 600); do
  state=$("${bin}psql" -h "$scratch" -p "$port" -U postgres -d postgres -Atc "select pg_is_in_recovery()" 2>/dev/null || true)
  if [ "$state" = f ]; then promoted=yes; break; fi
  if [ ! -f "$data/postmaster.pid" ]; then break; fi
  sleep 1
done
[ -n "$promoted" ] || { cat "$scratch/postgres.log" >&2; fail "recovery from backup $id did not complete (missing or damaged WAL?)"; }
count=$("${bin}psql" -h "$scratch" -p "$port" -U postgres -d "$database" -Atc "$check_sql") || fail "database $database does not answer"
[ "${count:-0}" -gt 0 ] || fail "database $database answered $count to the check query; expected more than 0"
echo "restore drill passed: backup $id restored, WAL replayed, $database answers $count"
"${bin}pg_ctl" -D "$data" -m fast stop >/dev/null
