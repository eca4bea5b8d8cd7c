/**
 * What a stack backs up, where and how often, as the plan prints it, and the off-site budget of
 * the OCI bucket (owned by the cloud stack, shared by every cluster and the management VM).
 * Also the config problems of the backups: bulk data that names no destination.
 */
import { alwaysFreeLimits } from "../always-free";
import { clusterNames, type AppRecord, type ClusterName } from "../catalog/types";
import type { CloudConfig, DevConfig, ProdConfig, StackConfig } from "../config";
import type { BulkVolumeDestination } from "../config/fields";
import type { DatasetReplication } from "../config/home";
import { classPolicies, keptClasses, type KeptClass } from "./classes";
import { catalogSpecs, clusterBackupItems, datasetBackupItems, mgmtBackupItems, specsWithoutConfig, type BackupItem } from "./items";
import { gibToGb, objectStorageEstimate, storedGi } from "./offsite";

export interface BackupRow {
  backupClass: KeptClass;
  what: string;
  tool: string;
  destination: string;
  /** Whether the copy leaves the site of the data. */
  offsite: boolean;
  storedGb: number;
}

export interface BackupReport {
  rows: BackupRow[];
  /** One line per class: how often, what is kept, whether drills prove it. */
  classes: Record<KeptClass, string>;
  /** Items of class `none` (nothing kept), named so nobody assumes otherwise. */
  notBackedUp: string[];
}

const toolNames: Record<BackupItem["tool"], string> = {
  volsync: "Volsync restic",
  "velero-fsb": "Velero file-system backup",
  "velero-objects": "Velero (objects)",
  "cloudnative-pg": "CloudNativePG WAL + base backups",
  "mgmt-restic": "restic (management VM)",
  sanoid: "sanoid snapshots + syncoid",
};

export function classSummary(backupClass: KeptClass): string {
  const p = classPolicies[backupClass];
  const every = p.intervalHours % 24 === 0 ? `${p.intervalHours / 24} day${p.intervalHours === 24 ? "" : "s"}` : `${p.intervalHours} h`;
  const keep = [p.keep.hourly && `${p.keep.hourly} hourly`, p.keep.daily && `${p.keep.daily} daily`, p.keep.weekly && `${p.keep.weekly} weekly`, p.keep.monthly && `${p.keep.monthly} monthly`].filter(Boolean).join(", ");
  return `every ${every}, keep ${keep}, alert after ${p.intervalHours + p.marginHours} h without success${p.drilled ? ", restore drill every day" : ""}`;
}

export function describeBulkVolumes(destination: BulkVolumeDestination | undefined): { text: string; offsite: boolean } {
  if (!destination) return { text: "no destination (config error)", offsite: false };
  if (destination.kind === "none") return { text: `not off-site: ${destination.reason}`, offsite: false };
  return { text: `restic ${destination.repository}`, offsite: true };
}

export function describeReplication(replication: DatasetReplication | undefined): { text: string; offsite: boolean } {
  if (!replication) return { text: "no destination (config error)", offsite: false };
  if (replication.kind === "none") return { text: `local snapshots only; not off-site: ${replication.reason}`, offsite: false };
  if (replication.kind === "zfs") return { text: `zfs ${replication.target} (second pool on the same host: not off-site)`, offsite: false };
  return { text: `zfs over ssh ${replication.target}`, offsite: true };
}

/** Every cluster's items (catalog placement), for the bucket that all of them share. */
export function allOffsiteItems(apps: readonly AppRecord[]): BackupItem[] {
  return [...clusterNames.flatMap((cluster) => clusterBackupItems(cluster, apps, specsWithoutConfig(cluster, apps))), ...mgmtBackupItems(apps)];
}

function clustersWithItems(items: readonly BackupItem[]): number {
  return new Set(items.filter((i) => (clusterNames as readonly string[]).includes(i.where)).map((i) => i.where)).size;
}

/** The OCI bucket's allowance for this tenancy (Standard tier only is free on a paid account). */
export function objectStorageAllowanceGb(config: CloudConfig): number {
  return config["homelab:backup"].tenancy === "paid" ? alwaysFreeLimits.objectStorageStandardPaidGb : alwaysFreeLimits.objectStorageGb;
}

export interface OffsiteBudget {
  storedGb: { used: number; limit: number; note: string };
  requests: { used: number; limit: number; note: string };
}

/** The OCI bucket's budget lines: everything every cluster and the VM send there. */
export function objectStorageBudget(config: CloudConfig, apps: readonly AppRecord[]): OffsiteBudget {
  const items = allOffsiteItems(apps);
  const estimate = objectStorageEstimate(items, clustersWithItems(items));
  const byClass = Object.entries(estimate.byClass).map(([c, v]) => `${c} ${v.items} items ${v.storedGb} GB`).join(", ");
  return {
    storedGb: { used: estimate.storedGb, limit: objectStorageAllowanceGb(config), note: `bucket ${config["homelab:backup"].bucketName}, all clusters and the VM: ${byClass}` },
    requests: { used: estimate.requestsPerMonth, limit: alwaysFreeLimits.objectStorageRequestsPerMonth, note: "Object Storage API requests a month, drills included" },
  };
}

function clusterOf(stack: StackConfig["stack"]): ClusterName {
  return stack;
}

function bulkVolumeDestinationOf(config: CloudConfig | ProdConfig | DevConfig): BulkVolumeDestination | undefined {
  return config["homelab:platform"].bulkBackup;
}

/** Rows of one stack: its cluster's items, plus the VM's (cloud) or the host's datasets (prod). */
export function stackBackupReport(loaded: StackConfig, apps: readonly AppRecord[]): BackupReport {
  const cluster = clusterOf(loaded.stack);
  const specOf = specsWithoutConfig(cluster, apps);
  const items = clusterBackupItems(cluster, apps, specOf);
  if (loaded.stack === "cloud") items.push(...mgmtBackupItems(apps));
  if (loaded.stack === "prod") items.push(...datasetBackupItems(loaded.config["homelab:hypervisor"].zfs.datasets, apps, catalogSpecs(apps)));
  const bucket = loaded.stack === "cloud" ? `oci:${loaded.config["homelab:backup"].bucketName}` : "oci (the cloud stack's bucket)";
  const rows = items.map((item): BackupRow => {
    const where = item.namespace ? `${item.where}/${item.namespace}` : item.where;
    const what = `${item.kind} ${item.name} (${where}${item.app ? `, ${item.app}` : ""})`;
    if (item.kind === "dataset") {
      const replication = describeReplication(loaded.stack === "prod" ? loaded.config["homelab:hypervisor"].zfs.replication : undefined);
      return { backupClass: item.backupClass, what, tool: toolNames[item.tool], destination: replication.text, offsite: replication.offsite, storedGb: 0 };
    }
    if (classPolicies[item.backupClass].destination === "bulk") {
      const destination = bulkVolumeDestinationOf(loaded.config);
      const bulk = describeBulkVolumes(destination);
      if (destination?.kind !== "restic") return { backupClass: item.backupClass, what, tool: "nothing copies it", destination: bulk.text, offsite: false, storedGb: 0 };
      return { backupClass: item.backupClass, what, tool: toolNames[item.tool], destination: bulk.text, offsite: bulk.offsite, storedGb: Math.round(storedGi(item) * gibToGb * 100) / 100 };
    }
    return { backupClass: item.backupClass, what, tool: toolNames[item.tool], destination: bucket, offsite: true, storedGb: Math.round(storedGi(item) * gibToGb * 100) / 100 };
  });
  const notBackedUp = clusterNotBackedUp(cluster, apps);
  const classes = Object.fromEntries(keptClasses.map((c) => [c, classSummary(c)])) as Record<KeptClass, string>;
  return { rows, classes, notBackedUp };
}

/** The apps of the cluster whose data is not kept (class none), with what they hold. */
function clusterNotBackedUp(cluster: ClusterName, apps: readonly AppRecord[]): string[] {
  const specOf = specsWithoutConfig(cluster, apps);
  return apps
    .filter((a) => a.placement.kind === "cluster" && a.placement.clusters.includes(cluster) && a.backup === "none")
    .flatMap((a) => {
      const spec = specOf(a);
      const holds = [spec?.data ? "a volume" : "", spec?.database ? "a database" : ""].filter(Boolean);
      return holds.length > 0 ? [`${a.name} (${holds.join(" and ")}, class none)`] : [];
    });
}

/** Bulk data whose destination config does not name: one line each, naming the key and the fix. */
export function backupConfigProblems(loaded: StackConfig, apps: readonly AppRecord[]): string[] {
  const problems: string[] = [];
  const cluster = clusterOf(loaded.stack);
  const bulkVolumes = clusterBackupItems(cluster, apps, specsWithoutConfig(cluster, apps)).filter((i) => classPolicies[i.backupClass].destination === "bulk");
  if (bulkVolumes.length > 0 && !bulkVolumeDestinationOf(loaded.config)) {
    problems.push(
      `homelab:platform.bulkBackup: the catalog puts bulk volumes on ${cluster} (${bulkVolumes.map((i) => `${i.namespace}/${i.name}`).join(", ")}), too large for the Always Free bucket; ` +
        `name their destination ({ kind: restic, repository, passwordKey }) or declare { kind: none, reason: "<why>" }`,
    );
  }
  if (loaded.stack === "prod") {
    const zfs = loaded.config["homelab:hypervisor"].zfs;
    const datasets = datasetBackupItems(zfs.datasets, apps, catalogSpecs(apps));
    if (datasets.length > 0 && !zfs.replication) {
      problems.push(
        `homelab:hypervisor.zfs.replication: the datasets ${datasets.map((d) => d.name).join(", ")} are class bulk; name where syncoid copies them ` +
          `({ kind: zfs, target: <pool/dataset> } for a second pool or USB disk, { kind: ssh, target: user@host:pool/dataset } for another machine) or declare { kind: none, reason: "<why>" }`,
      );
    }
  }
  return problems;
}
