/**
 * The apps deployed with the bjw-s app-template chart: one compact spec per app, turned into
 * app-template values (validated against the chart's upstream schema in the tests). Service
 * names and ports match the catalog's tunnel origins; storage, databases and secrets follow the
 * conventions below so that every app looks the same to the admin.
 *
 * Secrets: `pulumiSecret` names a Secret the Platform component writes from a Pulumi secret (OIDC
 * client secret, tunnel token); `externalSecret` names one that External Secrets fills from
 * Bitwarden; `database` apps read CloudNativePG's `<app>-db-app` Secret.
 */
import { catalog, requiredHostname, type AppEntry, type ClusterName } from "../catalog";
import { tunnelRoutes } from "../routes";
import { images, type ImageName } from "../versions";
import type { ClusterContext } from "./context";
import { k8sResources, type Values } from "./values";

export interface MediaMount {
  /** Dataset under the pool (media/music …). */
  dataset: string;
  mountPath: string;
  readOnly: boolean;
}

export interface TemplateAppSpec {
  image: ImageName;
  /** Port the container listens on. */
  containerPort: number;
  args?: string[];
  env?: Record<string, string>;
  /** Env vars from Secret keys: name → [secret, key]. */
  secretEnv?: Record<string, [string, string]>;
  /** A PVC on the cluster's default class, mounted at `path`. */
  data?: { path: string; size: string };
  media?: MediaMount[];
  /** A CloudNativePG cluster `<app>-db`; `vectors` uses the VectorChord image (Immich). */
  database?: "postgres" | "vectors";
  /** Extra containers of the same pod (Immich's machine learning, Valkey). */
  sidecars?: Record<string, { image: ImageName; containerPort: number; args?: string[]; share: number }>;
  /** LAN-only LoadBalancer ports (home clusters; AdGuard's DNS, Home Assistant). */
  lanPorts?: { name: string; port: number; protocol: "TCP" | "UDP" }[];
  replicas?: number;
  /** Port of a Prometheus endpoint (/metrics): a `metrics` Service port and a ServiceMonitor. */
  metricsPort?: number;
  /** A config file copied once from a Secret into its own volume, then owned by the app. */
  seed?: { secret: string; file: string; into: string; size: string };
  /** Secrets mounted read-only (certificates). */
  secretMounts?: { secret: string; path: string }[];
}

/** Database connection variables from CloudNativePG's app secret. */
function pgEnv(app: string, names: { host: string; port?: string; user: string; password: string; database: string }): Record<string, [string, string]> {
  const secret = `${app}-db-app`;
  return {
    [names.host]: [secret, "host"],
    ...(names.port ? { [names.port]: [secret, "port"] } : {}),
    [names.user]: [secret, "username"],
    [names.password]: [secret, "password"],
    [names.database]: [secret, "dbname"],
  };
}

export function templateApps(ctx: Pick<ClusterContext, "domain" | "authentikUrl">): Record<string, TemplateAppSpec> {
  const host = (name: string) => requiredHostname(name, ctx.domain);
  const issuer = (client: string) => `${ctx.authentikUrl}/application/o/${client}/`;
  return {
    cloudflared: {
      image: "cloudflared",
      containerPort: 2000,
      args: ["tunnel", "--no-autoupdate", "--metrics", "0.0.0.0:2000", "run"],
      secretEnv: { TUNNEL_TOKEN: ["cloudflared-token", "token"] },
      replicas: 2,
      metricsPort: 2000,
    },
    "adguard-home": {
      image: "adguardHome",
      containerPort: 3000,
      data: { path: "/opt/adguardhome/work", size: "2Gi" },
      seed: { secret: "adguard-seed", file: "AdGuardHome.yaml", into: "/opt/adguardhome/conf", size: "256Mi" },
      secretMounts: [{ secret: "adguard-tls", path: "/certs" }],
      lanPorts: [
        { name: "dns-udp", port: 53, protocol: "UDP" },
        { name: "dns-tcp", port: 53, protocol: "TCP" },
        { name: "dot", port: 853, protocol: "TCP" },
        { name: "doh", port: 443, protocol: "TCP" },
      ],
    },
    "home-assistant": {
      image: "homeAssistant",
      containerPort: 8123,
      env: { TZ: "Europe/Paris" },
      data: { path: "/config", size: "5Gi" },
      lanPorts: [{ name: "http", port: 8123, protocol: "TCP" }],
    },
    audiobookshelf: {
      image: "audiobookshelf",
      containerPort: 80,
      data: { path: "/config", size: "2Gi" },
      media: [{ dataset: "media/audiobooks", mountPath: "/audiobooks", readOnly: true }],
    },
    komga: {
      image: "komga",
      containerPort: 25600,
      data: { path: "/config", size: "2Gi" },
      media: [
        { dataset: "media/comics", mountPath: "/data/comics", readOnly: true },
        { dataset: "media/books", mountPath: "/data/books", readOnly: true },
      ],
    },
    romm: {
      image: "romm",
      containerPort: 8080,
      env: { ROMM_DB_DRIVER: "postgresql" },
      secretEnv: { ...pgEnv("romm", { host: "DB_HOST", port: "DB_PORT", user: "DB_USER", password: "DB_PASSWD", database: "DB_NAME" }), ROMM_AUTH_SECRET_KEY: ["romm", "auth-secret-key"] },
      data: { path: "/romm/resources", size: "5Gi" },
      media: [{ dataset: "media/roms", mountPath: "/romm/library", readOnly: true }],
      database: "postgres",
    },
    nextcloud: {
      image: "nextcloud",
      containerPort: 80,
      env: { NEXTCLOUD_TRUSTED_DOMAINS: host("nextcloud"), OVERWRITEPROTOCOL: "https", TRUSTED_PROXIES: "10.0.0.0/8" },
      secretEnv: pgEnv("nextcloud", { host: "POSTGRES_HOST", user: "POSTGRES_USER", password: "POSTGRES_PASSWORD", database: "POSTGRES_DB" }),
      data: { path: "/var/www/html", size: "20Gi" },
      database: "postgres",
    },
    vaultwarden: {
      image: "vaultwarden",
      containerPort: 80,
      env: {
        DOMAIN: `https://${host("vaultwarden")}`,
        SIGNUPS_ALLOWED: "false",
        INVITATIONS_ALLOWED: "false",
        SSO_ENABLED: "true",
        SSO_ONLY: "false",
        SSO_AUTHORITY: issuer("vaultwarden"),
        SSO_CLIENT_ID: "vaultwarden",
      },
      secretEnv: { SSO_CLIENT_SECRET: ["vaultwarden-oidc", "clientSecret"] },
      data: { path: "/data", size: "2Gi" },
    },
    baikal: { image: "baikal", containerPort: 80, data: { path: "/var/www/baikal/Specific", size: "1Gi" } },
    comet: { image: "comet", containerPort: 8000, secretEnv: { REALDEBRID_API_KEY: ["comet", "realdebrid-api-key"] } },
    navidrome: {
      image: "navidrome",
      containerPort: 4533,
      env: { ND_BASEURL: "", ND_REVERSEPROXYWHITELIST: "10.0.0.0/8" },
      data: { path: "/data", size: "2Gi" },
      media: [{ dataset: "media/music", mountPath: "/music", readOnly: true }],
    },
    lidarr: {
      image: "lidarr",
      containerPort: 8686,
      data: { path: "/config", size: "2Gi" },
      media: [{ dataset: "media/music", mountPath: "/music", readOnly: false }],
    },
    glance: { image: "glance", containerPort: 8080, args: ["--config", "/config/glance.yml"] },
    immich: {
      image: "immichServer",
      containerPort: 2283,
      env: { REDIS_HOSTNAME: "localhost", IMMICH_MACHINE_LEARNING_URL: "http://localhost:3003" },
      secretEnv: pgEnv("immich", { host: "DB_HOSTNAME", user: "DB_USERNAME", password: "DB_PASSWORD", database: "DB_DATABASE_NAME" }),
      media: [{ dataset: "media/photos", mountPath: "/usr/src/app/upload", readOnly: false }],
      database: "vectors",
      sidecars: {
        "machine-learning": { image: "immichMachineLearning", containerPort: 3003, share: 0.5 },
        valkey: { image: "valkey", containerPort: 6379, share: 0.05 },
      },
    },
    n8n: {
      image: "n8n",
      containerPort: 5678,
      env: { N8N_HOST: host("n8n"), N8N_PROTOCOL: "https", WEBHOOK_URL: `https://${host("n8n")}/`, DB_TYPE: "postgresdb", GENERIC_TIMEZONE: "Europe/Paris" },
      secretEnv: pgEnv("n8n", { host: "DB_POSTGRESDB_HOST", user: "DB_POSTGRESDB_USER", password: "DB_POSTGRESDB_PASSWORD", database: "DB_POSTGRESDB_DATABASE" }),
      data: { path: "/home/node/.n8n", size: "2Gi" },
      database: "postgres",
    },
    mealie: {
      image: "mealie",
      containerPort: 9000,
      env: { BASE_URL: `https://${host("mealie")}`, ALLOW_SIGNUP: "false" },
      data: { path: "/app/data", size: "2Gi" },
    },
    invidious: {
      image: "invidious",
      containerPort: 3000,
      secretEnv: { INVIDIOUS_DB_PASSWORD: ["invidious-db-app", "password"], INVIDIOUS_HMAC_KEY: ["invidious", "hmac-key"] },
      env: {
        // Kubernetes expands $(VAR) from the variables above.
        INVIDIOUS_CONFIG: [
          "db:",
          "  dbname: invidious",
          "  user: invidious",
          "  password: $(INVIDIOUS_DB_PASSWORD)",
          "  host: invidious-db-rw",
          "  port: 5432",
          "check_tables: true",
          `domain: ${host("invidious")}`,
          "https_only: true",
          "registration_enabled: false",
          "hmac_key: $(INVIDIOUS_HMAC_KEY)",
        ].join("\n"),
      },
      database: "postgres",
    },
    ntfy: {
      image: "ntfy",
      containerPort: 80,
      args: ["serve"],
      env: {
        NTFY_BASE_URL: `https://${host("ntfy")}`,
        NTFY_BEHIND_PROXY: "true",
        NTFY_AUTH_FILE: "/var/lib/ntfy/user.db",
        NTFY_AUTH_DEFAULT_ACCESS: "deny-all",
        NTFY_CACHE_FILE: "/var/lib/ntfy/cache.db",
        NTFY_ENABLE_METRICS: "true",
        NTFY_METRICS_LISTEN_HTTP: ":9090",
      },
      data: { path: "/var/lib/ntfy", size: "1Gi" },
      metricsPort: 9090,
    },
  };
}

/** The Service port each app's tunnel origin names (catalog), else the container port. */
function servicePort(app: AppEntry, spec: TemplateAppSpec): number {
  if (app.exposure.kind !== "tunnel") return spec.containerPort;
  const port = new URL(app.exposure.origin).port;
  return port === "" ? 80 : Number(port);
}

function imageOf(name: ImageName): { repository: string; tag: string } {
  return { repository: images[name].repository, tag: images[name].tag };
}

/** app-template values of one app on one cluster. */
export function appTemplateValues(app: AppEntry, spec: TemplateAppSpec, ctx: ClusterContext): Values {
  if (app.placement.kind !== "cluster") throw new Error(`${app.name} is not a cluster app`);
  const resources = app.placement.resources;
  const sidecarShare = Object.values(spec.sidecars ?? {}).reduce((sum, s) => sum + s.share, 0);
  const env: Record<string, unknown> = {};
  for (const [name, [secret, key]] of Object.entries(spec.secretEnv ?? {})) env[name] = { valueFrom: { secretKeyRef: { name: secret, key } } };
  for (const [name, value] of Object.entries(spec.env ?? {})) env[name] = value;
  const containers: Record<string, unknown> = {
    app: {
      image: imageOf(spec.image),
      ...(spec.args ? { args: spec.args } : {}),
      ...(Object.keys(env).length > 0 ? { env } : {}),
      resources: k8sResources(resources, 1 - sidecarShare),
    },
  };
  for (const [name, sidecar] of Object.entries(spec.sidecars ?? {})) {
    containers[name] = { image: imageOf(sidecar.image), ...(sidecar.args ? { args: sidecar.args } : {}), resources: k8sResources(resources, sidecar.share) };
  }
  // A container that only serves metrics (cloudflared) gets just the metrics port.
  const ports: Record<string, unknown> = spec.metricsPort === spec.containerPort ? {} : { http: { port: servicePort(app, spec), targetPort: spec.containerPort } };
  if (spec.metricsPort !== undefined) ports.metrics = { port: spec.metricsPort, targetPort: spec.metricsPort };
  const service: Record<string, unknown> = { app: { controller: "app", ports } };
  if (spec.lanPorts && ctx.lan) {
    service.lan = {
      controller: "app",
      type: "LoadBalancer",
      // A fixed LAN address from Cilium LB-IPAM, announced on the LAN by L2; never the internet.
      annotations: { "lbipam.cilium.io/ips": app.name === "adguard-home" ? (ctx.lan.dnsIp ?? ctx.lan.gatewayIp) : ctx.lan.gatewayIp, "lbipam.cilium.io/sharing-key": "lan" },
      labels: { "homelab.dev/exposure": "lan", "homelab.dev/cluster": ctx.cluster },
      loadBalancerSourceRanges: [ctx.lan.cidr],
      externalTrafficPolicy: "Local",
      ports: Object.fromEntries(spec.lanPorts.map((p) => [p.name, { port: p.port, protocol: p.protocol, targetPort: p.port === 443 ? 443 : p.port }])),
    };
  }
  const persistence: Record<string, unknown> = {};
  if (spec.data) {
    persistence.data = { type: "persistentVolumeClaim", storageClass: ctx.defaultStorageClass, accessMode: "ReadWriteOnce", size: spec.data.size, globalMounts: [{ path: spec.data.path }] };
  }
  for (const media of spec.media ?? []) {
    persistence[media.dataset.replace(/\//g, "-")] = {
      type: "nfs",
      server: ctx.nfs.server,
      path: `/${ctx.nfs.pool}/${media.dataset}`,
      globalMounts: [{ path: media.mountPath, readOnly: media.readOnly }],
    };
  }
  if (app.name === "glance") persistence.config = { type: "configMap", name: "glance-config", globalMounts: [{ path: "/config" }] };
  for (const mount of spec.secretMounts ?? []) persistence[mount.secret] = { type: "secret", name: mount.secret, globalMounts: [{ path: mount.path, readOnly: true }] };
  const initContainers: Record<string, unknown> = {};
  if (spec.seed) {
    persistence.conf = { type: "persistentVolumeClaim", storageClass: ctx.defaultStorageClass, accessMode: "ReadWriteOnce", size: spec.seed.size, globalMounts: [{ path: spec.seed.into }] };
    persistence.seed = { type: "secret", name: spec.seed.secret, advancedMounts: { app: { seed: [{ path: "/seed", readOnly: true }] } } };
    const target = `${spec.seed.into}/${spec.seed.file}`;
    initContainers.seed = {
      image: imageOf(spec.image),
      command: ["/bin/sh", "-c", `[ -f ${target} ] || cp /seed/${spec.seed.file} ${target}`],
      resources: k8sResources(resources, 0.05),
    };
  }
  return {
    fullnameOverride: app.name,
    defaultPodOptions: { labels: { "homelab.dev/cluster": ctx.cluster, "homelab.dev/app": app.name } },
    controllers: {
      app: {
        replicas: spec.replicas ?? 1,
        // One writer at a time for apps with a ReadWriteOnce volume.
        strategy: spec.data ? "Recreate" : "RollingUpdate",
        ...(Object.keys(initContainers).length > 0 ? { initContainers } : {}),
        containers,
      },
    },
    service,
    ...(Object.keys(persistence).length > 0 ? { persistence } : {}),
  };
}

/** Glance's dashboard (story 4.4.1): every family app of the catalog, by cluster, with its public link. */
export function glanceConfig(domain: string, apps: readonly AppEntry[] = catalog): string {
  const routes = tunnelRoutes(domain, apps).filter((r) => r.tier === "family" && r.clients === "people");
  const sites = routes.map((r) => `              - title: ${JSON.stringify(r.title)}\n                url: https://${r.hostname}`).join("\n");
  return ["pages:", "  - name: Home", "    columns:", "      - size: full", "        widgets:", "          - type: monitor", "            title: Family apps", "            sites:", sites, ""].join("\n");
}

export function clustersOf(app: AppEntry): readonly ClusterName[] {
  return app.placement.kind === "cluster" ? app.placement.clusters : [];
}
