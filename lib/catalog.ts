/**
 * The app catalog: every app of the homelab, described once. DNS records, tunnel routes,
 * Cloudflare Access, SSO (Authentik blueprints), dashboard links, backups and the policy pack
 * all derive from these entries; nothing else lists apps.
 */

/** Who may reach an app. */
export type Tier = "admin" | "family" | "public";

/** Where an app runs: one of the three Talos clusters, or the OCI management VM (Docker Compose). */
export type ClusterName = "dev" | "prod" | "cloud";
export type Placement =
  | {
      kind: "cluster";
      /** Clusters the ArgoCD Application targets. */
      clusters: readonly ClusterName[];
      /** Namespace the app is installed into. */
      namespace: string;
      /**
       * ArgoCD sync wave (story 1.4.4): 0 CNI/certificates/secrets, 1 storage,
       * 2 DNS/gateway/databases, 3 monitoring, 4 user apps.
       */
      syncWave: SyncWave;
      /**
       * What the app reserves on each cluster it runs on, all its pods together: the Helm values
       * carry it to the workloads and the plan's cluster budget sums it against the nodes.
       */
      resources: Resources;
    }
  | {
      kind: "mgmt-vm";
      /** Compose service on oci-mgmt that serves the app. */
      composeService: string;
    };
export type SyncWave = 0 | 1 | 2 | 3 | 4;

/** CPU in millicores and memory in MiB; `limitMemoryMi` defaults to twice the request. */
export interface Resources {
  cpuM: number;
  memoryMi: number;
  limitMemoryMi?: number;
}

/** How an app is reached. Every internet path goes through the Cloudflare Tunnel. */
export type Exposure =
  | {
      kind: "tunnel";
      /** Left-most DNS label: `<subdomain>.<domain>`. */
      subdomain: string;
      /** Where cloudflared forwards to, relative to the cluster or the mgmt VM's Compose network. */
      origin: string;
      /**
       * Who connects. `machines`: Talos nodes, kubectl and CI with their own credentials (Omni
       * join token, service-account keys), which Cloudflare Access would lock out; such a route
       * must authenticate in the app (`auth: "app-native"`). Default `people`.
       */
      clients?: "people" | "machines";
    }
  /** Only on the home LAN, through a LoadBalancer IP announced by Cilium L2 (home clusters only). */
  | { kind: "lan"; ports: readonly { port: number; protocol: "TCP" | "UDP" }[] }
  /** No route from outside the cluster. */
  | { kind: "internal" };

/**
 * How users sign in (FR-008): Tier 1 is Authentik (OIDC, SAML, or forward-auth through a proxy
 * for apps without SSO); Tier 2 is the app's own accounts; `none` is for public apps and
 * machine-only endpoints.
 */
export type AuthMode = "oidc" | "saml" | "forward-auth" | "app-native" | "none";

/** Backup class (FR-025): critical data is off-site daily with long retention. */
export type BackupClass = "critical" | "standard" | "none";

/** Authentik groups. `admin` is the operator; `family-validated` is every invited family member. */
export const groups = {
  admin: "admin",
  family: "family-validated",
} as const;
export type GroupName = (typeof groups)[keyof typeof groups];
export const familyGroups: readonly GroupName[] = [groups.family];

export interface AppEntry {
  /** Stable identifier: DNS-label safe, used in resource names and Authentik slugs. */
  name: string;
  /** What the family sees in "My applications" and on the dashboard. */
  title: string;
  /** One line for the dashboard. */
  description: string;
  tier: Tier;
  /** Authentik groups bound to the app; admin apps: only `admin`; public apps: none. */
  groups: readonly GroupName[];
  placement: Placement;
  exposure: Exposure;
  auth: AuthMode;
  backup: BackupClass;
  /** Stories that ask for the app, so a reader can trace it back. */
  stories: readonly string[];
}

const allClusters: readonly ClusterName[] = ["dev", "prod", "cloud"];
const admin = [groups.admin] as const;
const family = [groups.family] as const;

export const catalog: readonly AppEntry[] = [
  // --- Management VM (oci-mgmt, Docker Compose) -------------------------------------------
  {
    name: "authentik",
    title: "Authentik",
    description: "Single sign-on for the family and the admin",
    tier: "family",
    groups: family,
    placement: { kind: "mgmt-vm", composeService: "authentik-server" },
    exposure: { kind: "tunnel", subdomain: "auth", origin: "http://authentik-server:9000" },
    auth: "app-native",
    backup: "critical",
    stories: ["3.3.1"],
  },
  {
    name: "authentik-admin",
    title: "Authentik admin",
    description: "Identity administration",
    tier: "admin",
    groups: admin,
    placement: { kind: "mgmt-vm", composeService: "authentik-server" },
    exposure: { kind: "internal" },
    auth: "app-native",
    backup: "none",
    stories: ["3.3.3"],
  },
  {
    name: "omni",
    title: "Omni",
    description: "Talos cluster management",
    tier: "admin",
    groups: admin,
    placement: { kind: "mgmt-vm", composeService: "omni" },
    exposure: { kind: "tunnel", subdomain: "omni", origin: "https://omni:8080" },
    auth: "saml",
    backup: "critical",
    stories: ["1.3.2", "3.3.1"],
  },
  {
    name: "omni-siderolink",
    title: "Omni SideroLink API",
    description: "Where Talos machines join Omni (WireGuard over gRPC, join token)",
    tier: "admin",
    groups: admin,
    placement: { kind: "mgmt-vm", composeService: "omni" },
    exposure: { kind: "tunnel", subdomain: "omni-siderolink", origin: "https://omni:8090", clients: "machines" },
    auth: "app-native",
    backup: "none",
    stories: ["1.3.2", "1.3.3"],
  },
  {
    name: "omni-kube",
    title: "Omni Kubernetes proxy",
    description: "kubectl and CI reach the clusters through Omni (Omni OIDC or service account)",
    tier: "admin",
    groups: admin,
    placement: { kind: "mgmt-vm", composeService: "omni" },
    exposure: { kind: "tunnel", subdomain: "omni-kube", origin: "https://omni:8100", clients: "machines" },
    auth: "app-native",
    backup: "none",
    stories: ["1.3.2", "3.5.2"],
  },
  {
    name: "mgmt-ssh",
    title: "Management VM SSH",
    description: "Admin SSH to oci-mgmt through the tunnel (cloudflared access ssh), key-only",
    tier: "admin",
    groups: admin,
    placement: { kind: "mgmt-vm", composeService: "cloudflared" },
    exposure: { kind: "tunnel", subdomain: "ssh-mgmt", origin: "ssh://host.docker.internal:22" },
    auth: "app-native",
    backup: "none",
    stories: ["3.2.1"],
  },
  // --- Platform, every cluster ----------------------------------------------------------
  {
    name: "cilium",
    title: "Cilium",
    description: "CNI, kube-proxy replacement, Gateway API",
    tier: "admin",
    groups: admin,
    placement: { kind: "cluster", clusters: allClusters, namespace: "kube-system", syncWave: 0, resources: { cpuM: 150, memoryMi: 384 } },
    exposure: { kind: "internal" },
    auth: "none",
    backup: "none",
    stories: ["1.5.1", "1.5.2"],
  },
  {
    name: "hubble",
    title: "Hubble",
    description: "Network flows",
    tier: "admin",
    groups: admin,
    placement: { kind: "cluster", clusters: ["prod"], namespace: "kube-system", syncWave: 0, resources: { cpuM: 50, memoryMi: 128 } },
    exposure: { kind: "tunnel", subdomain: "hubble", origin: "http://hubble-ui.kube-system.svc:80" },
    auth: "forward-auth",
    backup: "none",
    stories: ["1.5.1"],
  },
  {
    name: "cert-manager",
    title: "cert-manager",
    description: "TLS certificates",
    tier: "admin",
    groups: admin,
    placement: { kind: "cluster", clusters: allClusters, namespace: "cert-manager", syncWave: 0, resources: { cpuM: 50, memoryMi: 192 } },
    exposure: { kind: "internal" },
    auth: "none",
    backup: "none",
    stories: ["2.2.1", "2.2.2"],
  },
  {
    name: "external-secrets",
    title: "External Secrets",
    description: "Secrets from Bitwarden",
    tier: "admin",
    groups: admin,
    placement: { kind: "cluster", clusters: allClusters, namespace: "external-secrets", syncWave: 0, resources: { cpuM: 50, memoryMi: 192 } },
    exposure: { kind: "internal" },
    auth: "none",
    backup: "none",
    stories: ["2.3.2", "2.3.3"],
  },
  {
    name: "local-path",
    title: "local-path provisioner",
    description: "Default storage class on DEV and CLOUD (node disks)",
    tier: "admin",
    groups: admin,
    placement: { kind: "cluster", clusters: ["dev", "cloud"], namespace: "local-path-storage", syncWave: 1, resources: { cpuM: 10, memoryMi: 32 } },
    exposure: { kind: "internal" },
    auth: "none",
    backup: "none",
    stories: ["2.1.1"],
  },
  {
    name: "longhorn",
    title: "Longhorn",
    description: "Replicated volumes on PROD",
    tier: "admin",
    groups: admin,
    placement: { kind: "cluster", clusters: ["prod"], namespace: "longhorn-system", syncWave: 1, resources: { cpuM: 300, memoryMi: 768 } },
    exposure: { kind: "tunnel", subdomain: "longhorn", origin: "http://longhorn-frontend.longhorn-system.svc:80" },
    auth: "forward-auth",
    backup: "none",
    stories: ["3.1.3"],
  },
  {
    name: "nfs-csi",
    title: "NFS CSI driver",
    description: "nfs-media storage class to the Proxmox exports",
    tier: "admin",
    groups: admin,
    placement: { kind: "cluster", clusters: allClusters, namespace: "kube-system", syncWave: 1, resources: { cpuM: 30, memoryMi: 96 } },
    exposure: { kind: "internal" },
    auth: "none",
    backup: "none",
    stories: ["2.1.2"],
  },
  {
    name: "twingate-connector",
    title: "Twingate connector",
    description: "Zero-trust path from CLOUD to the homelab NFS",
    tier: "admin",
    groups: admin,
    placement: { kind: "cluster", clusters: ["prod", "cloud"], namespace: "twingate", syncWave: 1, resources: { cpuM: 30, memoryMi: 96 } },
    exposure: { kind: "internal" },
    auth: "none",
    backup: "none",
    stories: ["3.4.2"],
  },
  {
    name: "external-dns",
    title: "external-dns",
    description: "DNS records for in-cluster routes",
    tier: "admin",
    groups: admin,
    placement: { kind: "cluster", clusters: allClusters, namespace: "external-dns", syncWave: 2, resources: { cpuM: 10, memoryMi: 64 } },
    exposure: { kind: "internal" },
    auth: "none",
    backup: "none",
    stories: ["2.3.1"],
  },
  {
    name: "cloudflared",
    title: "cloudflared",
    description: "The cluster's Cloudflare Tunnel connector (zero open ports)",
    tier: "admin",
    groups: admin,
    placement: { kind: "cluster", clusters: ["prod", "cloud"], namespace: "cloudflared", syncWave: 2, resources: { cpuM: 10, memoryMi: 64 } },
    exposure: { kind: "internal" },
    auth: "none",
    backup: "none",
    stories: ["3.4.1"],
  },
  {
    name: "cloudnative-pg",
    title: "CloudNativePG",
    description: "PostgreSQL operator for the apps' databases",
    tier: "admin",
    groups: admin,
    placement: { kind: "cluster", clusters: ["prod", "cloud"], namespace: "cnpg-system", syncWave: 2, resources: { cpuM: 30, memoryMi: 128 } },
    exposure: { kind: "internal" },
    auth: "none",
    backup: "none",
    stories: ["1.4.4"],
  },
  {
    name: "argocd",
    title: "Argo CD",
    description: "GitOps",
    tier: "admin",
    groups: admin,
    placement: { kind: "cluster", clusters: allClusters, namespace: "argocd", syncWave: 0, resources: { cpuM: 200, memoryMi: 512 } },
    exposure: { kind: "tunnel", subdomain: "argocd", origin: "http://argocd-server.argocd.svc:80" },
    auth: "oidc",
    backup: "standard",
    stories: ["1.4.1", "1.4.3"],
  },
  {
    name: "oauth2-proxy",
    title: "oauth2-proxy",
    description: "SSO in front of family apps without native SSO",
    tier: "family",
    groups: family,
    placement: { kind: "cluster", clusters: ["cloud"], namespace: "oauth2-proxy", syncWave: 2, resources: { cpuM: 10, memoryMi: 48 } },
    exposure: { kind: "internal" },
    auth: "oidc",
    backup: "none",
    stories: ["3.3.2"],
  },
  {
    name: "velero",
    title: "Velero",
    description: "Cluster backups to OCI Object Storage",
    tier: "admin",
    groups: admin,
    placement: { kind: "cluster", clusters: allClusters, namespace: "velero", syncWave: 2, resources: { cpuM: 50, memoryMi: 128 } },
    exposure: { kind: "internal" },
    auth: "none",
    backup: "none",
    stories: ["4.5.1"],
  },
  // --- Monitoring (wave 3) --------------------------------------------------------------
  {
    name: "prometheus",
    title: "Prometheus",
    description: "Metrics",
    tier: "admin",
    groups: admin,
    placement: { kind: "cluster", clusters: allClusters, namespace: "monitoring", syncWave: 3, resources: { cpuM: 150, memoryMi: 768 } },
    exposure: { kind: "tunnel", subdomain: "prometheus", origin: "http://kube-prometheus-stack-prometheus.monitoring.svc:9090" },
    auth: "forward-auth",
    backup: "none",
    stories: ["2.4.1"],
  },
  {
    name: "alertmanager",
    title: "Alertmanager",
    description: "Alert routing",
    tier: "admin",
    groups: admin,
    placement: { kind: "cluster", clusters: allClusters, namespace: "monitoring", syncWave: 3, resources: { cpuM: 10, memoryMi: 64 } },
    exposure: { kind: "tunnel", subdomain: "alertmanager", origin: "http://kube-prometheus-stack-alertmanager.monitoring.svc:9093" },
    auth: "forward-auth",
    backup: "none",
    stories: ["2.4.5"],
  },
  {
    name: "grafana",
    title: "Grafana",
    description: "Dashboards for metrics and logs",
    tier: "admin",
    groups: admin,
    placement: { kind: "cluster", clusters: ["prod"], namespace: "monitoring", syncWave: 3, resources: { cpuM: 50, memoryMi: 192 } },
    exposure: { kind: "tunnel", subdomain: "grafana", origin: "http://kube-prometheus-stack-grafana.monitoring.svc:80" },
    auth: "oidc",
    backup: "standard",
    stories: ["2.4.2"],
  },
  {
    name: "loki",
    title: "Loki",
    description: "Logs",
    tier: "admin",
    groups: admin,
    placement: { kind: "cluster", clusters: ["prod"], namespace: "monitoring", syncWave: 3, resources: { cpuM: 100, memoryMi: 384 } },
    exposure: { kind: "internal" },
    auth: "none",
    backup: "none",
    stories: ["2.4.3"],
  },
  {
    name: "alloy",
    title: "Alloy",
    description: "Log and metric collection",
    tier: "admin",
    groups: admin,
    placement: { kind: "cluster", clusters: allClusters, namespace: "monitoring", syncWave: 3, resources: { cpuM: 50, memoryMi: 192 } },
    exposure: { kind: "internal" },
    auth: "none",
    backup: "none",
    stories: ["2.4.4"],
  },
  {
    name: "ntfy",
    title: "ntfy",
    description: "Push notifications for alerts",
    tier: "admin",
    groups: admin,
    placement: { kind: "cluster", clusters: ["prod"], namespace: "ntfy", syncWave: 3, resources: { cpuM: 10, memoryMi: 48 } },
    exposure: { kind: "tunnel", subdomain: "ntfy", origin: "http://ntfy.ntfy.svc:80", clients: "machines" },
    // The phone app cannot follow an SSO redirect: ntfy's own token-based access control.
    auth: "app-native",
    backup: "standard",
    stories: ["2.4.6"],
  },
  // --- PROD home services -----------------------------------------------------------------
  {
    name: "adguard-home",
    title: "AdGuard Home",
    description: "DNS and ad blocking for the home network",
    tier: "admin",
    groups: admin,
    placement: { kind: "cluster", clusters: ["prod"], namespace: "adguard", syncWave: 2, resources: { cpuM: 30, memoryMi: 128 } },
    exposure: {
      kind: "lan",
      ports: [
        { port: 53, protocol: "UDP" },
        { port: 53, protocol: "TCP" },
        { port: 853, protocol: "TCP" },
        { port: 443, protocol: "TCP" },
      ],
    },
    auth: "app-native",
    backup: "standard",
    stories: ["2.5.1"],
  },
  {
    name: "home-assistant",
    title: "Home Assistant",
    description: "Home automation",
    tier: "family",
    groups: family,
    placement: { kind: "cluster", clusters: ["prod"], namespace: "home-assistant", syncWave: 4, resources: { cpuM: 150, memoryMi: 512 } },
    exposure: { kind: "lan", ports: [{ port: 8123, protocol: "TCP" }] },
    auth: "app-native",
    backup: "critical",
    stories: ["4.3.1"],
  },
  {
    name: "audiobookshelf",
    title: "Audiobookshelf",
    description: "Audiobooks and podcasts",
    tier: "family",
    groups: family,
    placement: { kind: "cluster", clusters: ["prod"], namespace: "media", syncWave: 4, resources: { cpuM: 30, memoryMi: 192 } },
    exposure: { kind: "tunnel", subdomain: "audiobooks", origin: "http://audiobookshelf.media.svc:80" },
    auth: "app-native",
    backup: "standard",
    stories: ["4.3.2"],
  },
  {
    name: "komga",
    title: "Komga",
    description: "Comics and manga",
    tier: "family",
    groups: family,
    placement: { kind: "cluster", clusters: ["prod"], namespace: "media", syncWave: 4, resources: { cpuM: 50, memoryMi: 512 } },
    exposure: { kind: "tunnel", subdomain: "comics", origin: "http://komga.media.svc:80" },
    auth: "app-native",
    backup: "standard",
    stories: ["4.3.3"],
  },
  {
    name: "romm",
    title: "RomM",
    description: "Retro game library",
    tier: "admin",
    groups: admin,
    placement: { kind: "cluster", clusters: ["prod"], namespace: "media", syncWave: 4, resources: { cpuM: 50, memoryMi: 256 } },
    exposure: { kind: "tunnel", subdomain: "romm", origin: "http://romm.media.svc:80" },
    auth: "app-native",
    backup: "standard",
    stories: ["4.3.4"],
  },
  // --- CLOUD family services --------------------------------------------------------------
  {
    name: "nextcloud",
    title: "Nextcloud",
    description: "Files, sharing and photo backup",
    tier: "family",
    groups: family,
    placement: { kind: "cluster", clusters: ["cloud"], namespace: "nextcloud", syncWave: 4, resources: { cpuM: 150, memoryMi: 512 } },
    exposure: { kind: "tunnel", subdomain: "cloud", origin: "http://nextcloud.nextcloud.svc:8080" },
    auth: "oidc",
    backup: "critical",
    stories: ["4.1.1"],
  },
  {
    name: "vaultwarden",
    title: "Vaultwarden",
    description: "Family passwords",
    tier: "family",
    groups: family,
    placement: { kind: "cluster", clusters: ["cloud"], namespace: "vaultwarden", syncWave: 4, resources: { cpuM: 10, memoryMi: 96 } },
    exposure: { kind: "tunnel", subdomain: "vault", origin: "http://vaultwarden.vaultwarden.svc:80" },
    auth: "oidc",
    backup: "critical",
    stories: ["4.1.2"],
  },
  {
    name: "baikal",
    title: "Baïkal",
    description: "Calendars and contacts",
    tier: "family",
    groups: family,
    placement: { kind: "cluster", clusters: ["cloud"], namespace: "baikal", syncWave: 4, resources: { cpuM: 10, memoryMi: 64 } },
    exposure: { kind: "tunnel", subdomain: "dav", origin: "http://baikal.baikal.svc:80" },
    // CalDAV/CardDAV clients cannot do OIDC: oauth2-proxy guards the web UI.
    auth: "forward-auth",
    backup: "critical",
    stories: ["4.1.3"],
  },
  {
    name: "comet",
    title: "Comet",
    description: "Stremio add-on (Real-Debrid)",
    tier: "family",
    groups: family,
    placement: { kind: "cluster", clusters: ["cloud"], namespace: "comet", syncWave: 4, resources: { cpuM: 30, memoryMi: 192 } },
    exposure: { kind: "tunnel", subdomain: "comet", origin: "http://comet.comet.svc:8000" },
    auth: "app-native",
    backup: "none",
    stories: ["4.2.1"],
  },
  {
    name: "navidrome",
    title: "Navidrome",
    description: "Music streaming",
    tier: "family",
    groups: family,
    placement: { kind: "cluster", clusters: ["cloud"], namespace: "media", syncWave: 4, resources: { cpuM: 30, memoryMi: 128 } },
    exposure: { kind: "tunnel", subdomain: "music", origin: "http://navidrome.media.svc:4533" },
    auth: "app-native",
    backup: "standard",
    stories: ["4.2.2"],
  },
  {
    name: "lidarr",
    title: "Lidarr",
    description: "Music library management",
    tier: "admin",
    groups: admin,
    placement: { kind: "cluster", clusters: ["cloud"], namespace: "media", syncWave: 4, resources: { cpuM: 30, memoryMi: 256 } },
    exposure: { kind: "tunnel", subdomain: "lidarr", origin: "http://lidarr.media.svc:8686" },
    auth: "forward-auth",
    backup: "standard",
    stories: ["4.2.3"],
  },
  {
    name: "glance",
    title: "Glance",
    description: "The family's home page",
    tier: "public",
    groups: [],
    placement: { kind: "cluster", clusters: ["cloud"], namespace: "glance", syncWave: 4, resources: { cpuM: 10, memoryMi: 48 } },
    exposure: { kind: "tunnel", subdomain: "home", origin: "http://glance.glance.svc:8080" },
    auth: "none",
    backup: "none",
    stories: ["4.4.1"],
  },
  {
    name: "immich",
    title: "Immich",
    description: "Photos and albums",
    tier: "family",
    groups: family,
    placement: { kind: "cluster", clusters: ["cloud"], namespace: "immich", syncWave: 4, resources: { cpuM: 300, memoryMi: 1536 } },
    exposure: { kind: "tunnel", subdomain: "photos", origin: "http://immich-server.immich.svc:2283" },
    auth: "oidc",
    backup: "critical",
    stories: ["5.1.1"],
  },
  {
    name: "n8n",
    title: "n8n",
    description: "Workflow automation",
    tier: "admin",
    groups: admin,
    placement: { kind: "cluster", clusters: ["cloud"], namespace: "n8n", syncWave: 4, resources: { cpuM: 50, memoryMi: 256 } },
    exposure: { kind: "tunnel", subdomain: "n8n", origin: "http://n8n.n8n.svc:5678" },
    auth: "oidc",
    backup: "standard",
    stories: ["5.1.2"],
  },
  {
    name: "mealie",
    title: "Mealie",
    description: "Recipes and meal plans",
    tier: "family",
    groups: family,
    placement: { kind: "cluster", clusters: ["cloud"], namespace: "mealie", syncWave: 4, resources: { cpuM: 30, memoryMi: 256 } },
    exposure: { kind: "tunnel", subdomain: "recipes", origin: "http://mealie.mealie.svc:9000" },
    auth: "app-native",
    backup: "standard",
    stories: ["5.1.3"],
  },
  {
    name: "invidious",
    title: "Invidious",
    description: "YouTube without tracking",
    tier: "family",
    groups: family,
    placement: { kind: "cluster", clusters: ["cloud"], namespace: "invidious", syncWave: 4, resources: { cpuM: 50, memoryMi: 256 } },
    exposure: { kind: "tunnel", subdomain: "tube", origin: "http://invidious.invidious.svc:3000" },
    auth: "app-native",
    backup: "none",
    stories: ["5.1.4"],
  },
];

/** Apps that have a hostname on the tunnel. */
export function tunnelApps(apps: readonly AppEntry[] = catalog): (AppEntry & { exposure: Extract<Exposure, { kind: "tunnel" }> })[] {
  return apps.filter((app): app is AppEntry & { exposure: Extract<Exposure, { kind: "tunnel" }> } => app.exposure.kind === "tunnel");
}

/** The catalog entry with this name; a typo is a programming error, so it throws. */
export function appNamed(name: string, apps: readonly AppEntry[] = catalog): AppEntry {
  const app = apps.find((a) => a.name === name);
  if (!app) throw new Error(`catalog has no app named "${name}"`);
  return app;
}

export function hostnameOf(app: AppEntry, domain: string): string | undefined {
  return app.exposure.kind === "tunnel" ? `${app.exposure.subdomain}.${domain}` : undefined;
}

/** The public hostname of a named catalog app; one without a tunnel hostname is a programming error. */
export function requiredHostname(name: string, domain: string, apps: readonly AppEntry[] = catalog): string {
  const host = hostnameOf(appNamed(name, apps), domain);
  if (!host) throw new Error(`catalog app "${name}" has no tunnel hostname, but a public URL of it is needed`);
  return host;
}

/** The namespace a cluster app is installed into. */
export function namespaceOf(app: AppEntry): string {
  if (app.placement.kind !== "cluster") throw new Error(`catalog app "${app.name}" does not run in a cluster`);
  return app.placement.namespace;
}

/** Apps that ArgoCD deploys on a cluster, in wave order. */
export function appsOnCluster(cluster: ClusterName, apps: readonly AppEntry[] = catalog): AppEntry[] {
  return apps
    .filter((app) => app.placement.kind === "cluster" && app.placement.clusters.includes(cluster))
    .sort((a, b) => waveOf(a) - waveOf(b) || a.name.localeCompare(b.name));
}

export function waveOf(app: AppEntry): number {
  return app.placement.kind === "cluster" ? app.placement.syncWave : -1;
}

/**
 * Whether the groups bound to an app fit its tier: admin apps only `admin`, family apps only
 * family groups (at least one), public apps none. Shared by the catalog check and the policy
 * pack so that both speak with one voice. Returns the problems, empty when it fits.
 */
export function tierBindingProblems(tier: Tier, bound: readonly string[]): string[] {
  const problems: string[] = [];
  const everyone = bound.filter((g) => /^(everyone|all|authenticated|users)$/i.test(g));
  if (everyone.length > 0) problems.push(`is bound to "${everyone.join(", ")}": nothing may be open to every user`);
  if (tier === "admin") {
    const others = bound.filter((g) => g !== groups.admin);
    if (!bound.includes(groups.admin)) problems.push(`is an admin app but not bound to "${groups.admin}"`);
    if (others.length > 0) problems.push(`is an admin app but also bound to ${others.map((g) => `"${g}"`).join(", ")}; admin apps allow only "${groups.admin}"`);
  } else if (tier === "family") {
    const others = bound.filter((g) => !(familyGroups as readonly string[]).includes(g));
    if (bound.length === 0) problems.push(`is a family app with no group bound; bind "${groups.family}"`);
    if (others.length > 0) problems.push(`is a family app bound to ${others.map((g) => `"${g}"`).join(", ")}; family apps allow only ${familyGroups.map((g) => `"${g}"`).join(", ")}`);
  } else if (bound.length > 0) {
    problems.push(`is a public app but bound to ${bound.map((g) => `"${g}"`).join(", ")}; public apps carry no Authentik binding`);
  }
  return problems;
}

/**
 * Checks the catalog's own consistency; the program refuses to run on a catalog that fails,
 * before any resource is registered.
 */
export function catalogProblems(apps: readonly AppEntry[] = catalog): string[] {
  const problems: string[] = [];
  const seenNames = new Set<string>();
  const seenSubdomains = new Map<string, string>();
  for (const app of apps) {
    const where = `catalog entry "${app.name}"`;
    if (!/^[a-z][a-z0-9-]{0,38}[a-z0-9]$/.test(app.name)) problems.push(`${where}: name must be a DNS label (lower-case letters, digits, '-')`);
    if (seenNames.has(app.name)) problems.push(`${where}: name is used twice`);
    seenNames.add(app.name);
    for (const p of tierBindingProblems(app.tier, app.groups)) problems.push(`${where}: ${p}`);
    if (app.exposure.kind === "tunnel") {
      const other = seenSubdomains.get(app.exposure.subdomain);
      if (other) problems.push(`${where}: subdomain "${app.exposure.subdomain}" is already used by "${other}"`);
      seenSubdomains.set(app.exposure.subdomain, app.name);
      if (app.tier !== "public" && app.auth === "none") problems.push(`${where}: a ${app.tier} app on the tunnel needs an auth mode other than "none"`);
      if (app.exposure.clients === "machines" && (app.tier !== "admin" || app.auth !== "app-native")) {
        problems.push(`${where}: a machine endpoint (clients "machines") skips Cloudflare Access, so it must be tier "admin" with auth "app-native"`);
      }
    }
    if (app.exposure.kind === "lan") {
      const onCloud = app.placement.kind !== "cluster" || app.placement.clusters.includes("cloud");
      if (onCloud) problems.push(`${where}: LAN-only exposure exists on home clusters only (dev, prod)`);
    }
    if (app.tier === "public" && app.auth !== "none") problems.push(`${where}: a public app has no sign-in; use auth "none"`);
  }
  return problems;
}
