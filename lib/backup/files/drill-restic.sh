#!/bin/sh
# Restore drill of a restic repository (Volsync's movers, the management VM): the newest
# snapshot must be younger than its class allows, a share of the packs must read back intact, and
# a restore into scratch space must hold files whose content restic verifies. Any failure exits
# non-zero; the CronJob's result is the metric (kube-state-metrics) the alerts read. The same
# script runs in the test suite against a real repository (tests/drills/).
#
# Environment: RESTIC_REPOSITORY, RESTIC_PASSWORD (and the backend's keys), MAX_AGE_SECONDS,
# DRILL_HOST (the snapshots' host: volsync, oci-mgmt), DRILL_TAG (optional: only the snapshots with
# this tag, such as class=critical, when one repository holds several classes with their own ages),
# RESTORE_DIR (scratch), CHECK_SUBSET
# (restic --read-data-subset, default a rotating 1/30 so that the whole repository is read each month).
set -eu

max_age="${MAX_AGE_SECONDS:?MAX_AGE_SECONDS is required}"
host="${DRILL_HOST:?DRILL_HOST is required}"
tag="${DRILL_TAG:-}"
target="${RESTORE_DIR:-/restore}"
subset="${CHECK_SUBSET:-$(( $(date -u +%d | sed 's/^0//') % 30 + 1 ))/30}"

fail() {
  echo "restore drill FAILED: $*" >&2
  exit 1
}

# The newest snapshot of the host (and tag), as seconds since the epoch (restic prints RFC 3339 times;
# busybox and GNU date both read "YYYY-MM-DD HH:MM:SS" in UTC).
snapshot=$(restic snapshots --host "$host" ${tag:+--tag "$tag"} --latest 1 --json) || fail "cannot read the repository (password, keys or network)"
time=$(printf '%s' "$snapshot" | sed -n 's/.*"time":"\([0-9-]*\)T\([0-9:]*\)[^"]*".*/\1 \2/p' | head -n 1)
id=$(printf '%s' "$snapshot" | sed -n 's/.*"short_id":"\([0-9a-f]*\)".*/\1/p' | head -n 1)
if [ -z "$time" ] || [ -z "$id" ]; then fail "no snapshot of host $host${tag:+ tagged $tag}"; fi
taken=$(TZ=UTC date -u -d "$time" +%s) || fail "cannot read the snapshot time \"$time\""
# restic writes the writer's local time with its offset (+01:00); Z or no offset is UTC.
offset=$(printf '%s' "$snapshot" | sed -n 's/.*"time":"[0-9T:.-]*\([+-]\)\([0-9][0-9]\):\([0-9][0-9]\)".*/\1 \2 \3/p' | head -n 1)
if [ -n "$offset" ]; then
  # shellcheck disable=SC2086 # three words on purpose: sign, hours, minutes
  set -- $offset
  shift_seconds=$(( ${2#0} * 3600 + ${3#0} * 60 ))
  if [ "$1" = "+" ]; then taken=$(( taken - shift_seconds )); else taken=$(( taken + shift_seconds )); fi
fi
age=$(( $(date -u +%s) - taken ))
echo "newest snapshot $id of $host${tag:+ tagged $tag} taken $time UTC, ${age}s ago"
[ "$age" -le "$max_age" ] || fail "the newest snapshot is ${age}s old, more than the class allows (${max_age}s)"

restic check --read-data-subset="$subset" || fail "the repository check (data subset $subset) found errors"

mkdir -p "$target"
restic restore "$id" --target "$target" --verify || fail "restoring snapshot $id failed"
files=$(find "$target" -type f | wc -l)
[ "$files" -gt 0 ] || fail "snapshot $id restored no file"
echo "restore drill passed: snapshot $id, ${files} files restored and verified, data subset $subset read"
