/**
 * The host scripts' settings from the prod stack's config: dataset list, exports (the media
 * datasets, to the home network), GPU drivers to blacklist per vendor, the program's role.
 */
import { pulumiPrivileges, type HypervisorSettings } from "./scripts";
import type { ProdConfig } from "../config";

/** Host drivers that would grab the GPU before vfio-pci (story 1.1.3). */
export const gpuDriverBlacklist = {
  nvidia: ["nouveau", "nvidia", "nvidiafb", "nvidia_drm", "nvidia_modeset"],
  amd: ["amdgpu", "radeon"],
} as const;

export function hypervisorSettings(config: ProdConfig): HypervisorSettings {
  const h = config["homelab:hypervisor"];
  return {
    zfs: { ...h.zfs, pool: config["homelab:proxmox"].zfsPool, arcMaxGb: config["homelab:proxmox"].zfsArcGb },
    alertEmail: h.alertEmail,
    gpu: { iommu: h.gpu.iommu, blacklist: gpuDriverBlacklist[h.gpu.vendor], deviceIds: h.gpu.deviceIds },
    nfs: {
      datasets: h.zfs.datasets.filter((d) => d.startsWith("media/")),
      clientCidrs: h.nfs.clientCidrs ?? [config["homelab:proxmox"].lanCidr],
    },
    access: { role: "HomelabPulumi", userId: "pulumi@pve", privileges: pulumiPrivileges },
  };
}
