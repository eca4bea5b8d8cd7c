import type { AppRecord, Values } from "../../catalog/types";
import { annotations } from "../../markers";
import type { ClusterContext } from "../cluster-context";
import { resourcesFor } from "../resources";

/**
 * external-dns for Cloudflare. Ownership: Pulumi owns every catalog hostname (proxied CNAMEs to
 * the tunnel, components/cloudflare-edge); external-dns owns only records of Gateway routes
 * annotated `homelab.dev/dns: external-dns`, registered with TXT owner id = cluster, and never
 * deletes (upsert-only), so the two never write the same name.
 */
export function externalDnsValues(ctx: ClusterContext, app: AppRecord): Values {
  return {
    provider: { name: "cloudflare" },
    env: [{ name: "CF_API_TOKEN", valueFrom: { secretKeyRef: { name: "cloudflare-dns-token", key: "token" } } }],
    sources: ["gateway-httproute"],
    domainFilters: [ctx.domain],
    annotationFilter: `${annotations.externalDns}=external-dns`,
    txtOwnerId: `homelab-${ctx.cluster}`,
    txtPrefix: "_externaldns.",
    policy: "upsert-only",
    interval: "5m",
    resources: resourcesFor(app),
    serviceMonitor: { enabled: true },
  };
}
