/** Glance's dashboard (story 4.4.1): every family app of the catalog, by cluster, with its public link. */
import type { TunnelRoute } from "../routes";
import type { KubernetesDocument } from "./documents";

export function glanceConfig(routes: readonly TunnelRoute[]): string {
  const family = routes.filter((r) => r.tier === "family" && r.clients === "people");
  const sites = family.map((r) => `              - title: ${JSON.stringify(r.title)}\n                url: https://${r.hostname}`).join("\n");
  return ["pages:", "  - name: Home", "    columns:", "      - size: full", "        widgets:", "          - type: monitor", "            title: Family apps", "            sites:", sites, ""].join("\n");
}

/** The ConfigMap the dashboard app mounts. */
export function dashboardConfigMap(routes: readonly TunnelRoute[], name: string, namespace: string): KubernetesDocument {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace }, data: { "glance.yml": glanceConfig(routes) } };
}
