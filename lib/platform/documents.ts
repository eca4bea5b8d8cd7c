/** The shapes the platform renders: Kubernetes documents, and where the values of Pulumi-written Secrets come from. */

export interface KubernetesDocument {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** Where a key of a Pulumi-written Secret gets its value (components/platform resolves each). */
export type SecretSource =
  | { from: "tunnelToken" }
  | { from: "oidc"; app: string }
  | { from: "backup"; part: "credentialsFile" | "accessKeyId" | "secretKey" | "region" }
  /** `s3:<endpoint>/<bucket>/<path>`: a restic repository in the backup bucket. */
  | { from: "backup"; part: "resticRepository"; path: string }
  /** The management VM's restic password (the cloud stack's), for the CLOUD drill of its repository. */
  | { from: "mgmtResticPassword" }
  | { from: "bitwarden" }
  /** The token of this cluster's Authentik outpost service account (lib/identity/authentik.ts outpostAccount). */
  | { from: "outpostToken" }
  /**
   * A document holding an app's OIDC client secret (a config file the app reads): `template` with
   * every `\${clientSecret}` replaced by the secret. The rest of the document is not secret.
   */
  | { from: "oidcDocument"; app: string; template: string }
  | { from: "literal"; value: string }
  | { from: "alertmanagerConfig" }
  /** The PROD connector's token pair, minted by the cloud stack (components/twingate). */
  | { from: "twingateConnector"; token: "access" | "refresh" }
  /** The CLOUD nodes' Twingate service key, minted by the cloud stack. */
  | { from: "twingateServiceKey" };
