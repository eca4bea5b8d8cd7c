#!/bin/sh
# restic backups of the management VM's state (Omni's etcd and key, the Authentik database dump
# and media) to the OCI bucket, one schedule per backup class (lib/backup/classes.ts):
# BACKUP_CLASSES="critical", and per class BACKUP_<CLASS>_PATHS, _INTERVAL (seconds), _KEEP
# (restic forget flags) and _LIMIT_KIBPS (upload limit). Each run backs up, forgets by the
# class's retention, prunes, and checks a rotating seventh of the packs (the whole repository
# is read every week). A failure posts to ntfy (NTFY_URL, NTFY_TOKEN); the CLOUD cluster's
# restore drill of this repository alerts when no fresh snapshot arrives at all.
set -eu

host="${BACKUP_HOST:-oci-mgmt}"
classes="${BACKUP_CLASSES:?BACKUP_CLASSES is required}"
tick="${BACKUP_TICK_SECONDS:-300}"
retry="${BACKUP_RETRY_SECONDS:-3600}"
state="${BACKUP_STATE_DIR:-/tmp/homelab-backup}"
mkdir -p "$state"

log() { echo "backup: $*" >&2; }

notify() {
  log "$1"
  [ -n "${NTFY_URL:-}" ] || return 0
  wget -q -O /dev/null --header "Authorization: Bearer ${NTFY_TOKEN:-}" --header "Title: backup failed on $host" \
    --header "Priority: 5" --header "Tags: rotating_light,floppy_disk" --post-data "$1" "$NTFY_URL" || log "could not reach ntfy at $NTFY_URL"
}

# Creates the repository only when it does not exist (restic ≥ 0.17 exits 10; older ones say
# so), never after a wrong password, a lock or a network error: that would start a new
# repository beside the real one.
ensure_repository() {
  rc=0
  out=$(restic cat config 2>&1 >/dev/null) || rc=$?
  if [ "$rc" -eq 0 ]; then return 0; fi
  if [ "$rc" -eq 10 ] || { [ "$rc" -eq 1 ] && printf '%s' "$out" | grep -q "Is there a repository at the following location"; }; then
    log "no repository yet: creating it"
    restic init
    return
  fi
  notify "restic cannot open $RESTIC_REPOSITORY (exit $rc): $(printf '%s' "$out" | tail -n 1)"
  return 1
}

setting() { eval "printf '%s' \"\${BACKUP_$(printf '%s' "$1" | tr '[:lower:]' '[:upper:]')_$2:-}\""; }

run_class() {
  class="$1"
  paths=$(setting "$class" PATHS)
  keep=$(setting "$class" KEEP)
  limit=$(setting "$class" LIMIT_KIBPS)
  if [ -z "$paths" ] || [ -z "$keep" ]; then
    notify "backup class $class has no BACKUP_*_PATHS or _KEEP"
    return 1
  fi
  subset="$(( $(date -u +%d | sed 's/^0//') % 7 + 1 ))/7"
  # shellcheck disable=SC2086 # paths and keep flags are space-separated lists on purpose
  if ! restic backup --host "$host" --tag mgmt --tag "class=$class" ${limit:+--limit-upload "$limit"} $paths ||
    ! restic forget --host "$host" --tag "class=$class" $keep --prune ||
    ! restic check --read-data-subset="$subset"; then
    notify "backup of class $class failed on $host; see docker logs of the backup service"
    return 1
  fi
  log "class $class done (checked data subset $subset)"
}

due() {
  class="$1"
  interval=$(setting "$class" INTERVAL)
  now=$(date -u +%s)
  last=$(cat "$state/$class.success" 2>/dev/null || echo 0)
  tried=$(cat "$state/$class.attempt" 2>/dev/null || echo 0)
  [ $((now - last)) -ge "${interval:-86400}" ] && [ $((now - tried)) -ge "$retry" ]
}

while :; do
  failed=0
  if ensure_repository; then
    for class in $classes; do
      if [ "${BACKUP_ONCE:-0}" = 1 ] || due "$class"; then
        date -u +%s >"$state/$class.attempt"
        if run_class "$class"; then date -u +%s >"$state/$class.success"; else failed=1; fi
      fi
    done
  else
    failed=1
  fi
  if [ "${BACKUP_ONCE:-0}" = 1 ]; then exit "$failed"; fi
  sleep "$tick"
done
