/**
 * The cloud stack: Oracle Cloud Always Free (network, management VM, CLOUD nodes, backup bucket),
 * Cloudflare (tunnels, DNS, Access, zone security), Authentik's configuration, and the CLOUD
 * cluster with its platform once Omni knows its machines. Reads no other stack.
 */
import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import { BackupBucket } from "../components/backup-bucket";
import { CloudflareEdge } from "../components/cloudflare-edge";
import { Identity } from "../components/identity";
import { ManagementVm } from "../components/management-vm";
import { OciCompute } from "../components/oci-compute";
import { OciNetwork } from "../components/oci-network";
import { OciServiceGrants } from "../components/oci-service-grants";
import { Platform } from "../components/platform";
import { OmniMachineClasses, TalosCluster } from "../components/talos-cluster";
import { TalosImage } from "../components/talos-image";
import { TwingateNfsPath } from "../components/twingate";
import { appWithRole, optionalAppWithRole } from "../lib/catalog/queries";
import type { AppRole } from "../lib/catalog/types";
import { ConfigError, type CloudConfig } from "../lib/config";
import type { Inventory } from "../lib/inventory";
import { ociBuckets } from "../lib/oci/buckets";
import { clusterContext, type BackupTarget } from "../lib/platform/cluster-context";
import { preparePlatform } from "../lib/platform/prepare";
import { directRoutes, publicHostname, publicRoutes, tunnelRoutes } from "../lib/routes";
import type { CloudOutputName } from "../lib/stack-outputs";
import { cloudClusterSpec } from "../lib/talos/cluster-specs";
import { clusterTemplate } from "../lib/talos/cluster-template";
import { rotationWindow } from "../lib/talos/omnictl";
import { assertNodePaths } from "../lib/talos/host-paths";
import { versions } from "../lib/versions";
import { alertmanagerConfigFor, notificationsBaseUrl } from "./alerting";
import { mgmtBackupSchedule } from "../lib/backup/items";

export function cloudStack(config: CloudConfig, inventory: Inventory): Record<CloudOutputName, pulumi.Input<unknown>> {
  const { apps } = inventory;
  const domain = config["homelab:domain"];
  const routes = tunnelRoutes(domain, apps);
  // Tunnel or direct (Omni's gRPC APIs): every public name of the catalog.
  const hostOfRole = (role: AppRole) => publicHostname(publicRoutes(domain, apps), appWithRole(apps, role).name);
  // Authentik posts user and group changes to the automation app (n8n) unless config names a URL.
  const automation = optionalAppWithRole(apps, "automation");
  const provisioningWebhookUrl =
    config["homelab:provisioningWebhookUrl"] ?? (automation ? `https://${publicHostname(routes, automation.name)}/webhook/authentik-provisioning` : undefined);
  if (!provisioningWebhookUrl) {
    throw new ConfigError("cloud", ["homelab:provisioningWebhookUrl = (missing): the catalog has no app with role \"automation\" to receive Authentik's provisioning webhook; fix: pulumi config set homelab:provisioningWebhookUrl https://<receiver>"]);
  }
  // Rendered (and validated) before any resource exists.
  const spec = cloudClusterSpec(config, apps);
  const cloudTemplate = spec ? clusterTemplate(spec) : undefined;
  const platformFor = (backup: BackupTarget) => preparePlatform(clusterContext({ cluster: "cloud", config, backup, apps, rosters: inventory.rosters }));
  // The CLOUD platform is checked here too, before any resource; it is built below with the
  // backup bucket's outputs (the same pure rendering, so the check holds).
  if (spec) assertNodePaths(spec, platformFor({ s3Endpoint: "", bucket: "", region: config["oci:region"], bucketUrl: "" }).applications);
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
  const grants = new OciServiceGrants("homelab", { tenancyOcid: config["oci:tenancyOcid"], compartmentId, region: config["oci:region"] });
  const backup = new BackupBucket("homelab", {
    compartmentId,
    namespace,
    bucketName: config["homelab:backup"].bucketName,
    region: config["oci:region"],
    keyOwnerUserId: config["oci:userOcid"],
    lifecycleGrant: grants.lifecycleGrant,
  });

  const edge = new CloudflareEdge("homelab", {
    accountId: config["homelab:cloudflare"].accountId,
    zoneId: config["homelab:cloudflare"].zoneId,
    routes,
    adminEmails: config["homelab:adminEmails"],
  });

  const identity = new Identity("authentik", {
    domain,
    apps,
    provisioningWebhookUrl,
    generations: config["homelab:secretGenerations"],
    ntfyToken: pulumi.secret(config["homelab:alertingNtfyToken"].value),
  });

  const mgmt = new ManagementVm("homelab", {
    ...placement,
    spec: mgmtSpec,
    vcnId: network.vcnId,
    direct: { zoneId: config["homelab:cloudflare"].zoneId, routes: directRoutes(domain, apps) },
    imageId: ubuntu.images.apply((images) => {
      if (images.length === 0) throw new Error(`no Ubuntu ${versions.ubuntu} image for VM.Standard.A1.Flex in compartment ${compartmentId}`);
      return images[0]!.id;
    }),
    sshPublicKey: config["homelab:sshPublicKey"],
    hostnames: { omni: hostOfRole("cluster-manager"), omniSiderolink: hostOfRole("machine-join"), omniKube: hostOfRole("kubernetes-proxy"), authentik: hostOfRole("identity-provider") },
    adminEmails: config["homelab:adminEmails"],
    region: config["oci:region"],
    backupS3Endpoint: backup.s3Endpoint,
    backupBucket: backup.bucketName,
    backupClasses: mgmtBackupSchedule(apps),
    ntfyUrl: `${notificationsBaseUrl("cloud", config, apps)}/${config["homelab:alerting"].ntfyTopic}`,
    blueprints: identity.blueprints,
    secrets: pulumi.all([edge.tunnelTokens.mgmt, backup.s3AccessKeyId, backup.s3SecretKey, identity.environment]).apply(([tunnelToken, backupAccessKeyId, backupSecretKey, authentikBlueprintEnv]) => ({
      authentikSecretKey: config["homelab:authentikSecretKey"].value,
      authentikBootstrapPassword: config["homelab:authentikBootstrapPassword"].value,
      authentikBootstrapToken: config["homelab:authentikBootstrapToken"].value,
      postgresPassword: config["homelab:postgresPassword"].value,
      acmeDnsApiToken: config["homelab:acmeDnsApiToken"].value,
      tunnelToken,
      backupAccessKeyId,
      backupSecretKey,
      ntfyToken: config["homelab:alertingNtfyToken"].value,
      authentikBlueprintEnv,
    })),
    omniJoinToken: config["homelab:omniJoinToken"] ? pulumi.secret(config["homelab:omniJoinToken"].value) : undefined,
  });

  // CLOUD nodes boot the Talos image that joins Omni, so they wait for Omni's join token
  // (README, one-time steps) unless an imported image is named in config.
  const talosInstances = ociConfig.instances.filter((i) => i.role === "talos");
  const talosImage =
    ociConfig.talosImageId === undefined && mgmt.siderolinkKernelArgs
      ? new TalosImage("cloud", {
          role: "oracle",
          talosVersion: config["homelab:talosVersion"],
          siderolinkKernelArgs: mgmt.siderolinkKernelArgs,
          target: { kind: "oci", compartmentId, namespace, stagingBucket: ociBuckets.talosStaging, lifecycleGrant: grants.lifecycleGrant },
        })
      : undefined;
  const talosImageId = ociConfig.talosImageId ?? talosImage?.imageId;
  if (talosImageId) {
    new OciCompute("homelab", { ...placement, instances: talosInstances, talosImageId, talosImageReady: talosImage?.bootable ?? [] });
  } else {
    void pulumi.log.warn("CLOUD nodes are not created yet: set homelab:omniJoinToken after Omni's first start (README, one-time steps)");
  }

  // The CLOUD → home NFS path (FR-010): Twingate's side as code; PROD runs the connector.
  const platformConfig = config["homelab:platform"];
  const twingatePath = new TwingateNfsPath("homelab", {
    network: config["homelab:twingate"].network,
    apiToken: pulumi.secret(config["twingate:apiToken"].value),
    nfsServer: "nfsServer" in platformConfig ? platformConfig.nfsServer : "",
    generations: config["homelab:secretGenerations"],
  });

  const serviceAccountKey = config["homelab:omniServiceAccountKey"];
  if (serviceAccountKey) {
    const omni = { endpoint: mgmt.omniApiUrl, serviceAccountKey: pulumi.secret(serviceAccountKey.value) };
    new OmniMachineClasses("omni", { omni });
    if (cloudTemplate) {
      const cloudCluster = new TalosCluster("cloud", { clusterName: "cloud", template: cloudTemplate, omni, retainOnDelete: true, kubeconfigRotation: rotationWindow(new Date()) });
      new Platform("cloud", {
        prepared: platformFor({ s3Endpoint: backup.s3Endpoint, bucket: backup.bucketName, region: config["oci:region"], bucketUrl: pulumi.interpolate`s3://${backup.bucketName}` }),
        kubeconfig: cloudCluster.kubeconfig,
        secrets: {
          tunnelToken: edge.tunnelTokens.cloud,
          oidcClientSecrets: identity.oidcClientSecrets,
          serviceAccountTokens: identity.serviceAccountTokens,
          backupAccessKeyId: backup.s3AccessKeyId,
          backupSecretKey: backup.s3SecretKey,
          mgmtResticPassword: mgmt.resticPassword,
          bitwardenAccessToken: pulumi.secret(config["homelab:bitwardenAccessToken"].value),
          alertmanagerConfig: alertmanagerConfigFor("cloud", config, apps),
          twingateServiceKey: twingatePath.serviceKey,
        },
      });
    }
  }

  return {
    domain,
    omniApiUrl: mgmt.omniApiUrl,
    omniSiderolinkUrl: mgmt.omniSiderolinkUrl,
    omniKubernetesProxyUrl: mgmt.omniKubernetesProxyUrl,
    siderolinkKernelArgs: mgmt.siderolinkKernelArgs,
    mgmtPublicIp: mgmt.publicIp,
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
    twingateNetwork: twingatePath.network,
    twingateConnectorAccessToken: twingatePath.connectorAccessToken,
    twingateConnectorRefreshToken: twingatePath.connectorRefreshToken,
  };
}
