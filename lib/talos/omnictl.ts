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

/** Writes a service-account kubeconfig for the cluster to stdout (kept secret by the resource). */
export function kubeconfigScript(cluster: string, user: string): string {
  return [
    "set -eu",
    'kubeconfig="$(mktemp)"',
    "trap 'rm -f \"$kubeconfig\"' EXIT",
    `omnictl kubeconfig --service-account --cluster ${cluster} --user ${user} --force "$kubeconfig" >/dev/null`,
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
