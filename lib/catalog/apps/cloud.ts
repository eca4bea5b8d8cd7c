/** CLOUD family services (epics 4.1–4.4, 5.1): files, passwords, calendars, media, photos, recipes. */
import { admittedGroup, oidcClient, type OidcClient } from "../../identity/oidc-client";
import { baikalSeed } from "../../platform/baikal";
import { dashboardConfigMap } from "../../platform/dashboard";
import { pgEnv } from "../../platform/app-template";
import { hostnameFor } from "../../platform/cluster-context";
import { defineApp, groups } from "../types";
import * as setup from "./first-boot";

const admin = [groups.admin] as const;
const family = [groups.family] as const;

/**
 * Nextcloud's `before-starting` hook (nextcloud/docker docker-entrypoint.sh runs every executable
 * *.sh of /docker-entrypoint-hooks.d/<hook>/ on each start, as www-data with the environment):
 * installs user_oidc and (re)declares the Authentik provider from the client, so a change in the
 * catalog reaches Nextcloud on the next start. `--clientsecret-env` (user_oidc ≥ v8.4.0, the app
 * store's version for Nextcloud 29–34) keeps the secret out of the command line. If the app store
 * cannot be reached, Nextcloud still starts (local admin only) and the hook runs again next time.
 */
function nextcloudOidcHook(client: OidcClient): string {
  const occ = "php /var/www/html/occ";
  const whitelist = `/^(${client.groups.map((g) => g.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join("|")})$/`;
  return [
    "#!/bin/sh",
    "# Rendered by the homelab program from the app's OIDC client (lib/identity/oidc-client.ts).",
    "set -eu",
    `if ! ${occ} app:list --output=json | grep -q '"user_oidc"'; then`,
    `  ${occ} app:install user_oidc || { echo "user_oidc could not be installed (app store unreachable?); SSO stays off until the next start"; exit 0; }`,
    "fi",
    `${occ} app:enable user_oidc`,
    `${occ} user_oidc:provider homelab \\`,
    `  --clientid=${client.clientId} --clientsecret-env=NEXTCLOUD_OIDC_CLIENT_SECRET \\`,
    `  --discoveryuri=${client.discoveryUrl} \\`,
    `  --scope='openid email profile' --unique-uid=0 --mapping-uid=preferred_username \\`,
    "  --mapping-display-name=name --mapping-email=email --mapping-groups=groups \\",
    `  --group-provisioning=1 --group-whitelist-regex='${whitelist}' --group-restrict-login-to-whitelist=1`,
    "# Straight to Authentik at the login page; the local admin signs in at /login?direct=1.",
    `${occ} config:app:set --type=string --value=0 user_oidc allow_multiple_user_backends`,
    "",
  ].join("\n");
}

/** Immich's settings file (IMMICH_CONFIG_FILE, docs install/config-file): OAuth only, the rest stays at Immich's defaults. */
function immichConfig(client: OidcClient, host: string): string {
  return JSON.stringify({
    oauth: {
      enabled: true,
      issuerUrl: client.issuer,
      clientId: client.clientId,
      clientSecret: "${clientSecret}",
      scope: "openid email profile",
      signingAlgorithm: "RS256",
      autoRegister: true,
      autoLaunch: false,
      buttonText: "Sign in with Homelab",
      storageLabelClaim: "preferred_username",
      // The mobile app returns to app.immich:///oauth-callback, registered as is (docs administration/oauth).
      mobileOverrideEnabled: false,
    },
    passwordLogin: { enabled: true },
    server: { externalDomain: `https://${host}` },
  });
}

export const cloudApps = [
  defineApp({
    name: "nextcloud",
    title: "Nextcloud",
    description: "Files, sharing and photo backup",
    tier: "family",
    groups: family,
    placement: { kind: "cluster", clusters: ["cloud"], namespace: "nextcloud", syncWave: 4, resources: { cpuM: 150, memoryMi: 512 } },
    deploy: {
      kind: "template",
      spec: (ctx, app) => {
        const client = oidcClient(ctx.domain, ctx.apps, app);
        return {
          image: "nextcloud",
          containerPort: 80,
          env: { NEXTCLOUD_TRUSTED_DOMAINS: hostnameFor(ctx, "nextcloud"), OVERWRITEPROTOCOL: "https", TRUSTED_PROXIES: "10.0.0.0/8" },
          secretEnv: {
            ...pgEnv("nextcloud", { host: "POSTGRES_HOST", user: "POSTGRES_USER", password: "POSTGRES_PASSWORD", database: "POSTGRES_DB" }),
            // Both set: the image installs unattended instead of showing its web installer
            // (docker-entrypoint.sh, README "Initial admin account").
            NEXTCLOUD_ADMIN_USER: ["nextcloud-admin", "username"],
            NEXTCLOUD_ADMIN_PASSWORD: ["nextcloud-admin", "password"],
            NEXTCLOUD_OIDC_CLIENT_SECRET: [client.secret.name, client.secret.clientSecretKey],
          },
          // The family's files: too large for the Always Free bucket, so the volume is bulk (the
          // destination named in homelab:platform.bulkBackup); the database stays critical.
          data: { path: "/var/www/html", size: "20Gi", backup: "bulk" },
          configMounts: [{ configMap: "nextcloud-hooks", path: "/docker-entrypoint-hooks.d/before-starting", mode: 0o755 }],
          database: "postgres",
        };
      },
    },
    // A local admin named `admin`, not the operator's SSO username, so that user_oidc never meets a local account of that name.
    bitwardenSecrets: [{ name: "nextcloud-admin", keys: { password: setup.adminKeys.password("nextcloud") }, template: () => ({ username: "admin", password: "{{ .password }}" }) }],
    objects: (ctx, app) => [
      { id: "nextcloud-hooks", after: [], object: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "nextcloud-hooks", namespace: "nextcloud" }, data: { "10-oidc.sh": nextcloudOidcHook(oidcClient(ctx.domain, ctx.apps, app)) } } },
    ],
    exposure: { kind: "tunnel", subdomain: "cloud", port: 8080 },
    auth: "oidc",
    sso: {
      // user_oidc routes.php `login#code` at /apps/user_oidc/code (pretty URLs in the image; the
      // index.php form when the front controller is off). Desktop, mobile and WebDAV clients sign
      // in through Login Flow v2 in the browser and get an app password.
      oidc: { callbacks: ["/apps/user_oidc/code", "/index.php/apps/user_oidc/code"], appChecksGroups: true },
    },
    firstBoot: { mode: "admin-from-secret", secret: "nextcloud-admin" },
    backup: "critical",
    backupSize: { databaseGi: 0.5 },
    stories: ["4.1.1"],
  }),
  defineApp({
    name: "vaultwarden",
    title: "Vaultwarden",
    description: "Family passwords",
    tier: "family",
    groups: family,
    placement: { kind: "cluster", clusters: ["cloud"], namespace: "vaultwarden", syncWave: 4, resources: { cpuM: 10, memoryMi: 96 } },
    deploy: {
      kind: "template",
      spec: (ctx, app) => {
        const client = oidcClient(ctx.domain, ctx.apps, app);
        return {
          image: "vaultwarden",
          containerPort: 80,
          env: {
            // The SSO callback is built from DOMAIN (src/config.rs generate_sso_callback_path).
            DOMAIN: `https://${hostnameFor(ctx, "vaultwarden")}`,
            SIGNUPS_ALLOWED: "false",
            INVITATIONS_ALLOWED: "false",
            SSO_ENABLED: "true",
            // E-mail and master password stay possible when Authentik (on the OCI VM) is down.
            SSO_ONLY: "false",
            // Compared literally with the token's iss (src/sso.rs): Authentik's issuer, trailing slash.
            SSO_AUTHORITY: client.issuer,
            SSO_CLIENT_ID: client.clientId,
          },
          secretEnv: { SSO_CLIENT_SECRET: [client.secret.name, client.secret.clientSecretKey] },
          data: { path: "/data", size: "2Gi" },
        };
      },
    },
    exposure: { kind: "tunnel", subdomain: "vault", port: 80 },
    auth: "oidc",
    // The Bitwarden apps call Vaultwarden's own /identity/connect/authorize, which always sends
    // Authentik this one callback (src/api/identity.rs): no per-client redirect URI.
    sso: { oidc: { callbacks: ["/identity/connect/oidc-signin"] } },
    firstBoot: {
      mode: "closed",
      reason: "signups and invitations are off and ADMIN_TOKEN is unset (admin panel disabled); an account exists only once its owner signs in through Authentik SSO, which creates it (src/api/identity.rs)",
    },
    backup: "critical",
    backupSize: { volumesGi: 0.1 },
    stories: ["4.1.2"],
  }),
  defineApp({
    name: "baikal",
    title: "Baïkal",
    description: "Calendars and contacts",
    tier: "family",
    groups: family,
    placement: { kind: "cluster", clusters: ["cloud"], namespace: "baikal", syncWave: 4, resources: { cpuM: 10, memoryMi: 64 } },
    deploy: {
      kind: "template",
      spec: () => ({
        image: "baikal",
        containerPort: 80,
        // The image's two volumes (ckulka/baikal-docker nginx.dockerfile): config/ holds baikal.yaml,
        // Specific/ the SQLite database. Without config/ the installer returns after a restart.
        data: [
          { path: "/var/www/baikal/Specific", size: "1Gi" },
          { path: "/var/www/baikal/config", size: "64Mi" },
        ],
        // The installer runs while config/baikal.yaml is missing (Core/Frameworks/Baikal/Framework.php):
        // seed it, then create the schema the installer would (Core/Resources/Db/SQLite/db.sql). The
        // image's entrypoint hands both folders to nginx (40-fix-baikal-file-permissions.sh).
        seed: {
          from: { secret: "baikal-seed" },
          files: ["baikal.yaml"],
          into: "/var/www/baikal/config",
          then: "mkdir -p /var/www/baikal/Specific/db && { [ -f /var/www/baikal/Specific/db/db.sqlite ] || sqlite3 /var/www/baikal/Specific/db/db.sqlite < /var/www/baikal/Core/Resources/Db/SQLite/db.sql; }",
        },
      }),
    },
    bitwardenSecrets: [{ name: "baikal-seed", keys: { password: setup.adminKeys.password("baikal"), encryptionKey: "homelab-baikal-encryption-key" }, template: () => ({ "baikal.yaml": baikalSeed() }) }],
    // CalDAV/CardDAV clients cannot follow a browser sign-in: Baïkal's own DAV users (Basic auth
    // over HTTPS), one per family member; its admin UI stays off the internet.
    exposure: { kind: "tunnel", subdomain: "dav", port: 80, blockedPaths: ["^/admin"] },
    auth: "app-native",
    firstBoot: { mode: "admin-from-secret", secret: "baikal-seed" },
    backup: "critical",
    backupSize: { volumesGi: 0.05 },
    stories: ["4.1.3"],
  }),
  defineApp({
    name: "comet",
    title: "Comet",
    description: "Stremio add-on (Real-Debrid)",
    tier: "family",
    groups: family,
    // On the node with the reserved public IP: Real-Debrid requires one consistent IP (story 4.2.1).
    placement: { kind: "cluster", clusters: ["cloud"], namespace: "comet", syncWave: 4, resources: { cpuM: 30, memoryMi: 192 }, pinned: "static-egress" },
    deploy: {
      kind: "template",
      spec: () => ({
        image: "comet",
        containerPort: 8000,
        // Comet has no server-wide debrid key: each user's add-on config carries one, except through
        // the debrid stream proxy, whose default key serves users who give the proxy password and no
        // key of their own (.env-sample, comet/core/config_validation.py, v2.58.0). Streams then
        // leave from this pod, so Real-Debrid sees one address.
        env: { PROXY_DEBRID_STREAM: "True", PROXY_DEBRID_STREAM_DEBRID_DEFAULT_SERVICE: "realdebrid" },
        secretEnv: {
          PROXY_DEBRID_STREAM_DEBRID_DEFAULT_APIKEY: ["comet", "realdebrid-api-key"],
          PROXY_DEBRID_STREAM_PASSWORD: ["comet", "proxy-password"],
          ADMIN_DASHBOARD_PASSWORD: ["comet", "dashboard-password"],
          CONFIGURE_PAGE_PASSWORD: ["comet", "configure-password"],
          // Explicit, so the add-on URL the family installed survives a lost volume.
          PUBLIC_API_TOKEN: ["comet", "api-token"],
        },
        // SQLite cache and the token file under WORKDIR /app (DATABASE_PATH=data/comet.db).
        data: { path: "/app/data", size: "2Gi" },
      }),
    },
    bitwardenSecrets: [
      {
        name: "comet",
        keys: {
          "realdebrid-api-key": "homelab-realdebrid-api-key",
          "proxy-password": "homelab-comet-proxy-password",
          "dashboard-password": "homelab-comet-dashboard-password",
          "configure-password": "homelab-comet-configure-password",
          "api-token": "homelab-comet-api-token",
        },
      },
    ],
    exposure: { kind: "tunnel", subdomain: "comet", port: 8000 },
    // Stremio clients cannot sign in: the add-on URL's token and Comet's passwords.
    auth: "app-native",
    firstBoot: { mode: "closed", reason: "no installer; the dashboard, the configure page, the debrid proxy and the Stremio API are closed by passwords and a token from Bitwarden before Comet starts" },
    backup: "none",
    stories: ["4.2.1"],
  }),
  defineApp({
    name: "navidrome",
    title: "Navidrome",
    description: "Music streaming",
    tier: "family",
    groups: family,
    placement: { kind: "cluster", clusters: ["cloud"], namespace: "media", syncWave: 4, resources: { cpuM: 30, memoryMi: 128 } },
    deploy: {
      kind: "template",
      // No reverse-proxy header trust (ND_REVERSEPROXYWHITELIST): cloudflared forwards any
      // client header, so a whitelisted proxy would log anyone in as the user they name.
      spec: () => ({
        image: "navidrome",
        containerPort: 4533,
        env: { ND_BASEURL: "" },
        data: { path: "/data", size: "2Gi" },
        media: [{ dataset: "media/music", mountPath: "/music", readOnly: true }],
      }),
    },
    bitwardenSecrets: [setup.navidrome.secret],
    exposure: { kind: "tunnel", subdomain: "music", port: 4533 },
    // Subsonic apps sign in with a user's Navidrome password: Navidrome's own accounts (Tier 2).
    auth: "app-native",
    firstBoot: { mode: "claimed-by-setup", secret: "navidrome-admin", script: () => setup.navidrome.script(4533) },
    backup: "standard",
    backupSize: { volumesGi: 0.3 },
    stories: ["4.2.2"],
  }),
  defineApp({
    name: "lidarr",
    title: "Lidarr",
    description: "Music library management",
    tier: "admin",
    groups: admin,
    placement: { kind: "cluster", clusters: ["cloud"], namespace: "media", syncWave: 4, resources: { cpuM: 30, memoryMi: 256 } },
    deploy: {
      kind: "template",
      spec: () => ({
        image: "lidarr",
        containerPort: 8686,
        // Authentication delegated to what stands in front (AuthenticationType.External), by env
        // (Options/AuthOptions.cs bound from Lidarr:Auth, Bootstrap.cs), so no first-run form asks
        // for credentials. The API key is stable for integrations.
        env: { LIDARR__AUTH__METHOD: "External", LIDARR__AUTH__REQUIRED: "Enabled" },
        secretEnv: { LIDARR__AUTH__APIKEY: ["lidarr", "api-key"] },
        data: { path: "/config", size: "2Gi" },
        media: [{ dataset: "media/music", mountPath: "/music", readOnly: false }],
      }),
    },
    bitwardenSecrets: [{ name: "lidarr", keys: { "api-key": "homelab-lidarr-api-key" } }],
    exposure: { kind: "tunnel", subdomain: "lidarr", port: 8686 },
    auth: "outpost",
    firstBoot: { mode: "closed", reason: "authentication is External by env, so Lidarr shows no first-run form; only the outpost (admin group) behind Cloudflare Access reaches it" },
    backup: "standard",
    backupSize: { volumesGi: 0.5 },
    stories: ["4.2.3"],
  }),
  defineApp({
    name: "glance",
    title: "Glance",
    description: "The family's home page",
    tier: "public",
    groups: [],
    placement: { kind: "cluster", clusters: ["cloud"], namespace: "glance", syncWave: 4, resources: { cpuM: 10, memoryMi: 48 } },
    deploy: {
      kind: "template",
      // The image already runs `/app/glance --config /app/config/glance.yml` (Dockerfile, v0.7.13).
      spec: () => ({ image: "glance", containerPort: 8080, configMounts: [{ configMap: "glance-config", path: "/app/config" }] }),
    },
    // The dashboard is rendered from the catalog; it needs no controller, so it does not wait.
    objects: (ctx) => [{ id: "glance-config", object: dashboardConfigMap(ctx, "glance-config", "glance"), after: [] }],
    exposure: { kind: "tunnel", subdomain: "home", port: 8080 },
    auth: "none",
    firstBoot: { mode: "closed", reason: "a public, stateless page rendered from the catalog: no accounts, nothing to claim, nothing private on it" },
    backup: "none",
    stories: ["4.4.1"],
  }),
  defineApp({
    name: "immich",
    title: "Immich",
    description: "Photos and albums",
    tier: "family",
    groups: family,
    placement: { kind: "cluster", clusters: ["cloud"], namespace: "immich", syncWave: 4, resources: { cpuM: 300, memoryMi: 1536 } },
    deploy: {
      kind: "template",
      spec: (ctx, app) => ({
        image: "immichServer",
        containerPort: 2283,
        env: { REDIS_HOSTNAME: "localhost", IMMICH_MACHINE_LEARNING_URL: "http://localhost:3003", IMMICH_CONFIG_FILE: "/config/immich/immich.json" },
        secretEnv: pgEnv("immich", { host: "DB_HOSTNAME", user: "DB_USERNAME", password: "DB_PASSWORD", database: "DB_DATABASE_NAME" }),
        // Immich's media location is /data from v1.137.0 (immich-app/immich#20367); a library mounted
        // elsewhere would leave a fresh install writing into the container.
        media: [{ dataset: "media/photos", mountPath: "/data", readOnly: false }],
        // Machine learning's model cache (/cache upstream): models are not downloaded at every start.
        // Downloaded again when missing, so it is not backed up.
        data: { path: "/cache", size: "10Gi", name: "model-cache", backup: "none" },
        secretMounts: [{ secret: oidcClient(ctx.domain, ctx.apps, app).secret.name, path: "/config/immich" }],
        database: "vectors",
        sidecars: {
          "machine-learning": { image: "immichMachineLearning", containerPort: 3003, share: 0.5 },
          valkey: { image: "valkey", containerPort: 6379, share: 0.05 },
        },
      }),
    },
    bitwardenSecrets: [setup.immich.secret],
    exposure: { kind: "tunnel", subdomain: "photos", port: 2283 },
    auth: "oidc",
    sso: {
      oidc: {
        // docs administration/oauth: the web login and the account-linking page, and the mobile
        // app's own scheme ("You MUST include this for iOS and Android mobile apps to work").
        callbacks: ["/auth/login", "/user-settings"],
        otherRedirectUris: ["app.immich:///oauth-callback"],
        documents: (client) => ({ "immich.json": immichConfig(client, new URL(client.redirectUris[0]!).host) }),
      },
    },
    firstBoot: { mode: "claimed-by-setup", secret: "immich-admin", script: () => setup.immich.script(2283) },
    backup: "critical",
    backupSize: { databaseGi: 1 },
    stories: ["5.1.1"],
  }),
  defineApp({
    name: "n8n",
    role: "automation",
    title: "n8n",
    description: "Workflow automation",
    tier: "admin",
    groups: admin,
    placement: { kind: "cluster", clusters: ["cloud"], namespace: "n8n", syncWave: 4, resources: { cpuM: 50, memoryMi: 256 } },
    deploy: {
      kind: "template",
      spec: (ctx) => ({
        image: "n8n",
        containerPort: 5678,
        env: { N8N_HOST: hostnameFor(ctx, "n8n"), N8N_PROTOCOL: "https", WEBHOOK_URL: `https://${hostnameFor(ctx, "n8n")}/`, DB_TYPE: "postgresdb", GENERIC_TIMEZONE: "Europe/Paris" },
        secretEnv: {
          ...pgEnv("n8n", { host: "DB_POSTGRESDB_HOST", user: "DB_POSTGRESDB_USER", password: "DB_POSTGRESDB_PASSWORD", database: "DB_POSTGRESDB_DATABASE" }),
          // Without it n8n generates a key into its volume, and the credentials in Postgres die with that volume.
          N8N_ENCRYPTION_KEY: ["n8n", "encryption-key"],
        },
        data: { path: "/home/node/.n8n", size: "2Gi" },
        database: "postgres",
      }),
    },
    bitwardenSecrets: [{ name: "n8n", keys: { "encryption-key": "homelab-n8n-encryption-key" } }, setup.n8n.secret],
    exposure: { kind: "tunnel", subdomain: "n8n", port: 5678 },
    // n8n's OIDC is a Business/Enterprise feature (docs.n8n.io, SSO environment variables):
    // its own owner account, behind Cloudflare Access.
    auth: "app-native",
    firstBoot: { mode: "claimed-by-setup", secret: "n8n-admin", script: () => setup.n8n.script(5678) },
    backup: "standard",
    backupSize: { volumesGi: 0.2, databaseGi: 0.2 },
    stories: ["5.1.2"],
  }),
  defineApp({
    name: "mealie",
    title: "Mealie",
    description: "Recipes and meal plans",
    tier: "family",
    groups: family,
    placement: { kind: "cluster", clusters: ["cloud"], namespace: "mealie", syncWave: 4, resources: { cpuM: 30, memoryMi: 256 } },
    deploy: {
      kind: "template",
      spec: (ctx, app) => {
        const client = oidcClient(ctx.domain, ctx.apps, app);
        return {
          image: "mealie",
          containerPort: 9000,
          // OIDC v2 by env (docs getting-started/authentication/oidc-v2, backend-config): users
          // are created on first login, admins are the admin group's members.
          env: {
            BASE_URL: `https://${hostnameFor(ctx, "mealie")}`,
            ALLOW_SIGNUP: "false",
            OIDC_AUTH_ENABLED: "true",
            OIDC_SIGNUP_ENABLED: "true",
            OIDC_CONFIGURATION_URL: client.discoveryUrl,
            OIDC_CLIENT_ID: client.clientId,
            OIDC_USER_GROUP: admittedGroup(app),
            OIDC_ADMIN_GROUP: groups.admin,
            OIDC_PROVIDER_NAME: "Homelab",
            OIDC_AUTO_REDIRECT: "false",
          },
          secretEnv: { OIDC_CLIENT_SECRET: [client.secret.name, client.secret.clientSecretKey] },
          data: { path: "/app/data", size: "2Gi" },
        };
      },
    },
    bitwardenSecrets: [setup.mealie.secret],
    exposure: { kind: "tunnel", subdomain: "recipes", port: 9000 },
    auth: "oidc",
    // mealie/routes/auth/auth.py: redirect_uri = /login on the request's host (docs oidc-v2).
    sso: { oidc: { callbacks: ["/login"], appChecksGroups: true } },
    firstBoot: { mode: "claimed-by-setup", secret: "mealie-admin", script: () => setup.mealie.script(9000) },
    backup: "standard",
    backupSize: { volumesGi: 0.3 },
    stories: ["5.1.3"],
  }),
  defineApp({
    name: "invidious",
    title: "Invidious",
    description: "YouTube without tracking",
    tier: "family",
    groups: family,
    placement: { kind: "cluster", clusters: ["cloud"], namespace: "invidious", syncWave: 4, resources: { cpuM: 50, memoryMi: 256 } },
    deploy: {
      kind: "template",
      spec: (ctx) => ({
        image: "invidious",
        containerPort: 3000,
        secretEnv: { INVIDIOUS_DB_PASSWORD: ["invidious-db-app", "password"], INVIDIOUS_HMAC_KEY: ["invidious", "hmac-key"] },
        env: {
          // Kubernetes expands $(VAR) only for variables listed before; app-template orders by dependsOn.
          INVIDIOUS_CONFIG: {
            value: [
              "db:",
              "  dbname: invidious",
              "  user: invidious",
              "  password: $(INVIDIOUS_DB_PASSWORD)",
              "  host: invidious-db-rw",
              "  port: 5432",
              "check_tables: true",
              `domain: ${hostnameFor(ctx, "invidious")}`,
              "https_only: true",
              // Invidious has no other way to create accounts; only signed-in family members reach
              // /register, through the outpost.
              "registration_enabled: true",
              "login_enabled: true",
              "hmac_key: $(INVIDIOUS_HMAC_KEY)",
            ].join("\n"),
            dependsOn: ["INVIDIOUS_DB_PASSWORD", "INVIDIOUS_HMAC_KEY"],
          },
        },
        database: "postgres",
      }),
    },
    bitwardenSecrets: [{ name: "invidious", keys: { "hmac-key": "homelab-invidious-hmac-key" } }],
    exposure: { kind: "tunnel", subdomain: "tube", port: 3000 },
    auth: "outpost",
    firstBoot: { mode: "closed", reason: "no admin to claim; account registration is open but reachable only through the outpost, i.e. by signed-in family members" },
    backup: "none",
    stories: ["5.1.4"],
  }),
] as const;
