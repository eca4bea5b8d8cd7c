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

/** Where the tunnel forwards an app's hostname: a loopback port on the management VM, or the app's Service in its cluster. */
export function originOf(app: AppRecord, exposure: TunnelExposure, apps: readonly AppRecord[]): string {
  const scheme = exposure.scheme ?? "http";
  if (app.placement.kind === "mgmt-vm") return `${scheme}://${mgmtOriginHost}:${exposure.port}`;
  return `${scheme}://${serviceAddress(app, apps, routedComponent(app, exposure))}:${exposure.port}`;
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
    const base = {
      app: app.name,
      title: app.title,
      origin: originOf(app, app.exposure, apps),
      tier: app.tier,
      groups: app.groups,
      clients: app.exposure.clients ?? "people",
    };
    if (app.placement.kind === "mgmt-vm") {
      routes.push({ ...base, location: "mgmt", hostname: `${app.exposure.subdomain}.${domain}` });
      continue;
    }
    const locations = app.placement.clusters.filter((c): c is Exclude<typeof c, "dev"> => c !== "dev");
    for (const location of locations) {
      routes.push({ ...base, location, hostname: `${routeLabel(app.exposure.subdomain, location, locations.length)}.${domain}` });
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
