/**
 * The management VM's documents, as pure functions: the Compose project (Omni, Authentik,
 * cloudflared, backups), one env file per service for the secrets, the cloud-init that installs
 * Docker and the sync agent, and the instance metadata that carries the project and the secrets.
 *
 * How a change reaches the VM without replacing it: cloud-init runs once and installs
 * `homelab-sync` (files/homelab-sync.sh) with a one-minute systemd timer. Everything that may
 * change later (the Compose file, blueprints, scripts, secrets) travels in two instance metadata
 * keys, which OCI updates in place (UpdateInstance); the agent applies them with
 * `docker compose up -d`. Service data lives under /var/lib/homelab, outside the project.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { ConfigError } from "../config/errors";
import { stringify } from "yaml";
import { exceptionFor, ingressExceptions, type IngressException } from "../ingress-exceptions";
import { projectMetadataKey } from "../markers";
import { tarGzip, type TarFile } from "../tar";
import { images, versions } from "../versions";
import { mgmtBackupHost, type MgmtBackupClass } from "../backup/items";

/** Where the project lives on the VM (replaced on every change) and where data lives (kept). */
export const paths = { project: "/opt/homelab", state: "/var/lib/homelab" } as const;

/** OCI's limit on an instance's metadata plus extended metadata, in bytes. */
export const ociMetadataLimitBytes = 32_000;

/** The metadata keys the sync agent reads. */
export const metadataKeys = { project: projectMetadataKey, secrets: "homelab-secrets" } as const;

export interface ManagementDocumentsInput {
  /** Public hostnames of the VM's apps (from the catalog's tunnel and direct routes). */
  hostnames: ManagementHostnames;
  /** Omni's initial admins and Authentik's bootstrap e-mail (the first one). */
  adminEmails: readonly string[];
  /** Omni's account UUID: fixed at first start, never changed afterwards. */
  omniAccountId: string;
  /** Restic repository of the management VM's backups (`s3:<endpoint>/<bucket>/mgmt`). */
  resticRepository: string;
  /** OCI region, which the S3-compatible API expects as the AWS region. */
  region: string;
  /** Authentik blueprints by file name (the identity layer renders them). */
  blueprints?: Readonly<Record<string, string>>;
  /** The restic job per backup class, from the VM's records (lib/backup/items.ts). */
  backupClasses: readonly MgmtBackupClass[];
  /** ntfy topic URL a failed backup posts to (the token is in the backup service's secrets). */
  ntfyUrl?: string;
}

/** Every secret the VM needs, by service. All values come from Pulumi secrets. */
export interface ManagementSecrets {
  authentikSecretKey: string;
  authentikBootstrapPassword: string;
  authentikBootstrapToken: string;
  postgresPassword: string;
  tunnelToken: string;
  backupAccessKeyId: string;
  backupSecretKey: string;
  resticPassword: string;
  /** Cloudflare API token for Let's Encrypt DNS-01 (Zone:Read and DNS:Edit on the one zone). */
  acmeDnsApiToken: string;
  /** ntfy token for the backup job's failure message. */
  ntfyToken?: string;
  /** Variables the Authentik blueprints read with `!Env` (client secrets, tokens, webhook secret). */
  authentikBlueprintEnv?: Readonly<Record<string, string>>;
}

// ---------------------------------------------------------------------------------------------
// Compose

/** The subset of the Compose specification the project uses (checked against compose-spec.json). */
export interface ComposeService {
  image: string;
  /**
   * `host`: the service shares the VM's network namespace (the tunnel's connector, which reaches
   * loopback origins). Only an unprivileged service with a non-root `user` may: homelab-sync
   * blocks the metadata service for that user, as DOCKER-USER does for bridged containers.
   */
  network_mode?: "host";
  /**
   * Published ports: on loopback (`127.0.0.1:<port>:<port>`) for the tunnel's connector, and on
   * every address (`0.0.0.0:<port>:<port>`) only for the ingress exceptions' ports.
   */
  ports?: string[];
  command?: string[];
  entrypoint?: string[];
  restart: "unless-stopped" | "no";
  env_file?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: "service_started" | "service_healthy" }>;
  healthcheck?: { test: string[]; interval: string; timeout: string; retries: number; start_period?: string };
  cap_add?: string[];
  devices?: string[];
  extra_hosts?: string[];
  user?: string;
  read_only?: boolean;
  mem_limit: string;
  cpus?: number;
  logging: { driver: "json-file"; options: { "max-size": string; "max-file": string } };
}
export interface ComposeProject {
  name: string;
  services: Record<string, ComposeService>;
}

const logging: ComposeService["logging"] = { driver: "json-file", options: { "max-size": "10m", "max-file": "3" } };
/** Authentik's HTTP port (the image's default); the tunnel's `auth` route reaches it on loopback. */
export const authentikHttpPort = 9000;
const state = (sub: string) => `${paths.state}/${sub}`;

/** Memory limit per service, in MiB: together they leave the OS room on the 6 GB VM. */
export const memoryLimitsMiB: Record<string, number> = {
  omni: 1536,
  "authentik-server": 1024,
  "authentik-worker": 768,
  postgresql: 512,
  cloudflared: 128,
  "pg-dump": 128,
  backup: 512,
  acme: 64,
};
const mem = (service: string) => `${memoryLimitsMiB[service]}m`;

/** The public hostnames the VM's services announce, from the catalog's tunnel routes. */
export interface ManagementHostnames {
  omni: string;
  omniSiderolink: string;
  omniKube: string;
  authentik: string;
}

/**
 * Omni's listeners (v0.48.3 flags, `cmd/omni/cmd/cmd.go`). Omni runs on the Compose network, so
 * what the VM publishes decides who reaches it: the two public ports are the ingress exceptions'
 * (and nothing else opens them: lib/ingress-exceptions.ts); the Kubernetes proxy is published on
 * the host's loopback only, for the tunnel's connector; the metrics stay inside the container;
 * the event sink and the kernel-log server listen only on the SideroLink address inside
 * WireGuard (`internal/backend/server.go` runMachineAPI), in the container's namespace.
 */
export const omniPorts = {
  /** `--bind-addr`: UI and gRPC API (omnictl, talosctl) on the public interface. */
  api: exceptionFor("omni-api").port,
  /** `--machine-api-bind-addr`: SideroLink joins and WireGuard-over-gRPC on the public interface. */
  machineApi: exceptionFor("omni-siderolink").port,
  /** `--k8s-proxy-bind-addr`: published on the host's loopback only; the tunnel's `omni-kube` route reaches it. */
  k8sProxy: 8100,
  /** `--metrics-bind-addr` (default 0.0.0.0:2122): the container's loopback only. */
  metrics: 2122,
  /** `--event-sink-port`: Talos sends machine events here (kernel argument talos.events.sink). */
  eventSink: 8091,
  /** `--log-server-port`: Talos sends kernel logs here (kernel argument talos.logging.kernel). */
  logServer: 8092,
} as const;

/** Omni's fixed SideroLink server address inside the WireGuard network (the ULA's first host). */
export const siderolinkServerAddress = "fdae:41e4:649b:9303::1";

/** Where Talos machines join: the SideroLink API URL Omni advertises (and that the kernel arguments carry). */
export function siderolinkApiUrl(hostnames: Pick<ManagementHostnames, "omniSiderolink">): string {
  return `https://${hostnames.omniSiderolink}:${omniPorts.machineApi}/`;
}

/** The certificate's names: every hostname that reaches Omni's TLS listeners directly. */
export function certificateDomains(hostnames: ManagementHostnames): string[] {
  return [hostnames.omni, hostnames.omniSiderolink];
}

/**
 * Where the pinned lego image has its binary: goreleaser builds goacme/lego from
 * `buildx.Dockerfile` (`.goreleaser.yml` dockers_v2 @ v4.35.2), which copies it to `/lego` with
 * `ENTRYPOINT ["/lego"]`; the alpine PATH does not include `/`, so acme.sh calls it by this path.
 */
export const legoBinary = "/lego";

/** Omni's flags (v0.48): a Let's Encrypt certificate, SideroLink's WireGuard carried over gRPC, SAML through Authentik. */
export function omniArgs(input: ManagementDocumentsInput): string[] {
  const hosts = input.hostnames;
  return [
    `--account-id=${input.omniAccountId}`,
    "--name=homelab",
    // One certificate for both TLS listeners (omni-docs on-prem guide: self-signed ones do not work).
    "--cert=/tls/omni.crt",
    "--key=/tls/omni.key",
    "--machine-api-cert=/tls/omni.crt",
    "--machine-api-key=/tls/omni.key",
    "--private-key-source=file:///omni.asc",
    `--bind-addr=0.0.0.0:${omniPorts.api}`,
    `--machine-api-bind-addr=0.0.0.0:${omniPorts.machineApi}`,
    `--k8s-proxy-bind-addr=0.0.0.0:${omniPorts.k8sProxy}`,
    `--metrics-bind-addr=127.0.0.1:${omniPorts.metrics}`,
    `--event-sink-port=${omniPorts.eventSink}`,
    `--log-server-port=${omniPorts.logServer}`,
    `--advertised-api-url=https://${hosts.omni}/`,
    `--siderolink-api-advertised-url=${siderolinkApiUrl(hosts)}`,
    `--advertised-kubernetes-proxy-url=https://${hosts.omniKube}/`,
    // No UDP port is open anywhere: machines tunnel WireGuard through the SideroLink gRPC API
    // (TCP ${omniPorts.machineApi}), so Omni's WireGuard UDP listener is never reachable and
    // needs no advertised address (upstream's tunnel-mode example sets none either).
    "--siderolink-use-grpc-tunnel=true",
    "--auth-saml-enabled=true",
    `--auth-saml-url=https://${hosts.authentik}/application/saml/omni/metadata/`,
    `--initial-users=${input.adminEmails.join(",")}`,
  ];
}

/**
 * The host firewall's openings, one line per exception (`<protocol> <port> <name>`): OCI's Ubuntu
 * images reject every inbound connection but SSH in the INPUT chain (/etc/iptables/rules.v4).
 * Docker's DNAT carries the published ports through FORWARD, which Docker's own chains accept, but
 * connections its userland proxy carries (and a Docker without iptables) meet INPUT: homelab-sync
 * admits exactly these ports there and removes any rule it added for an exception that is gone.
 */
export function hostFirewall(exceptions: readonly IngressException[] = ingressExceptions): string {
  const protocols: Record<IngressException["protocol"], string> = { "6": "tcp" };
  return exceptions.map((e) => `${protocols[e.protocol]} ${e.port} ${e.name}\n`).join("");
}

/**
 * The users of the services on the host network, one uid per line: homelab-sync rejects their
 * connections to the instance metadata service (OUTPUT, by owner), since DOCKER-USER sees only
 * bridged containers. A host-network service without a non-root user is a programming error.
 */
export function hostNetworkUids(project: ComposeProject): string {
  return Object.entries(project.services)
    .filter(([, service]) => service.network_mode === "host")
    .map(([name, service]) => {
      const uid = /^([1-9]\d*):[1-9]\d*$/.exec(service.user ?? "")?.[1];
      if (!uid || service.cap_add) throw new Error(`management VM: ${name} is on the host network, so it needs a non-root user:group and no added capabilities`);
      return `${uid}\n`;
    })
    .join("");
}

/** backup.sh's settings per class (see files/backup.sh). */
export function backupEnvironment(classes: readonly MgmtBackupClass[]): Record<string, string> {
  if (classes.length === 0) throw new Error("management VM: no backup class; give the omni and authentik records a backup class");
  const env: Record<string, string> = { BACKUP_CLASSES: classes.map((c) => c.name).join(" ") };
  for (const c of classes) {
    const key = c.name.toUpperCase();
    env[`BACKUP_${key}_PATHS`] = c.paths.join(" ");
    env[`BACKUP_${key}_INTERVAL`] = String(c.intervalSeconds);
    env[`BACKUP_${key}_KEEP`] = c.keepFlags.join(" ");
    env[`BACKUP_${key}_LIMIT_KIBPS`] = String(c.uploadKiBps);
  }
  return env;
}

export function composeProject(input: ManagementDocumentsInput): ComposeProject {
  if (input.adminEmails.length === 0) throw new Error("management VM: adminEmails is empty; Omni needs an initial admin");
  // Authentik ≥ 2025.10 keeps everything in PostgreSQL (no Redis); ≥ 2025.12 keeps its files under /data.
  const authentikEnvironment = {
    AUTHENTIK_POSTGRESQL__HOST: "postgresql",
    AUTHENTIK_POSTGRESQL__USER: "authentik",
    AUTHENTIK_POSTGRESQL__NAME: "authentik",
    AUTHENTIK_BOOTSTRAP_EMAIL: input.adminEmails[0]!,
    AUTHENTIK_ERROR_REPORTING__ENABLED: "false",
    AUTHENTIK_DISABLE_UPDATE_CHECK: "true",
  };
  const authentikVolumes = [
    `${state("authentik/data")}:/data`,
    `${state("authentik/certs")}:/certs`,
    "./authentik/blueprints:/blueprints/custom:ro",
  ];
  const authentikDepends = { postgresql: { condition: "service_healthy" as const } };
  const authentikImage = `ghcr.io/goauthentik/server:${versions.authentik}`;
  const postgresImage = `docker.io/library/postgres:${versions.postgres}`;
  return {
    name: "homelab",
    services: {
      omni: {
        image: `ghcr.io/siderolabs/omni:${versions.omni}`,
        command: omniArgs(input),
        restart: "unless-stopped",
        // On the Compose network, not the host's as upstream's sample (deploy/compose.yaml @
        // v0.48.3): that sample needs it for WireGuard over UDP, which the gRPC tunnel replaces.
        // Omni answers the internet and holds NET_ADMIN for its SideroLink TUN; in the host's
        // namespace that would let it rewrite the host firewall and reach the instance metadata
        // (the secrets bundle). Its SideroLink interface, event sink and log server live in the
        // container's namespace; only the exceptions' ports and the proxy's loopback port publish.
        ports: [...ingressExceptions.map((e) => `0.0.0.0:${e.port}:${e.port}`), `127.0.0.1:${omniPorts.k8sProxy}:${omniPorts.k8sProxy}`],
        cap_add: ["NET_ADMIN"],
        devices: ["/dev/net/tun"],
        volumes: [`${state("omni/etcd")}:/_out/etcd`, `${state("omni/omni.asc")}:/omni.asc:ro`, `${state("omni/tls")}:/tls:ro`],
        // Omni refuses to start without its certificate: wait for the first one.
        depends_on: { acme: { condition: "service_healthy" } },
        mem_limit: mem("omni"),
        logging,
      },
      acme: {
        image: `docker.io/goacme/lego:${versions.lego}`,
        entrypoint: ["/bin/sh", "/scripts/acme.sh"],
        restart: "unless-stopped",
        env_file: ["secrets/acme.env"],
        environment: {
          ACME_DOMAINS: certificateDomains(input.hostnames).join(" "),
          ACME_EMAIL: input.adminEmails[0]!,
          LEGO_PATH: "/data",
          LEGO_BIN: legoBinary,
          TLS_DIR: "/tls",
        },
        volumes: ["./scripts:/scripts:ro", `${state("acme")}:/data`, `${state("omni/tls")}:/tls`],
        healthcheck: { test: ["CMD-SHELL", "test -s /tls/omni.crt && test -s /tls/omni.key"], interval: "30s", timeout: "5s", retries: 3, start_period: "10m" },
        mem_limit: mem("acme"),
        logging,
      },
      postgresql: {
        image: postgresImage,
        restart: "unless-stopped",
        env_file: ["secrets/postgres.env"],
        environment: { POSTGRES_USER: "authentik", POSTGRES_DB: "authentik" },
        volumes: [`${state("postgres")}:/var/lib/postgresql/data`],
        healthcheck: { test: ["CMD-SHELL", "pg_isready -d authentik -U authentik"], interval: "30s", timeout: "5s", retries: 5, start_period: "20s" },
        mem_limit: mem("postgresql"),
        logging,
      },
      "authentik-server": {
        image: authentikImage,
        command: ["server"],
        restart: "unless-stopped",
        env_file: ["secrets/authentik.env"],
        environment: authentikEnvironment,
        volumes: authentikVolumes,
        depends_on: authentikDepends,
        // For the tunnel's connector on the host network; never on a public interface.
        ports: [`127.0.0.1:${authentikHttpPort}:${authentikHttpPort}`],
        mem_limit: mem("authentik-server"),
        logging,
      },
      "authentik-worker": {
        // The worker applies the blueprints and re-applies them when a file changes.
        image: authentikImage,
        command: ["worker"],
        restart: "unless-stopped",
        env_file: ["secrets/authentik.env"],
        environment: authentikEnvironment,
        volumes: authentikVolumes,
        depends_on: authentikDepends,
        mem_limit: mem("authentik-worker"),
        logging,
      },
      cloudflared: {
        image: `${images.cloudflared.repository}:${images.cloudflared.tag}`,
        command: ["tunnel", "--no-autoupdate", "run"],
        restart: "unless-stopped",
        env_file: ["secrets/cloudflared.env"],
        // On the host network: every mgmt origin is a loopback port (lib/routes.ts): Omni's
        // Kubernetes proxy and Authentik's published ports, the host's sshd. As the image's own
        // unprivileged user (distroless `nonroot`, cloudflared Dockerfile @ 2025.4.0), pinned
        // here because homelab-sync blocks the metadata service for it by owner.
        network_mode: "host",
        user: `${serviceUsers.cloudflared!.uid}:${serviceUsers.cloudflared!.gid}`,
        read_only: true,
        mem_limit: mem("cloudflared"),
        logging,
      },
      "pg-dump": {
        image: postgresImage,
        entrypoint: ["/bin/sh", "/scripts/pg-dump.sh"],
        restart: "unless-stopped",
        env_file: ["secrets/pg-dump.env"],
        environment: { PGHOST: "postgresql", PGUSER: "authentik", PGDATABASE: "authentik", DUMP_DIR: "/dumps" },
        volumes: ["./scripts:/scripts:ro", `${state("dumps")}:/dumps`],
        depends_on: { postgresql: { condition: "service_healthy" } },
        mem_limit: mem("pg-dump"),
        logging,
      },
      backup: {
        image: `docker.io/restic/restic:${versions.restic}`,
        entrypoint: ["/bin/sh", "/scripts/backup.sh"],
        restart: "unless-stopped",
        env_file: ["secrets/backup.env"],
        environment: {
          RESTIC_REPOSITORY: input.resticRepository,
          AWS_DEFAULT_REGION: input.region,
          BACKUP_HOST: mgmtBackupHost,
          // Snapshot times in UTC, which the restore drill reads.
          TZ: "UTC",
          BACKUP_STATE_DIR: "/cache/state",
          RESTIC_CACHE_DIR: "/cache/restic",
          ...backupEnvironment(input.backupClasses),
          ...(input.ntfyUrl ? { NTFY_URL: input.ntfyUrl } : {}),
        },
        volumes: [
          "./scripts:/scripts:ro",
          `${state("omni")}:/data/omni:ro`,
          `${state("dumps")}:/data/dumps:ro`,
          `${state("authentik/data")}:/data/authentik-data:ro`,
          `${state("backup-cache")}:/cache`,
        ],
        mem_limit: mem("backup"),
        logging,
      },
    },
  };
}

/**
 * The user each service's process runs as, which the bind mounts' modes must let in
 * (homelab-sync.sh creates the state directories to match; a test extracts the real bundle and
 * checks every mount as these users). Authentik: `USER 1000` (goauthentik/authentik
 * lifecycle/container/Dockerfile); without `user: root` its entrypoint fixes no permission
 * (lifecycle/ak `check_if_root`). PostgreSQL starts as root and hands its data directory to
 * postgres itself (docker-entrypoint.sh); Omni, lego (acme), restic and the dump job run as root;
 * cloudflared is the distroless `nonroot` (65532) and mounts nothing.
 */
export const serviceUsers: Record<string, { uid: number; gid: number }> = {
  omni: { uid: 0, gid: 0 },
  acme: { uid: 0, gid: 0 },
  postgresql: { uid: 0, gid: 0 },
  "authentik-server": { uid: 1000, gid: 1000 },
  "authentik-worker": { uid: 1000, gid: 1000 },
  cloudflared: { uid: 65532, gid: 65532 },
  "pg-dump": { uid: 0, gid: 0 },
  backup: { uid: 0, gid: 0 },
};

// ---------------------------------------------------------------------------------------------
// Secrets: one env file per service, so that each container sees only its own

/**
 * An env file Compose reads literally: every value single-quoted. A value that cannot be
 * written that way (a quote or a line break) is refused with the variable's name.
 */
export function envFile(entries: Readonly<Record<string, string>>): string {
  return Object.entries(entries)
    .map(([name, value]) => {
      if (!/^[A-Z_][A-Z0-9_]*$/.test(name)) throw new Error(`env file: "${name}" is not a valid variable name`);
      if (value === "") throw new Error(`env file: ${name} is empty; set the Pulumi secret that feeds it`);
      if (/['\n\r]/.test(value)) {
        throw new Error(`env file: ${name} contains a single quote or a line break, which Compose env files cannot hold literally; choose a value without them`);
      }
      return `${name}='${value}'\n`;
    })
    .join("");
}

export function secretFiles(secrets: ManagementSecrets): TarFile[] {
  const file = (name: string, entries: Record<string, string>): TarFile => ({ path: `secrets/${name}.env`, content: envFile(entries), mode: 0o600 });
  return [
    file("authentik", {
      AUTHENTIK_SECRET_KEY: secrets.authentikSecretKey,
      AUTHENTIK_POSTGRESQL__PASSWORD: secrets.postgresPassword,
      AUTHENTIK_BOOTSTRAP_PASSWORD: secrets.authentikBootstrapPassword,
      AUTHENTIK_BOOTSTRAP_TOKEN: secrets.authentikBootstrapToken,
      ...secrets.authentikBlueprintEnv,
    }),
    file("postgres", { POSTGRES_PASSWORD: secrets.postgresPassword }),
    file("pg-dump", { PGPASSWORD: secrets.postgresPassword }),
    file("cloudflared", { TUNNEL_TOKEN: secrets.tunnelToken }),
    file("acme", { CLOUDFLARE_DNS_API_TOKEN: secrets.acmeDnsApiToken }),
    file("backup", {
      AWS_ACCESS_KEY_ID: secrets.backupAccessKeyId,
      AWS_SECRET_ACCESS_KEY: secrets.backupSecretKey,
      RESTIC_PASSWORD: secrets.resticPassword,
      ...(secrets.ntfyToken ? { NTFY_TOKEN: secrets.ntfyToken } : {}),
    }),
  ];
}

// ---------------------------------------------------------------------------------------------
// Files shipped as they are (shellcheck-clean, tested)

const filesDir = join(__dirname, "files");
export function shippedFile(name: "homelab-sync.sh" | "backup.sh" | "pg-dump.sh" | "acme.sh"): string {
  return readFileSync(join(filesDir, name), "utf8");
}

export function projectFiles(input: ManagementDocumentsInput): TarFile[] {
  const blueprints = Object.entries(input.blueprints ?? {}).map(([name, content]) => {
    if (!/^[a-z0-9-]+\.yaml$/.test(name)) throw new Error(`blueprint file name "${name}" must be lower-case kebab-case ending in .yaml`);
    return { path: `authentik/blueprints/${name}`, content };
  });
  const compose = composeProject(input);
  return [
    { path: "compose.yaml", content: stringify(compose, { lineWidth: 0 }) },
    { path: "homelab-sync.sh", content: shippedFile("homelab-sync.sh"), mode: 0o755 },
    { path: "scripts/backup.sh", content: shippedFile("backup.sh"), mode: 0o755 },
    { path: "scripts/pg-dump.sh", content: shippedFile("pg-dump.sh"), mode: 0o755 },
    { path: "scripts/acme.sh", content: shippedFile("acme.sh"), mode: 0o755 },
    { path: "host-firewall", content: hostFirewall() },
    { path: "host-network-uids", content: hostNetworkUids(compose) },
    // An empty directory still has to exist for the bind mount.
    { path: "authentik/blueprints/README", content: "Rendered by the homelab program; the Authentik worker applies every *.yaml here.\n" },
    ...blueprints,
  ];
}

// ---------------------------------------------------------------------------------------------
// cloud-init: runs once at first boot

/**
 * The first-boot configuration: Docker and the Compose plugin from Ubuntu's archive, key-only
 * SSH, and the sync agent with its timer. It holds no secret and nothing that changes later,
 * so it never forces a new instance.
 */
export function cloudInit(): string {
  const doc = {
    package_update: true,
    package_upgrade: true,
    packages: ["docker.io", "docker-compose-v2", "gnupg", "openssl", "curl", "iptables", "unattended-upgrades"],
    ssh_pwauth: false,
    disable_root: true,
    write_files: [
      { path: "/usr/local/sbin/homelab-sync", permissions: "0755", owner: "root:root", content: shippedFile("homelab-sync.sh") },
      {
        path: "/etc/ssh/sshd_config.d/60-homelab.conf",
        permissions: "0644",
        content: "PasswordAuthentication no\nKbdInteractiveAuthentication no\nPermitRootLogin no\n",
      },
      {
        path: "/etc/systemd/system/homelab-sync.service",
        permissions: "0644",
        content: [
          "[Unit]",
          "Description=Apply the homelab Compose project from the instance metadata",
          "After=docker.service network-online.target",
          "Wants=network-online.target",
          "Requires=docker.service",
          "",
          "[Service]",
          "Type=oneshot",
          "ExecStart=/usr/local/sbin/homelab-sync",
          "",
        ].join("\n"),
      },
      {
        path: "/etc/systemd/system/homelab-sync.timer",
        permissions: "0644",
        content: ["[Unit]", "Description=Check the homelab project every minute", "", "[Timer]", "OnBootSec=30s", "OnUnitActiveSec=1min", "", "[Install]", "WantedBy=timers.target", ""].join("\n"),
      },
    ],
    runcmd: [
      ["systemctl", "enable", "--now", "docker.service"],
      ["systemctl", "daemon-reload"],
      ["systemctl", "enable", "--now", "homelab-sync.timer"],
      ["systemctl", "restart", "ssh.service"],
    ],
  };
  return `#cloud-config\n${stringify(doc, { lineWidth: 0 })}`;
}

// ---------------------------------------------------------------------------------------------
// Instance metadata

export interface ManagementMetadata {
  /** base64 tar.gz of the project (no secrets). */
  project: string;
  /** base64 tar.gz of the env files (secret). */
  secrets: string;
  /**
   * base64 of the gzip of cloud-init (first boot only). cloud-init uncompresses gzip user-data
   * itself (cloud-init docs, "User-data formats: Gzip compressed content"), which keeps its copy
   * of the sync script from taking a third of OCI's 32,000-byte metadata limit.
   */
  userData: string;
}

/** The instance's user_data: base64 of the gzip of cloudInit(), which cloud-init uncompresses itself. */
export function cloudInitUserData(): string {
  return gzipSync(Buffer.from(cloudInit(), "utf8"), { level: 9 }).toString("base64");
}

export function managementMetadata(input: ManagementDocumentsInput, secrets: ManagementSecrets, sshPublicKey: string): ManagementMetadata {
  const metadata = {
    project: tarGzip(projectFiles(input)).toString("base64"),
    secrets: tarGzip(secretFiles(secrets), { directoryModes: { secrets: 0o700 } }).toString("base64"),
    userData: cloudInitUserData(),
  };
  const size =
    Buffer.byteLength(metadata.project) + Buffer.byteLength(metadata.secrets) + Buffer.byteLength(metadata.userData) + Buffer.byteLength(sshPublicKey) +
    ["user_data", "ssh_authorized_keys", metadataKeys.project, metadataKeys.secrets].join("").length;
  if (size > ociMetadataLimitBytes) {
    // Reached by growing the catalog (each app adds Authentik blueprint entries), so it is the
    // cloud stack's problem to report as one line, not a crash.
    throw new ConfigError("cloud", [
      `management VM: the instance metadata would be ${size} bytes, over OCI's ${ociMetadataLimitBytes} (the Authentik blueprints grow with each app); ` +
        "fix: shrink the blueprints (split rarely changed ones into Authentik's defaults) or move large files out of the project",
    ]);
  }
  return metadata;
}

// ---------------------------------------------------------------------------------------------
// Joining machines

/**
 * The kernel arguments that join a Talos machine to Omni over the gRPC tunnel, as Omni itself
 * builds them (omni v0.48.3 `internal/pkg/siderolink/manager.go` updateConnectionParams and
 * `client/pkg/omni/resources/siderolink/connection_params.go` APIURL): the advertised SideroLink
 * URL with `grpc_tunnel` and `jointoken` query parameters (sorted, as url.Values.Encode does), the
 * event sink on `--event-sink-port` and the kernel-log server on `--log-server-port`, both on the
 * SideroLink server address. The ports come from omniPorts, which also render Omni's flags.
 */
export function siderolinkKernelArgs(siderolinkUrl: string, joinToken: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(joinToken)) {
    throw new Error("homelab:omniJoinToken is not an Omni join token (letters, digits, '-' and '_'); copy it from Omni → Settings → Machines");
  }
  const url = new URL(siderolinkUrl);
  url.searchParams.set("grpc_tunnel", "true");
  url.searchParams.set("jointoken", joinToken);
  url.searchParams.sort();
  return [
    `siderolink.api=${url.toString()}`,
    `talos.events.sink=[${siderolinkServerAddress}]:${omniPorts.eventSink}`,
    `talos.logging.kernel=tcp://[${siderolinkServerAddress}]:${omniPorts.logServer}`,
  ].join(" ");
}
