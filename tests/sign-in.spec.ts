/**
 * Issue 15: for every app people sign in to, the Authentik side and the app's side agree, read
 * from the planned resources. For an OIDC app: the app's issuer, client id, client secret, the
 * callback it will send (computed by the app's own upstream rule from its planned settings) and
 * the group it admits, against the provider and application in the blueprint the management VM
 * receives. For an app behind the outpost: the tunnel (and LAN route) send its hostname to the
 * outpost of its cluster, whose proxy provider forwards to the app's Service.
 */
import { strict as assert } from "node:assert";
import { parse } from "yaml";
import { apps, type AppRecord } from "../lib/catalog";
import type { Blueprint } from "../lib/identity/blueprint";
import { appHostnames, tunnelRoutes } from "../lib/routes";
import type { StackPlan } from "../tooling/plan/plan";
import { examplePlan, preparedPlatform } from "./helpers";
import { boundGroups, deployedBlueprint, envOf, fieldsOf, keyOf, objectNamed, objectsOfKind, templateValues, tunnelIngresses, valuesOf, type Cluster } from "./support/planned";

/** What an app will do at sign-in, read from its planned settings with its upstream's rules. */
interface AppSide {
  /** The issuer it trusts; an app configured by endpoints instead (Grafana) gives those. */
  issuer?: string;
  endpoints?: { authorize: string; token: string; userinfo: string };
  clientId: string;
  /** Where it reads the client secret: `<secret>/<key>`. */
  clientSecret?: string;
  /** The redirect_uri values it sends (each host it is reached on), and the other clients' ones it documents. */
  callbacks: string[];
  /** The groups it admits itself, when it checks them. */
  groups?: string[];
}

interface Plans {
  cloud: StackPlan;
  prod: StackPlan;
  dev: StackPlan;
}

const auth = "https://auth.example.com";
const hostsOf = (app: string) => appHostnames("example.com", apps, app);
const app = (name: string) => apps.find((a) => a.name === name)!;
const discoveryToIssuer = (url: string) => url.replace(/\.well-known\/openid-configuration$/, "");
/** A document the platform writes into the app's OIDC Secret (the only place it is not masked in the plan). */
function secretDocument(cluster: Cluster, secret: string, key: string): string {
  const spec = preparedPlatform(cluster).secrets.find((s) => s.name === secret)!;
  const source = spec.keys[key]!;
  assert.equal(source.from, "oidcDocument", `${secret}/${key} is not a rendered document`);
  return (source as { template: string }).template;
}

/**
 * Per app, its upstream's rule for what it sends, applied to its planned settings. Each comment
 * names the source the rule comes from.
 */
const appSides: Record<string, (plans: Plans) => AppSide[]> = {
  // src/config.rs generate_sso_callback_path: DOMAIN + /identity/connect/oidc-signin; src/sso.rs compares iss with SSO_AUTHORITY.
  vaultwarden: ({ cloud }) => {
    const env = envOf(templateValues(cloud, "cloud", "vaultwarden").controllers.app!.containers.app!);
    return [{ issuer: env.SSO_AUTHORITY!, clientId: env.SSO_CLIENT_ID!, clientSecret: env.SSO_CLIENT_SECRET, callbacks: [`${env.DOMAIN}/identity/connect/oidc-signin`] }];
  },
  // IMMICH_CONFIG_FILE (docs install/config-file); callbacks /auth/login, /user-settings on the
  // external domain and the mobile app's app.immich:///oauth-callback (docs administration/oauth).
  immich: ({ cloud }) => {
    const container = templateValues(cloud, "cloud", "immich").controllers.app!.containers.app!;
    const file = envOf(container).IMMICH_CONFIG_FILE!;
    const mount = Object.values(templateValues(cloud, "cloud", "immich").persistence!).find((p) => p.advancedMounts?.app?.app?.some((m) => file.startsWith(`${m.path}/`)))!;
    const config = JSON.parse(secretDocument("cloud", mount.name!, file.split("/").pop()!)) as { oauth: { issuerUrl: string; clientId: string; clientSecret: string }; server: { externalDomain: string } };
    return [{ issuer: config.oauth.issuerUrl, clientId: config.oauth.clientId, callbacks: [`${config.server.externalDomain}/auth/login`, `${config.server.externalDomain}/user-settings`, "app.immich:///oauth-callback"] }];
  },
  // user_oidc routes.php login#code, linked absolute (LoginController): /apps/user_oidc/code on the
  // trusted domain with pretty URLs, /index.php/apps/user_oidc/code without (https by OVERWRITEPROTOCOL).
  nextcloud: ({ cloud }) => {
    const env = envOf(templateValues(cloud, "cloud", "nextcloud").controllers.app!.containers.app!);
    const hook = (objectNamed(cloud, "cloud", "nextcloud-hooks").data as Record<string, string>)["10-oidc.sh"]!;
    const option = (name: string) => new RegExp(`--${name}=('?)([^' ]+)\\1`).exec(hook)?.[2] ?? "";
    const groups = /\/\^\(([^)]*)\)\$\//.exec(option("group-whitelist-regex"))![1]!.split("|").map((g) => g.replace(/\\/g, ""));
    assert.match(hook, /--clientsecret-env=NEXTCLOUD_OIDC_CLIENT_SECRET/);
    return [{ issuer: discoveryToIssuer(option("discoveryuri")), clientId: option("clientid"), clientSecret: env.NEXTCLOUD_OIDC_CLIENT_SECRET, callbacks: ["", "/index.php"].map((front) => `${env.OVERWRITEPROTOCOL}://${env.NEXTCLOUD_TRUSTED_DOMAINS}${front}/apps/user_oidc/code`), groups }];
  },
  // mealie/routes/auth/auth.py: redirect_uri = /login on the request's base URL; OIDC_USER_GROUP admits.
  mealie: ({ cloud }) => {
    const env = envOf(templateValues(cloud, "cloud", "mealie").controllers.app!.containers.app!);
    return [{ issuer: discoveryToIssuer(env.OIDC_CONFIGURATION_URL!), clientId: env.OIDC_CLIENT_ID!, clientSecret: env.OIDC_CLIENT_SECRET, callbacks: [`${env.BASE_URL}/login`], groups: [env.OIDC_USER_GROUP!] }];
  },
  // Auth.js: {host}/auth/openid/callback and, for the mobile app, /auth/openid/mobile-redirect (https from x-forwarded-proto).
  audiobookshelf: () => {
    const settings = JSON.parse(secretDocument("prod", "audiobookshelf-oidc", "auth-settings.json")) as Record<string, string | boolean | string[]>;
    assert.equal(settings.authOpenIDClientSecret, "${clientSecret}");
    return [{ issuer: String(settings.authOpenIDIssuerURL), clientId: String(settings.authOpenIDClientID), callbacks: hostsOf("audiobookshelf").flatMap((h) => [`https://${h}/auth/openid/callback`, `https://${h}/auth/openid/mobile-redirect`]) }];
  },
  // Spring Security: redirect-uri {baseUrl}/{action}/oauth2/code/{registrationId}, action "login"; the issuer-uri is checked against discovery.
  komga: ({ prod }) => {
    const env = envOf(templateValues(prod, "prod", "komga").controllers.app!.containers.app!);
    const registration = Object.keys(env).map((k) => /^SPRING_SECURITY_OAUTH2_CLIENT_REGISTRATION_([A-Z0-9]+)_CLIENT_ID$/.exec(k)?.[1]).find(Boolean)!;
    const prefix = `SPRING_SECURITY_OAUTH2_CLIENT_REGISTRATION_${registration}_`;
    const template = env[`${prefix}REDIRECT_URI`]!;
    const callbacks = hostsOf("komga").map((h) => template.replace("{baseUrl}", `https://${h}`).replace("{action}", "login").replace("{registrationId}", registration.toLowerCase()));
    return [{ issuer: env[`SPRING_SECURITY_OAUTH2_CLIENT_PROVIDER_${env[`${prefix}PROVIDER`]!.toUpperCase()}_ISSUER_URI`]!, clientId: env[`${prefix}CLIENT_ID`]!, clientSecret: env[`${prefix}CLIENT_SECRET`], callbacks }];
  },
  // Grafana generic OAuth: root_url + /login/generic_oauth; role_attribute_strict refuses anyone the path gives no role.
  grafana: ({ prod }) => {
    const ini = (valuesOf(prod, "prod", "prometheus").grafana as { "grafana.ini": { server: { root_url: string }; "auth.generic_oauth": Record<string, string> } })["grafana.ini"];
    const oauth = ini["auth.generic_oauth"];
    return [{ endpoints: { authorize: oauth.auth_url!, token: oauth.token_url!, userinfo: oauth.api_url! }, clientId: oauth.client_id!, callbacks: [`${ini.server.root_url}/login/generic_oauth`], groups: [...oauth.role_attribute_path!.matchAll(/contains\(groups, '([^']+)'\)/g)].map((m) => m[1]!) }];
  },
  // Argo CD without Dex: url (global.domain) + /auth/callback; the CLI's localhost:8085; RBAC maps groups to role:admin.
  argocd: (plans) =>
    (["dev", "prod", "cloud"] as const).map((cluster) => {
      const values = valuesOf(plans[cluster], cluster, "argocd") as { global: { domain: string }; configs: { cm: Record<string, string>; rbac: Record<string, string> } };
      const oidc = parse(values.configs.cm["oidc.config"]!) as { issuer: string; clientID: string };
      const groups = [...values.configs.rbac["policy.csv"]!.matchAll(/^g, ([^,]+), role:admin$/gm)].map((m) => m[1]!);
      return { issuer: oidc.issuer, clientId: oidc.clientID, callbacks: [`https://${values.global.domain}/auth/callback`, "http://localhost:8085/auth/callback"], groups };
    }),
};

function provider(blueprint: Blueprint, name: string) {
  const entry = blueprint.entries.find((e) => e.model === "authentik_providers_oauth2.oauth2provider" && fieldsOf(e).name === name);
  assert.ok(entry, `no OIDC provider ${name} in the deployed blueprint`);
  const applicationEntry = blueprint.entries.find((e) => e.model === "authentik_core.application" && keyOf(fieldsOf(e).provider) === entry.id)!;
  const slug = String(fieldsOf(applicationEntry).slug);
  return {
    issuer: `${auth}/application/o/${slug}/`,
    clientId: String(fieldsOf(entry).client_id),
    redirectUris: (fieldsOf(entry).redirect_uris as { matching_mode: string; url: string }[]).map((u) => ({ mode: u.matching_mode, url: u.url })),
    groups: boundGroups(blueprint, applicationEntry.id!),
  };
}

/** What differs between the two sides of one app (empty when they agree). */
function disagreements(record: AppRecord, side: AppSide, authentik: ReturnType<typeof provider>): string[] {
  const problems: string[] = [];
  if (side.issuer !== undefined && side.issuer !== authentik.issuer) problems.push(`${record.name}: the app trusts issuer ${side.issuer}, Authentik issues ${authentik.issuer}`);
  if (side.issuer === undefined) {
    // Authentik's endpoints, shared by every provider (docs: providers/oauth2 "URLs").
    const expected = { authorize: `${auth}/application/o/authorize/`, token: `${auth}/application/o/token/`, userinfo: `${auth}/application/o/userinfo/` };
    if (JSON.stringify(side.endpoints) !== JSON.stringify(expected)) problems.push(`${record.name}: endpoints ${JSON.stringify(side.endpoints)} are not Authentik's ${JSON.stringify(expected)}`);
  }
  if (side.clientId !== authentik.clientId) problems.push(`${record.name}: client id ${side.clientId} ≠ ${authentik.clientId}`);
  if (side.clientSecret && side.clientSecret !== `secret:${record.name}-oidc/clientSecret`) problems.push(`${record.name}: reads its client secret from ${side.clientSecret}`);
  for (const callback of side.callbacks) {
    if (!authentik.redirectUris.some((u) => u.mode === "strict" && u.url === callback)) problems.push(`${record.name}: sends redirect_uri ${callback}, which Authentik does not accept`);
  }
  if (authentik.redirectUris.some((u) => u.mode !== "strict")) problems.push(`${record.name}: Authentik accepts a pattern, not exact redirect URIs`);
  if (JSON.stringify(authentik.groups) !== JSON.stringify([...record.groups].sort())) problems.push(`${record.name}: Authentik admits ${authentik.groups.join(", ")}, the catalog says ${record.groups.join(", ")}`);
  if (side.groups && JSON.stringify([...side.groups].sort()) !== JSON.stringify(authentik.groups)) problems.push(`${record.name}: the app admits ${side.groups.join(", ")}, Authentik ${authentik.groups.join(", ")}`);
  return problems;
}

describe("sign-in: Authentik and each app agree, as planned", () => {
  let plans: Plans;
  let blueprint: Blueprint;
  before(async () => {
    plans = { cloud: await examplePlan("cloud"), prod: await examplePlan("prod"), dev: await examplePlan("dev") };
    blueprint = deployedBlueprint(plans.cloud);
  });

  it("covers every OIDC app of the catalog", () => {
    assert.deepEqual(Object.keys(appSides).sort(), apps.filter((a) => a.auth === "oidc").map((a) => a.name).sort());
  });

  for (const name of Object.keys(appSides)) {
    it(`${name}: issuer, client id, client secret, every redirect URI it sends and the groups it admits match its provider`, () => {
      const sides = appSides[name]!(plans);
      const authentik = provider(blueprint, name);
      assert.deepEqual(sides.flatMap((side) => disagreements(app(name), side, authentik)), []);
      // Nothing beyond what the app sends is accepted.
      assert.deepEqual(authentik.redirectUris.map((u) => u.url).sort(), [...new Set(sides.flatMap((s) => s.callbacks))].sort());
    });
  }

  it("the check can fail: a wrong issuer, a callback Authentik does not list, a wider group and a pattern are each reported", () => {
    const authentik = provider(blueprint, "mealie");
    const side = appSides.mealie!(plans)[0]!;
    assert.deepEqual(disagreements(app("mealie"), side, authentik), []);
    const found = [
      ...disagreements(app("mealie"), { ...side, issuer: `${auth}/application/o/mealie` }, authentik),
      ...disagreements(app("mealie"), { ...side, callbacks: ["https://recipes.example.com/auth/callback"] }, authentik),
      ...disagreements(app("mealie"), { ...side, groups: ["family-validated", "admin"] }, authentik),
      ...disagreements(app("mealie"), side, { ...authentik, redirectUris: [{ mode: "regex", url: "^https://recipes\\.example\\.com/.*$" }] }),
    ];
    assert.ok(found.some((m) => /trusts issuer https:\/\/auth\.example\.com\/application\/o\/mealie,/.test(m)), found.join("\n"));
    assert.ok(found.some((m) => /sends redirect_uri https:\/\/recipes\.example\.com\/auth\/callback/.test(m)));
    assert.ok(found.some((m) => /the app admits family-validated, admin/.test(m)));
    assert.ok(found.some((m) => /a pattern, not exact redirect URIs/.test(m)));
  });

  it("marks every address verified for the apps that require it (Vaultwarden, Komga), through one email mapping on every provider", () => {
    const mapping = blueprint.entries.find((e) => e.model === "authentik_providers_oauth2.scopemapping" && fieldsOf(e).scope_name === "email")!;
    assert.match(String(fieldsOf(mapping).expression), /"email_verified": True/);
    for (const entry of blueprint.entries.filter((e) => e.model === "authentik_providers_oauth2.oauth2provider")) {
      assert.ok((fieldsOf(entry).property_mappings as unknown[]).some((m) => keyOf(m) === mapping.id), `${String(fieldsOf(entry).name)} does not use it`);
    }
  });
});

describe("sign-in: apps without SSO of their own sit behind the outpost", () => {
  let plans: Plans;
  let blueprint: Blueprint;
  before(async () => {
    plans = { cloud: await examplePlan("cloud"), prod: await examplePlan("prod"), dev: await examplePlan("dev") };
    blueprint = deployedBlueprint(plans.cloud);
  });
  const outpostApps = apps.filter((a) => a.auth === "outpost");
  const outpostOrigin = "http://authentik-outpost.authentik-outpost.svc:9000";

  it("covers the family's Invidious and the admin UIs without sign-in (Lidarr, Hubble, Longhorn, Prometheus, Alertmanager)", () => {
    for (const name of ["alertmanager", "hubble", "invidious", "lidarr", "longhorn", "prometheus"]) assert.ok(outpostApps.some((a) => a.name === name), name);
  });

  for (const record of outpostApps) {
    it(`${record.name}: tunnel → the outpost of its cluster → its Service, for exactly its group`, () => {
      for (const route of tunnelRoutes("example.com", apps).filter((r) => r.app === record.name)) {
        const cluster = route.location as "cloud" | "prod";
        const plan = plans[cluster];
        // The only origin of the hostname is the outpost, which runs on that cluster with Authentik's address.
        // The cloud stack holds every tunnel's configuration (Cloudflare is its provider).
        const rules = tunnelIngresses(plans.cloud, cluster).filter((i) => i.hostname === route.hostname);
        assert.deepEqual(rules.map((i) => i.service), [outpostOrigin]);
        const outpost = envOf(templateValues(plan, cluster, "authentik-outpost").controllers.app!.containers.app!);
        assert.deepEqual([outpost.AUTHENTIK_HOST, outpost.AUTHENTIK_TOKEN], [auth, "secret:authentik-outpost-token/token"]);
        // Authentik: a proxy provider for the hostname, forwarding to the app's Service, served by that cluster's outpost.
        const entry = blueprint.entries.find((e) => e.model === "authentik_providers_proxy.proxyprovider" && fieldsOf(e).external_host === `https://${route.hostname}`)!;
        assert.equal(fieldsOf(entry).mode, "proxy");
        const [service, namespace] = String(fieldsOf(entry).internal_host).replace(/^http:\/\//, "").split(".");
        assert.ok(service && namespace && record.placement.kind === "cluster" && namespace === record.placement.namespace, String(fieldsOf(entry).internal_host));
        const outpostEntry = blueprint.entries.find((e) => e.model === "authentik_outposts.outpost" && fieldsOf(e).name === `homelab-outpost-${cluster}`)!;
        assert.ok((fieldsOf(outpostEntry).providers as unknown[]).some((p) => keyOf(p) === entry.id));
        const applicationEntry = blueprint.entries.find((e) => e.model === "authentik_core.application" && keyOf(fieldsOf(e).provider) === entry.id)!;
        assert.deepEqual(boundGroups(blueprint, applicationEntry.id!), [...record.groups].sort());
      }
    });
  }

  it("the LAN Gateway does not bypass it: a LAN route of an outpost app goes to the outpost too", () => {
    const routes = objectsOfKind(plans.prod, "HTTPRoute") as unknown as { metadata: { labels: Record<string, string> }; spec: { rules: { backendRefs: { name: string }[] }[] } }[];
    for (const route of routes) {
      const record = app(route.metadata.labels["homelab.dev/app"]!);
      if (record.auth === "outpost") assert.equal(route.spec.rules[0]!.backendRefs[0]!.name, "authentik-outpost");
    }
  });

  it("no app trusts an identity header a client could send (Navidrome's reverse-proxy whitelist is gone)", () => {
    for (const [cluster, plan] of Object.entries(plans) as [Cluster, StackPlan][]) {
      for (const record of apps.filter((a) => a.deploy?.kind === "template" && a.placement.kind === "cluster" && a.placement.clusters.includes(cluster))) {
        const env = envOf(templateValues(plan, cluster, record.name).controllers.app!.containers.app!);
        const trusting = Object.keys(env).filter((k) => /REVERSEPROXYWHITELIST|EXTAUTH_TRUSTEDSOURCES|REVERSEPROXYUSERHEADER/.test(k));
        assert.deepEqual(trusting, [], `${cluster}/${record.name}`);
      }
    }
  });
});
