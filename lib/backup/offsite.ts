/**
 * The off-site estimate per destination: bytes stored and API requests per month, from the
 * backup items and their classes. The OCI bucket is the one destination with a hard limit
 * (Always Free: 20 GB on an Always-Free-only tenancy, 10 GB of Standard tier on a paid or trial
 * one, and 50,000 Object Storage API requests a month in both cases), so the plan fails when the
 * estimate exceeds either.
 *
 * Request figures were measured with the same tools against a local S3 stand-in (research note
 * r16 §5.3, §6.3: each restic command 11–17 requests, barman-cloud 2 per WAL segment and ≈13 per
 * base backup, ≈5 per retention pass); Velero's are its defaults at the settings the platform
 * sets (BSL validation every 12 h, backup sync every hour, repository maintenance weekly).
 */
import type { BackupItem } from "./items";
import { classPolicies, type KeptClass } from "./classes";

const daysPerMonth = 30;

/** Requests per operation (measured, see above). */
export const requestCosts = {
  /** restic backup + forget on an existing repository. */
  resticRun: 30,
  /** restic prune, every 14 days (Volsync `pruneIntervalDays`). */
  resticPrune: 50,
  /** restic check with a sample read. */
  resticCheck: 17,
  /** A restore drill: snapshots, a sample check, a restore of one file. */
  resticDrill: 45,
  /** barman-cloud-wal-archive per segment (a listing and a PUT). */
  walSegment: 2,
  /** barman-cloud-backup of a small database. */
  baseBackup: 13,
  /** barman-cloud-backup-delete (retention) per day. */
  retentionPass: 5,
  /** A database restore drill: base backup and the WAL since (weekly base backups: a day of segments). */
  databaseDrill: 120,
  /** Velero: BSL validation (12 h) and backup sync (1 h) per cluster and month. */
  veleroBackground: 2 * daysPerMonth + 24 * daysPerMonth,
  /** Velero: one backup's metadata (tarball, logs, results, volume info). */
  veleroBackup: 12,
  /** Velero file-system backup (kopia) of one volume per backup, and maintenance per repository and month. */
  kopiaVolume: 40,
  kopiaMaintenance: 4 * 60,
} as const;

/** WAL segments closed per day at most when the database is written to (archive_timeout). */
function segmentsPerDay(backupClass: KeptClass): number {
  const timeout = classPolicies[backupClass].archiveTimeout;
  const hours = Number(/^(\d+)h$/.exec(timeout)?.[1] ?? "1");
  return 24 / hours;
}

function runsPerMonth(backupClass: KeptClass): number {
  return (daysPerMonth * 24) / classPolicies[backupClass].intervalHours;
}

function windowDays(backupClass: KeptClass): number {
  return Number(/^(\d+)d$/.exec(classPolicies[backupClass].databaseWindow)?.[1] ?? "14");
}

/** Stored GiB of one item: data plus the history its retention keeps; databases as gzip base backups plus WAL. */
export function storedGi(item: BackupItem): number {
  const policy = classPolicies[item.backupClass];
  if (item.tool === "cloudnative-pg") {
    // Weekly base backups (ScheduledBackup) inside the recovery window, gzip ≈ 0.5; a forced
    // segment switch leaves mostly zeros (≈16 KB gzip measured), a busy one ≈ 1.8 MB: 1.6 MiB average.
    const bases = Math.ceil(windowDays(item.backupClass) / 7) + 1;
    const wal = (segmentsPerDay(item.backupClass) * windowDays(item.backupClass) * 1.6) / 1024;
    return item.sizeGi * 0.5 * bases + wal;
  }
  return item.sizeGi * (1 + policy.historyShare);
}

/** API requests of one item per month, drills included. */
export function requestsPerMonth(item: BackupItem): number {
  const runs = runsPerMonth(item.backupClass);
  const drills = classPolicies[item.backupClass].drilled ? daysPerMonth : 0;
  switch (item.tool) {
    case "volsync":
    case "mgmt-restic":
      return runs * (requestCosts.resticRun + requestCosts.resticCheck) + (daysPerMonth / 14) * requestCosts.resticPrune + drills * requestCosts.resticDrill;
    case "cloudnative-pg":
      return (
        segmentsPerDay(item.backupClass) * daysPerMonth * requestCosts.walSegment +
        (daysPerMonth / 7) * requestCosts.baseBackup +
        daysPerMonth * requestCosts.retentionPass +
        (drills > 0 ? (daysPerMonth / 7) * requestCosts.databaseDrill : 0)
      );
    case "velero-fsb":
      return runs * requestCosts.kopiaVolume + requestCosts.kopiaMaintenance;
    case "velero-objects":
      // The schedule's metadata is shared by its namespaces; counted once per schedule below.
      return 0;
    case "sanoid":
      return 0;
  }
}

export interface DestinationEstimate {
  storedGb: number;
  requestsPerMonth: number;
  /** Per class: items and stored GB, for the plan's table. */
  byClass: Partial<Record<KeptClass, { items: number; storedGb: number }>>;
}

export const gibToGb = 1.073741824;

/** What the items that go to the OCI bucket store and cost in requests; `clusters` each run Velero. */
export function objectStorageEstimate(items: readonly BackupItem[], clusters: number): DestinationEstimate {
  const offsite = items.filter((i) => classPolicies[i.backupClass].destination === "object-storage" && i.tool !== "sanoid");
  const byClass: DestinationEstimate["byClass"] = {};
  let stored = 0;
  let requests = clusters * requestCosts.veleroBackground;
  const veleroSchedules = new Set<string>();
  for (const item of offsite) {
    const gb = storedGi(item) * gibToGb;
    stored += gb;
    requests += requestsPerMonth(item);
    if (item.tool === "velero-objects") veleroSchedules.add(`${item.where}/${item.backupClass}`);
    const entry = (byClass[item.backupClass] ??= { items: 0, storedGb: 0 });
    entry.items += 1;
    entry.storedGb += gb;
  }
  for (const schedule of veleroSchedules) requests += runsPerMonth(schedule.split("/")[1] as KeptClass) * requestCosts.veleroBackup;
  return { storedGb: round(stored), requestsPerMonth: Math.round(requests), byClass: Object.fromEntries(Object.entries(byClass).map(([k, v]) => [k, { items: v.items, storedGb: round(v.storedGb) }])) };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
