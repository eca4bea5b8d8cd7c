import { groups, type AppRecord, type Values } from "../../catalog/types";
import type { ClusterContext } from "../cluster-context";
import { resourcesFor } from "../resources";

/** oauth2-proxy on CLOUD: family apps without SSO, only for `family-validated`. */
export function oauth2ProxyValues(ctx: ClusterContext, app: AppRecord): Values {
  return {
    config: { existingSecret: app.name, configFile: "" },
    extraArgs: {
      provider: "oidc",
      "oidc-issuer-url": `${ctx.authentikUrl}/application/o/${app.name}/`,
      "allowed-group": groups.family,
      "email-domain": "*",
      "cookie-domain": `.${ctx.domain}`,
      "whitelist-domain": `.${ctx.domain}`,
      "reverse-proxy": true,
      "set-xauthrequest": true,
      "skip-provider-button": true,
    },
    resources: resourcesFor(app),
  };
}
