/**
 * What the program asks omnictl to do, as pure text: sync a cluster template (validate first),
 * mint a service-account kubeconfig once the cluster answers, apply the MachineClasses.
 */
import type * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { machineClasses } from "./omni";

/** How omnictl reaches Omni: the API URL and a service-account key (a secret). */
export interface OmniAccess {
  /** https://omni.<domain> (cloud stack output `omniApiUrl`). */
  endpoint: pulumi.Input<string>;
  /** Key of an Omni service account with the Operator role (`homelab:omniServiceAccountKey`). */
  serviceAccountKey: pulumi.Input<string>;
}

export function omniEnvironment(omni: OmniAccess): pulumi.Input<Record<string, pulumi.Input<string>>> {
  return { OMNI_ENDPOINT: omni.endpoint, OMNI_SERVICE_ACCOUNT_KEY: omni.serviceAccountKey };
}

/** The shell that syncs a template read from stdin: validate first, then sync (Omni rolls out the difference). */
export const templateSyncScript = [
  "set -eu",
  'template="$(mktemp)"',
  "trap 'rm -f \"$template\"' EXIT",
  'cat > "$template"',
  'omnictl cluster template validate --file "$template"',
  'omnictl cluster template sync --file "$template"',
].join("\n");

/**
 * The lifetime of the service-account kubeconfig that Pulumi's Kubernetes provider uses, and how
 * often the program mints a new one. omnictl's default `--ttl` is 365 days
 * (client/pkg/omnictl/kubeconfig.go at v0.48.3), after which every `pulumi up` of the platform
 * fails with 401; Omni refuses more than 10 years (internal/backend/oidc/external/external.go).
 * A new kubeconfig is minted on the first `pulumi up` of each rotation window, so any deployment
 * at least every `ttlDays - rotateEveryDays` days keeps a valid one.
 */
export const serviceAccountKubeconfig = { ttlDays: 90, rotateEveryDays: 30, omniMaximumDays: 3650 } as const;

/** The rotation window `now` falls in: the UTC day it started (changes every `days` days). */
export function rotationWindow(now: Date, days: number = serviceAccountKubeconfig.rotateEveryDays): string {
  const span = days * 24 * 60 * 60 * 1000;
  return new Date(Math.floor(now.getTime() / span) * span).toISOString().slice(0, 10);
}

/** Writes a service-account kubeconfig for the cluster to stdout (kept secret by the resource). */
export function kubeconfigScript(cluster: string, user: string, ttlDays: number = serviceAccountKubeconfig.ttlDays): string {
  return [
    "set -eu",
    'kubeconfig="$(mktemp)"',
    "trap 'rm -f \"$kubeconfig\"' EXIT",
    `omnictl kubeconfig --service-account --cluster ${cluster} --user ${user} --ttl ${ttlDays * 24}h --force "$kubeconfig" >/dev/null`,
    // On a first deployment the machines are still installing: wait (up to 30 minutes) until the
    // API server answers through Omni, so that the platform's first Helm release finds it.
    "for attempt in $(seq 1 180); do",
    '  if kubectl --kubeconfig "$kubeconfig" get --raw=/readyz >/dev/null 2>&1; then break; fi',
    '  if [ "$attempt" = 180 ]; then echo "the cluster API did not answer within 30 minutes" >&2; exit 1; fi',
    "  sleep 10",
    "done",
    'cat "$kubeconfig"',
  ].join("\n");
}

/** The MachineClass resources as one multi-document YAML (the same text as omni/machine-classes/). */
export function machineClassesDocument(): string {
  return machineClasses().map((doc) => stringify(doc, { lineWidth: 0 })).join("---\n");
}

/**
 * A minted credential has an explicit lifetime within Omni's limit and the program's, and its
 * resource re-mints it when the rotation window moves. One line per problem.
 */
export function kubeconfigRotationProblems(script: string, triggers: readonly unknown[], maxDays: number = 2 * serviceAccountKubeconfig.ttlDays): string[] {
  const problems: string[] = [];
  const ttl = /--ttl (\d+)h\b/.exec(script);
  if (!ttl) problems.push("omnictl kubeconfig has no --ttl: it gets omnictl's default of 365 days and expires unnoticed");
  else if (Number(ttl[1]) > maxDays * 24) problems.push(`omnictl kubeconfig lives ${Number(ttl[1]) / 24} days, more than the ${maxDays} allowed`);
  if (!triggers.some((t) => typeof t === "string" && /^\d{4}-\d{2}-\d{2}$/.test(t))) problems.push("the kubeconfig is minted once and never again: give its command a rotation window among its triggers");
  return problems;
}
