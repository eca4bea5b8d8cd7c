/**
 * The typed configuration of every stack: one zod schema per stack, defaults from the stories,
 * and one error line per problem that names the key path, the value, what is expected and how
 * to fix it. The program validates before it registers any resource.
 */
import { z } from "zod";
import { alwaysFreeLimits } from "./always-free";
import { secretLikeName } from "./secret-names";
import { talosPatchProblems } from "./talos/omni";
import { supportedLines, versions } from "./versions";

export const stackNames = ["cloud", "prod", "dev"] as const;
export type StackName = (typeof stackNames)[number];

/**
 * A config value that Pulumi holds as a secret (`pulumi config set --secret`). The loader wraps
 * secure values in this class, so the schema can tell a secret from a plain value and refuse a
 * plain value where a secret belongs. `toString` never reveals the value.
 */
export class SecretValue {
  constructor(readonly value: string) {}
  toString(): string {
    return "[secret]";
  }
  toJSON(): string {
    return "[secret]";
  }
}

/** One raw config entry as Pulumi gives it: its (possibly JSON) value and whether it is secure. */
export interface RawConfigEntry {
  value: string;
  secret: boolean;
}
export type RawConfig = Record<string, RawConfigEntry>;

export class ConfigError extends Error {
  constructor(
    readonly stackName: string,
    readonly problems: readonly string[],
  ) {
    super(
      `invalid configuration for stack "${stackName}" (${problems.length} problem${problems.length === 1 ? "" : "s"}); nothing was created:\n` +
        problems.map((p) => `  - ${p}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}

// ---------------------------------------------------------------------------------------------
// Building blocks

const secret = (key: string) =>
  z.custom<SecretValue>((v) => v instanceof SecretValue, {
    error: `must be a Pulumi secret, but is a plain value; fix: pulumi config set --secret ${key} <value> (and remove the plain entry)`,
  });

const ipv4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const cidr = z
  .string()
  .refine((s) => {
    const [ip, bits] = s.split("/");
    return ipv4.test(ip ?? "") && bits !== undefined && /^\d+$/.test(bits) && Number(bits) <= 32;
  }, { error: "expected an IPv4 CIDR such as 192.0.2.0/24" })
  .refine((s) => !/^0\.0\.0\.0\/0$/.test(s), { error: "0.0.0.0/0 is the whole internet; name the networks you mean" });
const ipAddress = z.string().regex(ipv4, { error: "expected an IPv4 address such as 192.0.2.10" });
const hostname = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
    error: "expected a lower-case DNS name such as example.com",
  });
const ocid = (kind: string) =>
  z.string().regex(new RegExp(`^ocid1\\.${kind}\\.oc1\\.[a-z0-9-]*\\.[a-z0-9]+$`), {
    error: `expected an OCI ${kind} OCID (ocid1.${kind}.oc1..<id>), copy it from the OCI console`,
  });
const cloudflareId = z.string().regex(/^[0-9a-f]{32}$/, { error: "expected a 32-character hex Cloudflare id (dashboard → Overview)" });
const sshPublicKey = z
  .string()
  .regex(/^(ssh-ed25519|ecdsa-sha2-nistp256|ssh-rsa) [A-Za-z0-9+/=]+( \S+)?$/, { error: "expected an OpenSSH public key line (ssh-ed25519 AAAA… comment)" });
const email = z.string().regex(/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/, { error: "expected an e-mail address" });
const stackRef = z
  .string()
  .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\/cloud$/, { error: 'expected "<organization>/<project>/cloud", the fully qualified cloud stack' });

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, { error: "expected an Omni machine id (a lower-case UUID, Omni → Machines)" });

/** Extra Talos patches for the stack's cluster, checked against the Talos v1.9 schema (crossFieldProblems). */
const talosPatches = z
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

const uuidV4ish = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, { error: "expected a UUID (Bitwarden → Secrets Manager → organization / project id)" });

/** What the cluster platform needs from config (the rest comes from the catalog and the cloud stack). */
const platform = (home: boolean) =>
  z
    .object({
      /** Let's Encrypt account e-mail. */
      acmeEmail: email,
      /** Bitwarden Secrets Manager: where ExternalSecrets read (README lists the secret names). */
      bitwarden: z.object({ organizationId: uuidV4ish, projectId: uuidV4ish }).strict(),
      ...(home
        ? {
            /** LAN addresses Cilium LB-IPAM may hand out (L2 announcements), the Gateway's and AdGuard's. */
            lan: z.object({ loadBalancerPool: cidr, gatewayIp: ipAddress, dnsIp: ipAddress.optional() }).strict(),
          }
        : {
            /** The homelab NFS server as CLOUD reaches it (the Twingate resource address). */
            nfsServer: z.string().min(1).default("nfs.homelab.internal"),
          }),
    })
    .strict();

/** Alert delivery (story 2.4.5): the Telegram chat and the ntfy topic. */
const alerting = z
  .object({
    telegramChatId: z.number().int({ error: "expected the numeric Telegram chat id (message @userinfobot)" }),
    ntfyTopic: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: "expected an ntfy topic name" }).default("homelab-alerts"),
  })
  .strict();

const platformCommon = (home: boolean) => ({
  "homelab:platform": platform(home),
  "homelab:alerting": alerting,
  "homelab:bitwardenAccessToken": secret("homelab:bitwardenAccessToken"),
  "homelab:alertingNtfyToken": secret("homelab:alertingNtfyToken"),
  "homelab:alertingTelegramBotToken": secret("homelab:alertingTelegramBotToken"),
});

const talosVersion = z
  .string()
  .regex(supportedLines.talos, { error: `expected a Talos v1.9.x release such as ${versions.talos} (the stories pin the v1.9 line)` })
  .default(versions.talos);
const kubernetesVersion = z
  .string()
  .regex(supportedLines.kubernetes, { error: `expected a Kubernetes v1.32.x release such as ${versions.kubernetes} (the stories pin the v1.32 line)` })
  .default(versions.kubernetes);

// ---------------------------------------------------------------------------------------------
// Oracle Cloud (cloud stack)


const ociInstance = z
  .object({
    /** Instance display name, also its hostname. */
    name: z.string().regex(/^[a-z][a-z0-9-]{1,30}$/, { error: "expected a lower-case host name such as oci-node-1" }),
    /** `mgmt` runs Docker Compose (Omni, Authentik, cloudflared); `talos` joins the CLOUD cluster. */
    role: z.enum(["mgmt", "talos"], { error: 'expected "mgmt" or "talos"' }),
    shape: z.enum([alwaysFreeLimits.a1Shape, alwaysFreeLimits.microShape], {
      error: `expected an Always Free shape: ${alwaysFreeLimits.a1Shape} or ${alwaysFreeLimits.microShape}`,
    }).default(alwaysFreeLimits.a1Shape),
    ocpus: z.number().int({ error: "expected a whole number of OCPUs" }).min(1, { error: "expected at least 1 OCPU" }).max(alwaysFreeLimits.a1Ocpus, {
      error: `expected at most ${alwaysFreeLimits.a1Ocpus} OCPUs (the Always Free A1 total)`,
    }),
    memoryGb: z.number().int().min(1, { error: "expected at least 1 GB" }).max(alwaysFreeLimits.a1MemoryGb, {
      error: `expected at most ${alwaysFreeLimits.a1MemoryGb} GB (the Always Free A1 total)`,
    }),
    bootVolumeGb: z.number().int().min(alwaysFreeLimits.defaultBootVolumeGb, { error: `expected at least ${alwaysFreeLimits.defaultBootVolumeGb} GB (OCI's smallest boot volume)` }).max(alwaysFreeLimits.blockStorageGb, {
      error: `expected at most ${alwaysFreeLimits.blockStorageGb} GB (the Always Free block storage total)`,
    }),
    /** Keep the egress IP stable (Comet and Real-Debrid, story 4.2.1). */
    reservedPublicIp: z.boolean().default(false),
  })
  .strict();
export type OciInstanceConfig = z.infer<typeof ociInstance>;

const cloudStack = z
  .object({
    "homelab:domain": hostname,
    "homelab:talosVersion": talosVersion,
    "homelab:kubernetesVersion": kubernetesVersion,
    "homelab:adminEmails": z.array(email).min(1, { error: "expected at least one admin e-mail (Cloudflare Access allows these in front of admin apps)" }),
    "homelab:oci": z
      .object({
        compartmentId: ocid("compartment").or(ocid("tenancy")),
        availabilityDomain: z.string().min(1, { error: "expected an availability domain name such as Uocm:EU-PARIS-1-AD-1" }),
        vcnCidr: cidr.default("10.20.0.0/16"),
        subnetCidr: cidr.default("10.20.1.0/24"),
        /** Networks of the homelab allowed to reach the VCN over the encrypted paths. */
        homeCidrs: z.array(cidr).default([]),
        instances: z.array(ociInstance).min(1, { error: "expected at least the management VM" }),
        /** OCI image OCID of the Talos arm64 image (imported by the Talos issue). */
        talosImageId: ocid("image").optional(),
      })
      .strict(),
    "homelab:cloudflare": z.object({ accountId: cloudflareId, zoneId: cloudflareId }).strict(),
    "homelab:backup": z
      .object({
        bucketName: z.string().regex(/^[a-z0-9][a-z0-9._-]{2,62}$/, { error: "expected a bucket name (3–63 lower-case letters, digits, '.', '_', '-')" }).default("homelab-backups"),
        retentionDays: z.number().int().min(7, { error: "expected at least 7 days of retention" }).max(365).default(30),
      })
      .strict()
      .default({ bucketName: "homelab-backups", retentionDays: 30 }),
    "homelab:sshPublicKey": sshPublicKey,
    "homelab:authentikSecretKey": secret("homelab:authentikSecretKey"),
    "homelab:authentikBootstrapPassword": secret("homelab:authentikBootstrapPassword"),
    "homelab:authentikBootstrapToken": secret("homelab:authentikBootstrapToken"),
    "homelab:postgresPassword": secret("homelab:postgresPassword"),
    /** Omni's join token, set after Omni's first start (README, one-time steps); until then no machine can join. */
    "homelab:omniJoinToken": secret("homelab:omniJoinToken").optional(),
    /** Omni service account (Operator) for omnictl; with it the CLOUD cluster and the MachineClasses are applied. */
    "homelab:omniServiceAccountKey": secret("homelab:omniServiceAccountKey").optional(),
    /** Omni machine ids of the two A1 nodes once they have registered (README, one-time steps). */
    "homelab:cloudMachineIds": z.object({ controlPlane: uuid, workers: z.array(uuid) }).strict().optional(),
    "homelab:talosPatches": talosPatches,
    ...platformCommon(false),
    /** Where Authentik posts user and group changes; default the n8n webhook (story 3.3.4). */
    "homelab:provisioningWebhookUrl": z.string().regex(/^https:\/\/[^\s]+$/, { error: "expected an https:// URL" }).optional(),
    /** Rotation counters of generated secrets: raise one to rotate that secret (README, rotating secrets). */
    "homelab:secretGenerations": z.record(z.string(), z.number().int().min(1)).default({}),
    "oci:region": z.string().regex(/^[a-z]+-[a-z]+-\d$/, { error: "expected an OCI region such as eu-paris-1" }),
    "oci:tenancyOcid": ocid("tenancy"),
    "oci:userOcid": ocid("user"),
    "oci:fingerprint": z.string().regex(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/, { error: "expected the API key fingerprint (16 hex pairs separated by ':')" }),
    "oci:privateKey": secret("oci:privateKey"),
    "cloudflare:apiToken": secret("cloudflare:apiToken"),
  })
  .strict();

// ---------------------------------------------------------------------------------------------
// Proxmox host and VMs (prod and dev stacks)

const vmSize = z
  .object({
    cores: z.number().int().min(1, { error: "expected at least 1 vCPU" }).max(64),
    memoryGb: z.number().int().min(1, { error: "expected at least 1 GB" }).max(256),
    diskGb: z.number().int().min(10, { error: "expected at least 10 GB" }).max(4096),
  })
  .strict();
export type VmSize = z.infer<typeof vmSize>;

/** The AOOSTAR WTR MAX 8845 (Ryzen 7 8845HS, 8 cores / 16 threads) with 64 GB (NFR-010). */
const proxmoxHost = z
  .object({
    nodeName: z.string().regex(/^[a-z][a-z0-9-]*$/, { error: "expected the Proxmox node name (Datacenter → node), e.g. pve" }).default("pve"),
    address: ipAddress,
    cpuThreads: z.number().int().min(1).default(16),
    memoryGb: z.number().int().min(8).default(64),
    /** Memory the host keeps for itself (Proxmox, NFS, ZFS metadata) on top of the ARC. */
    hostReservedGb: z.number().int().min(0).default(0),
    zfsArcGb: z.number().int().min(1).max(32).default(8),
    /** The media pool (mounted at /<pool>): the hypervisor creates it, both home clusters mount its NFS exports. */
    zfsPool: z.string().regex(/^[a-z][a-z0-9_-]{0,30}$/, { error: "expected a pool name such as tank" }).default("tank"),
    /** Usable ZFS pool size (2 × 20 TB mirror ≈ 18 TB usable). */
    poolUsableGb: z.number().int().min(100).default(18000),
    /** RAM budget for normal operation (gaming VM off), NFR-010: ~28 GB. */
    normalRamBudgetGb: z.number().int().min(1).default(28),
    datastore: z.string().default("local-zfs"),
    /** Storage that holds ISO images (the Talos ISO is downloaded there). */
    isoDatastore: z.string().default("local"),
    bridge: z.string().regex(/^vmbr\d+$/, { error: "expected a Linux bridge such as vmbr0" }).default("vmbr0"),
    lanCidr: cidr,
  })
  .strict();

const homeStackCommon = {
  "homelab:domain": hostname,
  "homelab:talosVersion": talosVersion,
  "homelab:kubernetesVersion": kubernetesVersion,
  "homelab:cloudStack": stackRef,
  "homelab:proxmox": proxmoxHost,
  "proxmoxve:endpoint": z.string().regex(/^https:\/\/[^/]+:8006\/?$/, { error: "expected the Proxmox API URL https://<host>:8006/" }),
  "proxmoxve:apiToken": secret("proxmoxve:apiToken"),
  /** Omni service account (Operator) that syncs this stack's cluster template and reads its kubeconfig. */
  "homelab:omniServiceAccountKey": secret("homelab:omniServiceAccountKey"),
  "homelab:talosPatches": talosPatches,
  ...platformCommon(true),
  "proxmoxve:insecure": z.boolean({ error: "expected true or false" }).default(false),
};

/** The media library's datasets (story 2.1.2) plus the local backup target. */
export const defaultDatasets = ["media/films", "media/series", "media/music", "media/audiobooks", "media/books", "media/comics", "media/roms", "media/photos", "backups"];

const hypervisor = z
  .object({
    /** SSH user for the host scripts (they change kernel, storage and access settings). */
    sshUser: z.string().default("root"),
    zfs: z
      .object({
        layout: z.enum(["mirror", "single"], { error: 'expected "mirror" (two disks) or "single" (one disk, with backups)' }).default("mirror"),
        disks: z
          .array(z.string().regex(/^\/dev\/disk\/by-id\/\S+$/, { error: "expected a stable disk path /dev/disk/by-id/… (ls -l /dev/disk/by-id)" }))
          .min(1, { error: "expected the pool's disks" })
          .max(2, { error: "expected at most the two 20 TB disks" }),
        /** Destroy what the disks hold when creating the pool. Only for one deliberate run. */
        allowWipe: z.boolean().default(false),
        datasets: z.array(z.string().regex(/^[a-z0-9][a-z0-9_-]*(\/[a-z0-9][a-z0-9_-]*)*$/, { error: "expected a dataset path such as media/films" })).default(defaultDatasets),
      })
      .strict(),
    /** Where ZFS (ZED) sends pool events. */
    alertEmail: email,
    gpu: z
      .object({
        iommu: z.enum(["amd", "intel"]).default("amd"),
        vendor: z.enum(["nvidia", "amd"]).default("nvidia"),
        /** vendor:device of every GPU function (lspci -nn -s <address>), e.g. 10de:2684 and its audio 10de:22ba. */
        deviceIds: z.array(z.string().regex(/^[0-9a-f]{4}:[0-9a-f]{4}$/, { error: "expected a vendor:device id such as 10de:2684 (lspci -nn)" })).min(1),
      })
      .strict(),
    nfs: z
      .object({
        /** Networks that may mount the media exports; default the home LAN, where the cluster VMs live. */
        clientCidrs: z.array(cidr).optional(),
      })
      .strict()
      .default({}),
  })
  .strict();
export type HypervisorConfig = z.infer<typeof hypervisor>;

const prodStack = z
  .object({
    ...homeStackCommon,
    "homelab:vms": z
      .object({
        controlPlane: vmSize.default({ cores: 2, memoryGb: 4, diskGb: 50 }),
        worker: vmSize.default({ cores: 6, memoryGb: 12, diskGb: 200 }),
      })
      .strict()
      .default({ controlPlane: { cores: 2, memoryGb: 4, diskGb: 50 }, worker: { cores: 6, memoryGb: 12, diskGb: 200 } }),
    "homelab:gaming": z
      .object({
        enabled: z.boolean().default(true),
        size: vmSize.default({ cores: 8, memoryGb: 32, diskGb: 1000 }),
        /** PCI address of the GPU (lspci), passed through whole with its audio function. */
        gpuPciId: z.string().regex(/^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}$/, { error: "expected a PCI address without function, e.g. 0000:01:00 (lspci -D)" }),
      })
      .strict(),
    "homelab:hypervisor": hypervisor,
    /** SSH key of the Proxmox host's root account (the host scripts run over SSH). */
    "homelab:proxmoxSshPrivateKey": secret("homelab:proxmoxSshPrivateKey"),
    /** Size of the DEV VM, counted here because DEV shares the host (NFR-010). */
    "homelab:devVm": vmSize.default({ cores: 2, memoryGb: 4, diskGb: 50 }),
  })
  .strict();

const devStack = z
  .object({
    ...homeStackCommon,
    "homelab:vms": z
      .object({ node: vmSize.default({ cores: 2, memoryGb: 4, diskGb: 50 }) })
      .strict()
      .default({ node: { cores: 2, memoryGb: 4, diskGb: 50 } }),
  })
  .strict();

export const stackSchemas = { cloud: cloudStack, prod: prodStack, dev: devStack } as const;
export type CloudConfig = z.infer<typeof cloudStack>;
export type ProdConfig = z.infer<typeof prodStack>;
export type DevConfig = z.infer<typeof devStack>;
export type StackConfig =
  | { stack: "cloud"; config: CloudConfig }
  | { stack: "prod"; config: ProdConfig }
  | { stack: "dev"; config: DevConfig };

// ---------------------------------------------------------------------------------------------
// Loading


function parseValue(entry: RawConfigEntry): unknown {
  if (entry.secret) return new SecretValue(entry.value);
  const text = entry.value.trim();
  if (text.startsWith("{") || text.startsWith("[")) {
    try {
      return JSON.parse(text);
    } catch {
      return entry.value;
    }
  }
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text === "true" || text === "false") return text === "true";
  return entry.value;
}

/** The value as an error line may show it: secrets and plain values under secret-like keys stay hidden. */
function describe(value: unknown, key = ""): string {
  if (value instanceof SecretValue) return "[secret]";
  if (secretLikeName.test(key) && value !== undefined) return "[plain value, hidden]";
  if (value === undefined) return "(missing)";
  const text = JSON.stringify(value, (_k, v: unknown) => (v instanceof SecretValue ? "[secret]" : v));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function keyPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, part, i) => {
    if (typeof part === "number") return `${acc}[${part}]`;
    return i === 0 ? String(part) : `${acc}.${String(part)}`;
  }, "");
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const part of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

/**
 * Validates a stack's raw config and returns it typed, or throws a ConfigError listing every
 * problem, one line each.
 */
export function loadStackConfig(stack: string, raw: RawConfig): StackConfig {
  if (!(stackNames as readonly string[]).includes(stack)) {
    throw new ConfigError(stack, [`stack name "${stack}" is not one of ${stackNames.join(", ")}; fix: pulumi stack select cloud|prod|dev`]);
  }
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, entry] of Object.entries(raw)) {
    values[key] = parseValue(entry);
    if (!entry.secret && secretLikeName.test(key)) {
      problems.push(`${key} = ${describe(values[key], key)}: looks like a secret but is a plain value; fix: pulumi config set --secret ${key} <value>`);
    }
  }
  const schema = stackSchemas[stack as StackName];
  const result = schema.safeParse(values, { reportInput: true });
  if (!result.success) {
    for (const issue of result.error.issues) {
      if (issue.code === "unrecognized_keys") {
        for (const key of issue.keys) {
          const full = keyPath([...issue.path, key]);
          const hint = issue.path.length === 0 ? `; stack "${stack}" reads only: ${Object.keys(schema.shape).join(", ")}` : "";
          problems.push(`${full} = ${describe(valueAt(values, [...issue.path, key]), key)}: unknown key${hint}; fix: remove it or correct its spelling (pulumi config rm ${full.split(".")[0]})`);
        }
        continue;
      }
      const at = keyPath(issue.path);
      const got = valueAt(values, issue.path);
      const shown = describe(got, String(issue.path[issue.path.length - 1] ?? ""));
      const message = got === undefined ? `is required but missing; ${issue.message}; fix: pulumi config set ${at.split(".")[0]} …` : `${issue.message}`;
      problems.push(`${at} = ${shown}: ${message}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(stack, problems);
  const config = result.data!;
  const crossProblems = crossFieldProblems(stack as StackName, config);
  if (crossProblems.length > 0) throw new ConfigError(stack, crossProblems);
  return { stack, config } as StackConfig;
}

/** Rules that span several keys; totals are left to the policy pack, which sees the resources. */
function crossFieldProblems(stack: StackName, config: CloudConfig | ProdConfig | DevConfig): string[] {
  const problems: string[] = [];
  if (stack === "cloud") {
    const cloud = config as CloudConfig;
    const names = new Set<string>();
    cloud["homelab:oci"].instances.forEach((instance, i) => {
      if (names.has(instance.name)) problems.push(`homelab:oci.instances[${i}].name = "${instance.name}": used twice; fix: give each instance its own name`);
      names.add(instance.name);
      if (instance.shape === alwaysFreeLimits.microShape && (instance.ocpus !== 1 || instance.memoryGb !== 1)) {
        problems.push(`homelab:oci.instances[${i}]: ${alwaysFreeLimits.microShape} is fixed at 1 OCPU / 1 GB; fix: set ocpus 1 and memoryGb 1, or use ${alwaysFreeLimits.a1Shape}`);
      }
    });
    if (cloud["homelab:oci"].instances.filter((i) => i.role === "mgmt").length !== 1) {
      problems.push(`homelab:oci.instances: expected exactly one instance with role "mgmt" (it runs Omni, Authentik and cloudflared)`);
    }
    const [vcnIp, vcnBits] = cloud["homelab:oci"].vcnCidr.split("/");
    const [subnetIp, subnetBits] = cloud["homelab:oci"].subnetCidr.split("/");
    if (!cidrContains(vcnIp!, Number(vcnBits), subnetIp!, Number(subnetBits))) {
      problems.push(`homelab:oci.subnetCidr = "${cloud["homelab:oci"].subnetCidr}": not inside homelab:oci.vcnCidr "${cloud["homelab:oci"].vcnCidr}"; fix: pick a subnet of the VCN range`);
    }
  } else {
    const home = config as ProdConfig | DevConfig;
    if (stack === "prod") {
      const prod = config as ProdConfig;
      const zfs = prod["homelab:hypervisor"].zfs;
      const expected = zfs.layout === "mirror" ? 2 : 1;
      if (zfs.disks.length !== expected) {
        problems.push(`homelab:hypervisor.zfs.disks: layout "${zfs.layout}" needs ${expected} disk${expected === 1 ? "" : "s"}, got ${zfs.disks.length}; fix: list the disks or change the layout`);
      }
      const lan = home["homelab:proxmox"].lanCidr;
      const [lanNet, lanBits] = lan.split("/");
      (prod["homelab:hypervisor"].nfs.clientCidrs ?? []).forEach((client, i) => {
        const [ip, bits] = client.split("/");
        if (!cidrContains(lanNet!, Number(lanBits), ip!, Number(bits))) {
          problems.push(`homelab:hypervisor.nfs.clientCidrs[${i}] = "${client}": outside the home network ${lan}; the media exports stay on the home network (the CLOUD cluster reaches them through Twingate)`);
        }
      });
    }
    const host = home["homelab:proxmox"];
    const [lanIp, lanBits] = host.lanCidr.split("/");
    if (!cidrContains(lanIp!, Number(lanBits), host.address, 32)) {
      problems.push(`homelab:proxmox.address = "${host.address}": not inside homelab:proxmox.lanCidr "${host.lanCidr}"; fix: correct one of the two`);
    }
    if (host.zfsArcGb >= host.memoryGb) problems.push(`homelab:proxmox.zfsArcGb = ${host.zfsArcGb}: must be below the host memory (${host.memoryGb} GB)`);
  }
  config["homelab:talosPatches"].forEach((entry, i) => {
    problems.push(...talosPatchProblems(entry.patch, `homelab:talosPatches[${i}] ("${entry.name}")`));
  });
  return problems;
}

function toInt(ip: string): number {
  return ip.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

export function cidrContains(outerIp: string, outerBits: number, innerIp: string, innerBits: number): boolean {
  if (innerBits < outerBits) return false;
  const mask = outerBits === 0 ? 0 : 2 ** 32 - 2 ** (32 - outerBits);
  const apply = (n: number) => Math.floor(n / 2 ** (32 - outerBits)) * 2 ** (32 - outerBits);
  return mask === 0 || apply(toInt(outerIp)) === apply(toInt(innerIp));
}
