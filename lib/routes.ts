/**
 * Tunnel routes derived from the app catalog: which hostname goes through which tunnel to which
 * origin. Pure, so that DNS, the tunnel configs, Cloudflare Access and the dashboard links all
 * read the same list.
 */
import { catalog, type AppEntry, type GroupName, type Tier } from "./catalog";

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

export function tunnelRoutes(domain: string, apps: readonly AppEntry[] = catalog): TunnelRoute[] {
  const routes: TunnelRoute[] = [];
  for (const app of apps) {
    if (app.exposure.kind !== "tunnel") continue;
    const base = {
      app: app.name,
      title: app.title,
      origin: app.exposure.origin,
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
      // One instance per cluster: a cluster suffix keeps the names apart (one level deep, so
      // Cloudflare's free universal certificate still covers them).
      const label = locations.length > 1 ? `${app.exposure.subdomain}-${location}` : app.exposure.subdomain;
      routes.push({ ...base, location, hostname: `${label}.${domain}` });
    }
  }
  return routes.sort((a, b) => a.hostname.localeCompare(b.hostname));
}
