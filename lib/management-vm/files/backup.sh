#!/bin/sh
# Daily restic backup of the management VM's state (Omni's etcd and key, the Authentik database
# dump and media) to the OCI backup bucket. Repository, password and S3 keys come from the
# environment (backup.env); the repository is created on first run.
set -eu

interval="${BACKUP_INTERVAL_SECONDS:-86400}"
paths="${BACKUP_PATHS:-/data}"
host="${BACKUP_HOST:-oci-mgmt}"

if ! restic cat config >/dev/null 2>&1; then
  restic init
fi

while :; do
  # shellcheck disable=SC2086 # BACKUP_PATHS is a space-separated list on purpose
  restic backup --host "$host" --tag mgmt $paths
  restic forget --host "$host" --tag mgmt --keep-daily 7 --keep-weekly 4 --keep-monthly 6 --prune
  if [ "${BACKUP_ONCE:-0}" = 1 ]; then
    exit 0
  fi
  sleep "$interval"
done
