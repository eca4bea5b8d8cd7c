import type { AppRecord, Values } from "../../catalog/types";
import type { ClusterContext } from "../cluster-context";
import { oidcClient } from "../../identity/oidc-client";
import { resourcesFor } from "../resources";

/** ArgoCD's hostname on this cluster: its tunnel route, or on DEV (no tunnel) its route on the LAN Gateway. */
function argocdHost(ctx: ClusterContext, app: AppRecord): string {
  const route = ctx.routes.find((r) => r.app === app.name && r.location === ctx.cluster) ?? ctx.lanRoutes.find((r) => r.app === app.name && r.cluster === ctx.cluster);
  if (!route) throw new Error(`catalog app "${app.name}" has no tunnel or LAN route on ${ctx.cluster}, so nobody could reach its ArgoCD`);
  return route.hostname;
}

/**
 * ArgoCD with Authentik OIDC; RBAC: the `admin` group is admin, everyone else gets nothing.
 * TLS ends at Cloudflare (or at the LAN Gateway on DEV), so the server speaks plain HTTP. The
 * OIDC settings come from the app's client (lib/identity/oidc-client.ts), like Authentik's side.
 */
export function argocdValues(ctx: ClusterContext, app: AppRecord): Values {
  const client = oidcClient(ctx.domain, ctx.apps, app);
  return {
    global: { domain: argocdHost(ctx, app) },
    configs: {
      params: { "server.insecure": true },
      cm: {
        "admin.enabled": false,
        "oidc.config": [
          "name: Authentik",
          `issuer: ${client.issuer}`,
          `clientID: ${client.clientId}`,
          // ArgoCD reads `$<secret>:<key>` from a Secret labelled app.kubernetes.io/part-of=argocd.
          `clientSecret: $${client.secret.name}:${client.secret.clientSecretKey}`,
          "requestedScopes: [openid, profile, email, groups]",
        ].join("\n"),
      },
      // The groups Authentik admits (the admin group) are admin; everyone else gets nothing.
      rbac: { "policy.default": "", "policy.csv": client.groups.map((g) => `g, ${g}, role:admin\n`).join(""), scopes: "[groups]" },
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
