#!/usr/bin/env bash
# Installs what the tests need on a clean Debian machine, then runs every test: `npm test`
# (typecheck, lint, the mocha specs and the artifact validators: upstream schemas and Debian's
# own validators), the restore drills with the real tools (scripts/drills.sh) and Renovate's own
# validator (scripts/check-renovate.sh). The README's test command; .ci/run is this script.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian validators the artifact tests call (see lib/validate/tools.ts).
# tool → Debian package; only missing ones are installed.
packages=()
need() { command -v "$1" >/dev/null 2>&1 || packages+=("$2"); }
need shellcheck shellcheck
need yamllint yamllint
need cloud-init cloud-init
need restic restic
need promtool prometheus
need amtool prometheus-alertmanager
need busybox busybox
need curl curl
# The restore drills (scripts/drills.sh) and the sanoid host script's test.
need openssl openssl
need wget wget
need barman-cloud-backup barman-cli-cloud
[ -x /usr/lib/postgresql/15/bin/pg_ctl ] || packages+=(postgresql-15)
[ -x /usr/sbin/sanoid ] || packages+=(sanoid)
if [ "${#packages[@]}" -gt 0 ]; then
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}"
fi

npm ci --no-audit --no-fund
# Upstream schemas stay outside the repository (schemas.lock.json pins them).
# shellcheck source=scripts/lib/schemas-dir.sh
. scripts/lib/schemas-dir.sh
npm test
bash scripts/drills.sh
bash scripts/check-renovate.sh
