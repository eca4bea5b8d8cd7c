/**
 * Capacity budgets: what a stack asks of the Proxmox host (NFR-010) and of Oracle's Always Free
 * allowance (NFR-011), printed by the plan and enforced as the `capacity-budget` check.
 */
import { ociTotals } from "../../policies/always-free";
import { types } from "../../policies/types";
import { annotationOf, labelOf, num, type PolicyResourceView, type Violation } from "../../policies/view";
import { alwaysFreeLimits } from "../../lib/always-free";
import { objectStorageBudget } from "../../lib/backup/report";
import type { ClusterName } from "../../lib/catalog/types";
import type { DevConfig, ProdConfig, StackConfig } from "../../lib/config";
import type { Inventory } from "../../lib/inventory";
import { homeMachines } from "../../lib/machines";
import { annotations, labels } from "../../lib/markers";
import { clusterNodes, nodeReservation, type ClusterNode } from "../../lib/platform/cluster-context";
import { cpuMillicores, memoryMebibytes } from "../../lib/platform/requests";

export interface BudgetLine {
  used: number;
  limit: number;
  unit: string;
  /** Whether exceeding the limit fails the plan (some lines only inform, e.g. vCPU overcommit at peak). */
  enforced: boolean;
  note?: string;
  /** How to get back under the limit, when lowering the feeding values is not the way (default: lower them or raise the limit). */
  fix?: string;
  /** The config keys (or files) whose values add up to `used`, named when the budget fails. */
  feeds: readonly string[];
  /** The config key that sets `limit`, when config sets it. */
  limitKey?: string;
}
export type Budgets = Record<string, BudgetLine>;

export function ociBudgets(resources: readonly PolicyResourceView[]): Budgets {
  const t = ociTotals(resources);
  return {
    "oci.a1Ocpus": { used: t.a1Ocpus, limit: alwaysFreeLimits.a1Ocpus, unit: "OCPU", enforced: true, feeds: ["homelab:oci.instances[*].ocpus"] },
    "oci.a1MemoryGb": { used: t.a1MemoryGb, limit: alwaysFreeLimits.a1MemoryGb, unit: "GB", enforced: true, feeds: ["homelab:oci.instances[*].memoryGb"] },
    "oci.blockStorageGb": { used: t.blockStorageGb, limit: alwaysFreeLimits.blockStorageGb, unit: "GB", enforced: true, feeds: ["homelab:oci.instances[*].bootVolumeGb"] },
    "oci.vcns": { used: t.vcns, limit: alwaysFreeLimits.vcns, unit: "VCN", enforced: true, feeds: ["components/oci-network (one VCN)"] },
  };
}

export interface VmFootprint {
  name: string;
  cores: number;
  memoryGb: number;
  diskGb: number;
  /** Runs in normal operation (Talos nodes); false for the on-demand gaming VM. */
  alwaysOn: boolean;
}

function vmFootprints(resources: readonly PolicyResourceView[]): VmFootprint[] {
  return resources
    .filter((r) => r.type === types.proxmoxVm)
    .map((r) => {
      const props = r.props as { cpu?: { cores?: number }; memory?: { dedicated?: number }; disks?: { size?: number }[]; started?: boolean; onBoot?: boolean };
      return {
        name: r.name,
        cores: props.cpu?.cores ?? 1,
        memoryGb: (props.memory?.dedicated ?? 512) / 1024,
        diskGb: (props.disks ?? []).reduce((sum, d) => sum + (d.size ?? 0), 0),
        alwaysOn: props.started !== false || props.onBoot === true,
      };
    });
}

/**
 * Host budget: normal load (always-on VMs + ZFS ARC + host reserve) against the normal RAM
 * budget, peak (everything on) against the host's memory, vCPUs of always-on VMs against the
 * host threads; the VM disks against the VM datastore and, on prod, the media datasets' quotas
 * against the pool (each storage on its own line). `others` are VMs of the other home stack
 * sharing the host.
 */
export function proxmoxBudgets(resources: readonly PolicyResourceView[], config: ProdConfig | DevConfig, others: readonly VmFootprint[] = []): Budgets {
  const host = config["homelab:proxmox"];
  const vms = [...vmFootprints(resources), ...others];
  const on = vms.filter((v) => v.alwaysOn);
  const sum = (list: readonly VmFootprint[], pick: (v: VmFootprint) => number) => list.reduce((total, v) => total + pick(v), 0);
  const overhead = host.zfsArcGb + host.hostReservedGb;
  const prod = "homelab:gaming" in config;
  // Which config keys size the VMs of this stack (and, on prod, the CI runner and the DEV VMs it counts).
  const vmKeys = (field: string, withGaming: boolean) => [
    `homelab:vms.*.${field}`,
    ...(prod ? [`homelab:runner.size.${field}`, `homelab:devVms.*.${field}`] : []),
    ...(prod && withGaming ? [`homelab:gaming.size.${field}`] : []),
  ];
  const budgets: Budgets = {
    "proxmox.vcpuNormal": { used: sum(on, (v) => v.cores), limit: host.cpuThreads, unit: "vCPU", enforced: true, feeds: vmKeys("cores", false), limitKey: "homelab:proxmox.cpuThreads" },
    "proxmox.vcpuPeak": {
      used: sum(vms, (v) => v.cores),
      limit: host.cpuThreads,
      unit: "vCPU",
      enforced: false,
      note: "every VM on; vCPU overcommit is allowed here",
      feeds: vmKeys("cores", true),
      limitKey: "homelab:proxmox.cpuThreads",
    },
    "proxmox.ramNormalGb": {
      used: sum(on, (v) => v.memoryGb) + overhead,
      limit: host.normalRamBudgetGb,
      unit: "GB",
      enforced: true,
      note: `includes ZFS ARC ${host.zfsArcGb} GB`,
      feeds: [...vmKeys("memoryGb", false), "homelab:proxmox.zfsArcGb", "homelab:proxmox.hostReservedGb"],
      limitKey: "homelab:proxmox.normalRamBudgetGb",
    },
    "proxmox.ramPeakGb": {
      used: sum(vms, (v) => v.memoryGb) + overhead,
      limit: host.memoryGb,
      unit: "GB",
      enforced: true,
      note: "gaming VM on",
      feeds: [...vmKeys("memoryGb", true), "homelab:proxmox.zfsArcGb", "homelab:proxmox.hostReservedGb"],
      limitKey: "homelab:proxmox.memoryGb",
    },
    "proxmox.vmDisksGb": {
      used: sum(vms, (v) => v.diskGb),
      limit: host.datastoreUsableGb,
      unit: "GB",
      enforced: true,
      note: `on ${host.datastore}`,
      feeds: vmKeys("diskGb", true),
      limitKey: "homelab:proxmox.datastoreUsableGb",
    },
  };
  if (prod) {
    const quotas = (config as ProdConfig)["homelab:hypervisor"].zfs.quotasGb;
    const unbounded = (config as ProdConfig)["homelab:hypervisor"].zfs.datasets.filter((d) => quotas[d] === undefined);
    budgets["proxmox.poolGb"] = {
      used: Object.values(quotas).reduce((total, gb) => total + gb, 0),
      limit: host.poolUsableGb,
      unit: "GB",
      enforced: true,
      note: `dataset quotas on ${host.zfsPool}${unbounded.length > 0 ? `; without a quota: ${unbounded.join(", ")}` : ""}`,
      feeds: ["homelab:hypervisor.zfs.quotasGb"],
      limitKey: "homelab:proxmox.poolUsableGb",
    };
  }
  return budgets;
}

/** The DEV machines counted by the prod stack, which owns the host's budget: the dev roster at the sizes in `homelab:devVms`. */
export function devVmsOnHost(config: ProdConfig, inventory: Inventory): VmFootprint[] {
  return homeMachines("dev", inventory.rosters, config["homelab:devVms"]).map((m) => ({
    name: `${m.name} (dev stack)`,
    cores: m.cores,
    memoryGb: m.memoryGb,
    diskGb: m.diskGb,
    alwaysOn: true,
  }));
}

/** The share of a cluster's allocatable memory its requests may take: 20 % stays free for bursts, rollouts and the limits above requests. */
export const memoryHeadroom = 0.2;

/** CloudNativePG clusters the platform creates (one Postgres pod per instance). */
const cnpgClusterType = "kubernetes:postgresql.cnpg.io/v1:Cluster";

/** The requests of the database instances the plan creates: CloudNativePG `Cluster` objects, instances × their requests. */
function databaseRequests(resources: readonly PolicyResourceView[]): { cpuM: number; memoryMi: number; count: number } {
  let cpuM = 0;
  let memoryMi = 0;
  let count = 0;
  for (const r of resources.filter((x) => x.type === cnpgClusterType)) {
    const spec = (r.props as { spec?: { instances?: number; resources?: { requests?: { cpu?: string; memory?: string } } } }).spec ?? {};
    const instances = spec.instances ?? 1;
    cpuM += cpuMillicores(spec.resources?.requests?.cpu ?? "0") * instances;
    memoryMi += memoryMebibytes(spec.resources?.requests?.memory ?? "0") * instances;
    count += instances;
  }
  return { cpuM, memoryMi, count };
}

/**
 * Cluster budget: every pod the plan creates, against the allocatable share of the nodes
 * (capacity minus what Talos and the kubelet keep), from the cluster's roster. Counted: each
 * Application's pods (its annotations: app-template releases with every rendered container,
 * sidecars and setup containers included), one DaemonSet pod per node it runs on, and every
 * database instance. Memory may fill at most 80 % of the nodes that run workloads (20 %
 * headroom); control planes that run no workloads still carry the DaemonSets that tolerate them,
 * with the same headroom.
 */
export function clusterBudgets(resources: readonly PolicyResourceView[], nodes: readonly ClusterNode[]): Budgets {
  const apps = resources.filter((r) => r.type === types.argoApplication);
  if (apps.length === 0) return {};
  const cluster = labelOf(apps[0]!.props, labels.cluster) ?? "cluster";
  const workers = nodes.filter((n) => n.schedulable);
  const others = nodes.filter((n) => !n.schedulable);
  const annotation = (r: PolicyResourceView, name: string) => num(annotationOf(r.props, name));
  const allocatable = (list: readonly ClusterNode[], pick: (n: ClusterNode) => number, reserve: number) => list.reduce((sum, n) => sum + Math.max(0, pick(n) - reserve), 0);
  const perNode = (r: PolicyResourceView, name: string, onNodes: readonly ClusterNode[], allNodes: boolean) => {
    const on = annotationOf(r.props, annotations.perNodeOn);
    if (!on || (on !== "all" && allNodes)) return 0;
    return annotation(r, name) * onNodes.length;
  };
  const databases = databaseRequests(resources);
  const used = (once: string, each: string) =>
    apps.reduce((sum, r) => sum + annotation(r, once) + perNode(r, each, workers, false), 0);
  const memoryLimit = Math.floor(allocatable(workers, (n) => n.memoryGi * 1024, nodeReservation.memoryMi) * (1 - memoryHeadroom));
  const budgets: Budgets = {
    [`cluster.${cluster}.cpuRequestsM`]: {
      used: used(annotations.requestsCpuM, annotations.requestsPerNodeCpuM) + databases.cpuM,
      limit: allocatable(workers, (n) => n.cpu * 1000, nodeReservation.cpuM),
      unit: "mCPU",
      enforced: true,
      note: `${workers.length} node(s) run workloads, ${nodeReservation.cpuM}m kept per node`,
      feeds: ["the catalog's resources.requests (lib/catalog/apps/*.ts)"],
      limitKey: nodeSizeKey(cluster),
    },
    [`cluster.${cluster}.memoryRequestsMi`]: {
      used: used(annotations.requestsMemoryMi, annotations.requestsPerNodeMemoryMi) + databases.memoryMi,
      limit: memoryLimit,
      unit: "MiB",
      enforced: true,
      note: `80 % of ${allocatable(workers, (n) => n.memoryGi * 1024, nodeReservation.memoryMi)} MiB allocatable (${nodeReservation.memoryMi} MiB kept per node); pods of every Application, one DaemonSet pod per node, ${databases.count} database instance(s)`,
      feeds: ["the catalog's resources.requests (lib/catalog/apps/*.ts)"],
      limitKey: nodeSizeKey(cluster),
    },
  };
  if (others.length > 0) {
    budgets[`cluster.${cluster}.controlPlaneMemoryMi`] = {
      used: apps.reduce((sum, r) => sum + perNode(r, annotations.requestsPerNodeMemoryMi, others, true), 0),
      limit: Math.floor(allocatable(others, (n) => n.memoryGi * 1024, nodeReservation.memoryMi) * (1 - memoryHeadroom)),
      unit: "MiB",
      enforced: true,
      note: `${others.length} control plane(s) without workloads: the DaemonSets that tolerate them (Talos' own control-plane pods live in the ${nodeReservation.memoryMi} MiB kept)`,
      feeds: ["the catalog's DaemonSets that tolerate control planes (lib/catalog/apps/*.ts)"],
      limitKey: nodeSizeKey(cluster),
    };
  }
  return budgets;
}

/** The config that sizes a cluster's nodes. */
function nodeSizeKey(cluster: string): string {
  return cluster === "cloud" ? "homelab:oci.instances[*] (role talos)" : "homelab:vms";
}

export function stackBudgets(loaded: StackConfig, resources: readonly PolicyResourceView[], inventory: Inventory): Budgets {
  const nodes = (cluster: ClusterName) => clusterNodes({ cluster, config: loaded.config, rosters: inventory.rosters });
  switch (loaded.stack) {
    case "cloud":
      return { ...ociBudgets(resources), ...offsiteBudgets(loaded.config, inventory), ...clusterBudgets(resources, nodes("cloud")) };
    case "prod":
      return { ...proxmoxBudgets(resources, loaded.config, devVmsOnHost(loaded.config, inventory)), ...clusterBudgets(resources, nodes("prod")) };
    case "dev":
      return { ...proxmoxBudgets(resources, loaded.config), ...clusterBudgets(resources, nodes("dev")) };
  }
}

/**
 * The off-site budget of the OCI bucket, which the cloud stack owns and every cluster and the
 * management VM fill: stored bytes against the Always Free allowance, and API requests a month.
 */
export function offsiteBudgets(config: Extract<StackConfig, { stack: "cloud" }>["config"], inventory: Inventory): Budgets {
  const budget = objectStorageBudget(config, inventory.apps);
  return {
    "offsite.oci.storedGb": {
      used: budget.storedGb.used,
      limit: budget.storedGb.limit,
      unit: "GB",
      enforced: true,
      note: budget.storedGb.note,
      feeds: ["the records' backup class and backupSize (lib/catalog/apps/*.ts)"],
      limitKey: "homelab:backup.tenancy",
      fix: "give the records a backupSize (what their data really holds; without it the requested sizes count), move large data to class bulk, or a record to a lighter class",
    },
    "offsite.oci.requestsPerMonth": {
      used: budget.requests.used,
      limit: budget.requests.limit,
      unit: "requests",
      enforced: true,
      note: budget.requests.note,
      feeds: ["the records' backup class (lib/catalog/apps/*.ts)", "the class schedules and drills (lib/backup/classes.ts)"],
      fix: "move records to a class with fewer runs (standard is weekly) or fewer drills; see lib/backup/offsite.ts for what each run costs",
    },
  };
}

export function budgetViolations(budgets: Budgets): Violation[] {
  return Object.entries(budgets)
    .filter(([, line]) => line.enforced && line.used > line.limit)
    .map(([name, line]) => ({
      policy: "capacity-budget",
      level: "mandatory" as const,
      resource: "stack",
      message:
        `${name}: ${line.used} ${line.unit} asked, ${line.limit} ${line.unit} available${line.note ? ` (${line.note})` : ""}; ` +
        `fed by ${line.feeds.join(", ")}${line.limitKey ? `; limit ${line.limitKey}` : ""}; fix: ${line.fix ?? `lower those values${line.limitKey ? ` or raise ${line.limitKey} if the hardware allows` : ""}`}`,
    }));
}
