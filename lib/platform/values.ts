/**
 * Helm values of the platform charts, as pure functions of the cluster context. The values of
 * cert-manager, external-secrets, external-dns and velero are checked against each chart's
 * upstream values schema in the tests; Cilium, ArgoCD, Longhorn and the rest ship none.
 */
import { appNamed, groups, type AppEntry, type Resources } from "../catalog";
import { charts, images } from "../versions";
import type { ClusterContext } from "./context";

export type Values = Record<string, unknown>;

/** Kubernetes requests and limits from the catalog's reservation, for `share` of the app's pods. */
export function k8sResources(resources: Resources, share = 1): { requests: { cpu: string; memory: string }; limits: { memory: string } } {
  const cpu = Math.max(1, Math.round(resources.cpuM * share));
  const memory = Math.max(16, Math.round(resources.memoryMi * share));
  const limit = Math.max(memory, Math.round((resources.limitMemoryMi ?? resources.memoryMi * 2) * share));
  return { requests: { cpu: `${cpu}m`, memory: `${memory}Mi` }, limits: { memory: `${limit}Mi` } };
}

/** The catalog's reservation of a cluster app. */
export function resourcesOf(name: string): Resources {
  const app = appNamed(name);
  if (app.placement.kind !== "cluster") throw new Error(`catalog app "${name}" does not run in a cluster`);
  return app.placement.resources;
}

/**
 * Cilium on Talos (Talos docs "Deploying Cilium CNI"): kube-proxy replacement through KubePrism
 * (localhost:7445), the capabilities Talos allows, cgroup mounts Talos provides; Gateway API,
 * Hubble relay and UI, WireGuard between nodes; LB-IPAM with L2 announcements on home clusters.
 */
export function ciliumValues(ctx: ClusterContext): Values {
  const r = resourcesOf("cilium");
  const home = ctx.lan !== undefined;
  return {
    ipam: { mode: "kubernetes" },
    kubeProxyReplacement: true,
    k8sServiceHost: "localhost",
    k8sServicePort: 7445,
    securityContext: {
      capabilities: {
        ciliumAgent: ["CHOWN", "KILL", "NET_ADMIN", "NET_RAW", "IPC_LOCK", "SYS_ADMIN", "SYS_RESOURCE", "DAC_OVERRIDE", "FOWNER", "SETGID", "SETUID"],
        cleanCiliumState: ["NET_ADMIN", "SYS_ADMIN", "SYS_RESOURCE"],
      },
    },
    cgroup: { autoMount: { enabled: false }, hostRoot: "/sys/fs/cgroup" },
    gatewayAPI: { enabled: true },
    encryption: { enabled: true, type: "wireguard" },
    hubble: { enabled: true, relay: { enabled: true }, ui: { enabled: ctx.cluster === "prod" } },
    l2announcements: { enabled: home },
    externalIPs: { enabled: home },
    operator: { replicas: 1, resources: k8sResources(r, 0.3) },
    resources: k8sResources(r, 0.7 / Math.max(1, ctx.nodes.length)),
  };
}

/**
 * ArgoCD with Authentik OIDC; RBAC: the `admin` group is admin, everyone else gets nothing.
 * TLS ends at Cloudflare, so the server speaks plain HTTP behind cloudflared.
 */
export function argocdValues(ctx: ClusterContext, hostname: string | undefined): Values {
  const r = resourcesOf("argocd");
  return {
    global: { domain: hostname ?? `argocd-${ctx.cluster}.${ctx.domain}` },
    configs: {
      params: { "server.insecure": true },
      cm: {
        "admin.enabled": false,
        "oidc.config": [
          "name: Authentik",
          `issuer: ${ctx.authentikUrl}/application/o/argocd/`,
          "clientID: argocd",
          // ArgoCD reads `$<secret>:<key>` from a Secret labelled app.kubernetes.io/part-of=argocd.
          "clientSecret: $argocd-oidc:clientSecret",
          "requestedScopes: [openid, profile, email, groups]",
        ].join("\n"),
      },
      rbac: { "policy.default": "", "policy.csv": `g, ${groups.admin}, role:admin\n`, scopes: "[groups]" },
    },
    dex: { enabled: false },
    notifications: { enabled: false },
    applicationSet: { replicas: 1, resources: k8sResources(r, 0.1) },
    controller: { resources: k8sResources(r, 0.5) },
    repoServer: { resources: k8sResources(r, 0.2) },
    server: { resources: k8sResources(r, 0.1) },
    redis: { resources: k8sResources(r, 0.1) },
  };
}

export function certManagerValues(): Values {
  const r = resourcesOf("cert-manager");
  return {
    crds: { enabled: true, keep: true },
    // DNS-01 against Cloudflare: ask public resolvers, not the in-cluster view.
    dns01RecursiveNameserversOnly: true,
    dns01RecursiveNameservers: "1.1.1.1:53,9.9.9.9:53",
    resources: k8sResources(r, 0.6),
    webhook: { resources: k8sResources(r, 0.2) },
    cainjector: { resources: k8sResources(r, 0.2) },
    prometheus: { enabled: true, servicemonitor: { enabled: true } },
  };
}

/** External Secrets with the Bitwarden Secrets Manager SDK server (TLS from cert-manager). */
export function externalSecretsValues(): Values {
  const r = resourcesOf("external-secrets");
  return {
    installCRDs: true,
    resources: k8sResources(r, 0.5),
    webhook: { resources: k8sResources(r, 0.15) },
    certController: { resources: k8sResources(r, 0.15) },
    "bitwarden-sdk-server": { enabled: true },
    serviceMonitor: { enabled: true },
  };
}

/**
 * external-dns for Cloudflare. Ownership: Pulumi owns every catalog hostname (proxied CNAMEs to
 * the tunnel, components/cloudflare-edge); external-dns owns only records of Gateway routes
 * annotated `homelab.dev/dns: external-dns`, registered with TXT owner id = cluster, and never
 * deletes (upsert-only), so the two never write the same name.
 */
export function externalDnsValues(ctx: ClusterContext): Values {
  return {
    provider: { name: "cloudflare" },
    env: [{ name: "CF_API_TOKEN", valueFrom: { secretKeyRef: { name: "cloudflare-dns-token", key: "token" } } }],
    sources: ["gateway-httproute"],
    domainFilters: [ctx.domain],
    annotationFilter: "homelab.dev/dns=external-dns",
    txtOwnerId: `homelab-${ctx.cluster}`,
    txtPrefix: "_externaldns.",
    policy: "upsert-only",
    interval: "5m",
    resources: k8sResources(resourcesOf("external-dns")),
    serviceMonitor: { enabled: true },
  };
}

/** Velero: daily backups of every namespace to the OCI bucket (S3-compatible), file-system backups of volumes. */
export function veleroValues(ctx: ClusterContext): Values {
  const r = resourcesOf("velero");
  return {
    initContainers: [
      {
        name: "velero-plugin-for-aws",
        image: `${images.veleroPluginAws.repository}:${images.veleroPluginAws.tag}`,
        volumeMounts: [{ mountPath: "/target", name: "plugins" }],
      },
    ],
    configuration: {
      backupStorageLocation: [
        {
          name: "oci",
          provider: "aws",
          bucket: ctx.backup.bucket,
          prefix: `velero/${ctx.cluster}`,
          default: true,
          config: { region: ctx.backup.region, s3Url: ctx.backup.s3Endpoint, s3ForcePathStyle: "true" },
        },
      ],
      volumeSnapshotLocation: [],
      defaultVolumesToFsBackup: true,
    },
    credentials: { useSecret: true, existingSecret: "velero-s3" },
    snapshotsEnabled: false,
    deployNodeAgent: true,
    resources: k8sResources(r, 0.6),
    nodeAgent: { resources: k8sResources(r, 0.4 / Math.max(1, ctx.nodes.length)) },
    schedules: {
      daily: { schedule: "0 3 * * *", template: { ttl: "720h", includedNamespaces: ["*"], snapshotVolumes: false } },
    },
  };
}

/** Longhorn on PROD: one worker, so one replica per volume (the ZFS pool and Velero hold the copies). */
export function longhornValues(ctx: ClusterContext): Values {
  const workers = Math.max(1, ctx.nodes.length - 1);
  return {
    persistence: { defaultClass: true, defaultClassReplicaCount: Math.min(3, workers), reclaimPolicy: "Retain" },
    defaultSettings: { defaultReplicaCount: Math.min(3, workers), storageMinimalAvailablePercentage: 15 },
    longhornUI: { replicas: 1 },
    csi: { attacherReplicaCount: 1, provisionerReplicaCount: 1, resizerReplicaCount: 1, snapshotterReplicaCount: 1 },
  };
}

export function localPathValues(): Values {
  return { storageClass: { create: true, defaultClass: true, name: "local-path", reclaimPolicy: "Delete" }, resources: k8sResources(resourcesOf("local-path")) };
}

export function nfsCsiValues(): Values {
  return { controller: { replicas: 1, resources: { csiProvisioner: k8sResources(resourcesOf("nfs-csi"), 0.5) } } };
}

export function twingateValues(ctx: ClusterContext): Values {
  return {
    connector: { network: "homelab", existingSecret: "twingate-connector", logLevel: "info" },
    resources: k8sResources(resourcesOf("twingate-connector")),
    podLabels: { "homelab.dev/cluster": ctx.cluster },
  };
}

export function cloudnativePgValues(): Values {
  return { resources: k8sResources(resourcesOf("cloudnative-pg")), monitoring: { podMonitorEnabled: true } };
}

/** oauth2-proxy on CLOUD: family apps without SSO, only for `family-validated`. */
export function oauth2ProxyValues(ctx: ClusterContext): Values {
  return {
    config: { existingSecret: "oauth2-proxy", configFile: "" },
    extraArgs: {
      provider: "oidc",
      "oidc-issuer-url": `${ctx.authentikUrl}/application/o/oauth2-proxy/`,
      "allowed-group": groups.family,
      "email-domain": "*",
      "cookie-domain": `.${ctx.domain}`,
      "whitelist-domain": `.${ctx.domain}`,
      "reverse-proxy": true,
      "set-xauthrequest": true,
      "skip-provider-button": true,
    },
    resources: k8sResources(resourcesOf("oauth2-proxy")),
  };
}

/** The chart a platform app comes from. */
export const platformCharts: Partial<Record<string, (typeof charts)[keyof typeof charts]>> = {
  cilium: charts.cilium,
  argocd: charts.argocd,
  "cert-manager": charts.certManager,
  "external-secrets": charts.externalSecrets,
  "external-dns": charts.externalDns,
  velero: charts.velero,
  longhorn: charts.longhorn,
  "local-path": charts.localPath,
  "nfs-csi": charts.csiDriverNfs,
  "twingate-connector": charts.twingateConnector,
  "cloudnative-pg": charts.cloudnativePg,
  "oauth2-proxy": charts.oauth2Proxy,
};

export function isPlatformApp(app: AppEntry): boolean {
  return app.name in platformCharts;
}
