#!/usr/bin/env bash
# homelab-runner-install (first boot, from cloud-init): the pinned actions/runner release,
# checked against its sha256, unpacked into the runner's directory with its dependencies.
set -euo pipefail
# shellcheck source=/dev/null
. "${HOMELAB_RUNNER_ENV:-/etc/homelab-runner.env}"
root="${HOMELAB_ROOT:-}"
dir="$root$RUNNER_DIR"

if [[ -x "$dir/config.sh" ]]; then
  echo "homelab-runner-install: already installed in $RUNNER_DIR" >&2
  exit 0
fi
archive="$(mktemp)"
trap 'rm -f "$archive"' EXIT
curl --fail --silent --show-error --location --retry 3 -o "$archive" \
  "https://github.com/actions/runner/releases/download/v${RUNNER_VERSION}/actions-runner-linux-x64-${RUNNER_VERSION}.tar.gz"
echo "${RUNNER_SHA256}  $archive" | sha256sum --check --quiet -
mkdir -p "$dir"
tar -xzf "$archive" -C "$dir"
"$dir/bin/installdependencies.sh"
chown -R runner:runner "$dir"
echo "homelab-runner-install: actions/runner ${RUNNER_VERSION} in $RUNNER_DIR; register it with homelab-runner-register" >&2
