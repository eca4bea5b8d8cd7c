#!/usr/bin/env bash
# job-started: the runner's own gate (ACTIONS_RUNNER_HOOK_JOB_STARTED), run before any step of a
# job: only this repository's deployment workflows, from main, pushed or started by hand. A pull
# request (from a fork or not) never runs here: its workflow files are the PR's own, so a check
# inside them could be deleted by the PR; this file is root's, outside the runner's reach.
# A non-zero exit fails the job before its first step (actions/runner docs/adrs/1751-runner-job-hooks.md).
set -euo pipefail
# shellcheck source=/dev/null
. "${HOMELAB_RUNNER_ENV:-/etc/homelab-runner.env}"

refuse() {
  printf 'homelab runner: refused: %s\n' "$*" >&2
  exit 1
}

# GitHub names are case-insensitive and GITHUB_REPOSITORY carries GitHub's spelling; the workflow
# path below is then compared exactly, under that spelling.
[[ -n "${GITHUB_REPOSITORY:-}" && "${GITHUB_REPOSITORY,,}" == "${RUNNER_REPOSITORY,,}" ]] || refuse "repository ${GITHUB_REPOSITORY:-unset} is not $RUNNER_REPOSITORY"
case "${GITHUB_EVENT_NAME:-}" in
  push | workflow_dispatch) ;;
  *) refuse "event ${GITHUB_EVENT_NAME:-unset}: only a push to main or a manual run deploys" ;;
esac
[[ "${GITHUB_REF:-}" == "refs/heads/main" ]] || refuse "ref ${GITHUB_REF:-unset}: only main deploys"
workflow="${GITHUB_WORKFLOW_REF:-}"
for file in $RUNNER_WORKFLOWS; do
  if [[ "$workflow" == "$GITHUB_REPOSITORY/.github/workflows/$file@refs/heads/main" ]]; then
    printf 'homelab runner: accepted %s (%s)\n' "$file" "$GITHUB_EVENT_NAME" >&2
    exit 0
  fi
done
refuse "workflow ${workflow:-unset} may not use this runner (allowed: $RUNNER_WORKFLOWS)"
