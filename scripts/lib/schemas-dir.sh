# shellcheck shell=bash
# Sourced by the quick-start scripts: finds the pinned upstream schemas (they never enter the
# repository) and exports HOMELAB_SCHEMAS_DIR. Order: the variable if set, ../shared/schemas next
# to the clone, the local cache; with none of them, fetch the cache (needs internet), checked
# against schemas.lock.json. Expects `npm ci` to have run.
if [ -z "${HOMELAB_SCHEMAS_DIR:-}" ]; then
  if [ -d ../shared/schemas ]; then
    HOMELAB_SCHEMAS_DIR="$(cd ../shared/schemas && pwd)"
  else
    if [ ! -d .schemas-cache ]; then
      echo "no upstream schemas found: fetching the pinned ones into .schemas-cache" >&2
      npm run --silent schemas -- fetch 1>&2
    fi
    HOMELAB_SCHEMAS_DIR="$(pwd)/.schemas-cache"
  fi
  export HOMELAB_SCHEMAS_DIR
fi
