import { groups, type AppRecord, type Values } from "../../catalog/types";
import type { ClusterContext } from "../cluster-context";
import { routeLabel } from "../../routes";
import { resourcesFor } from "../resources";

/** ArgoCD's public hostname on this cluster; DEV has no tunnel, so its name is the same rule's, unrouted. */
function argocdHost(ctx: ClusterContext, app: AppRecord): string {
  const route = ctx.routes.find((r) => r.app === app.name && r.location === ctx.cluster);
  if (route) return route.hostname;
  if (app.exposure.kind !== "tunnel" || app.placement.kind !== "cluster") throw new Error(`catalog app "${app.name}" needs a tunnel exposure`);
  return `${routeLabel(app.exposure.subdomain, ctx.cluster, app.placement.clusters.length)}.${ctx.domain}`;
}

/**
 * ArgoCD with Authentik OIDC; RBAC: the `admin` group is admin, everyone else gets nothing.
 * TLS ends at Cloudflare, so the server speaks plain HTTP behind cloudflared.
 */
export function argocdValues(ctx: ClusterContext, app: AppRecord): Values {
  return {
    global: { domain: argocdHost(ctx, app) },
    configs: {
      params: { "server.insecure": true },
      cm: {
        "admin.enabled": false,
        "oidc.config": [
          "name: Authentik",
          `issuer: ${ctx.authentikUrl}/application/o/${app.name}/`,
          `clientID: ${app.name}`,
          // ArgoCD reads `$<secret>:<key>` from a Secret labelled app.kubernetes.io/part-of=argocd.
          `clientSecret: $${app.name}-oidc:clientSecret`,
          "requestedScopes: [openid, profile, email, groups]",
        ].join("\n"),
      },
      rbac: { "policy.default": "", "policy.csv": `g, ${groups.admin}, role:admin\n`, scopes: "[groups]" },
    },
    dex: { enabled: false },
    notifications: { enabled: false },
    applicationSet: { replicas: 1, resources: resourcesFor(app, 0.1) },
    controller: { resources: resourcesFor(app, 0.5) },
    repoServer: { resources: resourcesFor(app, 0.2) },
    server: { resources: resourcesFor(app, 0.1) },
    redis: { resources: resourcesFor(app, 0.1) },
  };
}
