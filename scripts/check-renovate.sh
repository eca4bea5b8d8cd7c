#!/usr/bin/env bash
# Renovate's own validator on renovate.json, and on a broken copy to show it can fail. Current
# Renovate needs Node >= 24.11 while the program runs on Node 20: npm's `node` package supplies
# that runtime for this one command. Slow on a cold npm cache (about two minutes), so it runs
# after `npm test` in scripts/test.sh and as a step of its own in .github/workflows/ci.yml.
set -euo pipefail
cd "$(dirname "$0")/.."

# renovate: datasource=npm depName=renovate
RENOVATE_VERSION=44.121.2
# renovate: datasource=npm depName=node
NODE_VERSION=24.21.0

# Prints the validator's findings (not npm's engine warnings) and returns its exit status.
validate() {
  local output status=0
  output="$(cd "$1" && npm exec --yes --package="node@$NODE_VERSION" --package="renovate@$RENOVATE_VERSION" -- renovate-config-validator --strict 2>&1)" || status=$?
  grep -e 'INFO:' -e 'ERROR:' -e '"message"' <<<"$output" | grep -v re2 || true
  return "$status"
}

validate . || { echo "renovate.json: Renovate's validator refused it (above)" >&2; exit 1; }

broken="$(mktemp -d)"
trap 'rm -rf "$broken"' EXIT
sed 's/"packageRules"/"packageRulez"/' renovate.json >"$broken/renovate.json"
if validate "$broken" >/dev/null; then
  echo "the validator accepted a renovate.json with an unknown option; it is not checking anything" >&2
  exit 1
fi
echo "renovate.json: valid (and a broken copy is refused)"
