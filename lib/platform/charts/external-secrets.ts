import type { AppObject, AppRecord, Values } from "../../catalog/types";
import { annotations } from "../../markers";
import { appsOn, type ClusterContext } from "../cluster-context";
import { resourcesFor } from "../resources";
import { internalCaIssuer } from "./cert-manager";

/** The Bitwarden SDK server's TLS secret (the chart's default name) and its Service name. */
const sdkTls = "bitwarden-tls-certs";
const sdkService = "bitwarden-sdk-server";

/** External Secrets with the Bitwarden Secrets Manager SDK server (TLS from cert-manager). */
export function externalSecretsValues(_ctx: unknown, app: AppRecord): Values {
  return {
    installCRDs: true,
    resources: resourcesFor(app, 0.5),
    webhook: { resources: resourcesFor(app, 0.15) },
    certController: { resources: resourcesFor(app, 0.15) },
    // bitwarden-sdk-server v0.6.0 mounts this Secret (not optional): named here so that the
    // Certificate that fills it and the chart cannot drift apart.
    "bitwarden-sdk-server": { enabled: true, image: { tls: { enabled: true, secretName: sdkTls } } },
    // The monitoring CRDs exist before wave 0 (lib/platform/crds.ts); `skipIfMissing` (the chart's
    // default, set here so a default change cannot slip in) would also keep a cluster without them safe.
    serviceMonitor: { enabled: true, renderMode: "skipIfMissing" },
  };
}

/**
 * The Bitwarden Secrets Manager store (story 2.3.2): the SDK server speaks TLS with a certificate
 * from the internal CA, and the store reads the machine-account token the Platform writes.
 */
export function externalSecretsObjects(ctx: ClusterContext, app: AppRecord): AppObject[] {
  const namespace = app.placement.kind === "cluster" ? app.placement.namespace : "external-secrets";
  const certManager = appsOn(ctx).find((a) => a.deploy?.kind === "chart" && a.deploy.chart === "certManager");
  if (!certManager) throw new Error(`cluster ${ctx.cluster}: the Bitwarden SDK server needs cert-manager for its TLS certificate`);
  return [
    {
      // The SDK server's pod mounts this Secret (bitwarden-sdk-server v0.6.0 templates/deployment.yaml,
      // no `optional`), so External Secrets can only become Healthy once it exists: the Certificate
      // waits for cert-manager alone, and the external-secrets Application waits for it to be Ready.
      id: "bitwarden-sdk-certificate",
      after: [certManager.name],
      before: [app.name],
      object: {
        apiVersion: "cert-manager.io/v1",
        kind: "Certificate",
        metadata: { name: sdkTls, namespace, annotations: { [annotations.waitFor]: "condition=Ready" } },
        spec: {
          secretName: sdkTls,
          dnsNames: [`${sdkService}.${namespace}.svc.cluster.local`, `${sdkService}.${namespace}.svc`, "localhost"],
          issuerRef: { name: internalCaIssuer, kind: "ClusterIssuer", group: "cert-manager.io" },
          duration: "8760h",
        },
      },
    },
    {
      id: "bitwarden-store",
      object: {
        apiVersion: "external-secrets.io/v1",
        kind: "ClusterSecretStore",
        metadata: { name: "bitwarden" },
        spec: {
          provider: {
            bitwardensecretsmanager: {
              apiURL: "https://api.bitwarden.com",
              identityURL: "https://identity.bitwarden.com",
              bitwardenServerSDKURL: `https://${sdkService}.${namespace}.svc.cluster.local:9998`,
              organizationID: ctx.bitwarden.organizationId,
              projectID: ctx.bitwarden.projectId,
              caProvider: { type: "Secret", name: sdkTls, namespace, key: "ca.crt" },
              auth: { secretRef: { credentials: { name: bitwardenTokenSecret, namespace, key: "token" } } },
            },
          },
        },
      },
    },
  ];
}

/** The Secret holding the Bitwarden machine-account token (written by the Platform from config). */
export const bitwardenTokenSecret = "bitwarden-access-token";
