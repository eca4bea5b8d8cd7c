/**
 * One OIDC client per app, derived from its catalog record: the Authentik provider
 * (lib/identity/authentik.ts) registers it, and the app's own settings (env, config file, chart
 * values, setup script) are built from the same object. Issuer, client id, redirect URIs, the
 * secret's place and the groups therefore agree by construction; a spec compares both sides as
 * they are planned.
 */
import { appWithRole } from "../catalog/queries";
import { groups as groupNames, type AppRecord, type GroupName } from "../catalog/types";
import { appHostnames, publicHostname, tunnelRoutes } from "../routes";

export interface OidcClient {
  app: string;
  /** Authentik's provider name and application slug. */
  slug: string;
  clientId: string;
  /**
   * Authentik's per-provider issuer, `https://<auth>/application/o/<slug>/` with its trailing
   * slash: apps that compare `iss` literally (Vaultwarden, Spring's issuer-uri) need it exact.
   */
  issuer: string;
  discoveryUrl: string;
  /** Endpoints Authentik serves for every provider (apps that want them one by one). */
  authorizeUrl: string;
  tokenUrl: string;
  userinfoUrl: string;
  jwksUrl: string;
  endSessionUrl: string;
  /** Exact redirect URIs: the app's callback paths on each of its hosts, then the other URIs it documents. */
  redirectUris: string[];
  /** The groups Authentik's application is bound to; only their members get a token. */
  groups: readonly GroupName[];
  /** Where the client secret reaches the app: the Kubernetes Secret and its keys. */
  secret: { name: string; clientIdKey: string | false; clientSecretKey: string };
}

/** The OIDC client of an `oidc` app. */
export function oidcClient(domain: string, apps: readonly AppRecord[], app: AppRecord): OidcClient {
  const settings = app.sso?.oidc;
  if (app.auth !== "oidc" || !settings) throw new Error(`catalog app "${app.name}" is not an OIDC client (auth "${app.auth}", sso.oidc ${settings ? "set" : "missing"})`);
  const authentik = `https://${publicHostname(tunnelRoutes(domain, apps), appWithRole(apps, "identity-provider").name)}`;
  const slug = app.name;
  const issuer = `${authentik}/application/o/${slug}/`;
  const hosts = appHostnames(domain, apps, app.name);
  const custom = app.sso?.secret ?? {};
  return {
    app: app.name,
    slug,
    clientId: app.name,
    issuer,
    discoveryUrl: `${issuer}.well-known/openid-configuration`,
    authorizeUrl: `${authentik}/application/o/authorize/`,
    tokenUrl: `${authentik}/application/o/token/`,
    userinfoUrl: `${authentik}/application/o/userinfo/`,
    jwksUrl: `${issuer}jwks/`,
    endSessionUrl: `${issuer}end-session/`,
    redirectUris: [...hosts.flatMap((host) => settings.callbacks.map((path) => `https://${host}${path}`)), ...(settings.otherRedirectUris ?? [])],
    groups: app.groups,
    secret: { name: custom.name ?? `${app.name}-oidc`, clientIdKey: custom.clientIdKey === undefined ? "clientId" : custom.clientIdKey, clientSecretKey: custom.clientSecretKey ?? "clientSecret" },
  };
}

/** The group an app's own check admits, for apps that check it themselves: the tier's group. */
export function admittedGroup(app: AppRecord): GroupName {
  return app.tier === "admin" ? groupNames.admin : groupNames.family;
}
