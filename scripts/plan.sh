#!/usr/bin/env bash
# Installs the dependencies and runs the offline plan of every stack on the example config.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund
npm run plan -- --stack all "$@"
