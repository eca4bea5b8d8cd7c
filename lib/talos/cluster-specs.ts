/**
 * The Omni cluster template of each stack's cluster, from its config, its machine roster and the
 * apps that run on it: the program syncs it, and `npm run omni:render` writes the same text to omni/.
 */
import type { AppRecord } from "../catalog/types";
import type { CloudConfig, DevConfig, ProdConfig } from "../config";
import { homeMachines, type HomeClusterName, type Rosters } from "../machines";
import { appsOnCluster } from "../platform/cluster-context";
import type { ClusterSpec } from "./cluster-template";

function longhornOn(cluster: HomeClusterName | "cloud", apps: readonly AppRecord[]): boolean {
  return appsOnCluster(cluster, apps).some((a) => a.deploy?.kind === "chart" && a.deploy.chart === "longhorn");
}

function localPathOn(cluster: HomeClusterName | "cloud", apps: readonly AppRecord[]): boolean {
  return appsOnCluster(cluster, apps).some((a) => a.deploy?.kind === "chart" && a.deploy.chart === "localPath");
}

/** PROD or DEV: the roster's VMs, named by the SMBIOS UUIDs the program gives them. */
export function homeClusterSpec(cluster: HomeClusterName, config: ProdConfig | DevConfig, apps: readonly AppRecord[], rosters: Rosters): ClusterSpec {
  const machines = homeMachines(cluster, rosters, config["homelab:vms"]);
  return {
    name: cluster,
    talosVersion: config["homelab:talosVersion"],
    kubernetesVersion: config["homelab:kubernetesVersion"],
    controlPlane: machines.filter((m) => m.role === "control-plane").map((m) => m.uuid),
    workers: machines.filter((m) => m.role === "worker").map((m) => m.uuid),
    schedulesOnControlPlane: rosters[cluster].schedulesOnControlPlane,
    proxmox: true,
    longhornWorkers: longhornOn(cluster, apps),
    localPathVolumes: localPathOn(cluster, apps),
    extraPatches: config["homelab:talosPatches"],
  };
}

/** CLOUD: the A1 nodes by the machine ids Omni reported (config), both running workloads; undefined until they are known. */
export function cloudClusterSpec(config: CloudConfig, apps: readonly AppRecord[]): ClusterSpec | undefined {
  const ids = config["homelab:cloudMachineIds"];
  if (!ids) return undefined;
  return {
    name: "cloud",
    talosVersion: config["homelab:talosVersion"],
    kubernetesVersion: config["homelab:kubernetesVersion"],
    controlPlane: [ids.controlPlane],
    workers: ids.workers,
    schedulesOnControlPlane: true,
    proxmox: false,
    longhornWorkers: longhornOn("cloud", apps),
    localPathVolumes: localPathOn("cloud", apps),
    extraPatches: config["homelab:talosPatches"],
  };
}
