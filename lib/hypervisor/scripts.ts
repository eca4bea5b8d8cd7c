/**
 * The Proxmox host's configuration scripts, rendered: settings from config as read-only shell
 * variables, the shared helpers (files/lib.sh), then the script body (files/<name>.sh). Pure,
 * so tests shellcheck exactly what runs and execute it against a fake root.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { backupUnits } from "./backups";

export const hostScriptNames = ["zfs-pool", "zfs-tuning", "nfs-exports", "gpu-passthrough", "pve-access", "sanoid"] as const;
export type HostScriptName = (typeof hostScriptNames)[number];

export type ShellValue = string | number | readonly string[];

export interface HypervisorSettings {
  zfs: {
    /** Pool name, mounted at /<pool>. */
    pool: string;
    layout: "mirror" | "single";
    /** Stable disk paths (/dev/disk/by-id/...). */
    disks: readonly string[];
    /** Destroy what the disks hold: only for the one run that creates the pool on used disks. */
    allowWipe: boolean;
    /** Datasets under the pool (media/films, media/music, …, backups). */
    datasets: readonly string[];
    /** Quota per dataset in GiB (none: the dataset may fill the pool). */
    quotasGb?: Readonly<Record<string, number>>;
    /** ARC limit (story 1.1.2: ~8 GB). */
    arcMaxGb: number;
  };
  /** Where ZED sends pool events. */
  alertEmail: string;
  gpu: {
    iommu: "amd" | "intel";
    /** Host drivers to keep off the GPU. */
    blacklist: readonly string[];
    /** vendor:device ids of every function of the GPU (lspci -nn). */
    deviceIds: readonly string[];
  };
  nfs: {
    /** Datasets exported (relative to the pool). */
    datasets: readonly string[];
    /** Networks allowed to mount them (the home LAN where the cluster VMs live). */
    clientCidrs: readonly string[];
    /** exports(5) options of every client entry. */
    options: string;
  };
  access: { role: string; userId: string; privileges: readonly string[] };
  /** The datasets' backups: sanoid's configuration, syncoid's copy (empty when none), the units. */
  backups: { sanoidConf: string; syncoidScript: string; units: ReturnType<typeof backupUnits> };
}

/**
 * What the Proxmox provider needs and nothing more, by Proxmox VE 9 names; each one is checked
 * against the pinned API schema, and each provider call against the role (lib/hypervisor/pve-permissions.ts).
 * VE 9 dropped VM.Monitor; the guest agent's address reads need VM.GuestAgent.Audit; the ISO
 * download needs Sys.AccessNetwork (or Sys.Audit+Sys.Modify), its replacement Datastore.Allocate.
 */
export const pulumiPrivileges = [
  "Datastore.Allocate",
  "Datastore.AllocateSpace",
  "Datastore.AllocateTemplate",
  "Datastore.Audit",
  "Mapping.Audit",
  "Mapping.Modify",
  "Mapping.Use",
  "Pool.Audit",
  "SDN.Use",
  "Sys.AccessNetwork",
  "Sys.Audit",
  "Sys.Console",
  "Sys.Modify",
  "VM.Allocate",
  "VM.Audit",
  "VM.Clone",
  "VM.Config.CDROM",
  "VM.Config.CPU",
  "VM.Config.Cloudinit",
  "VM.Config.Disk",
  "VM.Config.HWType",
  "VM.Config.Memory",
  "VM.Config.Network",
  "VM.Config.Options",
  "VM.GuestAgent.Audit",
  "VM.Migrate",
  "VM.PowerMgmt",
] as const;

export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function assignment(name: string, value: ShellValue): string {
  if (!/^[A-Z][A-Z0-9_]*$/.test(name)) throw new Error(`host script setting "${name}" is not an upper-case shell name`);
  if (Array.isArray(value)) return `readonly ${name}=(${(value as readonly string[]).map(shellQuote).join(" ")})`;
  return `readonly ${name}=${shellQuote(String(value))}`;
}

const filesDir = join(__dirname, "files");
const read = (file: string) => readFileSync(join(filesDir, file), "utf8");

export function renderHostScript(name: HostScriptName, settings: Readonly<Record<string, ShellValue>>): string {
  return renderShellScript(name, read(`${name}.sh`), settings);
}

/** A script for the host: its settings as read-only variables, the shared helpers, then `body` (other components' host scripts use it too). */
export function renderShellScript(name: string, body: string, settings: Readonly<Record<string, ShellValue>>): string {
  return [
    "#!/usr/bin/env bash",
    `# ${name}: rendered by the homelab program (components/hypervisor). Safe to run again: it changes only what differs.`,
    "set -euo pipefail",
    `readonly SCRIPT_NAME=${shellQuote(name)}`,
    ...Object.entries(settings).map(([key, value]) => assignment(key, value)),
    "",
    read("lib.sh"),
    body,
    'log "done (changed=$changed)"',
    'printf "changed=%s\\n" "$changed"',
    "",
  ].join("\n");
}

/** Every host script with its settings from config. */
export function hostScripts(s: HypervisorSettings): Record<HostScriptName, string> {
  const gib = 1024 ** 3;
  return {
    "zfs-pool": renderHostScript("zfs-pool", {
      POOL: s.zfs.pool,
      LAYOUT: s.zfs.layout,
      DISKS: s.zfs.disks,
      ALLOW_WIPE: s.zfs.allowWipe ? "yes" : "no",
      DATASETS: s.zfs.datasets,
      QUOTAS: Object.entries(s.zfs.quotasGb ?? {}).map(([dataset, gb]) => `${dataset}=${gb * gib}`),
    }),
    "zfs-tuning": renderHostScript("zfs-tuning", { POOL: s.zfs.pool, ARC_MAX_BYTES: s.zfs.arcMaxGb * gib, ALERT_EMAIL: s.alertEmail }),
    "nfs-exports": renderHostScript("nfs-exports", { POOL: s.zfs.pool, EXPORTED: s.nfs.datasets, CLIENT_CIDRS: s.nfs.clientCidrs, EXPORT_OPTIONS: s.nfs.options }),
    "gpu-passthrough": renderHostScript("gpu-passthrough", {
      KERNEL_ARGS: [s.gpu.iommu === "amd" ? "amd_iommu=on" : "intel_iommu=on", "iommu=pt"],
      BLACKLIST: s.gpu.blacklist,
      GPU_IDS: s.gpu.deviceIds,
    }),
    "pve-access": renderHostScript("pve-access", { ROLE: s.access.role, USER_ID: s.access.userId, PRIVILEGES: [...s.access.privileges].sort().join(",") }),
    sanoid: renderHostScript("sanoid", {
      SANOID_CONF: s.backups.sanoidConf,
      SYNCOID_SCRIPT: s.backups.syncoidScript,
      ALERT_UNIT: s.backups.units.alert,
      CHECK_SERVICE: s.backups.units.checkService,
      CHECK_TIMER: s.backups.units.checkTimer,
      SYNCOID_SERVICE: s.backups.units.syncoidService,
      SYNCOID_TIMER: s.backups.units.syncoidTimer,
    }),
  };
}
