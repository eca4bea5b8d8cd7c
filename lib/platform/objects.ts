/**
 * The Kubernetes objects the Platform component creates next to the Applications, as pure data:
 * namespaces, cert-manager issuers, the Bitwarden secret store and the ExternalSecrets that read
 * it, storage classes, Cilium LB-IPAM, the LAN Gateway, the apps' databases and the dashboard
 * config. Each names the Application it needs first (its CRDs or controller).
 */
import { appsOnCluster, namespaceOf, type ClusterName } from "../catalog";
import { oidcApps } from "../identity/authentik";
import { images } from "../versions";
import { glanceConfig, templateApps } from "./apps";
import type { ClusterContext } from "./context";
import { alertmanagerConfigSecret } from "./monitoring";
import { ruleGroups } from "../monitoring/rules";

export interface KubernetesDocument {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

export interface PlatformObject {
  /** Unique resource name in the stack. */
  id: string;
  object: KubernetesDocument;
  /** Applications (catalog names) that must be Synced and Healthy first. */
  after: string[];
}

/** Namespaces whose workloads need host access (CNI, storage, node agents): Talos enforces `baseline` elsewhere. */
const privilegedNamespaces = new Set(["kube-system", "longhorn-system", "monitoring", "velero", "twingate"]);

export function namespaces(cluster: ClusterName): KubernetesDocument[] {
  const names = [...new Set(["argocd", ...appsOnCluster(cluster).map(namespaceOf)])].filter((n) => n !== "kube-system").sort();
  return names.map((name) => ({
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name,
      labels: {
        "homelab.dev/cluster": cluster,
        ...(privilegedNamespaces.has(name) ? { "pod-security.kubernetes.io/enforce": "privileged" } : {}),
      },
    },
  }));
}

export const letsEncrypt = {
  staging: { name: "letsencrypt-staging", server: "https://acme-staging-v02.api.letsencrypt.org/directory" },
  prod: { name: "letsencrypt-prod", server: "https://acme-v02.api.letsencrypt.org/directory" },
} as const;

/** Bitwarden secret keys that ExternalSecrets read (README lists them for the admin to create). */
export const bitwardenKeys = {
  cloudflareDnsToken: "homelab-cloudflare-dns-token",
  twingateAccessToken: "homelab-twingate-access-token",
  twingateRefreshToken: "homelab-twingate-refresh-token",
  realDebridApiKey: "homelab-realdebrid-api-key",
  rommAuthSecretKey: "homelab-romm-auth-secret-key",
  invidiousHmacKey: "homelab-invidious-hmac-key",
  /** bcrypt hash of AdGuard Home's admin password (htpasswd -bnBC 10 "" <password> | tr -d ':'). */
  adguardAdminHash: "homelab-adguard-admin-bcrypt",
} as const;

/** Blocklists AdGuard Home starts with (story 2.5.1). */
export const adguardBlocklists = [
  { name: "AdGuard DNS filter", url: "https://adguardteam.github.io/HostlistsRegistry/assets/filter_1.txt" },
  { name: "OISD small", url: "https://small.oisd.nl/" },
  { name: "Steven Black hosts", url: "https://raw.githubusercontent.com/StevenBlack/hosts/master/hosts" },
] as const;

/**
 * AdGuard Home's first configuration: DNS over UDP/TCP 53, DoT 853 and DoH 443 with the
 * cert-manager certificate, upstreams over DoH, the blocklists, and one admin whose password hash
 * ExternalSecrets fills in from Bitwarden (the only template action: `{{ .passwordHash }}`).
 * It seeds the volume once; AdGuard owns the file afterwards.
 */
export function adguardSeedConfig(domain: string): string {
  const filters = adguardBlocklists.map((f, i) => `  - enabled: true\n    url: ${f.url}\n    name: ${f.name}\n    id: ${i + 1}`).join("\n");
  return [
    "http:",
    "  address: 0.0.0.0:3000",
    "users:",
    "  - name: admin",
    "    password: {{ .passwordHash }}",
    "dns:",
    "  bind_hosts:",
    "    - 0.0.0.0",
    "  port: 53",
    "  upstream_dns:",
    "    - https://dns.quad9.net/dns-query",
    "    - https://cloudflare-dns.com/dns-query",
    "  bootstrap_dns:",
    "    - 9.9.9.9",
    "    - 1.1.1.1",
    "tls:",
    "  enabled: true",
    `  server_name: dns.${domain}`,
    "  port_https: 443",
    "  port_dns_over_tls: 853",
    "  certificate_path: /certs/tls.crt",
    "  private_key_path: /certs/tls.key",
    "filters:",
    filters,
    "schema_version: 29",
    "",
  ].join("\n");
}

function externalSecret(name: string, namespace: string, data: Record<string, string>): KubernetesDocument {
  return {
    apiVersion: "external-secrets.io/v1",
    kind: "ExternalSecret",
    metadata: { name, namespace },
    spec: {
      refreshInterval: "1h",
      secretStoreRef: { kind: "ClusterSecretStore", name: "bitwarden" },
      target: { name, creationPolicy: "Owner" },
      data: Object.entries(data).map(([secretKey, key]) => ({ secretKey, remoteRef: { key } })),
    },
  };
}

export function platformObjects(ctx: ClusterContext): PlatformObject[] {
  const on = new Set(appsOnCluster(ctx.cluster).map((a) => a.name));
  const objects: PlatformObject[] = [];
  const add = (id: string, object: KubernetesDocument, ...after: string[]) => objects.push({ id: `${ctx.cluster}-${id}`, object, after });

  // --- Certificates: Let's Encrypt by DNS-01 at Cloudflare, and an internal CA for in-cluster TLS
  for (const issuer of Object.values(letsEncrypt)) {
    add(issuer.name, {
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
    }, "cert-manager");
  }
  add("cloudflare-dns-token-cert-manager", externalSecret("cloudflare-dns-token", "cert-manager", { token: bitwardenKeys.cloudflareDnsToken }), "external-secrets");
  add("selfsigned", { apiVersion: "cert-manager.io/v1", kind: "ClusterIssuer", metadata: { name: "homelab-selfsigned" }, spec: { selfSigned: {} } }, "cert-manager");
  add("internal-ca-certificate", {
    apiVersion: "cert-manager.io/v1",
    kind: "Certificate",
    metadata: { name: "homelab-internal-ca", namespace: "cert-manager" },
    spec: { isCA: true, commonName: `homelab ${ctx.cluster} internal CA`, secretName: "homelab-internal-ca", duration: "87600h", privateKey: { algorithm: "ECDSA", size: 256 }, issuerRef: { name: "homelab-selfsigned", kind: "ClusterIssuer", group: "cert-manager.io" } },
  }, "cert-manager");
  add("internal-ca", { apiVersion: "cert-manager.io/v1", kind: "ClusterIssuer", metadata: { name: "homelab-internal-ca" }, spec: { ca: { secretName: "homelab-internal-ca" } } }, "cert-manager");

  // --- Secrets from Bitwarden Secrets Manager (bitwarden-sdk-server needs TLS) -------------
  add("bitwarden-sdk-certificate", {
    apiVersion: "cert-manager.io/v1",
    kind: "Certificate",
    metadata: { name: "bitwarden-tls-certs", namespace: "external-secrets" },
    spec: {
      secretName: "bitwarden-tls-certs",
      dnsNames: ["bitwarden-sdk-server.external-secrets.svc.cluster.local", "bitwarden-sdk-server.external-secrets.svc", "localhost"],
      issuerRef: { name: "homelab-internal-ca", kind: "ClusterIssuer", group: "cert-manager.io" },
      duration: "8760h",
    },
  }, "cert-manager", "external-secrets");
  add("bitwarden-store", {
    apiVersion: "external-secrets.io/v1",
    kind: "ClusterSecretStore",
    metadata: { name: "bitwarden" },
    spec: {
      provider: {
        bitwardensecretsmanager: {
          apiURL: "https://api.bitwarden.com",
          identityURL: "https://identity.bitwarden.com",
          bitwardenServerSDKURL: "https://bitwarden-sdk-server.external-secrets.svc.cluster.local:9998",
          organizationID: ctx.bitwarden.organizationId,
          projectID: ctx.bitwarden.projectId,
          caProvider: { type: "Secret", name: "bitwarden-tls-certs", namespace: "external-secrets", key: "ca.crt" },
          auth: { secretRef: { credentials: { name: "bitwarden-access-token", namespace: "external-secrets", key: "token" } } },
        },
      },
    },
  }, "external-secrets");

  if (on.has("external-dns")) add("cloudflare-dns-token-external-dns", externalSecret("cloudflare-dns-token", "external-dns", { token: bitwardenKeys.cloudflareDnsToken }), "external-secrets");
  if (on.has("twingate-connector")) {
    add("twingate-tokens", externalSecret("twingate-connector", "twingate", { TWINGATE_ACCESS_TOKEN: bitwardenKeys.twingateAccessToken, TWINGATE_REFRESH_TOKEN: bitwardenKeys.twingateRefreshToken }), "external-secrets");
  }
  if (on.has("comet")) add("comet-secret", externalSecret("comet", "comet", { "realdebrid-api-key": bitwardenKeys.realDebridApiKey }), "external-secrets");
  if (on.has("romm")) add("romm-secret", externalSecret("romm", "media", { "auth-secret-key": bitwardenKeys.rommAuthSecretKey }), "external-secrets");
  if (on.has("invidious")) add("invidious-secret", externalSecret("invidious", "invidious", { "hmac-key": bitwardenKeys.invidiousHmacKey }), "external-secrets");

  // --- Storage -----------------------------------------------------------------------------
  if (on.has("nfs-csi")) {
    add("nfs-media", {
      apiVersion: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: { name: "nfs-media" },
      provisioner: "nfs.csi.k8s.io",
      parameters: { server: ctx.nfs.server, share: `/${ctx.nfs.pool}/media`, subDir: "${pvc.metadata.namespace}-${pvc.metadata.name}" },
      reclaimPolicy: "Retain",
      volumeBindingMode: "Immediate",
      mountOptions: ["nfsvers=4.2", "hard", "noatime"],
    }, "nfs-csi");
  }

  // --- LAN: Cilium LB-IPAM with L2 announcements, and the Gateway (home clusters) ----------
  if (ctx.lan) {
    add("lb-pool", {
      apiVersion: "cilium.io/v2alpha1",
      kind: "CiliumLoadBalancerIPPool",
      metadata: { name: "lan" },
      spec: { blocks: [{ cidr: ctx.lan.loadBalancerPool }] },
    }, "cilium");
    add("l2-announcements", {
      apiVersion: "cilium.io/v2alpha1",
      kind: "CiliumL2AnnouncementPolicy",
      metadata: { name: "lan" },
      // Only Services the catalog marks LAN-only are announced.
      spec: { loadBalancerIPs: true, serviceSelector: { matchLabels: { "homelab.dev/exposure": "lan" } }, interfaces: ["^e.*"] },
    }, "cilium");
    add("wildcard-certificate", {
      apiVersion: "cert-manager.io/v1",
      kind: "Certificate",
      metadata: { name: "homelab-wildcard", namespace: "kube-system" },
      spec: { secretName: "homelab-wildcard-tls", dnsNames: [ctx.domain, `*.${ctx.domain}`], issuerRef: { name: letsEncrypt.prod.name, kind: "ClusterIssuer", group: "cert-manager.io" } },
    }, "cert-manager");
    add("gateway", {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "Gateway",
      metadata: { name: "homelab", namespace: "kube-system" },
      spec: {
        gatewayClassName: "cilium",
        infrastructure: { annotations: { "lbipam.cilium.io/ips": ctx.lan.gatewayIp }, labels: { "homelab.dev/exposure": "lan", "homelab.dev/cluster": ctx.cluster } },
        listeners: [
          {
            name: "https",
            protocol: "HTTPS",
            port: 443,
            hostname: `*.${ctx.domain}`,
            tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", name: "homelab-wildcard-tls" }] },
            allowedRoutes: { namespaces: { from: "All" } },
          },
        ],
      },
    }, "cilium", "cert-manager");
    if (on.has("adguard-home")) {
      add("adguard-seed", {
        apiVersion: "external-secrets.io/v1",
        kind: "ExternalSecret",
        metadata: { name: "adguard-seed", namespace: "adguard" },
        spec: {
          refreshInterval: "1h",
          secretStoreRef: { kind: "ClusterSecretStore", name: "bitwarden" },
          target: { name: "adguard-seed", creationPolicy: "Owner", template: { engineVersion: "v2", data: { "AdGuardHome.yaml": adguardSeedConfig(ctx.domain) } } },
          data: [{ secretKey: "passwordHash", remoteRef: { key: bitwardenKeys.adguardAdminHash } }],
        },
      }, "external-secrets");
      add("adguard-certificate", {
        apiVersion: "cert-manager.io/v1",
        kind: "Certificate",
        metadata: { name: "adguard-tls", namespace: "adguard" },
        spec: { secretName: "adguard-tls", dnsNames: [`dns.${ctx.domain}`], issuerRef: { name: letsEncrypt.prod.name, kind: "ClusterIssuer", group: "cert-manager.io" } },
      }, "cert-manager");
    }
  }

  // --- Databases (wave 2): one CloudNativePG cluster per app that needs PostgreSQL ----------
  for (const [name, spec] of Object.entries(templateApps(ctx))) {
    if (!spec.database || !on.has(name)) continue;
    const app = appsOnCluster(ctx.cluster).find((a) => a.name === name)!;
    const namespace = namespaceOf(app);
    const image = spec.database === "vectors" ? images.postgresVectors : images.postgres;
    add(`${name}-db`, {
      apiVersion: "postgresql.cnpg.io/v1",
      kind: "Cluster",
      metadata: { name: `${name}-db`, namespace, labels: { "homelab.dev/app": name } },
      spec: {
        instances: 1,
        imageName: `${image.repository}:${image.tag}`,
        storage: { size: "5Gi", storageClass: ctx.defaultStorageClass },
        bootstrap: {
          initdb: {
            database: name,
            owner: name,
            ...(spec.database === "vectors" ? { postInitSQL: ["CREATE EXTENSION IF NOT EXISTS vchord CASCADE;", "CREATE EXTENSION IF NOT EXISTS earthdistance CASCADE;"] } : {}),
          },
        },
        ...(spec.database === "vectors" ? { postgresql: { shared_preload_libraries: ["vchord.so"] } } : {}),
        resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "512Mi" } },
        monitoring: { enablePodMonitor: true },
      },
    }, "cloudnative-pg");
  }

  // --- Monitoring (epic 2.4): the alert rules, and scraping of apps whose charts do not do it
  if (on.has("prometheus")) {
    add("alert-rules", {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "PrometheusRule",
      metadata: { name: "homelab", namespace: "monitoring", labels: { "homelab.dev/cluster": ctx.cluster } },
      spec: { groups: ruleGroups() },
    }, "prometheus");
    for (const [name, spec] of Object.entries(templateApps(ctx))) {
      if (spec.metricsPort === undefined || !on.has(name)) continue;
      const app = appsOnCluster(ctx.cluster).find((a) => a.name === name)!;
      const namespace = namespaceOf(app);
      add(`${name}-servicemonitor`, {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "ServiceMonitor",
        metadata: { name, namespace, labels: { "homelab.dev/cluster": ctx.cluster } },
        spec: {
          selector: { matchLabels: { "app.kubernetes.io/instance": name } },
          namespaceSelector: { matchNames: [namespace] },
          endpoints: [{ port: "metrics", path: "/metrics", interval: "1m" }],
        },
      }, "prometheus");
    }
  }

  // --- Dashboard (story 4.4.1) ---------------------------------------------------------------
  if (on.has("glance")) {
    add("glance-config", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "glance-config", namespace: "glance" }, data: { "glance.yml": glanceConfig(ctx.domain) } });
  }
  return objects;
}

/** Secrets the Platform writes from Pulumi secrets (never from Git): name, namespace, keys. */
export interface PulumiSecretSpec {
  name: string;
  namespace: string;
  labels?: Record<string, string>;
  /** key → where its value comes from. */
  keys: Record<string, { from: "tunnelToken" } | { from: "oidc"; app: string } | { from: "backup"; part: "credentialsFile" } | { from: "bitwarden" } | { from: "cookieSecret" } | { from: "literal"; value: string } | { from: "alertmanagerConfig" }>;
}

export function pulumiSecrets(ctx: ClusterContext): PulumiSecretSpec[] {
  const on = new Set(appsOnCluster(ctx.cluster).map((a) => a.name));
  const specs: PulumiSecretSpec[] = [
    { name: "bitwarden-access-token", namespace: "external-secrets", keys: { token: { from: "bitwarden" } } },
    { name: "argocd-oidc", namespace: "argocd", labels: { "app.kubernetes.io/part-of": "argocd" }, keys: { clientSecret: { from: "oidc", app: "argocd" } } },
    { name: "velero-s3", namespace: "velero", keys: { cloud: { from: "backup", part: "credentialsFile" } } },
  ];
  if (on.has("alertmanager")) specs.push({ name: alertmanagerConfigSecret, namespace: "monitoring", keys: { "alertmanager.yaml": { from: "alertmanagerConfig" } } });
  if (on.has("cloudflared")) specs.push({ name: "cloudflared-token", namespace: "cloudflared", keys: { token: { from: "tunnelToken" } } });
  if (on.has("grafana")) specs.push({ name: "grafana-oidc", namespace: "monitoring", keys: { clientSecret: { from: "oidc", app: "grafana" } } });
  // Every other OIDC client on this cluster gets `<app>-oidc` in its namespace (client id and secret).
  for (const app of oidcApps().filter((a) => on.has(a.name) && !["argocd", "grafana", "oauth2-proxy"].includes(a.name))) {
    const namespace = namespaceOf(app);
    specs.push({ name: `${app.name}-oidc`, namespace, keys: { clientId: { from: "literal", value: app.name }, clientSecret: { from: "oidc", app: app.name } } });
  }
  if (on.has("oauth2-proxy")) {
    specs.push({ name: "oauth2-proxy", namespace: "oauth2-proxy", keys: { "client-id": { from: "literal", value: "oauth2-proxy" }, "client-secret": { from: "oidc", app: "oauth2-proxy" }, "cookie-secret": { from: "cookieSecret" } } });
  }
  return specs;
}
