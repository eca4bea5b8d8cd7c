#!/usr/bin/env bash
# Installs the dependencies and runs the offline plan of every stack on the example config.
# Only the plan writes to stdout, so `bash scripts/plan.sh --json` is one JSON document.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund 1>&2
# The program checks Talos patches against the upstream schema before planning.
# shellcheck source=scripts/lib/schemas-dir.sh
. scripts/lib/schemas-dir.sh
npm run --silent plan -- --stack all "$@"
