#!/usr/bin/env bash
# homelab-runner-register (once, by the admin): registers the runner with the repository from a
# one-hour registration token read on stdin (never an argument of this script), installs its
# systemd service and pins the job hooks. The runner then long-polls GitHub: no port opens.
#
#   gh api -X POST repos/<owner>/<repo>/actions/runners/registration-token --jq .token \
#     | ssh homelab-admin@gh-runner sudo homelab-runner-register
set -euo pipefail
# shellcheck source=/dev/null
. "${HOMELAB_RUNNER_ENV:-/etc/homelab-runner.env}"
root="${HOMELAB_ROOT:-}"
dir="$root$RUNNER_DIR"

[[ -x "$dir/config.sh" ]] || { echo "homelab-runner-register: the runner is not installed yet (cloud-init status --wait)" >&2; exit 1; }
if [[ -f "$dir/.runner" ]]; then
  echo "homelab-runner-register: already registered; to register again, remove it in GitHub (Settings → Actions → Runners) and delete $RUNNER_DIR/.runner" >&2
  exit 0
fi
token=""
IFS= read -r token || true
[[ -n "$token" ]] || { echo "homelab-runner-register: pipe the registration token on stdin" >&2; exit 1; }

(cd "$dir" && runuser -u runner -- ./config.sh --unattended --url "https://github.com/$RUNNER_REPOSITORY" --token "$token" \
  --name "$RUNNER_NAME" --labels "$RUNNER_LABEL" --no-default-labels --work _work --replace)
(cd "$dir" && ./svc.sh install runner)
unit="$(cat "$dir/.service")"
# The hooks live in root's files and are pinned before every start: the runner reads .env (which
# its own user could edit) over its environment, so the pin rewrites them there as root.
mkdir -p "$root/etc/systemd/system/$unit.d"
printf '%s\n' "[Service]" "ExecStartPre=+/usr/local/sbin/homelab-runner-pin-hooks" >"$root/etc/systemd/system/$unit.d/homelab-hooks.conf"
systemctl daemon-reload
systemctl restart "$unit"
echo "homelab-runner-register: $RUNNER_NAME registered with label $RUNNER_LABEL ($unit)" >&2
