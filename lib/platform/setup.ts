/**
 * First-boot setup containers (issue 15): for an app whose first visitor would become its admin,
 * a container in the app's own pod claims that first-run endpoint through localhost with the
 * admin from a Bitwarden secret, then reports ready. Its readiness gates the pod, and the app's
 * Service (the only origin of its tunnel and LAN routes) sends traffic to ready pods only: nobody
 * reaches the installer, whatever the order in which routes and pods appear. The script runs
 * again on every start and treats "already done" answers as success.
 */
import { createHash } from "node:crypto";
import type { AppRecord, SetupScript } from "../catalog/types";
import type { ClusterContext } from "./cluster-context";
import type { KubernetesDocument } from "./documents";

/** Where the setup container finds its script (ConfigMap) and its secret's keys (Secret). */
export const setupPaths = {
  script: "/homelab-setup",
  secrets: "/run/homelab-setup",
  /** An OIDC app's client Secret (documents the app needs posted, with the client secret). */
  oidc: "/run/homelab-oidc",
  /** The file whose existence the readiness probe checks. */
  done: "/tmp/homelab-setup-done",
} as const;

/** The ConfigMap that carries an app's setup script. */
export function setupConfigMapName(app: string): string {
  return `${app}-setup`;
}

/** The helpers every setup script starts with: logging, one HTTP call, failing with the answer. */
const prelude = (app: string, script: SetupScript) => `#!/bin/sh
# First-boot setup of ${app}, rendered by the homelab program (lib/platform/setup.ts).
# Claims the app's first-run endpoint through localhost with the admin from Bitwarden, then
# marks this container ready; until then the pod is not Ready and no route reaches the app.
set -eu
SECRETS=${setupPaths.secrets}
# shellcheck disable=SC2034 # only the steps of OIDC apps read it
OIDC=${setupPaths.oidc}
BODY=/tmp/homelab-setup-body
status=000

log() { printf '%s\\n' "setup: $*"; }

# call METHOD URL [curl options...]: the HTTP status lands in $status, the body in $BODY.
call() {
  method=$1
  url=$2
  shift 2
  status=$(curl -sS -o "$BODY" -w '%{http_code}' -X "$method" "$@" "$url") || status=000
}

# fail WHAT: stops with the step, the status and the start of the answer (never a secret).
fail() {
  log "$1 failed: HTTP $status: $(head -c 300 "$BODY" 2>/dev/null || true)"
  exit 1
}

log "waiting for ${script.waitFor}"
until call GET "${script.waitFor}" && [ "$status" != 000 ] && [ "$status" -lt 500 ]; do sleep 3; done
`;

const epilogue = `
touch ${setupPaths.done}
log "done; the pod may receive traffic"
while :; do sleep 3600; done
`;

/** The whole script of an app's setup container. */
export function setupScriptText(app: string, script: SetupScript): string {
  return `${prelude(app, script)}\n${script.steps.trim()}\n${epilogue}`;
}

/** The app's setup script, when its first boot is claimed by a setup container. */
export function setupScriptOf(ctx: ClusterContext, app: AppRecord): string | undefined {
  if (app.firstBoot?.mode !== "claimed-by-setup") return undefined;
  return setupScriptText(app.name, app.firstBoot.script(ctx, app));
}

/** The ConfigMap of an app's setup script. */
export function setupConfigMap(ctx: ClusterContext, app: AppRecord, namespace: string): KubernetesDocument | undefined {
  const text = setupScriptOf(ctx, app);
  if (text === undefined) return undefined;
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name: setupConfigMapName(app.name), namespace }, data: { "setup.sh": text } };
}

/** A short digest of the script: a pod annotation, so that a changed script runs again. */
export function setupDigest(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}
