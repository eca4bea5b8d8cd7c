/** The home stacks' config: the Proxmox host and its VMs (prod and dev), the hypervisor (prod). */
import { z } from "zod";
import { email, githubRepository, homePlatform, hostname, httpsUrl, ipAddress, kubernetesVersion, platformCommon, privateCidr, proxmoxStorage, secret, sshPublicKey, stackRef, talosPatches, talosVersion, unixUser } from "./fields";

const vmSize = z
  .object({
    cores: z.number().int({ error: "expected a whole number of vCPUs" }).min(1, { error: "expected at least 1 vCPU" }).max(64, { error: "expected at most 64 vCPUs" }),
    memoryGb: z.number().int({ error: "expected a whole number of GB" }).min(1, { error: "expected at least 1 GB" }).max(256, { error: "expected at most 256 GB" }),
    diskGb: z.number().int({ error: "expected a whole number of GB" }).min(10, { error: "expected at least 10 GB" }).max(16384, { error: "expected at most 16384 GB" }),
  })
  .strict();
export type VmSize = z.infer<typeof vmSize>;

/** The AOOSTAR WTR MAX 8845 (Ryzen 7 8845HS, 8 cores / 16 threads) with 64 GB (NFR-010). */
const proxmoxHost = z
  .object({
    // The node name is the host's name, one DNS label: at most 63 characters, ending in a letter or digit.
    nodeName: z.string().regex(/^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/, { error: "expected the Proxmox node name (Datacenter → node, a host name of at most 63 lower-case letters, digits and inner '-'), e.g. pve" }).default("pve"),
    address: ipAddress,
    cpuThreads: z.number().int({ error: "expected a whole number of threads" }).min(1, { error: "expected at least 1 thread" }).default(16),
    memoryGb: z.number().int({ error: "expected a whole number of GB" }).min(8, { error: "expected at least 8 GB (Proxmox's minimum for VMs and ZFS)" }).default(64),
    /** Memory the host keeps for itself (Proxmox, NFS, ZFS metadata) on top of the ARC. */
    hostReservedGb: z.number().int({ error: "expected a whole number of GB" }).min(0, { error: "expected 0 or more GB" }).default(0),
    /**
     * ZFS ARC limit. 6 GB (story 1.1.2 says ~8): the CI runner VM's 3 GB came from here (2 GB) and
     * from the PROD worker (1 GB), so the normal load stays at 28 GB (docs/network-paths.md).
     */
    zfsArcGb: z.number().int({ error: "expected a whole number of GB" }).min(1, { error: "expected at least 1 GB of ZFS ARC" }).max(32, { error: "expected at most 32 GB of ZFS ARC (story 1.1.2: ~8 GB)" }).default(6),
    /** The media pool (mounted at /<pool>): the hypervisor creates it, both home clusters mount its NFS exports. */
    zfsPool: z.string().regex(/^[a-z][a-z0-9_-]{0,30}$/, { error: "expected a pool name such as tank" }).default("tank"),
    /** Usable ZFS pool size (2 × 20 TB mirror ≈ 18 TB usable): the media datasets' quotas count against it. */
    poolUsableGb: z.number().int({ error: "expected a whole number of GB" }).min(100, { error: "expected at least 100 GB" }).default(18000),
    /** RAM budget for normal operation (gaming VM off), NFR-010: ~28 GB. */
    normalRamBudgetGb: z.number().int({ error: "expected a whole number of GB" }).min(1, { error: "expected at least 1 GB" }).default(28),
    /** Proxmox storage of the VM disks (on the host's system SSD, not the media pool). */
    datastore: proxmoxStorage.default("local-zfs"),
    /** Usable size of that storage: the VM disks count against it. */
    datastoreUsableGb: z.number().int({ error: "expected a whole number of GB" }).min(50, { error: "expected at least 50 GB" }).default(1800),
    /** Storage that holds ISO images (the Talos ISO is downloaded there). */
    isoDatastore: proxmoxStorage.default("local"),
    bridge: z.string().regex(/^vmbr\d+$/, { error: "expected a Linux bridge such as vmbr0" }).default("vmbr0"),
    /** The home LAN: the host, the VMs, the LoadBalancer pools and the NFS clients all live in it. */
    lanCidr: privateCidr("a home LAN range", { min: 8, max: 30 }, "192.168.1.0/24", "home"),
  })
  .strict();

const homeStackCommon = {
  "homelab:domain": hostname,
  "homelab:talosVersion": talosVersion,
  "homelab:kubernetesVersion": kubernetesVersion,
  "homelab:cloudStack": stackRef,
  "homelab:proxmox": proxmoxHost,
  "proxmoxve:endpoint": httpsUrl("the Proxmox API URL", "https://192.168.1.10:8006/", { port: "8006", rootOnly: true }),
  "proxmoxve:apiToken": secret("proxmoxve:apiToken"),
  /** Omni service account (Operator) that syncs this stack's cluster template and reads its kubeconfig. */
  "homelab:omniServiceAccountKey": secret("homelab:omniServiceAccountKey"),
  "homelab:talosPatches": talosPatches,
  ...platformCommon(homePlatform),
  "proxmoxve:insecure": z.boolean({ error: "expected true or false" }).default(false),
};

const zfsPath = /^[a-z][a-z0-9_-]*(\/[a-z0-9][a-z0-9_-]*)*$/;
/** A bulk dataset destination for syncoid. */
export const datasetReplication = z.discriminatedUnion(
  "kind",
  [
    /** A second pool on the host (a USB disk, a spare drive): a second copy, but on-site. */
    z.object({ kind: z.literal("zfs"), target: z.string().regex(zfsPath, { error: "expected the parent dataset on the second pool, such as usb-backup/tank" }) }).strict(),
    /** Another machine with ZFS, over SSH (a friend's, a parent's): off-site. */
    z
      .object({
        kind: z.literal("ssh"),
        target: z.string().regex(/^[a-z_][a-z0-9_-]*@[A-Za-z0-9.-]+:[a-z][a-z0-9_-]*(\/[a-z0-9][a-z0-9_-]*)*$/, { error: "expected user@host:pool/dataset" }),
      })
      .strict(),
    z.object({ kind: z.literal("none"), reason: z.string().min(10, { error: "say why this data has no second copy (the plan prints it)" }) }).strict(),
  ],
  { error: 'expected { kind: "zfs", target }, { kind: "ssh", target } or { kind: "none", reason }' },
);
export type DatasetReplication = z.infer<typeof datasetReplication>;

/**
 * The media library's datasets (story 2.1.2), `media/volumes` under the `nfs-media` StorageClass
 * (one directory per claim), plus the local backup target.
 */
export const defaultDatasets = ["media/films", "media/series", "media/music", "media/audiobooks", "media/books", "media/comics", "media/roms", "media/photos", "media/volumes", "backups"];

const hypervisor = z
  .object({
    /** SSH user for the host scripts (they change kernel, storage and access settings). */
    sshUser: unixUser.default("root"),
    zfs: z
      .object({
        layout: z.enum(["mirror", "single"], { error: 'expected "mirror" (two disks) or "single" (one disk, with backups)' }).default("mirror"),
        disks: z
          .array(
            z
              .string()
              .regex(/^\/dev\/disk\/by-id\/[A-Za-z0-9._:+-]+$/, { error: "expected a stable disk path /dev/disk/by-id/… (ls -l /dev/disk/by-id), letters, digits and . _ : + - only" })
              .refine((d) => !/-part\d+$/.test(d), { error: "names a partition; fix: give the whole disk (the same path without -partN)" }),
          )
          .min(1, { error: "expected the pool's disks" })
          .max(2, { error: "expected at most the two 20 TB disks" }),
        /** Destroy what the disks hold when creating the pool. Only for one deliberate run. */
        allowWipe: z.boolean({ error: "expected true or false" }).default(false),
        datasets: z.array(z.string().regex(/^[a-z0-9][a-z0-9_-]*(\/[a-z0-9][a-z0-9_-]*)*$/, { error: "expected a dataset path such as media/films" })).default(defaultDatasets),
        /**
         * Where syncoid copies the `bulk` datasets (sanoid snapshots them locally in any case): a
         * second pool or USB disk on the host, another machine over SSH, or explicitly nowhere,
         * with the reason the plan prints. Required: bulk data must say where its copy lives.
         */
        replication: datasetReplication.optional(),
        /** Quotas per dataset in GB (`zfs set quota`): what the media may take counts against the pool in the plan's budget. */
        quotasGb: z.record(z.string(), z.number({ error: "expected a whole number of GB" }).int({ error: "expected a whole number of GB" }).min(1, { error: "expected at least 1 GB" })).default({}),
      })
      .strict(),
    /** Where ZFS (ZED) sends pool events. */
    alertEmail: email,
    gpu: z
      .object({
        iommu: z.enum(["amd", "intel"], { error: 'expected "amd" or "intel" (the host CPU)' }).default("amd"),
        vendor: z.enum(["nvidia", "amd"], { error: 'expected "nvidia" or "amd" (the GPU)' }).default("nvidia"),
        /** vendor:device of every GPU function (lspci -nn -s <address>), e.g. 10de:2684 and its audio 10de:22ba. */
        deviceIds: z.array(z.string().regex(/^[0-9a-f]{4}:[0-9a-f]{4}$/, { error: "expected a vendor:device id such as 10de:2684 (lspci -nn)" })).min(1),
      })
      .strict(),
    nfs: z
      .object({
        /** Networks that may mount the media exports; default the home LAN, where the cluster VMs live. */
        clientCidrs: z.array(privateCidr("a home network range", { min: 8, max: 32 }, "192.168.1.0/24", "home")).optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

/**
 * The VM sizes a stack's roster refers to by key (lib/machines.ts): the stories' sizes by default,
 * each overridable, and new keys for machines that need their own size.
 */
const vmSizes = (defaults: Record<string, VmSize>) =>
  z
    .record(z.string().regex(/^[a-z][A-Za-z0-9]{0,30}$/, { error: "expected a size name such as worker or bigWorker" }), vmSize)
    .default(defaults)
    .transform((sizes) => ({ ...defaults, ...sizes }));

// The worker at 11 GB (was 12): 1 GB of the CI runner VM's memory (docs/network-paths.md, budget).
export const prodVmDefaults: Record<string, VmSize> = { controlPlane: { cores: 2, memoryGb: 4, diskGb: 50 }, worker: { cores: 6, memoryGb: 11, diskGb: 200 } };
export const devVmDefaults: Record<string, VmSize> = { node: { cores: 2, memoryGb: 4, diskGb: 50 } };

/**
 * The CI runner VM (issue 13): GitHub-hosted runners cannot reach the Proxmox API or the host's
 * SSH, so the deployments of dev and prod run on this VM on the LAN.
 */
const runner = z
  .object({
    enabled: z.boolean().default(true),
    /** The GitHub repository it serves, `owner/repo`. */
    repository: githubRepository,
    /** The admin's key: registration (once) and maintenance over SSH on the LAN. */
    adminSshKey: sshPublicKey,
    /** 3 GB with 2 GB of swap: a `pulumi up` of prod peaks around 2–2.5 GB. */
    size: vmSize
      .extend({ memoryGb: z.number().int().min(2, { error: "expected at least 2 GB: the runner runs pulumi up of prod (Node and its providers) with 2 GB of swap" }).max(256) })
      .default({ cores: 2, memoryGb: 3, diskGb: 40 }),
  })
  .strict();

export const prodStack = z
  .object({
    ...homeStackCommon,
    "homelab:vms": vmSizes(prodVmDefaults),
    "homelab:runner": runner,
    "homelab:gaming": z
      .object({
        enabled: z.boolean({ error: "expected true or false" }).default(true),
        size: vmSize.default({ cores: 8, memoryGb: 32, diskGb: 1000 }),
        /** PCI address of the GPU (lspci), passed through whole with its audio function. */
        gpuPciId: z.string().regex(/^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}$/, { error: "expected a PCI address without function, e.g. 0000:01:00 (lspci -D)" }),
      })
      .strict(),
    "homelab:hypervisor": hypervisor,
    /** SSH key of the Proxmox host's root account (the host scripts run over SSH). */
    "homelab:proxmoxSshPrivateKey": secret("homelab:proxmoxSshPrivateKey"),
    /** The dev stack's `homelab:vms`, counted here because DEV shares the host (NFR-010); checked against the dev stack when both are planned. */
    "homelab:devVms": vmSizes(devVmDefaults),
    /**
     * DEV's Gateway address (the dev stack's homelab:platform.lan.gatewayIp): AdGuard Home, which
     * runs on PROD, answers DEV's LAN hostnames with it. Without it DEV's names do not resolve at home.
     */
    "homelab:devGatewayIp": ipAddress.optional(),
    /**
     * USB devices (a Zigbee or Z-Wave stick) passed from the Proxmox host to the PROD worker that
     * runs `app`, then into that app's container at `path`: `id` is vendor:product (lsusb).
     */
    "homelab:usbDevices": z
      .array(
        z
          .object({
            app: z.string().regex(/^[a-z][a-z0-9-]*$/, { error: "expected the catalog name of the app that uses the device, e.g. home-assistant" }),
            id: z.string().regex(/^[0-9a-f]{4}:[0-9a-f]{4}$/, { error: "expected a vendor:product id such as 10c4:ea60 (lsusb)" }),
            // No `.`/`..` segment: the path becomes a hostPath of a privileged pod, so it must stay under /dev.
            path: z
              .string()
              .regex(/^\/dev(\/(?!\.\.?(?:\/|$))[A-Za-z0-9_.-]+)+$/, { error: "expected the device path inside the VM, such as /dev/ttyUSB0 or /dev/serial/by-id/<name> (ls /dev/serial/by-id on the worker), with no . or .. segment" }),
          })
          .strict(),
      )
      // One entry per stick: a second one would mount the same path twice (Kubernetes refuses the
      // pod) and map the same USB id twice on the Proxmox host.
      .superRefine((devices, ctx) => {
        for (const field of ["id", "path"] as const) {
          devices.forEach((device, i) => {
            const first = devices.findIndex((d) => d[field] === device[field]);
            if (first !== i) {
              const why = field === "id" ? " (the Proxmox mapping selects the stick by this id, so two sticks of one model cannot be told apart)" : "";
              ctx.addIssue({ code: "custom", path: [i, field], message: `the same ${field} as homelab:usbDevices[${first}]${why}; fix: list each device once` });
            }
          });
        }
      })
      .default([]),
  })
  .strict();

export const devStack = z
  .object({
    ...homeStackCommon,
    "homelab:vms": vmSizes(devVmDefaults),
  })
  .strict();
