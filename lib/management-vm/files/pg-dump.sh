#!/bin/sh
# Dumps the Authentik database every few hours so that the backup service copies a consistent
# file, never the live PostgreSQL data directory. PGPASSWORD comes from the environment.
set -eu

interval="${DUMP_INTERVAL_SECONDS:-21600}"
out="${DUMP_DIR:-/dumps}/authentik.dump"

while :; do
  pg_dump --host "${PGHOST:-postgresql}" --username "${PGUSER:-authentik}" --format custom --file "$out.partial" "${PGDATABASE:-authentik}"
  mv "$out.partial" "$out"
  if [ "${DUMP_ONCE:-0}" = 1 ]; then
    exit 0
  fi
  sleep "$interval"
done
