/**
 * The host scripts' settings from the prod stack's config: dataset list, exports (the media
 * datasets, to the home network), GPU drivers to blacklist per vendor, the program's role.
 */
import { pulumiPrivileges, type HypervisorSettings } from "./scripts";
import type { ProdConfig } from "../config";
import type { AppRecord } from "../catalog/types";
import { catalogSpecs, datasetBackupItems } from "../backup/items";
import { backupUnits, sanoidConf, syncoidScript } from "./backups";

/** Host drivers that would grab the GPU before vfio-pci (story 1.1.3). */
export const gpuDriverBlacklist = {
  nvidia: ["nouveau", "nvidia", "nvidiafb", "nvidia_drm", "nvidia_modeset"],
  amd: ["amdgpu", "radeon"],
} as const;

/**
 * exports(5) options of the media exports. `insecure`: the Twingate connector on PROD (the home
 * end of CLOUD's path) opens its NFS connections from unprivileged ports, which the default
 * `secure` refuses; every LAN client may already mount read-write, so the port check guarded
 * nothing a family LAN relies on. `no_root_squash`: Immich and Lidarr write as root.
 */
export const nfsExportOptions = "rw,sync,no_subtree_check,no_root_squash,insecure";

/** The datasets the host exports over NFS: the media library's (never `backups`). */
export function exportedDatasets(datasets: readonly string[]): string[] {
  return datasets.filter((d) => d.startsWith("media/"));
}

export function hypervisorSettings(config: ProdConfig, apps: readonly AppRecord[]): HypervisorSettings {
  const h = config["homelab:hypervisor"];
  const pool = config["homelab:proxmox"].zfsPool;
  const datasets = datasetBackupItems(h.zfs.datasets, apps, catalogSpecs(apps));
  return {
    zfs: { ...h.zfs, pool: config["homelab:proxmox"].zfsPool, arcMaxGb: config["homelab:proxmox"].zfsArcGb },
    alertEmail: h.alertEmail,
    gpu: { iommu: h.gpu.iommu, blacklist: gpuDriverBlacklist[h.gpu.vendor], deviceIds: h.gpu.deviceIds },
    nfs: {
      datasets: exportedDatasets(h.zfs.datasets),
      clientCidrs: h.nfs.clientCidrs ?? [config["homelab:proxmox"].lanCidr],
      options: nfsExportOptions,
    },
    access: { role: "HomelabPulumi", userId: "pulumi@pve", privileges: pulumiPrivileges },
    backups: { sanoidConf: sanoidConf(pool, datasets, h.zfs.replication), syncoidScript: syncoidScript(pool, datasets, h.zfs.replication), units: backupUnits(h.alertEmail) },
  };
}

/** The paths the host exports over NFS (`/<pool>/<dataset>`). */
export function exportedPaths(settings: Pick<HypervisorSettings, "zfs" | "nfs">): string[] {
  return settings.nfs.datasets.map((d) => `/${settings.zfs.pool}/${d}`);
}
