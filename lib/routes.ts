/**
 * Tunnel routes derived from the app catalog: which hostname goes through which tunnel to which
 * origin. The hostname rule and the origin rule live here and nowhere else, so DNS, the tunnel
 * configs, Cloudflare Access, SSO, the dashboard and every app's own URL settings agree.
 */
import type { AppRecord, ClusterName, GroupName, Tier } from "./catalog/types";
import { exceptionFor, type IngressExceptionName } from "./ingress-exceptions";
import { chartServiceName } from "./platform/chart-services";

/**
 * Where a cloudflared connector runs. Each location has its own tunnel, so that every origin is
 * a name that resolves where the connector runs (Compose service or in-cluster Service DNS).
 * DEV has none: it is reached on the LAN only.
 */
export const tunnelLocations = ["mgmt", "cloud", "prod"] as const;
export type TunnelLocation = (typeof tunnelLocations)[number];

export interface TunnelRoute {
  app: string;
  title: string;
  location: TunnelLocation;
  hostname: string;
  origin: string;
  /** Path regexes answered with 404 at the edge instead of reaching the origin. */
  blockedPaths: readonly string[];
  tier: Tier;
  groups: readonly GroupName[];
  /** `machines`: reached with the app's own credentials, so no Cloudflare Access in front. */
  clients: "people" | "machines";
}

type TunnelExposure = Extract<AppRecord["exposure"], { kind: "tunnel" }>;

/** The record that deploys `app` (itself, or the release it is part of). */
function deployingRecord(app: AppRecord, apps: readonly AppRecord[]): AppRecord {
  if (app.deploy?.kind !== "part-of") return app;
  const parent = apps.find((a) => a.name === (app.deploy as { app: string }).app);
  if (!parent) throw new Error(`catalog app "${app.name}" is part of "${app.deploy.app}", which is not in the catalog`);
  return parent;
}

/**
 * The in-cluster DNS name of an app's Service: the app-template Service (named after the app), or
 * the Service a third-party chart names by its own rule for `component`
 * (lib/platform/chart-services.ts). Never written by hand.
 */
export function serviceAddress(app: AppRecord, apps: readonly AppRecord[], component?: string): string {
  if (app.placement.kind !== "cluster") throw new Error(`catalog app "${app.name}" does not run in a cluster`);
  const owner = deployingRecord(app, apps);
  const deploy = owner.deploy;
  if (!deploy) throw new Error(`catalog app "${owner.name}" runs in a cluster but has no deploy field; fill it (a chart with its values, or an app-template spec)`);
  let service: string;
  if (deploy.kind === "chart") {
    if (!component) throw new Error(`catalog app "${app.name}" is deployed by chart ${deploy.chart}: name the chart component (exposure.service)`);
    const name = chartServiceName(deploy.chart, deploy.release ?? owner.name, deploy.fullnameOverride, component);
    if (!name) throw new Error(`catalog app "${app.name}": chart ${deploy.chart} has no naming rule for component "${component}" (lib/platform/chart-services.ts)`);
    service = name;
  } else {
    if (component) throw new Error(`catalog app "${app.name}": exposure.service is for third-party charts; an app-template Service is named after the app`);
    service = owner.name;
  }
  return `${service}.${app.placement.namespace}.svc`;
}

/** The chart component whose Service the tunnel reaches: named in the exposure, or the part's component. */
export function routedComponent(app: AppRecord, exposure: TunnelExposure): string | undefined {
  return exposure.service ?? (app.deploy?.kind === "part-of" ? app.deploy.component : undefined);
}

/**
 * The management VM's connector runs in the host's network namespace (to reach the host's sshd),
 * as an unprivileged user, so its origins are loopback ports (Omni's and Authentik's published on
 * 127.0.0.1 only): nothing on the VM listens for the tunnel on a public interface.
 */
export const mgmtOriginHost = "127.0.0.1";

/** The app's own address: a loopback port on the management VM, or the app's Service in its cluster. */
export function appOrigin(app: AppRecord, exposure: TunnelExposure, apps: readonly AppRecord[]): string {
  const scheme = exposure.scheme ?? "http";
  if (app.placement.kind === "mgmt-vm") return `${scheme}://${mgmtOriginHost}:${exposure.port}`;
  return `${scheme}://${serviceAddress(app, apps, routedComponent(app, exposure))}:${exposure.port}`;
}

/** The port Authentik's proxy outpost serves HTTP on (upstream manual deployment: 9000 http, 9443 https). */
export const outpostPort = 9000;

/**
 * The record that provides Authentik's proxy outpost on `cluster`, if any. An `outpost` app on a
 * cluster without one has no route (the catalog check refuses that record).
 */
export function outpostOn(cluster: ClusterName, apps: readonly AppRecord[]): AppRecord | undefined {
  return apps.find((a) => a.role === "auth-proxy" && a.placement.kind === "cluster" && a.placement.clusters.includes(cluster));
}

/** The outpost's Service on a cluster, where the tunnel and the LAN Gateway send an `outpost` app's requests. */
function outpostService(app: AppRecord, cluster: ClusterName, apps: readonly AppRecord[]): { host: string; port: number } {
  const outpost = outpostOn(cluster, apps);
  if (!outpost) throw new Error(`catalog app "${app.name}" signs in through Authentik's outpost, but no app with role "auth-proxy" runs on ${cluster}`);
  return { host: serviceAddress(outpost, apps), port: outpostPort };
}

/**
 * Where the tunnel forwards an app's hostname on one location: the app itself, or for an app
 * behind Authentik's proxy outpost, the outpost of that cluster (tunnel → outpost → app).
 */
export function originOf(app: AppRecord, exposure: TunnelExposure, apps: readonly AppRecord[], location?: TunnelLocation): string {
  if (app.auth === "outpost" && app.placement.kind === "cluster") {
    const cluster = location && location !== "mgmt" ? location : app.placement.clusters.find((c) => c !== "dev") ?? app.placement.clusters[0]!;
    const outpost = outpostService(app, cluster, apps);
    return `http://${outpost.host}:${outpost.port}`;
  }
  return appOrigin(app, exposure, apps);
}

/** The DNS label of an app on one tunnel location: its subdomain, suffixed when it runs on several clusters. */
export function routeLabel(subdomain: string, location: TunnelLocation | ClusterName, locations: number): string {
  // One instance per cluster: a cluster suffix keeps the names apart (one level deep, so
  // Cloudflare's free universal certificate still covers them).
  return locations > 1 ? `${subdomain}-${location}` : subdomain;
}

export function tunnelRoutes(domain: string, apps: readonly AppRecord[]): TunnelRoute[] {
  const routes: TunnelRoute[] = [];
  for (const app of apps) {
    if (app.exposure.kind !== "tunnel") continue;
    const exposure = app.exposure;
    const base = {
      app: app.name,
      title: app.title,
      tier: app.tier,
      groups: app.groups,
      clients: exposure.clients ?? "people",
      blockedPaths: exposure.blockedPaths ?? [],
    };
    if (app.placement.kind === "mgmt-vm") {
      routes.push({ ...base, origin: originOf(app, exposure, apps, "mgmt"), location: "mgmt", hostname: `${exposure.subdomain}.${domain}` });
      continue;
    }
    const locations = app.placement.clusters.filter((c): c is Exclude<typeof c, "dev"> => c !== "dev");
    for (const location of locations) {
      routes.push({ ...base, origin: originOf(app, exposure, apps, location), location, hostname: `${routeLabel(exposure.subdomain, location, locations.length)}.${domain}` });
    }
  }
  return routes.sort((a, b) => a.hostname.localeCompare(b.hostname));
}

/** An app reached straight on the management VM's public address through a named ingress exception. */
export interface DirectRoute {
  app: string;
  title: string;
  hostname: string;
  /** The exception's port, where the app listens on the VM's public interface. */
  port: number;
  exception: IngressExceptionName;
  tier: Tier;
  groups: readonly GroupName[];
  clients: "people" | "machines";
}

/** The direct routes of the catalog: one DNS-only name per app, each through its exception. */
export function directRoutes(domain: string, apps: readonly AppRecord[]): DirectRoute[] {
  const routes: DirectRoute[] = [];
  for (const app of apps) {
    if (app.exposure.kind !== "direct") continue;
    routes.push({
      app: app.name,
      title: app.title,
      hostname: `${app.exposure.subdomain}.${domain}`,
      port: exceptionFor(app.exposure.exception).port,
      exception: app.exposure.exception,
      tier: app.tier,
      groups: app.groups,
      clients: app.exposure.clients ?? "people",
    });
  }
  return routes.sort((a, b) => a.hostname.localeCompare(b.hostname));
}

/** Every public hostname of the catalog, tunnel or direct, as `publicHostname` reads them. */
export function publicRoutes(domain: string, apps: readonly AppRecord[]): (TunnelRoute | DirectRoute)[] {
  return [...tunnelRoutes(domain, apps), ...directRoutes(domain, apps)];
}

/** The URL of a direct route: the default HTTPS port stays implicit. */
export function directUrl(route: DirectRoute): string {
  return route.port === 443 ? `https://${route.hostname}` : `https://${route.hostname}:${route.port}`;
}

/**
 * The public hostname of an app: its one route, or its route on `location` when it runs on
 * several. An app without a route there is a programming error, said with the app's routes.
 */
export function publicHostname(routes: readonly (TunnelRoute | DirectRoute)[], app: string, location?: TunnelLocation | ClusterName): string {
  const own = routes.filter((r) => r.app === app);
  const found = own.length === 1 ? own[0] : own.find((r) => "location" in r && r.location === location);
  if (!found) {
    const where = location ? ` on ${location}` : "";
    throw new Error(`catalog app "${app}" has no public hostname${where} (its routes: ${own.map((r) => r.hostname).join(", ") || "none"}), but a public URL of it is needed`);
  }
  return found.hostname;
}

/**
 * A route on a home cluster's LAN Gateway (HTTPRoute), which AdGuard Home resolves at home to the
 * Gateway's address so that the family does not hairpin through Cloudflare. The hostname is the
 * app's public one where it has a tunnel route (one name, one certificate, one OIDC redirect),
 * else (DEV, which has no tunnel) the same naming rule's name.
 */
export interface LanRoute {
  app: string;
  cluster: "prod" | "dev";
  hostname: string;
  /** The Service the Gateway forwards to: the app's own, or the cluster's outpost for an `outpost` app. */
  backend: { service: string; namespace: string; port: number };
}

/**
 * LAN routes derived from the catalog: every family app that people reach through the tunnel and
 * that runs at home gets one on its cluster; admin apps stay behind Cloudflare Access only,
 * except on DEV, which has no tunnel (their own sign-in, OIDC, is then the only gate). An app
 * behind the outpost gets one only where an outpost runs, so the Gateway never bypasses it.
 */
export function lanRoutes(domain: string, apps: readonly AppRecord[]): LanRoute[] {
  const routes: LanRoute[] = [];
  for (const app of apps) {
    if (app.exposure.kind !== "tunnel" || app.placement.kind !== "cluster" || (app.exposure.clients ?? "people") !== "people") continue;
    const exposure = app.exposure;
    const tunnelLocations = app.placement.clusters.filter((c) => c !== "dev");
    for (const cluster of app.placement.clusters) {
      if (cluster === "cloud") continue;
      const hasTunnel = cluster !== "dev";
      if (app.tier !== "family" && hasTunnel) continue;
      if (app.tier === "public") continue;
      let backend: LanRoute["backend"];
      if (app.auth === "outpost") {
        const outpost = outpostOn(cluster, apps);
        if (!outpost || outpost.placement.kind !== "cluster") continue;
        backend = { service: outpost.name, namespace: outpost.placement.namespace, port: outpostPort };
      } else {
        const [service, namespace] = serviceAddress(app, apps, routedComponent(app, exposure)).split(".") as [string, string];
        backend = { service, namespace, port: exposure.port };
      }
      const label = hasTunnel ? routeLabel(exposure.subdomain, cluster, tunnelLocations.length) : routeLabel(exposure.subdomain, cluster, app.placement.clusters.length);
      routes.push({ app: app.name, cluster, hostname: `${label}.${domain}`, backend });
    }
  }
  return routes.sort((a, b) => a.hostname.localeCompare(b.hostname));
}

/** Every hostname where people reach an app: its tunnel routes and its LAN routes (OIDC redirect URIs are registered on each). */
export function appHostnames(domain: string, apps: readonly AppRecord[], app: string): string[] {
  const names = [...tunnelRoutes(domain, apps).filter((r) => r.app === app && r.clients === "people").map((r) => r.hostname), ...lanRoutes(domain, apps).filter((r) => r.app === app).map((r) => r.hostname)];
  return [...new Set(names)].sort();
}
