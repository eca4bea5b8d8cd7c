/** PROD home services: DNS for the home network, home automation, and the media apps next to the library. */
import { adguardSeedConfig, lanNames, lanNamesList } from "../../platform/adguard";
import { letsEncrypt } from "../../platform/charts/cert-manager";
import { pgEnv } from "../../platform/app-template";
import { homeAssistantConfigFiles } from "../../platform/home-assistant";
import { oidcClient, type OidcClient } from "../../identity/oidc-client";
import { defineApp, groups } from "../types";
import * as setup from "./first-boot";

const admin = [groups.admin] as const;
const family = [groups.family] as const;

/**
 * Audiobookshelf's OIDC settings (ServerSettings.js v2.20.0 `authOpenID*`): the endpoints one by
 * one, as its UI fills them from the discovery document; new users are created on first login
 * (Authentik's binding decides who may), matched to existing ones by username.
 */
function audiobookshelfAuthSettings(client: OidcClient): string {
  return JSON.stringify({
    authActiveAuthMethods: ["local", "openid"],
    authOpenIDIssuerURL: client.issuer,
    authOpenIDAuthorizationURL: client.authorizeUrl,
    authOpenIDTokenURL: client.tokenUrl,
    authOpenIDUserInfoURL: client.userinfoUrl,
    authOpenIDJwksURL: client.jwksUrl,
    authOpenIDLogoutURL: client.endSessionUrl,
    authOpenIDClientID: client.clientId,
    authOpenIDClientSecret: "${clientSecret}",
    authOpenIDTokenSigningAlgorithm: "RS256",
    authOpenIDButtonText: "Sign in with Homelab",
    authOpenIDAutoLaunch: false,
    authOpenIDAutoRegister: true,
    authOpenIDMatchExistingBy: "username",
    authOpenIDMobileRedirectURIs: ["audiobookshelf://oauth"],
  });
}

export const homeApps = [
  defineApp({
    name: "adguard-home",
    title: "AdGuard Home",
    description: "DNS and ad blocking for the home network",
    tier: "admin",
    groups: admin,
    placement: { kind: "cluster", clusters: ["prod"], namespace: "adguard", syncWave: 2, resources: { cpuM: 30, memoryMi: 128 } },
    deploy: {
      kind: "template",
      spec: () => ({
        image: "adguardHome",
        containerPort: 3000,
        data: [
          { path: "/opt/adguardhome/work", size: "2Gi", name: "data" },
          { path: "/opt/adguardhome/conf", size: "256Mi", name: "conf" },
        ],
        seed: { from: { secret: "adguard-seed" }, files: ["AdGuardHome.yaml"], into: "/opt/adguardhome/conf" },
        secretMounts: [{ secret: "adguard-tls", path: "/certs" }],
        // The LAN names of the apps at home, re-read from disk every hour.
        configMounts: [{ configMap: lanNames.configMap, path: lanNames.directory }],
      }),
    },
    // The first configuration, whose only template value is the admin's bcrypt hash
    // (htpasswd -bnBC 10 "" <password> | tr -d ':'), so the web UI always asks for a password.
    bitwardenSecrets: [{ name: "adguard-seed", keys: { passwordHash: "homelab-adguard-admin-bcrypt" }, template: (ctx) => ({ "AdGuardHome.yaml": adguardSeedConfig(ctx.domain) }) }],
    objects: (ctx) => [
      {
        id: "adguard-certificate",
        after: ["cert-manager"],
        object: {
          apiVersion: "cert-manager.io/v1",
          kind: "Certificate",
          metadata: { name: "adguard-tls", namespace: "adguard" },
          spec: { secretName: "adguard-tls", dnsNames: [`dns.${ctx.domain}`], issuerRef: { name: letsEncrypt.prod.name, kind: "ClusterIssuer", group: "cert-manager.io" } },
        },
      },
      {
        id: "adguard-lan-names",
        after: [],
        object: {
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { name: lanNames.configMap, namespace: "adguard" },
          data: { [lanNames.file]: lanNamesList(ctx.lanRoutes, { prod: ctx.lan?.gatewayIp, dev: ctx.lan?.devGatewayIp }) },
        },
      },
    ],
    exposure: {
      kind: "lan",
      address: "dns",
      ports: [
        { name: "dns-udp", port: 53, protocol: "UDP" },
        { name: "dns-tcp", port: 53, protocol: "TCP" },
        { name: "dot", port: 853, protocol: "TCP" },
        { name: "doh", port: 443, protocol: "TCP" },
      ],
    },
    auth: "app-native",
    firstBoot: { mode: "admin-from-secret", secret: "adguard-seed" },
    backup: "standard",
    backupSize: { volumesGi: 0.3 },
    stories: ["2.5.1"],
  }),
  defineApp({
    name: "home-assistant",
    title: "Home Assistant",
    description: "Home automation",
    tier: "family",
    groups: family,
    placement: { kind: "cluster", clusters: ["prod"], namespace: "home-assistant", syncWave: 4, resources: { cpuM: 150, memoryMi: 512 } },
    // A Zigbee or Z-Wave stick (homelab:usbDevices), passed through from the Proxmox worker.
    takesUsbDevices: true,
    deploy: {
      kind: "template",
      spec: (ctx) => {
        return {
          image: "homeAssistant",
          containerPort: 8123,
          env: { TZ: "Europe/Paris" },
          data: { path: "/config", size: "5Gi" },
          // HA writes configuration.yaml itself when it is missing; seeding it (once) adds the
          // reverse-proxy trust the tunnel and the Gateway need, and the files it includes.
          seed: { from: { configMap: "home-assistant-seed" }, files: Object.keys(homeAssistantConfigFiles(ctx)), into: "/config" },
          // Discovery (mDNS, SSDP, HomeKit) needs the pod on the LAN's layer 2: the worker's network.
          hostNetwork: true,
        };
      },
    },
    bitwardenSecrets: [setup.homeAssistant.secret],
    // Host networking (and a USB device node) is beyond Pod Security `baseline`.
    privileged: true,
    objects: (ctx) => [{ id: "home-assistant-seed", after: [], object: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "home-assistant-seed", namespace: "home-assistant" }, data: homeAssistantConfigFiles(ctx) } }],
    // Away from home through the tunnel with HA's own sign-in (TOTP offered to every user); at home on the LAN Gateway.
    exposure: { kind: "tunnel", subdomain: "ha", port: 8123 },
    auth: "app-native",
    firstBoot: { mode: "claimed-by-setup", secret: "home-assistant-admin", script: () => setup.homeAssistant.script(8123) },
    backup: "critical",
    backupSize: { volumesGi: 1 },
    stories: ["4.3.1"],
  }),
  defineApp({
    name: "audiobookshelf",
    title: "Audiobookshelf",
    description: "Audiobooks and podcasts",
    tier: "family",
    groups: family,
    placement: { kind: "cluster", clusters: ["prod"], namespace: "media", syncWave: 4, resources: { cpuM: 30, memoryMi: 192 } },
    deploy: {
      kind: "template",
      spec: () => ({
        image: "audiobookshelf",
        containerPort: 80,
        // The image sets CONFIG_PATH=/config (SQLite) and METADATA_PATH=/metadata (covers, cache,
        // backups, logs): Dockerfile v2.20.0.
        data: [
          { path: "/config", size: "2Gi" },
          { path: "/metadata", size: "5Gi" },
        ],
        media: [{ dataset: "media/audiobooks", mountPath: "/audiobooks", readOnly: true }],
      }),
    },
    bitwardenSecrets: [setup.audiobookshelf.secret],
    exposure: { kind: "tunnel", subdomain: "audiobooks", port: 80 },
    auth: "oidc",
    sso: {
      oidc: {
        // Auth.js (v2.20.0): the web callback, and the mobile flow's redirect, which then opens
        // the app link audiobookshelf://oauth (ABS' own whitelist, not an IdP redirect URI).
        callbacks: ["/auth/openid/callback", "/auth/openid/mobile-redirect"],
        // ABS keeps its OIDC settings in its database: the setup container posts this document.
        documents: (client) => ({ "auth-settings.json": audiobookshelfAuthSettings(client) }),
      },
    },
    firstBoot: { mode: "claimed-by-setup", secret: "audiobookshelf-admin", script: () => setup.audiobookshelf.script(80) },
    backup: "standard",
    backupSize: { volumesGi: 0.3 },
    stories: ["4.3.2"],
  }),
  defineApp({
    name: "komga",
    title: "Komga",
    description: "Comics and manga",
    tier: "family",
    groups: family,
    placement: { kind: "cluster", clusters: ["prod"], namespace: "media", syncWave: 4, resources: { cpuM: 50, memoryMi: 512 } },
    deploy: {
      kind: "template",
      spec: (ctx, app) => {
        const client = oidcClient(ctx.domain, ctx.apps, app);
        const registration = "SPRING_SECURITY_OAUTH2_CLIENT_REGISTRATION_AUTHENTIK_";
        return {
          image: "komga",
          containerPort: 25600,
          // Spring Security's OAuth2 client, bound from env (registration id `authentik`, so the
          // callback is {baseUrl}/login/oauth2/code/authentik); accounts are created on first
          // login, matched by a verified e-mail (KomgaOAuth2UserServiceConfiguration.kt).
          env: {
            [`${registration}PROVIDER`]: "authentik",
            [`${registration}CLIENT_ID`]: client.clientId,
            [`${registration}CLIENT_NAME`]: "Homelab",
            [`${registration}SCOPE`]: "openid,email,profile",
            [`${registration}AUTHORIZATION_GRANT_TYPE`]: "authorization_code",
            [`${registration}REDIRECT_URI`]: "{baseUrl}/{action}/oauth2/code/{registrationId}",
            SPRING_SECURITY_OAUTH2_CLIENT_PROVIDER_AUTHENTIK_ISSUER_URI: client.issuer,
            SPRING_SECURITY_OAUTH2_CLIENT_PROVIDER_AUTHENTIK_USER_NAME_ATTRIBUTE: "sub",
            KOMGA_OAUTH2ACCOUNTCREATION: "true",
          },
          secretEnv: { [`${registration}CLIENT_SECRET`]: [client.secret.name, client.secret.clientSecretKey] },
          data: { path: "/config", size: "2Gi" },
          media: [
            { dataset: "media/comics", mountPath: "/data/comics", readOnly: true },
            { dataset: "media/books", mountPath: "/data/books", readOnly: true },
          ],
        };
      },
    },
    bitwardenSecrets: [setup.komga.secret],
    exposure: { kind: "tunnel", subdomain: "comics", port: 80 },
    auth: "oidc",
    sso: { oidc: { callbacks: ["/login/oauth2/code/authentik"] } },
    firstBoot: { mode: "claimed-by-setup", secret: "komga-admin", script: () => setup.komga.script(25600) },
    backup: "standard",
    backupSize: { volumesGi: 0.5 },
    stories: ["4.3.3"],
  }),
  defineApp({
    name: "romm",
    title: "RomM",
    description: "Retro game library",
    tier: "admin",
    groups: admin,
    placement: { kind: "cluster", clusters: ["prod"], namespace: "media", syncWave: 4, resources: { cpuM: 50, memoryMi: 256 } },
    deploy: {
      kind: "template",
      spec: () => ({
        image: "romm",
        containerPort: 8080,
        env: { ROMM_DB_DRIVER: "postgresql" },
        secretEnv: {
          ...pgEnv("romm", { host: "DB_HOST", port: "DB_PORT", user: "DB_USER", password: "DB_PASSWD", database: "DB_NAME" }),
          ROMM_AUTH_SECRET_KEY: ["romm", "auth-secret-key"],
        },
        // Metadata providers (backend/config/__init__.py, 3.8.3), named by their env vars: IGDB
        // through a Twitch app, ScreenScraper, SteamGridDB. Optional: until their Secret syncs
        // (every key in Bitwarden), RomM starts without them.
        optionalEnvFrom: ["romm-metadata"],
        // Dockerfile 3.8.3: VOLUME /romm/resources /romm/library /romm/assets /romm/config /redis-data;
        // the embedded Valkey (REDIS_HOST unset) keeps its data in /redis-data.
        data: [
          { path: "/romm/resources", size: "5Gi" },
          { path: "/romm/assets", size: "5Gi" },
          { path: "/romm/config", size: "64Mi" },
          { path: "/redis-data", size: "512Mi", name: "redis" },
        ],
        media: [{ dataset: "media/roms", mountPath: "/romm/library", readOnly: true }],
        database: "postgres",
      }),
    },
    bitwardenSecrets: [
      { name: "romm", keys: { "auth-secret-key": "homelab-romm-auth-secret-key" } },
      {
        name: "romm-metadata",
        keys: {
          IGDB_CLIENT_ID: "homelab-romm-igdb-client-id",
          IGDB_CLIENT_SECRET: "homelab-romm-igdb-client-secret",
          SCREENSCRAPER_USER: "homelab-romm-screenscraper-user",
          SCREENSCRAPER_PASSWORD: "homelab-romm-screenscraper-password",
          STEAMGRIDDB_API_KEY: "homelab-romm-steamgriddb-api-key",
        },
      },
      setup.romm.secret,
    ],
    exposure: { kind: "tunnel", subdomain: "romm", port: 80 },
    // Admin tier: Cloudflare Access in front, RomM's own admin behind it.
    auth: "app-native",
    firstBoot: { mode: "claimed-by-setup", secret: "romm-admin", script: () => setup.romm.script(8080) },
    backup: "standard",
    backupSize: { volumesGi: 1, databaseGi: 0.2 },
    stories: ["4.3.4"],
  }),
] as const;
