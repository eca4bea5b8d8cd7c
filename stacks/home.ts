/**
 * The home stacks, prod and dev: the Talos ISO, the cluster's VMs from its roster and its Omni
 * cluster with the platform; prod also owns the Proxmox host (ZFS, GPU passthrough, NFS, access)
 * and the on-demand gaming VM. Both read the cloud stack through one StackReference.
 */
import * as pulumi from "@pulumi/pulumi";
import { CiRunner } from "../components/ci-runner";
import { Hypervisor } from "../components/hypervisor";
import { Platform } from "../components/platform";
import { ProxmoxMachines } from "../components/proxmox-machines";
import { TalosCluster } from "../components/talos-cluster";
import { TalosImage } from "../components/talos-image";
import type { DevConfig, ProdConfig } from "../lib/config";
import { exportedPaths, hypervisorSettings } from "../lib/hypervisor/settings";
import type { Inventory } from "../lib/inventory";
import { gamingVm, homeMachines, runnerVm, type HomeClusterName } from "../lib/machines";
import { clusterContext, type BackupTarget } from "../lib/platform/cluster-context";
import { nfsExportProblems, nfsMounts, type NfsExports } from "../lib/platform/nfs-mounts";
import { preparePlatform } from "../lib/platform/prepare";
import type { MachineSpec } from "../lib/proxmox/vm-args";
import { homeClusterSpec } from "../lib/talos/cluster-specs";
import { clusterTemplate } from "../lib/talos/cluster-template";
import { rotationWindow } from "../lib/talos/omnictl";
import { assertNodePaths } from "../lib/talos/host-paths";
import { alertmanagerConfigFor } from "./alerting";
import { cloudReference, joinArguments } from "./cloud-reference";

type Outputs = Record<string, pulumi.Input<unknown>>;

interface HomeCluster {
  stack: HomeClusterName;
  config: ProdConfig | DevConfig;
  inventory: Inventory;
  /** VMs besides the cluster's nodes (the gaming VM on prod). */
  extraMachines?: (gpuMapping?: pulumi.Input<string>) => MachineSpec[];
  /** PROD is the family's cluster: never deleted from Omni by a destroy. */
  retainOnDelete: boolean;
  gpuMapping?: pulumi.Input<string>;
  /** USB devices' resource mappings (prod: homelab:usbDevices through the Hypervisor). */
  usbMappings?: readonly pulumi.Input<string>[];
}

/**
 * The cluster's VMs from its roster (tags of story 1.2.1). USB devices go to the first machine
 * that runs workloads, where the platform pins the app that uses them (lib/platform/cluster-context.ts).
 */
export function clusterMachineSpecs(stack: HomeClusterName, config: ProdConfig | DevConfig, inventory: Inventory, usbMappings: readonly pulumi.Input<string>[] = []): MachineSpec[] {
  const sizes = config["homelab:vms"];
  const machines = homeMachines(stack, inventory.rosters, sizes);
  const usbHost = machines.find((m) => m.schedulable)?.name;
  return machines.map((m) => ({
    name: m.name,
    vmId: m.vmId,
    kind: "talos",
    size: { cores: m.cores, memoryGb: m.memoryGb, diskGb: m.diskGb },
    tags: ["talos", "kubernetes", stack],
    ...(m.name === usbHost && usbMappings.length > 0 ? { usbMappings } : {}),
  }));
}

/** The cluster's template and platform for this stack, rendered and checked (pure: they throw before anything is registered). */
function renderHomeCluster(stack: HomeClusterName, config: ProdConfig | DevConfig, inventory: Inventory, backup: BackupTarget, twingateNetwork: pulumi.Input<string>) {
  const spec = homeClusterSpec(stack, config, inventory.apps, inventory.rosters);
  const template = clusterTemplate(spec);
  const platform = preparePlatform(clusterContext({ cluster: stack, config, apps: inventory.apps, rosters: inventory.rosters, backup, twingateNetwork }));
  // Talos' read-only paths and kubelet mounts against what the platform writes on the nodes.
  assertNodePaths(spec, platform.applications);
  return { template, platform };
}

/**
 * Renders everything a home stack builds before its first resource, so a bad record or roster
 * creates nothing; with the host's exports (prod owns the host), every NFS mount must be one of them.
 */
function checkHomeCluster(stack: HomeClusterName, config: ProdConfig | DevConfig, inventory: Inventory, exports?: NfsExports): void {
  const { platform } = renderHomeCluster(stack, config, inventory, { s3Endpoint: "", bucket: "", region: "", bucketUrl: "" }, "offline");
  const problems = exports ? nfsExportProblems(stack, nfsMounts(platform), exports) : [];
  if (problems.length > 0) throw new Error(problems.join("\n"));
}

/** Talos ISO, VMs and the Omni cluster of a home stack (checked first by `checkHomeCluster`). */
function homeCluster(home: HomeCluster): Outputs {
  const { stack, config, inventory } = home;
  const cloud = cloudReference(config["homelab:cloudStack"]);
  const { template, platform } = renderHomeCluster(
    stack,
    config,
    inventory,
    {
      s3Endpoint: cloud.backupS3Endpoint.apply(String),
      bucket: cloud.backupBucket.apply(String),
      region: cloud.backupRegion.apply(String),
      bucketUrl: pulumi.interpolate`s3://${cloud.backupBucket.apply(String)}`,
    },
    cloud.twingateNetwork.apply(String),
  );
  const host = config["homelab:proxmox"];
  const image = new TalosImage(stack, {
    role: "proxmox",
    talosVersion: config["homelab:talosVersion"],
    siderolinkKernelArgs: joinArguments(cloud, config["homelab:cloudStack"]),
    target: { kind: "proxmox", nodeName: host.nodeName, isoDatastore: host.isoDatastore },
  });
  const vms = new ProxmoxMachines(stack, {
    host: { nodeName: host.nodeName, datastore: host.datastore, bridge: host.bridge },
    machines: [...clusterMachineSpecs(stack, config, inventory, home.usbMappings), ...(home.extraMachines?.(home.gpuMapping) ?? [])],
    talosIsoFileId: image.imageId,
    description: pulumi.interpolate`Managed by Pulumi (homelab ${stack}); Talos ${config["homelab:talosVersion"]} through Omni at ${cloud.omniApiUrl}`,
  });
  const cluster = new TalosCluster(stack, {
    clusterName: stack,
    template,
    omni: { endpoint: cloud.omniApiUrl.apply(String), serviceAccountKey: pulumi.secret(config["homelab:omniServiceAccountKey"].value) },
    retainOnDelete: home.retainOnDelete,
    kubeconfigRotation: rotationWindow(new Date()),
  }, { dependsOn: [vms] });
  new Platform(stack, {
    prepared: platform,
    kubeconfig: cluster.kubeconfig,
    secrets: {
      tunnelToken: stack === "prod" ? cloud.prodTunnelToken.apply(String) : undefined,
      oidcClientSecrets: cloud.oidcClientSecrets.apply((v) => v as Record<string, string>),
      serviceAccountTokens: cloud.serviceAccountTokens.apply((v) => v as Record<string, string>),
      backupAccessKeyId: cloud.backupAccessKeyId.apply(String),
      backupSecretKey: cloud.backupSecretKey.apply(String),
      bitwardenAccessToken: pulumi.secret(config["homelab:bitwardenAccessToken"].value),
      alertmanagerConfig: alertmanagerConfigFor(stack, config, inventory.apps),
      twingateConnector: { accessToken: cloud.twingateConnectorAccessToken.apply(String), refreshToken: cloud.twingateConnectorRefreshToken.apply(String) },
    },
  });
  return {
    vmIds: vms.vmIds,
    omniApiUrl: cloud.omniApiUrl,
    talosSchematicId: image.schematicId,
    clusterTemplateDigest: cluster.templateDigest,
    kubeconfig: cluster.kubeconfig,
  };
}

export function prodStack(config: ProdConfig, inventory: Inventory): Outputs {
  const settings = hypervisorSettings(config, inventory.apps);
  const host = config["homelab:proxmox"];
  checkHomeCluster("prod", config, inventory, { server: host.address, paths: exportedPaths(settings) });
  const gaming = config["homelab:gaming"];
  const hypervisor = new Hypervisor("pve", {
    nodeName: host.nodeName,
    ssh: { host: host.address, user: config["homelab:hypervisor"].sshUser, privateKey: pulumi.secret(config["homelab:proxmoxSshPrivateKey"].value) },
    settings,
    gpu: { pciAddress: gaming.gpuPciId, deviceId: config["homelab:hypervisor"].gpu.deviceIds[0]! },
    usbDevices: config["homelab:usbDevices"],
  });
  const outputs = homeCluster({
    stack: "prod",
    config,
    inventory,
    retainOnDelete: true,
    gpuMapping: hypervisor.gpuMapping,
    usbMappings: hypervisor.usbMappings,
    extraMachines: (gpuMapping) =>
      gaming.enabled ? [{ name: gamingVm.name, vmId: gamingVm.vmId, kind: "gaming", size: gaming.size, tags: ["windows", "gaming"], gpuMapping }] : [],
  });
  // The LAN runner the deployments of dev and prod run on (GitHub's runners cannot reach the
  // Proxmox API or the host's SSH). On the host, in no cluster: it can repair either.
  const runnerConfig = config["homelab:runner"];
  const runner = runnerConfig.enabled
    ? new CiRunner("ci", {
        host: { nodeName: host.nodeName, datastore: host.datastore, bridge: host.bridge, isoDatastore: host.isoDatastore },
        ssh: { host: host.address, user: config["homelab:hypervisor"].sshUser, privateKey: pulumi.secret(config["homelab:proxmoxSshPrivateKey"].value) },
        vm: { ...runnerVm, size: runnerConfig.size },
        settings: { repository: runnerConfig.repository, adminSshKey: runnerConfig.adminSshKey, swapGb: 2 },
        description: "Managed by Pulumi (homelab prod): the GitHub Actions runner of deploy-dev and promote-prod",
      })
    : undefined;
  return { ...outputs, hostScriptDigests: hypervisor.scriptDigests, ...(runner ? { runnerVmId: runner.vmId, runnerUserDataDigest: runner.userDataDigest } : {}) };
}

export function devStack(config: DevConfig, inventory: Inventory): Outputs {
  // The StackReference is the only registration before the cluster is rendered, and it only reads.
  return homeCluster({ stack: "dev", config, inventory, retainOnDelete: false });
}
