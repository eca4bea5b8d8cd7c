import type { AppObject, AppRecord, Values } from "../../catalog/types";
import type { ClusterContext } from "../cluster-context";
import { resourcesFor } from "../resources";

export function certManagerValues(_ctx: unknown, app: AppRecord): Values {
  return {
    crds: { enabled: true, keep: true },
    // DNS-01 against Cloudflare: ask public resolvers, not the in-cluster view.
    dns01RecursiveNameserversOnly: true,
    dns01RecursiveNameservers: "1.1.1.1:53,9.9.9.9:53",
    resources: resourcesFor(app, 0.6),
    webhook: { resources: resourcesFor(app, 0.2) },
    cainjector: { resources: resourcesFor(app, 0.2) },
    prometheus: { enabled: true, servicemonitor: { enabled: true } },
  };
}

export const letsEncrypt = {
  staging: { name: "letsencrypt-staging", server: "https://acme-staging-v02.api.letsencrypt.org/directory" },
  prod: { name: "letsencrypt-prod", server: "https://acme-v02.api.letsencrypt.org/directory" },
} as const;

/** The internal CA's issuer: in-cluster TLS (the Bitwarden SDK server). */
export const internalCaIssuer = "homelab-internal-ca";

/**
 * Let's Encrypt by DNS-01 at Cloudflare (staging and prod), an internal CA for in-cluster TLS,
 * and at home the wildcard certificate of the LAN Gateway.
 */
export function certManagerObjects(ctx: ClusterContext): AppObject[] {
  const objects: AppObject[] = Object.values(letsEncrypt).map((issuer) => ({
    id: issuer.name,
    object: {
      apiVersion: "cert-manager.io/v1",
      kind: "ClusterIssuer",
      metadata: { name: issuer.name },
      spec: {
        acme: {
          server: issuer.server,
          email: ctx.acmeEmail,
          privateKeySecretRef: { name: `${issuer.name}-account` },
          solvers: [{ dns01: { cloudflare: { apiTokenSecretRef: { name: "cloudflare-dns-token", key: "token" } } }, selector: { dnsZones: [ctx.domain] } }],
        },
      },
    },
  }));
  objects.push(
    { id: "selfsigned", object: { apiVersion: "cert-manager.io/v1", kind: "ClusterIssuer", metadata: { name: "homelab-selfsigned" }, spec: { selfSigned: {} } } },
    {
      id: "internal-ca-certificate",
      object: {
        apiVersion: "cert-manager.io/v1",
        kind: "Certificate",
        metadata: { name: internalCaIssuer, namespace: "cert-manager" },
        spec: { isCA: true, commonName: `homelab ${ctx.cluster} internal CA`, secretName: internalCaIssuer, duration: "87600h", privateKey: { algorithm: "ECDSA", size: 256 }, issuerRef: { name: "homelab-selfsigned", kind: "ClusterIssuer", group: "cert-manager.io" } },
      },
    },
    { id: "internal-ca", object: { apiVersion: "cert-manager.io/v1", kind: "ClusterIssuer", metadata: { name: internalCaIssuer }, spec: { ca: { secretName: internalCaIssuer } } } },
  );
  if (ctx.lan) {
    objects.push({
      id: "wildcard-certificate",
      object: {
        apiVersion: "cert-manager.io/v1",
        kind: "Certificate",
        metadata: { name: "homelab-wildcard", namespace: "kube-system" },
        spec: { secretName: wildcardSecret, dnsNames: [ctx.domain, `*.${ctx.domain}`], issuerRef: { name: letsEncrypt.prod.name, kind: "ClusterIssuer", group: "cert-manager.io" } },
      },
    });
  }
  return objects;
}

/** The wildcard certificate's Secret (kube-system), which the LAN Gateway serves. */
export const wildcardSecret = "homelab-wildcard-tls";
