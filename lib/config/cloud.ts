/** The cloud stack's config: Oracle Cloud (network, instances, bucket), Cloudflare, Authentik and Omni. */
import { z } from "zod";
import { alwaysFreeLimits } from "../always-free";
import { cloudPlatform, cloudflareId, email, hostname, httpsUrl, kubernetesVersion, ocid, platformCommon, privateCidr, secret, sshPublicKey, talosPatches, talosVersion, uuid } from "./fields";

/** A Twingate network's name: the `<name>` of `https://<name>.twingate.com` (the admin console's address). */
export const twingateNetworkName = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, { error: "expected the Twingate network name, the <name> of https://<name>.twingate.com (lower-case letters, digits, '-')" });

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
    memoryGb: z.number().int({ error: "expected a whole number of GB" }).min(1, { error: "expected at least 1 GB" }).max(alwaysFreeLimits.a1MemoryGb, {
      error: `expected at most ${alwaysFreeLimits.a1MemoryGb} GB (the Always Free A1 total)`,
    }),
    bootVolumeGb: z.number().int({ error: "expected a whole number of GB" }).min(alwaysFreeLimits.defaultBootVolumeGb, { error: `expected at least ${alwaysFreeLimits.defaultBootVolumeGb} GB (OCI's smallest boot volume)` }).max(alwaysFreeLimits.blockStorageGb, {
      error: `expected at most ${alwaysFreeLimits.blockStorageGb} GB (the Always Free block storage total)`,
    }),
    /** Keep the egress IP stable (Comet and Real-Debrid, story 4.2.1). */
    reservedPublicIp: z.boolean().default(false),
  })
  .strict();
export type OciInstanceConfig = z.infer<typeof ociInstance>;

export const cloudStack = z
  .object({
    "homelab:domain": hostname,
    "homelab:talosVersion": talosVersion,
    "homelab:kubernetesVersion": kubernetesVersion,
    "homelab:adminEmails": z.array(email).min(1, { error: "expected at least one admin e-mail (Cloudflare Access allows these in front of admin apps)" }),
    "homelab:oci": z
      .object({
        compartmentId: ocid("compartment").or(ocid("tenancy")),
        availabilityDomain: z.string().regex(/^[A-Za-z0-9]{2,8}:[A-Z0-9]+(-[A-Z0-9]+)+$/, { error: "expected an availability domain name such as Uocm:EU-PARIS-1-AD-1 (Compute → Instances → Create)" }),
        /** OCI allows VCNs and subnets from /16 to /30. */
        vcnCidr: privateCidr("a VCN range", { min: 16, max: 30 }, "10.20.0.0/16").default("10.20.0.0/16"),
        subnetCidr: privateCidr("a subnet range", { min: 16, max: 30 }, "10.20.1.0/24").default("10.20.1.0/24"),
        instances: z.array(ociInstance).min(1, { error: "expected at least the management VM" }),
        /** OCI image OCID of the Talos arm64 image (imported by the Talos issue). */
        talosImageId: ocid("image").optional(),
      })
      .strict(),
    "homelab:cloudflare": z.object({ accountId: cloudflareId, zoneId: cloudflareId }).strict(),
    "homelab:backup": z
      .object({
        bucketName: z.string().regex(/^[a-z0-9][a-z0-9._-]{2,62}$/, { error: "expected a bucket name (3–63 lower-case letters, digits, '.', '_', '-')" }).default("homelab-backups"),
        /**
         * Removed: a whole-bucket expiry deleted the repository files (restic config and keys, first
         * packs, base backups) that every later backup depends on. Each tool keeps what its class says.
         */
        retentionDays: z
          .never({ error: "homelab:backup.retentionDays is gone: a bucket-wide expiry breaks every repository in the bucket; each backup class sets its own retention (lib/backup/classes.ts). Remove the key" })
          .optional(),
        /**
         * `always-free`: an Always-Free-only tenancy (20 GB of object storage, any tier); `paid`: a
         * pay-as-you-go or trial account, where only 10 GB of Standard tier are free. The plan's
         * off-site budget uses the matching allowance.
         */
        tenancy: z.enum(["always-free", "paid"], { error: 'expected "always-free" or "paid"' }).default("always-free"),
      })
      .strict()
      .default({ bucketName: "homelab-backups", tenancy: "always-free" }),
    "homelab:sshPublicKey": sshPublicKey,
    /** The family dashboard (Glance, story 4.4.1): its weather widget's place, geocoded by Open-Meteo when Glance starts. */
    "homelab:dashboard": z
      .object({
        weatherLocation: z.string().regex(/^[^\n"\\]{2,80}$/, { error: 'expected a place Open-Meteo knows, such as "Paris, France" (no quotes or line breaks)' }),
        units: z.enum(["metric", "imperial"], { error: 'expected "metric" or "imperial"' }).default("metric"),
      })
      .strict(),
    /** These four reach the management VM in single-quoted Compose env files. */
    "homelab:authentikSecretKey": secret("homelab:authentikSecretKey", { envFile: true }),
    "homelab:authentikBootstrapPassword": secret("homelab:authentikBootstrapPassword", { envFile: true }),
    "homelab:authentikBootstrapToken": secret("homelab:authentikBootstrapToken", { envFile: true }),
    "homelab:postgresPassword": secret("homelab:postgresPassword", { envFile: true }),
    /**
     * Cloudflare API token for Omni's Let's Encrypt certificate (DNS-01): Zone → Zone → Read and
     * Zone → DNS → Edit, on the homelab zone only. Lives on the management VM (an env file too), so
     * it is not the wider `cloudflare:apiToken`.
     */
    "homelab:acmeDnsApiToken": secret("homelab:acmeDnsApiToken", { envFile: true }),
    /** Omni's join token, set after Omni's first start (README, one-time steps); until then no machine can join. It goes into kernel arguments. */
    "homelab:omniJoinToken": secret("homelab:omniJoinToken", {
      format: { pattern: /^[A-Za-z0-9_-]+$/, what: "an Omni join token (letters, digits, '-' and '_'; copy it from Omni → Settings → Machines)" },
    }).optional(),
    /** Omni service account (Operator) for omnictl; with it the CLOUD cluster and the MachineClasses are applied. */
    "homelab:omniServiceAccountKey": secret("homelab:omniServiceAccountKey").optional(),
    /** Omni machine ids of the two A1 nodes once they have registered (README, one-time steps). */
    "homelab:cloudMachineIds": z.object({ controlPlane: uuid, workers: z.array(uuid) }).strict().optional(),
    "homelab:talosPatches": talosPatches,
    /**
     * Twingate (FR-010): the network the CLOUD nodes reach the home NFS through. Its remote
     * network, connector, NFS resource and service account are created by this stack.
     */
    "homelab:twingate": z.object({ network: twingateNetworkName }).strict(),
    ...platformCommon(cloudPlatform),
    /** Where Authentik posts user and group changes; default the n8n webhook (story 3.3.4). */
    "homelab:provisioningWebhookUrl": httpsUrl("an https URL", "https://n8n.example.com/webhook/authentik-provisioning").optional(),
    /** Rotation counters of generated secrets: raise one to rotate that secret (README, rotating secrets); the names are checked against the catalog (lib/config/cloud-rules.ts). */
    "homelab:secretGenerations": z
      .record(z.string(), z.number({ error: "expected a whole number (the secret's generation, 1 or more)" }).int({ error: "expected a whole number (the secret's generation, 1 or more)" }).min(1, { error: "expected a generation of 1 or more" }))
      .default({}),
    "oci:region": z.string().regex(/^[a-z]+-[a-z]+-\d$/, { error: "expected an OCI region such as eu-paris-1" }),
    "oci:tenancyOcid": ocid("tenancy"),
    "oci:userOcid": ocid("user"),
    "oci:fingerprint": z.string().regex(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/, { error: "expected the API key fingerprint (16 hex pairs separated by ':')" }),
    "oci:privateKey": secret("oci:privateKey"),
    "cloudflare:apiToken": secret("cloudflare:apiToken"),
    /** Twingate API token with Read, Write & Provision rights (Settings → API). */
    "twingate:apiToken": secret("twingate:apiToken"),
  })
  .strict();
