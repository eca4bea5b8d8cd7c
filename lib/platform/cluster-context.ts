/**
 * What the platform of one cluster needs to know about its surroundings, gathered once from the
 * stack's config, the catalog, the machine roster and the cloud stack's outputs, so that every
 * values builder and object reads one object.
 */
import type { Input } from "@pulumi/pulumi";
import { appWithRole } from "../catalog/queries";
import type { AppRecord, ClusterName } from "../catalog/types";
import type { TemplateAppSpec } from "./app-template";
import type { CloudConfig, DevConfig, ProdConfig } from "../config";
import type { BulkVolumeDestination } from "../config/fields";
import { homeMachines, type Rosters } from "../machines";
import { lanRoutes, publicHostname, tunnelRoutes, type LanRoute, type TunnelRoute } from "../routes";

export interface ClusterNode {
  name: string;
  cpu: number;
  memoryGi: number;
  /** Runs workloads (the budget counts only these). */
  schedulable: boolean;
}

export interface ClusterContext {
  cluster: ClusterName;
  domain: string;
  /** The whole catalog (every cluster's apps) and the tunnel and LAN routes derived from it. */
  apps: readonly AppRecord[];
  routes: readonly TunnelRoute[];
  lanRoutes: readonly LanRoute[];
  /** https://auth.<domain>: issuer base for OIDC clients. */
  authentikUrl: string;
  /** The nodes, for the capacity budget and replica counts. */
  nodes: readonly ClusterNode[];
  /** Default storage class: the one a storage app of this cluster provides. */
  defaultStorageClass: string;
  /** Home clusters: LAN and Cilium LB-IPAM pool (L2 announcements instead of MetalLB). */
  lan?: {
    cidr: string;
    /** Addresses Cilium may hand to LoadBalancer Services, inside the LAN. */
    loadBalancerPool: string;
    /** Fixed address of the Gateway (LAN access to the apps) and of AdGuard's DNS. */
    gatewayIp: string;
    dnsIp?: string;
    /** PROD only: DEV's Gateway address, which PROD's AdGuard gives DEV's LAN hostnames. */
    devGatewayIp?: string;
  };
  /**
   * CLOUD: the node whose public IP is reserved (a stable egress address, FR-014): its Kubernetes
   * node name, which Talos takes from the instance's hostname (OCI metadata `hostname`, set from
   * the instance name by `hostnameLabel`).
   */
  staticEgressNode?: string;
  /** USB devices passed from the Proxmox host into an app, with the node (VM name = Talos hostname) they are attached to. */
  usbDevices: readonly { app: string; id: string; path: string; node: string }[];
  /** The family dashboard's settings (CLOUD). */
  dashboard?: { weatherLocation: string; units: "metric" | "imperial" };
  /** NFS server of the media library (Proxmox on the LAN; through Twingate from CLOUD). */
  nfs: { server: string; pool: string };
  /** The Twingate network (`<name>.twingate.com`): CLOUD's config, the home stacks read it from the cloud stack. */
  twingate?: { network: Input<string> };
  /** Off-site backups (OCI bucket, S3-compatible): the cloud stack's outputs. */
  backup: BackupTarget;
  /** Where the cluster's bulk volumes go (config), when the catalog puts any here. */
  bulkBackup?: BulkVolumeDestination;
  /** Let's Encrypt account e-mail. */
  acmeEmail: string;
  /** Bitwarden Secrets Manager organization and project that ExternalSecrets read. */
  bitwarden: { organizationId: string; projectId: string };
}

/** Allocatable share of a node: Talos, the kubelet and system daemons keep the rest. */
export const nodeReservation = { cpuM: 250, memoryMi: 1024 } as const;

/** The apps that run on the context's cluster, in wave order. */
export function appsOn(ctx: Pick<ClusterContext, "cluster" | "apps">): AppRecord[] {
  return appsOnCluster(ctx.cluster, ctx.apps);
}

export function appsOnCluster(cluster: ClusterName, apps: readonly AppRecord[]): AppRecord[] {
  return apps
    .filter((app) => app.placement.kind === "cluster" && app.placement.clusters.includes(cluster))
    .sort((a, b) => waveOf(a) - waveOf(b) || a.name.localeCompare(b.name));
}

export function waveOf(app: AppRecord): number {
  return app.placement.kind === "cluster" ? app.placement.syncWave : -1;
}

/** The app-template spec of each record, rendered with this cluster's context (undefined for charts). */
export function specsOn(ctx: ClusterContext): (app: AppRecord) => TemplateAppSpec | undefined {
  return (app) => (app.deploy?.kind === "template" ? app.deploy.spec(ctx, app) : undefined);
}

/** Whether `name` runs on the context's cluster. */
export function runs(ctx: Pick<ClusterContext, "cluster" | "apps">, name: string): boolean {
  return appsOn(ctx).some((a) => a.name === name);
}

/** The public hostname of an app as this cluster's users reach it (its route on this cluster when it runs on several). */
export function hostnameFor(ctx: Pick<ClusterContext, "cluster" | "routes">, app: string): string {
  return publicHostname(ctx.routes, app, ctx.cluster);
}

/** The USB devices config passes into an app on this cluster. */
export function devicesFor(ctx: Pick<ClusterContext, "usbDevices">, app: string): { id: string; path: string; node: string }[] {
  return ctx.usbDevices.filter((d) => d.app === app);
}

export interface BackupTarget {
  s3Endpoint: Input<string>;
  bucket: Input<string>;
  region: Input<string>;
  /** `s3://<bucket>` (barman's destination). */
  bucketUrl: Input<string>;
}

export interface ContextInput {
  cluster: ClusterName;
  config: CloudConfig | ProdConfig | DevConfig;
  backup: BackupTarget;
  apps: readonly AppRecord[];
  rosters: Rosters;
  /** Home stacks: the cloud stack's `twingateNetwork` output (the PROD connector dials it). */
  twingateNetwork?: Input<string>;
}

/** The nodes of a cluster: the roster's VMs at home, the `talos` instances on OCI (both schedulable there). */
export function clusterNodes(input: Pick<ContextInput, "cluster" | "config" | "rosters">): ClusterNode[] {
  const { cluster, config } = input;
  if (cluster === "cloud") {
    return (config as CloudConfig)["homelab:oci"].instances.filter((i) => i.role === "talos").map((i) => ({ name: i.name, cpu: i.ocpus, memoryGi: i.memoryGb, schedulable: true }));
  }
  const sizes = (config as ProdConfig | DevConfig)["homelab:vms"];
  return homeMachines(cluster, input.rosters, sizes).map((m) => ({ name: m.name, cpu: m.cores, memoryGi: m.memoryGb, schedulable: m.schedulable }));
}

export function clusterContext(input: ContextInput): ClusterContext {
  const { cluster, config, apps } = input;
  const domain = config["homelab:domain"];
  const platform = config["homelab:platform"];
  const routes = tunnelRoutes(domain, apps);
  const home = cluster !== "cloud";
  const cloudConfig = home ? undefined : (config as CloudConfig);
  const prodConfig = cluster === "prod" ? (config as ProdConfig) : undefined;
  const egress = cloudConfig?.["homelab:oci"].instances.find((i) => i.role === "talos" && i.reservedPublicIp);
  // USB devices go to the cluster's first worker (lib/machines.ts roster order).
  const usbNode = prodConfig ? clusterNodes(input).find((n) => n.schedulable)?.name : undefined;
  const proxmox = home ? (config as ProdConfig | DevConfig)["homelab:proxmox"] : undefined;
  const lan = "lan" in platform ? platform.lan : undefined;
  const storage = appsOnCluster(cluster, apps).filter((a) => a.storageClass !== undefined);
  if (storage.length !== 1) throw new Error(`cluster ${cluster}: expected one app that provides the default StorageClass, found ${storage.map((a) => a.name).join(", ") || "none"}`);
  return {
    cluster,
    domain,
    apps,
    routes,
    lanRoutes: lanRoutes(domain, apps),
    authentikUrl: `https://${publicHostname(routes, appWithRole(apps, "identity-provider").name)}`,
    nodes: clusterNodes(input),
    defaultStorageClass: storage[0]!.storageClass!,
    ...(proxmox && lan
      ? {
          lan: {
            cidr: proxmox.lanCidr,
            loadBalancerPool: lan.loadBalancerPool,
            gatewayIp: lan.gatewayIp,
            ...(lan.dnsIp ? { dnsIp: lan.dnsIp } : {}),
            ...(prodConfig?.["homelab:devGatewayIp"] ? { devGatewayIp: prodConfig["homelab:devGatewayIp"] } : {}),
          },
        }
      : {}),
    ...(egress ? { staticEgressNode: egress.name } : {}),
    usbDevices: usbNode ? (prodConfig?.["homelab:usbDevices"] ?? []).map((d) => ({ ...d, node: usbNode })) : [],
    ...(cloudConfig ? { dashboard: cloudConfig["homelab:dashboard"] } : {}),
    // CLOUD reaches the same host's pool, so it shares the home stacks' default pool name.
    nfs: { server: proxmox ? proxmox.address : "nfsServer" in platform ? platform.nfsServer : "", pool: proxmox ? proxmox.zfsPool : "tank" },
    ...(cluster === "cloud"
      ? { twingate: { network: (config as CloudConfig)["homelab:twingate"].network } }
      : input.twingateNetwork !== undefined
        ? { twingate: { network: input.twingateNetwork } }
        : {}),
    backup: input.backup,
    ...(platform.bulkBackup ? { bulkBackup: platform.bulkBackup } : {}),
    acmeEmail: platform.acmeEmail,
    bitwarden: platform.bitwarden,
  };
}
