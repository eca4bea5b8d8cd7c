#!/usr/bin/env bash
# homelab-runner-pin-hooks (ExecStartPre, as root): the runner's .env names exactly the homelab's
# job hooks, whatever a job may have written there since the last start.
set -euo pipefail
# shellcheck source=/dev/null
. "${HOMELAB_RUNNER_ENV:-/etc/homelab-runner.env}"
root="${HOMELAB_ROOT:-}"
env_file="$root$RUNNER_DIR/.env"
kept=""
if [[ -f "$env_file" ]]; then kept="$(grep -v '^ACTIONS_RUNNER_HOOK_' "$env_file" || true)"; fi
{
  if [[ -n "$kept" ]]; then printf '%s\n' "$kept"; fi
  printf '%s\n' "ACTIONS_RUNNER_HOOK_JOB_STARTED=$RUNNER_HOOKS/job-started.sh" "ACTIONS_RUNNER_HOOK_JOB_COMPLETED=$RUNNER_HOOKS/job-completed.sh"
} >"$env_file.next"
chmod 0644 "$env_file.next"
mv "$env_file.next" "$env_file"
