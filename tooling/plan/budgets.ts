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

export interface BudgetLine {
  used: number;
  limit: number;
  unit: string;
  /** Whether exceeding the limit fails the plan (some lines only inform, e.g. vCPU overcommit at peak). */
  enforced: boolean;
  note?: string;
  /** How to get back under the limit (default: shrink the VMs or raise the limit in config). */
  fix?: string;
}
export type Budgets = Record<string, BudgetLine>;

export function ociBudgets(resources: readonly PolicyResourceView[]): Budgets {
  const t = ociTotals(resources);
  return {
    "oci.a1Ocpus": { used: t.a1Ocpus, limit: alwaysFreeLimits.a1Ocpus, unit: "OCPU", enforced: true },
    "oci.a1MemoryGb": { used: t.a1MemoryGb, limit: alwaysFreeLimits.a1MemoryGb, unit: "GB", enforced: true },
    "oci.blockStorageGb": { used: t.blockStorageGb, limit: alwaysFreeLimits.blockStorageGb, unit: "GB", enforced: true },
    "oci.vcns": { used: t.vcns, limit: alwaysFreeLimits.vcns, unit: "VCN", enforced: true },
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
 * host threads, disks against the pool. `others` are VMs of the other home stack sharing the host.
 */
export function proxmoxBudgets(resources: readonly PolicyResourceView[], config: ProdConfig | DevConfig, others: readonly VmFootprint[] = []): Budgets {
  const host = config["homelab:proxmox"];
  const vms = [...vmFootprints(resources), ...others];
  const on = vms.filter((v) => v.alwaysOn);
  const sum = (list: readonly VmFootprint[], pick: (v: VmFootprint) => number) => list.reduce((total, v) => total + pick(v), 0);
  const overhead = host.zfsArcGb + host.hostReservedGb;
  return {
    "proxmox.vcpuNormal": { used: sum(on, (v) => v.cores), limit: host.cpuThreads, unit: "vCPU", enforced: true },
    "proxmox.vcpuPeak": {
      used: sum(vms, (v) => v.cores),
      limit: host.cpuThreads,
      unit: "vCPU",
      enforced: false,
      note: "every VM on; vCPU overcommit is allowed here",
    },
    "proxmox.ramNormalGb": { used: sum(on, (v) => v.memoryGb) + overhead, limit: host.normalRamBudgetGb, unit: "GB", enforced: true, note: `includes ZFS ARC ${host.zfsArcGb} GB` },
    "proxmox.ramPeakGb": { used: sum(vms, (v) => v.memoryGb) + overhead, limit: host.memoryGb, unit: "GB", enforced: true, note: "gaming VM on" },
    "proxmox.diskGb": { used: sum(vms, (v) => v.diskGb), limit: host.poolUsableGb, unit: "GB", enforced: true },
  };
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

/**
 * Cluster budget: the requests every Application reserves (catalog resources, carried as
 * annotations) against the allocatable share of the nodes that run workloads (capacity minus what
 * Talos and the kubelet keep), from the cluster's roster.
 */
export function clusterBudgets(resources: readonly PolicyResourceView[], nodes: readonly ClusterNode[]): Budgets {
  const apps = resources.filter((r) => r.type === types.argoApplication);
  if (apps.length === 0) return {};
  const cluster = labelOf(apps[0]!.props, labels.cluster) ?? "cluster";
  const workers = nodes.filter((n) => n.schedulable);
  const annotation = (r: PolicyResourceView, name: string) => num(annotationOf(r.props, name));
  const allocatable = (pick: (n: ClusterNode) => number, reserve: number) => workers.reduce((sum, n) => sum + Math.max(0, pick(n) - reserve), 0);
  return {
    [`cluster.${cluster}.cpuRequestsM`]: {
      used: apps.reduce((sum, r) => sum + annotation(r, annotations.requestsCpuM), 0),
      limit: allocatable((n) => n.cpu * 1000, nodeReservation.cpuM),
      unit: "mCPU",
      enforced: true,
      note: `${workers.length} node(s) run workloads, ${nodeReservation.cpuM}m kept per node`,
    },
    [`cluster.${cluster}.memoryRequestsMi`]: {
      used: apps.reduce((sum, r) => sum + annotation(r, annotations.requestsMemoryMi), 0),
      limit: allocatable((n) => n.memoryGi * 1024, nodeReservation.memoryMi),
      unit: "MiB",
      enforced: true,
      note: `${nodeReservation.memoryMi} MiB kept per node`,
    },
  };
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
      fix: "give the records a backupSize (what their data really holds; without it the requested sizes count), move large data to class bulk, or a record to a lighter class",
    },
    "offsite.oci.requestsPerMonth": {
      used: budget.requests.used,
      limit: budget.requests.limit,
      unit: "requests",
      enforced: true,
      note: budget.requests.note,
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
      message: `${name}: ${line.used} ${line.unit} asked, ${line.limit} ${line.unit} available${line.note ? ` (${line.note})` : ""}; ${line.fix ?? "shrink the VMs or raise the limit in config"}`,
    }));
}
