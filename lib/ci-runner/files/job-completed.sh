#!/usr/bin/env bash
# job-completed: nothing of one job is left for the next (ACTIONS_RUNNER_HOOK_JOB_COMPLETED):
# Pulumi's workspaces and plugins' state, kubeconfigs and talosconfigs, the job's temp files.
set -euo pipefail
home="${HOME:?}"
rm -rf "$home/.pulumi/workspaces" "$home/.kube" "$home/.talos" "$home/.config/omni"
if [[ -n "${RUNNER_TEMP:-}" && -d "$RUNNER_TEMP" ]]; then
  find "$RUNNER_TEMP" -mindepth 1 -delete
fi
