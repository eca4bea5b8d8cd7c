/**
 * The building blocks of every stack's config schema: secrets, addresses, names, ids, URLs, Talos
 * patches and versions, and the platform and alerting settings the clusters share. Each is
 * checked for the place its value is used (a shell-sourced file, a comma-separated flag, a URL in
 * plain config), and carries the error text an admin sees.
 */
import { z } from "zod";
import { supportedLines, versions } from "../versions";
import { SecretValue } from "./errors";
import { formatRange, homeLanRanges, isHomeLan, isNonPublic, nonPublicRanges, parseCidr, parseIpv4 } from "./net";

// ---------------------------------------------------------------------------------------------
// Secrets

/** Top-level keys whose value must be a Pulumi secret (the loader words their problems). */
export const secretKeys = new Set<string>();

export interface SecretRules {
  /** The characters the value may hold, and what that means to the admin (never shows the value). */
  format?: { pattern: RegExp; what: string };
  /** The value is written into a single-quoted Compose env file, which cannot hold a quote or a line break. */
  envFile?: boolean;
}

export const secret = (key: string, rules: SecretRules = {}) => {
  secretKeys.add(key);
  return z
    .custom<SecretValue>((v) => v instanceof SecretValue, {
      error: (issue) =>
        issue.input === undefined
          ? `is required; fix: pulumi config set --secret ${key} <value>`
          : `must be a Pulumi secret, but is a plain value; fix: pulumi config set --secret ${key} <value> (and remove the plain entry)`,
    })
    .superRefine((v, ctx) => {
      const fix = `fix: pulumi config set --secret ${key} <value>`;
      if (v.value.trim() === "") ctx.addIssue({ code: "custom", message: `is an empty secret; ${fix}` });
      else if (rules.envFile && /['\n\r]/.test(v.value)) {
        ctx.addIssue({ code: "custom", message: `contains a single quote or a line break, which the management VM's Compose env file cannot hold literally; ${fix} (a value without them)` });
      } else if (rules.format && !rules.format.pattern.test(v.value)) ctx.addIssue({ code: "custom", message: `is not ${rules.format.what}; ${fix}` });
    });
};

// ---------------------------------------------------------------------------------------------
// Addresses and ranges

export const ipAddress = z.string().refine((s) => parseIpv4(s) !== undefined, { error: "expected an IPv4 address such as 192.168.1.10 (four numbers 0–255, no leading zeros)" });

/**
 * An address on the home LAN (net.ts's home ranges): not loopback, unspecified or link-local, not
 * Twingate's own 100.64.0.0/10 (its clients' virtual addresses) and not the internet: the CLOUD
 * nodes send what they mount there through Twingate.
 */
export const homeLanAddress = ipAddress.refine((s) => {
  const address = parseIpv4(s);
  // Not an address at all: ipAddress says so.
  return address === undefined || isHomeLan(address);
}, {
  error: `expected the Proxmox host's home LAN address (a private IPv4 such as 192.168.1.10 inside ${homeLanRanges.slice(0, 3).join(", ")}, the prod stack's homelab:proxmox.address)`,
});

/**
 * A private IPv4 range (RFC 1918, RFC 6598, or the RFC 5737 documentation ranges of the example
 * files) with a prefix between `min` and `max`: anything wider, or on the internet, is refused.
 * A `home` range (the LAN, its pools, the NFS clients) may not lie in RFC 6598 either: that is
 * Twingate's (net.ts, homeLanRanges).
 */
export const privateCidr = (what: string, prefix: { min: number; max: number }, example: string, where: "home" | "any" = "any") =>
  z.string().superRefine((s, ctx) => {
    const parsed = parseCidr(s);
    if (!parsed.ok) {
      ctx.addIssue({ code: "custom", message: s.trim() === "" ? `expected ${what} such as ${example}` : `${parsed.why}; expected ${what} such as ${example}` });
      return;
    }
    const { range } = parsed;
    if (range.prefix === 0) ctx.addIssue({ code: "custom", message: `/0 is the whole internet, not ${what}; expected a range such as ${example}` });
    else if (range.prefix < prefix.min || range.prefix > prefix.max) {
      ctx.addIssue({ code: "custom", message: `a /${range.prefix} is not ${what} (expected a prefix from /${prefix.min} to /${prefix.max}, such as ${example})` });
    } else if (parsed.hostAddress !== undefined) {
      ctx.addIssue({ code: "custom", message: `${parsed.hostAddress} is a host address inside the range, not its network address; fix: use ${formatRange(range)}` });
    } else if (!isNonPublic(range)) {
      // A home range may not lie in 100.64.0.0/10 (below), so the line does not offer it.
      const allowed = where === "home" ? homeLanRanges.slice(0, 3) : nonPublicRanges.slice(0, 4);
      ctx.addIssue({ code: "custom", message: `is a public internet range, not ${what}; expected a range inside ${allowed.join(", ")} such as ${example}` });
    } else if (where === "home" && !isHomeLan(range)) {
      ctx.addIssue({ code: "custom", message: `is not ${what}: 100.64.0.0/10 is Twingate's (its clients' addresses), and the CLOUD nodes reach the home LAN through Twingate; expected a range inside ${homeLanRanges.slice(0, 3).join(", ")} such as ${example}` });
    }
  });

// ---------------------------------------------------------------------------------------------
// Names, ids and URLs

const label = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";
/** A DNS name; the top-level label may be internationalised (punycode `xn--…`, e.g. example.xn--p1ai). */
const hostnamePattern = new RegExp(`^(?=.{1,253}$)(${label}\\.)+([a-z]{2,63}|xn--[a-z0-9-]{1,59})$`);
export const hostname = z.string().regex(hostnamePattern, { error: "expected a lower-case DNS name such as example.com (internationalised names in punycode, e.g. example.xn--p1ai)" });

/**
 * An e-mail address whose local part holds only letters, digits and `. _ % + -`: the address is
 * written into a file the shell sources (ZED's zed.rc), into comma-separated flags (Omni's
 * --initial-users) and into Access policies, where `$(…)`, quotes or a comma would be read as code
 * or as a second address.
 */
export const email = z
  .string()
  .refine((s) => {
    const at = s.lastIndexOf("@");
    return at > 0 && /^[A-Za-z0-9._%+-]{1,64}$/.test(s.slice(0, at)) && hostnamePattern.test(s.slice(at + 1));
  }, { error: "expected an e-mail address such as admin@example.com (letters, digits and . _ % + - before the @: it is written into shell-sourced files and comma-separated lists)" });

export const ocid = (kind: string) =>
  z.string().regex(new RegExp(`^ocid1\\.${kind}\\.oc1\\.[a-z0-9-]*\\.[a-z0-9]+$`), {
    error: `expected an OCI ${kind} OCID (ocid1.${kind}.oc1..<id>), copy it from the OCI console`,
  });
export const cloudflareId = z.string().regex(/^[0-9a-f]{32}$/, { error: "expected a 32-character hex Cloudflare id (dashboard → Overview)" });
export const sshPublicKey = z
  .string()
  // The base64 body of every OpenSSH key starts with its type's length ("AAAA…"); the comment is
  // written into authorized_keys and cloud-init, so it holds no quotes or shell characters.
  .regex(/^(ssh-ed25519|ecdsa-sha2-nistp256|ssh-rsa) AAAA[A-Za-z0-9+/]{8,}={0,3}( [A-Za-z0-9@._+-]+)?$/, { error: "expected an OpenSSH public key line (ssh-ed25519 AAAA… comment), the content of your key's .pub file" });
/**
 * `owner/repo` as GitHub names them: an owner of letters, digits and single inner hyphens (at
 * most 39), a repository of letters, digits, `.`, `_`, `-` that is not `.` or `..`.
 */
export const githubRepositoryPattern = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}\/(?!\.\.?$)[A-Za-z0-9_.-]{1,100}$/;
export const githubRepository = z.string().regex(githubRepositoryPattern, { error: "expected the GitHub repository as owner/repo" });
export const stackRef = z
  .string()
  .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\/cloud$/, { error: 'expected "<organization>/<project>/cloud", the fully qualified cloud stack' });

export const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, { error: "expected an Omni machine id (a lower-case UUID, Omni → Machines)" });
export const uuidV4ish = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, { error: "expected a UUID (Bitwarden → Secrets Manager → organization / project id)" });

/** A Bitwarden Secrets Manager key name (the admin creates the secret once, docs/backups.md). */
const bitwardenKey = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, { error: "expected a Bitwarden secret key name such as homelab-bulk-restic-password" });

/**
 * Where a cluster's `bulk` volumes go (too large for the Always Free bucket): another restic
 * repository the admin owns (a disk at home behind restic's REST server, a friend's MinIO…), or
 * explicitly nowhere, with the reason the plan prints. A paid service is not an option (NFR-012).
 * Credentials stay out of the repository URL (the config check refuses a password in any URL).
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

/** A Proxmox storage id (`local-zfs`, `local`): the provider and the ISO path `<storage>:iso/<file>` use it as is. */
export const proxmoxStorage = z.string().regex(/^[a-z][a-z0-9._-]*[a-z0-9]$/, { error: "expected a Proxmox storage id such as local-zfs (Datacenter → Storage)" });

/** A Unix user name for SSH (no spaces, quotes or shell characters). */
export const unixUser = z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/, { error: "expected a Unix user name such as root" });

/**
 * An https URL without credentials: config is plain text in Git, so `https://user:password@host`
 * would publish the password. `port` and `path` pin what the consumer accepts.
 */
export const httpsUrl = (what: string, example: string, rules: { port?: string; rootOnly?: boolean } = {}) =>
  z.string().superRefine((s, ctx) => {
    let url: URL;
    try {
      url = new URL(s);
    } catch {
      ctx.addIssue({ code: "custom", message: `expected ${what} such as ${example}` });
      return;
    }
    if (url.username !== "" || url.password !== "") {
      ctx.addIssue({ code: "custom", message: `holds credentials (user:password@), which plain config would publish; fix: remove them from the URL (and change that password if the file was committed)` });
    } else if (url.protocol !== "https:" || /\s/.test(s)) ctx.addIssue({ code: "custom", message: `expected ${what} such as ${example} (https only)` });
    else if (rules.port !== undefined && url.port !== rules.port) ctx.addIssue({ code: "custom", message: `expected ${what} on port ${rules.port}, such as ${example}` });
    else if (rules.rootOnly && (url.pathname !== "/" || url.search !== "" || url.hash !== "")) ctx.addIssue({ code: "custom", message: `expected ${what} without a path, such as ${example}` });
  });

// ---------------------------------------------------------------------------------------------
// Talos

/** Extra Talos patches for the stack's cluster, checked against the Talos v1.9 schema and the fields the program owns (lib/config/talos-rules.ts). */
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

/** A release of the pinned line, no newer than the newest the versions module knows (the schema and images are checked against it). */
const releaseOfLine = (name: string, line: RegExp, lineName: string, newest: string) =>
  z
    .string()
    .regex(line, { error: `expected a ${name} ${lineName}.x release such as ${newest} (the stories pin the ${lineName} line)` })
    .refine((v) => patchOf(v) <= patchOf(newest), {
      error: `is newer than ${newest}, the newest ${name} ${lineName} release this program knows (lib/versions.ts, kept current by Renovate); fix: use ${newest} or an earlier ${lineName} release`,
    })
    .default(newest);
const patchOf = (version: string) => Number(version.split(".")[2] ?? 0);

export const talosVersion = releaseOfLine("Talos", supportedLines.talos, "v1.9", versions.talos);
export const kubernetesVersion = releaseOfLine("Kubernetes", supportedLines.kubernetes, "v1.32", versions.kubernetes);

// ---------------------------------------------------------------------------------------------
// Platform and alerting

/** What every cluster platform needs from config (the rest comes from the catalog and the cloud stack). */
const platformBase = {
  /** Let's Encrypt account e-mail. */
  acmeEmail: email,
  /** Bitwarden Secrets Manager: where ExternalSecrets read (README lists the secret names). */
  bitwarden: z.object({ organizationId: uuidV4ish, projectId: uuidV4ish }).strict(),
  /** Destination of the cluster's `bulk` volumes; required as soon as the catalog puts one on this cluster. */
  bulkBackup: bulkVolumeDestination.optional(),
};

/** A home cluster's platform: the LAN addresses Cilium LB-IPAM may hand out (L2 announcements), the Gateway's and AdGuard's, all inside the LAN and the pool (lib/config/home-rules.ts). */
export const homePlatform = z
  .object({
    ...platformBase,
    lan: z.object({ loadBalancerPool: privateCidr("a LAN address pool", { min: 20, max: 32 }, "192.168.1.224/28", "home"), gatewayIp: ipAddress, dnsIp: ipAddress.optional() }).strict(),
  })
  .strict();

export const cloudPlatform = z
  .object({
    ...platformBase,
    /**
     * The Proxmox host's LAN IPv4, where CLOUD mounts the media exports through Twingate (the
     * Twingate resource's address). An address, not a name: the kubelet resolves with the node's
     * resolver, which never asks Twingate's DNS.
     */
    nfsServer: homeLanAddress.describe("the Proxmox host's LAN address"),
  })
  .strict();

/** Alert delivery (story 2.4.5): the Telegram chat and the ntfy topic. */
export const alerting = z
  .object({
    telegramChatId: z.number({ error: "expected the numeric Telegram chat id (message @userinfobot)" }).int({ error: "expected the numeric Telegram chat id (message @userinfobot)" }),
    ntfyTopic: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: "expected an ntfy topic name (letters, digits, _ and -)" }).default("homelab-alerts"),
  })
  .strict();

export const platformCommon = <P extends typeof homePlatform | typeof cloudPlatform>(platform: P) => ({
  "homelab:platform": platform,
  "homelab:alerting": alerting,
  "homelab:bitwardenAccessToken": secret("homelab:bitwardenAccessToken"),
  "homelab:alertingNtfyToken": secret("homelab:alertingNtfyToken", { envFile: true }),
  "homelab:alertingTelegramBotToken": secret("homelab:alertingTelegramBotToken"),
});
