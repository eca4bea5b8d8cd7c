/** PROD home services: DNS for the home network, home automation, and the media apps next to the library. */
import { adguardSeedConfig } from "../../platform/adguard";
import { letsEncrypt } from "../../platform/charts/cert-manager";
import { pgEnv } from "../../platform/app-template";
import { defineApp, groups } from "../types";

const admin = [groups.admin] as const;
const family = [groups.family] as const;

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
        data: { path: "/opt/adguardhome/work", size: "2Gi" },
        seed: { secret: "adguard-seed", file: "AdGuardHome.yaml", into: "/opt/adguardhome/conf", size: "256Mi" },
        secretMounts: [{ secret: "adguard-tls", path: "/certs" }],
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
    deploy: {
      kind: "template",
      spec: () => ({ image: "homeAssistant", containerPort: 8123, env: { TZ: "Europe/Paris" }, data: { path: "/config", size: "5Gi" } }),
    },
    exposure: { kind: "lan", address: "gateway", ports: [{ name: "http", port: 8123, protocol: "TCP" }] },
    auth: "app-native",
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
        data: { path: "/config", size: "2Gi" },
        media: [{ dataset: "media/audiobooks", mountPath: "/audiobooks", readOnly: true }],
      }),
    },
    exposure: { kind: "tunnel", subdomain: "audiobooks", port: 80 },
    auth: "app-native",
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
      spec: () => ({
        image: "komga",
        containerPort: 25600,
        data: { path: "/config", size: "2Gi" },
        media: [
          { dataset: "media/comics", mountPath: "/data/comics", readOnly: true },
          { dataset: "media/books", mountPath: "/data/books", readOnly: true },
        ],
      }),
    },
    exposure: { kind: "tunnel", subdomain: "comics", port: 80 },
    auth: "app-native",
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
        secretEnv: { ...pgEnv("romm", { host: "DB_HOST", port: "DB_PORT", user: "DB_USER", password: "DB_PASSWD", database: "DB_NAME" }), ROMM_AUTH_SECRET_KEY: ["romm", "auth-secret-key"] },
        data: { path: "/romm/resources", size: "5Gi" },
        media: [{ dataset: "media/roms", mountPath: "/romm/library", readOnly: true }],
        database: "postgres",
      }),
    },
    bitwardenSecrets: [{ name: "romm", keys: { "auth-secret-key": "homelab-romm-auth-secret-key" } }],
    exposure: { kind: "tunnel", subdomain: "romm", port: 80 },
    auth: "app-native",
    backup: "standard",
    backupSize: { volumesGi: 1, databaseGi: 0.2 },
    stories: ["4.3.4"],
  }),
] as const;
