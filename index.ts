/**
 * homelab: one Pulumi program, three stacks.
 *
 *   cloud  Oracle Cloud Always Free (network, management VM, CLOUD nodes, backup bucket) and
 *          Cloudflare (tunnels, DNS, Access, zone security). Reads no other stack.
 *   prod   The Proxmox host's PROD cluster VMs and the on-demand gaming VM. Reads `cloud`.
 *   dev    The DEV cluster VM. Reads `cloud`.
 *
 * Each layer is one component under components/ (imports below). The config is validated as a whole before any resource is registered (lib/config.ts).
 */
import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import { BackupBucket } from "./components/backup-bucket";
import { CloudflareEdge } from "./components/cloudflare-edge";
import { ManagementVm } from "./components/management-vm";
import { OciCompute } from "./components/oci-compute";
import { OciNetwork } from "./components/oci-network";
import { Hypervisor } from "./components/hypervisor";
import { Identity } from "./components/identity";
import { ProxmoxMachines, stableUuid, type MachineSpec } from "./components/proxmox-machines";
import { OmniMachineClasses, TalosCluster } from "./components/talos-cluster";
import { TalosImage } from "./components/talos-image";
import { Platform, preparePlatform } from "./components/platform";
import { hypervisorSettings } from "./lib/hypervisor-settings";
import { alertmanagerConfigFor, clusterContext } from "./lib/platform/stack-context";
import { clusterTemplate } from "./lib/talos/clusters";
import { catalogProblems, requiredHostname } from "./lib/catalog";
import { ConfigError, loadStackConfig, type CloudConfig, type DevConfig, type ProdConfig } from "./lib/config";
import { tunnelRoutes } from "./lib/routes";
import { readRuntimeConfig } from "./lib/runtime-config";
import { cloudOutputs, type CloudOutputName, type CloudOutputSpec } from "./lib/stack-outputs";
import { versions } from "./lib/versions";

type Outputs = Record<string, pulumi.Input<unknown>>;

function cloudStack(config: CloudConfig): Outputs {
  const domain = config["homelab:domain"];
  // Rendered (and validated) before any resource exists.
  const machineIdsForTemplate = config["homelab:cloudMachineIds"];
  const cloudTemplate = machineIdsForTemplate
    ? clusterTemplate({
        name: "cloud",
        talosVersion: config["homelab:talosVersion"],
        kubernetesVersion: config["homelab:kubernetesVersion"],
        controlPlane: [machineIdsForTemplate.controlPlane],
        workers: machineIdsForTemplate.workers,
        extraPatches: config["homelab:talosPatches"],
      })
    : undefined;
  // The CLOUD platform is checked here too, before any resource; it is built below with the
  // backup bucket's outputs (the same pure rendering, so the check holds).
  if (cloudTemplate) preparePlatform(clusterContext("cloud", config, { s3Endpoint: "", bucket: "", region: config["oci:region"] }));
  const ociConfig = config["homelab:oci"];
  const compartmentId = ociConfig.compartmentId;

  const network = new OciNetwork("homelab", { compartmentId, vcnCidr: ociConfig.vcnCidr, subnetCidr: ociConfig.subnetCidr });
  const ubuntu = oci.core.getImagesOutput({
    compartmentId,
    operatingSystem: "Canonical Ubuntu",
    operatingSystemVersion: versions.ubuntu,
    shape: "VM.Standard.A1.Flex",
    sortBy: "TIMECREATED",
    sortOrder: "DESC",
  });
  const placement = { compartmentId, availabilityDomain: ociConfig.availabilityDomain, subnetId: network.subnetId };
  const mgmtSpec = ociConfig.instances.find((i) => i.role === "mgmt")!;
  const namespace = oci.objectstorage.getNamespaceOutput({ compartmentId }).namespace;
  const backup = new BackupBucket("homelab", {
    compartmentId,
    namespace,
    bucketName: config["homelab:backup"].bucketName,
    retentionDays: config["homelab:backup"].retentionDays,
    region: config["oci:region"],
    keyOwnerUserId: config["oci:userOcid"],
  });

  const edge = new CloudflareEdge("homelab", {
    accountId: config["homelab:cloudflare"].accountId,
    zoneId: config["homelab:cloudflare"].zoneId,
    routes: tunnelRoutes(domain),
    adminEmails: config["homelab:adminEmails"],
  });

  const identity = new Identity("authentik", {
    domain,
    provisioningWebhookUrl: config["homelab:provisioningWebhookUrl"] ?? `https://${requiredHostname("n8n", domain)}/webhook/authentik-provisioning`,
    generations: config["homelab:secretGenerations"],
    ntfyToken: pulumi.secret(config["homelab:alertingNtfyToken"].value),
  });

  const mgmt = new ManagementVm("homelab", {
    ...placement,
    spec: mgmtSpec,
    imageId: ubuntu.images.apply((images) => {
      if (images.length === 0) throw new Error(`no Ubuntu ${versions.ubuntu} image for VM.Standard.A1.Flex in compartment ${compartmentId}`);
      return images[0]!.id;
    }),
    sshPublicKey: config["homelab:sshPublicKey"],
    domain,
    adminEmails: config["homelab:adminEmails"],
    region: config["oci:region"],
    backupS3Endpoint: backup.s3Endpoint,
    backupBucket: backup.bucketName,
    blueprints: identity.blueprints,
    secrets: pulumi.all([edge.tunnelTokens.mgmt, backup.s3AccessKeyId, backup.s3SecretKey, identity.environment]).apply(([tunnelToken, backupAccessKeyId, backupSecretKey, authentikBlueprintEnv]) => ({
      authentikSecretKey: config["homelab:authentikSecretKey"].value,
      authentikBootstrapPassword: config["homelab:authentikBootstrapPassword"].value,
      authentikBootstrapToken: config["homelab:authentikBootstrapToken"].value,
      postgresPassword: config["homelab:postgresPassword"].value,
      tunnelToken,
      backupAccessKeyId,
      backupSecretKey,
      authentikBlueprintEnv,
    })),
    omniJoinToken: config["homelab:omniJoinToken"] ? pulumi.secret(config["homelab:omniJoinToken"].value) : undefined,
  });

  // CLOUD nodes boot the Talos image that joins Omni, so they wait for Omni's join token
  // (README, one-time steps) unless an imported image is named in config.
  const talosInstances = ociConfig.instances.filter((i) => i.role === "talos");
  const talosImageId =
    ociConfig.talosImageId ??
    (mgmt.siderolinkKernelArgs
      ? new TalosImage("cloud", {
          role: "oracle",
          talosVersion: config["homelab:talosVersion"],
          siderolinkKernelArgs: mgmt.siderolinkKernelArgs,
          target: { kind: "oci", compartmentId, namespace },
        }).imageId
      : undefined);
  if (talosImageId) {
    new OciCompute("homelab", { ...placement, instances: talosInstances, talosImageId });
  } else {
    void pulumi.log.warn("CLOUD nodes are not created yet: set homelab:omniJoinToken after Omni's first start (README, one-time steps)");
  }

  const serviceAccountKey = config["homelab:omniServiceAccountKey"];
  const machineIds = config["homelab:cloudMachineIds"];
  if (serviceAccountKey) {
    const omni = { endpoint: mgmt.omniApiUrl, serviceAccountKey: pulumi.secret(serviceAccountKey.value) };
    new OmniMachineClasses("omni", { omni });
    if (cloudTemplate && machineIds) {
      const cloudCluster = new TalosCluster("cloud", { clusterName: "cloud", template: cloudTemplate, omni, retainOnDelete: true });
      new Platform("cloud", {
        prepared: preparePlatform(clusterContext("cloud", config, { s3Endpoint: backup.s3Endpoint, bucket: backup.bucketName, region: config["oci:region"] })),
        kubeconfig: cloudCluster.kubeconfig,
        secrets: {
          tunnelToken: edge.tunnelTokens.cloud,
          oidcClientSecrets: identity.oidcClientSecrets,
          backupAccessKeyId: backup.s3AccessKeyId,
          backupSecretKey: backup.s3SecretKey,
          bitwardenAccessToken: pulumi.secret(config["homelab:bitwardenAccessToken"].value),
          alertmanagerConfig: alertmanagerConfigFor("cloud", config),
        },
      });
    }
  }

  const outputs: Record<CloudOutputName, pulumi.Input<unknown>> = {
    domain,
    omniApiUrl: mgmt.omniApiUrl,
    omniSiderolinkUrl: mgmt.omniSiderolinkUrl,
    omniKubernetesProxyUrl: mgmt.omniKubernetesProxyUrl,
    siderolinkKernelArgs: mgmt.siderolinkKernelArgs,
    mgmtProjectDigest: mgmt.projectDigest,
    mgmtResticPassword: mgmt.resticPassword,
    authentikIssuerUrl: mgmt.authentikIssuerUrl,
    backupS3Endpoint: backup.s3Endpoint,
    backupBucket: backup.bucketName,
    backupRegion: config["oci:region"],
    backupAccessKeyId: backup.s3AccessKeyId,
    backupSecretKey: backup.s3SecretKey,
    tunnelIds: edge.tunnelIds,
    prodTunnelToken: edge.tunnelTokens.prod,
    cloudTunnelToken: edge.tunnelTokens.cloud,
    oidcClientSecrets: identity.oidcClientSecrets,
    serviceAccountTokens: identity.serviceAccountTokens,
  };
  return outputs;
}

/** Reads the cloud stack's outputs, keeping secret ones secret. */
function cloudReference(name: string): Record<CloudOutputName, pulumi.Output<unknown>> {
  const ref = new pulumi.StackReference("cloud", { name });
  const read = {} as Record<CloudOutputName, pulumi.Output<unknown>>;
  for (const [key, spec] of Object.entries(cloudOutputs) as [CloudOutputName, CloudOutputSpec][]) {
    const value = spec.optional ? ref.getOutput(key) : ref.requireOutput(key);
    read[key] = spec.secret ? pulumi.secret(value) : value;
  }
  return read;
}

/** The cloud stack's SideroLink kernel arguments, or a clear error when Omni's join token is not set yet. */
function joinArguments(cloud: Record<CloudOutputName, pulumi.Output<unknown>>, cloudStackName: string): pulumi.Output<string> {
  return cloud.siderolinkKernelArgs.apply((value) => {
    if (typeof value !== "string" || value === "") {
      throw new Error(`stack ${cloudStackName} has no output siderolinkKernelArgs: set homelab:omniJoinToken on the cloud stack and run pulumi up -s cloud first (README, one-time steps)`);
    }
    return value;
  });
}

interface HomeCluster {
  stack: "prod" | "dev";
  config: ProdConfig | DevConfig;
  machines: MachineSpec[];
  controlPlane: string[];
  workers: string[];
  /** PROD is the family's cluster: never deleted from Omni by a destroy. */
  retainOnDelete: boolean;
  gpuMapping?: pulumi.Input<string>;
}

/** Talos ISO, VMs and the Omni cluster of a home stack. The template is rendered before any resource. */
function homeCluster(home: HomeCluster): Outputs {
  const { stack, config } = home;
  const template = clusterTemplate({
    name: stack,
    talosVersion: config["homelab:talosVersion"],
    kubernetesVersion: config["homelab:kubernetesVersion"],
    controlPlane: home.controlPlane,
    workers: home.workers,
    extraPatches: config["homelab:talosPatches"],
  });
  const cloud = cloudReference(config["homelab:cloudStack"]);
  const platform = preparePlatform(
    clusterContext(stack, config, { s3Endpoint: cloud.backupS3Endpoint.apply(String), bucket: cloud.backupBucket.apply(String), region: cloud.backupRegion.apply(String) }),
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
    machines: home.machines.map((m) => (m.kind === "gaming" ? { ...m, gpuMapping: home.gpuMapping } : m)),
    talosIsoFileId: image.imageId,
    description: pulumi.interpolate`Managed by Pulumi (homelab ${stack}); Talos ${config["homelab:talosVersion"]} through Omni at ${cloud.omniApiUrl}`,
  });
  const cluster = new TalosCluster(stack, {
    clusterName: stack,
    template,
    omni: { endpoint: cloud.omniApiUrl.apply(String), serviceAccountKey: pulumi.secret(config["homelab:omniServiceAccountKey"].value) },
    retainOnDelete: home.retainOnDelete,
  }, { dependsOn: [vms] });
  new Platform(stack, {
    prepared: platform,
    kubeconfig: cluster.kubeconfig,
    secrets: {
      tunnelToken: stack === "prod" ? cloud.prodTunnelToken.apply(String) : undefined,
      oidcClientSecrets: cloud.oidcClientSecrets.apply((v) => v as Record<string, string>),
      backupAccessKeyId: cloud.backupAccessKeyId.apply(String),
      backupSecretKey: cloud.backupSecretKey.apply(String),
      bitwardenAccessToken: pulumi.secret(config["homelab:bitwardenAccessToken"].value),
      alertmanagerConfig: alertmanagerConfigFor(stack, config),
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

function talosMachine(name: string, vmId: number, size: MachineSpec["size"], stack: "prod" | "dev"): MachineSpec {
  return { name, vmId, kind: "talos", size, tags: ["talos", "kubernetes", stack] };
}

function prodStack(config: ProdConfig): Outputs {
  const cp = talosMachine("prod-cp-1", 2001, config["homelab:vms"].controlPlane, "prod");
  const worker = talosMachine("prod-worker-1", 2011, config["homelab:vms"].worker, "prod");
  const machines: MachineSpec[] = [cp, worker];
  const gaming = config["homelab:gaming"];
  if (gaming.enabled) machines.push({ name: "gaming", vmId: 3001, kind: "gaming", size: gaming.size, tags: ["windows", "gaming"] });

  const settings = hypervisorSettings(config);
  const host = config["homelab:proxmox"];
  const hypervisor = new Hypervisor("pve", {
    nodeName: host.nodeName,
    ssh: { host: host.address, user: config["homelab:hypervisor"].sshUser, privateKey: pulumi.secret(config["homelab:proxmoxSshPrivateKey"].value) },
    settings,
    gpu: { pciAddress: gaming.gpuPciId, deviceId: config["homelab:hypervisor"].gpu.deviceIds[0]! },
  });
  const outputs = homeCluster({
    stack: "prod",
    config,
    machines,
    controlPlane: [stableUuid(cp.name)],
    workers: [stableUuid(worker.name)],
    retainOnDelete: true,
    gpuMapping: hypervisor.gpuMapping,
  });
  return { ...outputs, hostScriptDigests: hypervisor.scriptDigests };
}

function devStack(config: DevConfig): Outputs {
  const node = talosMachine("dev-1", 1001, config["homelab:vms"].node, "dev");
  return homeCluster({ stack: "dev", config, machines: [node], controlPlane: [stableUuid(node.name)], workers: [], retainOnDelete: false });
}

/** The program: validates everything first, then composes the stack's components. */
async function program(): Promise<Outputs> {
  const catalogIssues = catalogProblems();
  if (catalogIssues.length > 0) throw new ConfigError(pulumi.getStack(), catalogIssues);
  const loaded = loadStackConfig(pulumi.getStack(), readRuntimeConfig());
  switch (loaded.stack) {
    case "cloud":
      return cloudStack(loaded.config);
    case "prod":
      return prodStack(loaded.config);
    case "dev":
      return devStack(loaded.config);
  }
}

// Pulumi calls an exported function and uses what it returns as the stack outputs.
export = program;
