/**
 * The building blocks of every stack's config schema: secrets, addresses, names, ids, Talos
 * patches and versions, and the platform and alerting settings the clusters share. Each carries
 * the error text an admin sees, with the fix.
 */
import { z } from "zod";
import { supportedLines, versions } from "../versions";
import { SecretValue } from "./errors";

export const secret = (key: string) =>
  z.custom<SecretValue>((v) => v instanceof SecretValue, {
    error: `must be a Pulumi secret, but is a plain value; fix: pulumi config set --secret ${key} <value> (and remove the plain entry)`,
  });

export const ipv4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
export const cidr = z
  .string()
  .refine((s) => {
    const [ip, bits] = s.split("/");
    return ipv4.test(ip ?? "") && bits !== undefined && /^\d+$/.test(bits) && Number(bits) <= 32;
  }, { error: "expected an IPv4 CIDR such as 192.0.2.0/24" })
  .refine((s) => !/^0\.0\.0\.0\/0$/.test(s), { error: "0.0.0.0/0 is the whole internet; name the networks you mean" });
export const ipAddress = z.string().regex(ipv4, { error: "expected an IPv4 address such as 192.0.2.10" });

/** Home LAN ranges: RFC 1918, and the documentation ranges (RFC 5737) the examples use. */
const homeLanRanges: readonly [number, number][] = [
  [0x0a000000, 8],
  [0xac100000, 12],
  [0xc0a80000, 16],
  [0xc0000200, 24],
  [0xc6336400, 24],
  [0xcb007100, 24],
];
function inHomeLanRange(ip: string): boolean {
  const n = ip.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
  return homeLanRanges.some(([net, bits]) => Math.floor(n / 2 ** (32 - bits)) === Math.floor(net / 2 ** (32 - bits)));
}

/**
 * An address on the home LAN: a private IPv4. Not loopback, unspecified or link-local, not
 * Twingate's own 100.64.0.0/10 (its clients' virtual addresses) and not the internet: the CLOUD
 * nodes send what they mount there through Twingate.
 */
export const homeLanAddress = ipAddress.refine(inHomeLanRange, {
  error: "expected the Proxmox host's home LAN address (a private IPv4 such as 192.168.1.10, the prod stack's homelab:proxmox.address)",
});
export const hostname = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
    error: "expected a lower-case DNS name such as example.com",
  });
export const ocid = (kind: string) =>
  z.string().regex(new RegExp(`^ocid1\\.${kind}\\.oc1\\.[a-z0-9-]*\\.[a-z0-9]+$`), {
    error: `expected an OCI ${kind} OCID (ocid1.${kind}.oc1..<id>), copy it from the OCI console`,
  });
export const cloudflareId = z.string().regex(/^[0-9a-f]{32}$/, { error: "expected a 32-character hex Cloudflare id (dashboard → Overview)" });
export const sshPublicKey = z
  .string()
  // The base64 body of every OpenSSH key starts with its type's length ("AAAA…").
  .regex(/^(ssh-ed25519|ecdsa-sha2-nistp256|ssh-rsa) AAAA[A-Za-z0-9+/]{8,}={0,3}( \S+)?$/, { error: "expected an OpenSSH public key line (ssh-ed25519 AAAA… comment)" });
/**
 * `owner/repo` as GitHub names them: an owner of letters, digits and single inner hyphens (at
 * most 39), a repository of letters, digits, `.`, `_`, `-` that is not `.` or `..`.
 */
export const githubRepositoryPattern = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}\/(?!\.\.?$)[A-Za-z0-9_.-]{1,100}$/;
export const githubRepository = z.string().regex(githubRepositoryPattern, { error: "expected the GitHub repository as owner/repo" });
export const email = z.string().regex(/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/, { error: "expected an e-mail address" });
export const stackRef = z
  .string()
  .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\/cloud$/, { error: 'expected "<organization>/<project>/cloud", the fully qualified cloud stack' });

export const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, { error: "expected an Omni machine id (a lower-case UUID, Omni → Machines)" });

/** Extra Talos patches for the stack's cluster, checked against the Talos v1.9 schema (crossFieldProblems). */
export const talosPatches = z
  .array(
    z
      .object({
        name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,40}$/, { error: "expected a kebab-case patch name" }),
        target: z.enum(["cluster", "control-plane", "workers"], { error: 'expected "cluster", "control-plane" or "workers"' }),
        patch: z.record(z.string(), z.unknown(), { error: "expected a Talos machine-config patch (machine: …, cluster: …)" }),
      })
      .strict(),
  )
  .default([]);

export const uuidV4ish = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, { error: "expected a UUID (Bitwarden → Secrets Manager → organization / project id)" });

/** A Bitwarden Secrets Manager key name (the admin creates the secret once, docs/backups.md). */
const bitwardenKey = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, { error: "expected a Bitwarden secret key name such as homelab-bulk-restic-password" });

/**
 * Where a cluster's `bulk` volumes go (too large for the Always Free bucket): another restic
 * repository the admin owns (a disk at home behind restic's REST server, a friend's MinIO…), or
 * explicitly nowhere, with the reason the plan prints. A paid service is not an option (NFR-012).
 */
export const bulkVolumeDestination = z.discriminatedUnion(
  "kind",
  [
    z
      .object({
        kind: z.literal("restic"),
        /**
         * restic repository base (`s3:https://host/bucket/prefix` or `rest:https://host/prefix`); each
         * volume gets its own path under it. Not sftp: Volsync's restic mover has no SSH key to offer
         * (0.16.0 internal/controller/mover/restic/mover.go passes only RESTIC_*, AWS_*, ST_*, OS_*,
         * B2_*, AZURE_*, GOOGLE_* and RESTIC_REST_* from the Secret).
         */
        repository: z
          .string()
          .regex(/^(s3|rest):https:\/\/\S+$/, { error: "expected a restic repository such as s3:https://minio.home.example/bucket/homelab or rest:https://host:8000/homelab (sftp is not possible: Volsync's mover has no SSH key)" })
          .refine((url) => !/^(s3|rest):https:\/\/[^/]*@/.test(url), { error: "a user or password in the address would sit in plain config and in the plan; put them in Bitwarden and name the keys (restUsernameKey/restPasswordKey for rest:, accessKeyIdKey/secretAccessKeyKey for s3:)" }),
        /** Bitwarden keys of the repository password and, for s3:, the access key pair. */
        passwordKey: bitwardenKey,
        accessKeyIdKey: bitwardenKey.optional(),
        secretAccessKeyKey: bitwardenKey.optional(),
        /** Bitwarden keys of a REST server's user and password (restic reads RESTIC_REST_USERNAME/PASSWORD). */
        restUsernameKey: bitwardenKey.optional(),
        restPasswordKey: bitwardenKey.optional(),
      })
      .strict()
      .superRefine((d, ctx) => {
        const s3 = d.repository.startsWith("s3:");
        for (const key of ["accessKeyIdKey", "secretAccessKeyKey"] as const) {
          if (s3 && !d[key]) ctx.addIssue({ code: "custom", path: [key], message: `an s3: repository needs both access keys from Bitwarden; set ${key} to the Bitwarden key that holds it` });
          if (!s3 && d[key]) ctx.addIssue({ code: "custom", path: [key], message: "only an s3: repository reads access keys; remove it (a REST server takes restUsernameKey/restPasswordKey)" });
        }
        for (const key of ["restUsernameKey", "restPasswordKey"] as const) {
          if (s3 && d[key]) ctx.addIssue({ code: "custom", path: [key], message: "only a rest: repository reads a REST user and password; remove it" });
        }
        if (!s3 && Boolean(d.restUsernameKey) !== Boolean(d.restPasswordKey)) {
          ctx.addIssue({ code: "custom", path: [d.restUsernameKey ? "restPasswordKey" : "restUsernameKey"], message: "a REST server's user and password go together; set both Bitwarden keys or neither" });
        }
      }),
    z.object({ kind: z.literal("none"), reason: z.string().min(10, { error: "say why this data has no second copy (the plan prints it)" }) }).strict(),
  ],
  { error: 'expected { kind: "restic", repository, passwordKey } or { kind: "none", reason }' },
);
export type BulkVolumeDestination = z.infer<typeof bulkVolumeDestination>;

/** What the cluster platform needs from config (the rest comes from the catalog and the cloud stack). */
export const platform = (home: boolean) =>
  z
    .object({
      /** Let's Encrypt account e-mail. */
      acmeEmail: email,
      /** Bitwarden Secrets Manager: where ExternalSecrets read (README lists the secret names). */
      bitwarden: z.object({ organizationId: uuidV4ish, projectId: uuidV4ish }).strict(),
      /** Destination of the cluster's `bulk` volumes; required as soon as the catalog puts one on this cluster. */
      bulkBackup: bulkVolumeDestination.optional(),
      ...(home
        ? {
            /** LAN addresses Cilium LB-IPAM may hand out (L2 announcements), the Gateway's and AdGuard's. */
            lan: z.object({ loadBalancerPool: cidr, gatewayIp: ipAddress, dnsIp: ipAddress.optional() }).strict(),
          }
        : {
            /**
             * The Proxmox host's LAN IPv4, where CLOUD mounts the media exports through Twingate
             * (the Twingate resource's address). An address, not a name: the kubelet resolves
             * with the node's resolver, which never asks Twingate's DNS.
             */
            nfsServer: homeLanAddress.describe("the Proxmox host's LAN address"),
          }),
    })
    .strict();

/** Alert delivery (story 2.4.5): the Telegram chat and the ntfy topic. */
export const alerting = z
  .object({
    telegramChatId: z.number().int({ error: "expected the numeric Telegram chat id (message @userinfobot)" }),
    ntfyTopic: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: "expected an ntfy topic name" }).default("homelab-alerts"),
  })
  .strict();

export const platformCommon = (home: boolean) => ({
  "homelab:platform": platform(home),
  "homelab:alerting": alerting,
  "homelab:bitwardenAccessToken": secret("homelab:bitwardenAccessToken"),
  "homelab:alertingNtfyToken": secret("homelab:alertingNtfyToken"),
  "homelab:alertingTelegramBotToken": secret("homelab:alertingTelegramBotToken"),
});

export const talosVersion = z
  .string()
  .regex(supportedLines.talos, { error: `expected a Talos v1.9.x release such as ${versions.talos} (the stories pin the v1.9 line)` })
  .default(versions.talos);
export const kubernetesVersion = z
  .string()
  .regex(supportedLines.kubernetes, { error: `expected a Kubernetes v1.32.x release such as ${versions.kubernetes} (the stories pin the v1.32 line)` })
  .default(versions.kubernetes);
