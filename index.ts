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
import { ProxmoxMachines, type MachineSpec } from "./components/proxmox-machines";
import { catalogProblems } from "./lib/catalog";
import { ConfigError, loadStackConfig, type CloudConfig, type DevConfig, type ProdConfig } from "./lib/config";
import { tunnelRoutes } from "./lib/routes";
import { readRuntimeConfig } from "./lib/runtime-config";
import { cloudOutputs, type CloudOutputName, type CloudOutputSpec } from "./lib/stack-outputs";
import { versions } from "./lib/versions";

type Outputs = Record<string, pulumi.Input<unknown>>;

function cloudStack(config: CloudConfig): Outputs {
  const domain = config["homelab:domain"];
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
  new OciCompute("homelab", {
    ...placement,
    instances: ociConfig.instances.filter((i) => i.role === "talos"),
    talosImageId: ociConfig.talosImageId,
  });

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
    secrets: pulumi.all([edge.tunnelTokens.mgmt, backup.s3AccessKeyId, backup.s3SecretKey]).apply(([tunnelToken, backupAccessKeyId, backupSecretKey]) => ({
      authentikSecretKey: config["homelab:authentikSecretKey"].value,
      authentikBootstrapPassword: config["homelab:authentikBootstrapPassword"].value,
      authentikBootstrapToken: config["homelab:authentikBootstrapToken"].value,
      postgresPassword: config["homelab:postgresPassword"].value,
      tunnelToken,
      backupAccessKeyId,
      backupSecretKey,
    })),
    omniJoinToken: config["homelab:omniJoinToken"] ? pulumi.secret(config["homelab:omniJoinToken"].value) : undefined,
  });

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
    backupAccessKeyId: backup.s3AccessKeyId,
    backupSecretKey: backup.s3SecretKey,
    tunnelIds: edge.tunnelIds,
    prodTunnelToken: edge.tunnelTokens.prod,
    cloudTunnelToken: edge.tunnelTokens.cloud,
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

function homeMachines(stack: "prod" | "dev", config: ProdConfig | DevConfig, machines: MachineSpec[]): Outputs {
  const cloud = cloudReference(config["homelab:cloudStack"]);
  const host = config["homelab:proxmox"];
  const vms = new ProxmoxMachines(stack, {
    host: { nodeName: host.nodeName, datastore: host.datastore, bridge: host.bridge },
    machines,
    description: pulumi.interpolate`Managed by Pulumi (homelab ${stack}); Talos ${config["homelab:talosVersion"]} through Omni at ${cloud.omniApiUrl}`,
  });
  return { vmIds: vms.vmIds, omniApiUrl: cloud.omniApiUrl };
}

function prodStack(config: ProdConfig): Outputs {
  const tags = ["talos", "kubernetes", "prod"];
  const machines: MachineSpec[] = [
    { name: "prod-cp-1", vmId: 2001, kind: "talos", size: config["homelab:vms"].controlPlane, tags },
    { name: "prod-worker-1", vmId: 2011, kind: "talos", size: config["homelab:vms"].worker, tags },
  ];
  const gaming = config["homelab:gaming"];
  if (gaming.enabled) {
    machines.push({ name: "gaming", vmId: 3001, kind: "gaming", size: gaming.size, tags: ["windows", "gaming"], gpuPciId: gaming.gpuPciId });
  }
  return homeMachines("prod", config, machines);
}

function devStack(config: DevConfig): Outputs {
  return homeMachines("dev", config, [{ name: "dev-1", vmId: 1001, kind: "talos", size: config["homelab:vms"].node, tags: ["talos", "kubernetes", "dev"] }]);
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
