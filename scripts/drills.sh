#!/usr/bin/env bash
# The restore drills with the real tools (restic, PostgreSQL and barman-cli-cloud against a local
# S3 over TLS): slower than the specs, so they run apart from `npm test`. scripts/test.sh installs
# the tools; .ci/run runs both.
set -euo pipefail
cd "$(dirname "$0")/.."
npx mocha --config .mocharc.drills.json
