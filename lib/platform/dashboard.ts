/**
 * Glance's dashboard (story 4.4.1): the weather where the family lives, and every family app of
 * the catalog with its public link. Glance's own rules for a page (internal/glance/config.go
 * isConfigStateValid, v0.7.13): at most 3 columns, sizes `small` or `full`, one or two `full`.
 * Public: nothing private may appear on it.
 */
import type { TunnelRoute } from "../routes";
import type { ClusterContext } from "./cluster-context";
import type { KubernetesDocument } from "./documents";

export function glanceConfig(routes: readonly TunnelRoute[], weather: { weatherLocation: string; units: "metric" | "imperial" }): string {
  const family = routes.filter((r) => r.tier === "family" && r.clients === "people");
  const sites = family.map((r) => `              - title: ${JSON.stringify(r.title)}\n                url: https://${r.hostname}`).join("\n");
  return [
    "pages:",
    "  - name: Home",
    "    columns:",
    "      - size: small",
    "        widgets:",
    "          - type: weather",
    // Geocoded by Open-Meteo when Glance starts (widget-weather.go): an unknown place stops Glance.
    `            location: ${JSON.stringify(weather.weatherLocation)}`,
    `            units: ${weather.units}`,
    "            hour-format: 24h",
    "      - size: full",
    "        widgets:",
    "          - type: monitor",
    "            title: Family apps",
    "            sites:",
    sites,
    "",
  ].join("\n");
}

/** The ConfigMap the dashboard app mounts. */
export function dashboardConfigMap(ctx: Pick<ClusterContext, "routes" | "dashboard" | "cluster">, name: string, namespace: string): KubernetesDocument {
  if (!ctx.dashboard) throw new Error(`cluster ${ctx.cluster}: the dashboard needs homelab:dashboard (weatherLocation) in the stack's config`);
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace }, data: { "glance.yml": glanceConfig(ctx.routes, ctx.dashboard) } };
}
