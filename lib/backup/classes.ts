/**
 * Backup classes (FR-024, FR-025): one table that every backup tool reads, so that a catalog
 * record's `backup` field alone decides how often its data is copied, how long the copies are
 * kept, where they go, how fast they may upload and whether a restore drill proves them.
 *
 * - `critical`: irreplaceable and small (passwords, calendars, databases, Omni, Authentik):
 *   daily, off-site in the OCI bucket, kept 6 months, restored by a drill every day.
 * - `standard`: tedious to rebuild (app settings, libraries' metadata): weekly, off-site in the
 *   OCI bucket, kept 3 months.
 * - `bulk`: too large for the Always Free bucket (the media library, photos, family files):
 *   ZFS snapshots on the host and a copy to a destination the admin names in config (a second
 *   pool or USB disk, another machine, another restic repository) or explicitly none, with the
 *   reason printed by the plan.
 * - `none`: nothing is kept (caches, re-creatable state).
 */
import type { BackupClass } from "../catalog/types";

/** How many snapshots of each age a retention keeps (restic `forget --keep-*`, sanoid templates). */
export interface Keep {
  hourly: number;
  daily: number;
  weekly: number;
  monthly: number;
}

export interface ClassPolicy {
  /** How often a copy is made, in hours: the alerts fire when none succeeded within interval + margin. */
  intervalHours: number;
  /** Slack for a slow run or a late schedule before "no successful backup" fires. */
  marginHours: number;
  /** Where the copies go: the OCI bucket, or the bulk destination named in config. */
  destination: "object-storage" | "bulk";
  /** Snapshots kept (restic/Volsync, the management VM, sanoid). */
  keep: Keep;
  /** How long Velero keeps a backup of the class (its `ttl`). */
  veleroTtl: string;
  /**
   * CloudNativePG: recovery window (`retentionPolicy`) and how often PostgreSQL closes a WAL
   * segment (the RPO). Base backups are weekly for every class; the WAL archive carries the rest.
   */
  databaseWindow: string;
  archiveTimeout: string;
  /** Upload limit for the tools that have one (restic `--limit-upload`, syncoid `--target-bwlimit`), KiB/s. */
  uploadKiBps: number;
  /** A scheduled restore drill proves the class's backups (story 4.5.2, "backup verification automated"). */
  drilled: boolean;
  /**
   * What the retention keeps on top of the data itself, as a share of the data (changes over
   * the kept period, deduplicated): the off-site estimate multiplies by 1 + this.
   */
  historyShare: number;
}

export type KeptClass = Exclude<BackupClass, "none">;

export const classPolicies: Record<KeptClass, ClassPolicy> = {
  critical: {
    intervalHours: 24,
    marginHours: 3,
    destination: "object-storage",
    keep: { hourly: 24, daily: 7, weekly: 4, monthly: 6 },
    veleroTtl: "720h",
    databaseWindow: "14d",
    archiveTimeout: "1h",
    uploadKiBps: 4096,
    drilled: true,
    historyShare: 1,
  },
  standard: {
    intervalHours: 168,
    marginHours: 12,
    destination: "object-storage",
    keep: { hourly: 0, daily: 0, weekly: 4, monthly: 3 },
    veleroTtl: "2160h",
    databaseWindow: "14d",
    archiveTimeout: "6h",
    uploadKiBps: 2048,
    drilled: false,
    historyShare: 0.5,
  },
  bulk: {
    intervalHours: 24,
    marginHours: 6,
    destination: "bulk",
    keep: { hourly: 24, daily: 14, weekly: 8, monthly: 6 },
    veleroTtl: "720h",
    databaseWindow: "14d",
    archiveTimeout: "6h",
    uploadKiBps: 10240,
    drilled: false,
    historyShare: 0.2,
  },
};

export const keptClasses = Object.keys(classPolicies) as KeptClass[];

/** The policy of a class, or undefined for `none`. */
export function policyOf(backupClass: BackupClass): ClassPolicy | undefined {
  return backupClass === "none" ? undefined : classPolicies[backupClass];
}

/** Order of importance, so that a namespace holding apps of several classes takes the highest. */
const rank: Record<BackupClass, number> = { none: 0, bulk: 1, standard: 2, critical: 3 };
export function highestClass(classes: readonly BackupClass[]): BackupClass {
  return classes.reduce<BackupClass>((best, c) => (rank[c] > rank[best] ? c : best), "none");
}

/**
 * A 5-field cron for a class's runs, at night (Europe/Paris evenings stay free for the family's
 * streaming): daily classes at 02:MM, weekly ones on Sunday at 03:MM. `minute` staggers the
 * tools so that they do not all upload at once.
 */
export function cronFor(backupClass: KeptClass, minute: number): string {
  const m = Math.max(0, Math.min(59, Math.round(minute)));
  return classPolicies[backupClass].intervalHours >= 168 ? `${m} 3 * * 0` : `${m} 2 * * *`;
}

/** The same schedule with a leading seconds field (CloudNativePG's ScheduledBackup). */
export function cronWithSeconds(backupClass: KeptClass, minute: number): string {
  return `0 ${cronFor(backupClass, minute)}`;
}

/** restic `forget` flags of a class. */
export function resticKeepFlags(keep: Keep): string[] {
  const flags: string[] = [];
  if (keep.daily > 0) flags.push("--keep-daily", String(keep.daily));
  if (keep.weekly > 0) flags.push("--keep-weekly", String(keep.weekly));
  if (keep.monthly > 0) flags.push("--keep-monthly", String(keep.monthly));
  return flags;
}

/** Seconds after which "no successful backup" fires for a class. */
export function staleAfterSeconds(backupClass: KeptClass): number {
  const p = classPolicies[backupClass];
  return (p.intervalHours + p.marginHours) * 3600;
}

/** Which tool copies an app volume of a class: Volsync (restic) for critical and bulk, Velero's file-system backup for standard. */
export function volumeTool(backupClass: BackupClass): "volsync" | "velero-fsb" | undefined {
  if (backupClass === "critical" || backupClass === "bulk") return "volsync";
  if (backupClass === "standard") return "velero-fsb";
  return undefined;
}

/**
 * Restore drills run daily (volumes, the management VM's repository) or weekly (databases, whose
 * base backups are weekly). The cadence is part of the CronJob's name because RestoreDrillStale
 * reads it there: kube-state-metrics exports CronJob labels only when allow-listed, names always.
 */
export type DrillCadence = "daily" | "weekly";
export const drillNamePrefix: Record<DrillCadence, string> = { daily: "restore-drill-daily-", weekly: "restore-drill-weekly-" };

/** A CronJob name is at most 52 characters (its Jobs add 11); a longer one keeps its prefix and gets a short hash of the whole. */
const cronJobNameMax = 52;

export function drillCronJobName(cadence: DrillCadence, item: string): string {
  const whole = `${drillNamePrefix[cadence]}${item}`;
  if (whole.length <= cronJobNameMax) return whole;
  // FNV-1a: pure, stable across runs, and enough to keep two long names of one namespace apart.
  let hash = 0x811c9dc5;
  for (const ch of whole) hash = Math.imul(hash ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  const suffix = `-${hash.toString(36).padStart(7, "0").slice(0, 7)}`;
  return `${whole.slice(0, cronJobNameMax - suffix.length).replace(/-+$/, "")}${suffix}`;
}

/**
 * The scratch space a drill restores into: the item's data (its expected size before
 * compression) with a quarter on top for restic's cache or the WAL replayed over a base backup,
 * and at least 1 GiB. An emptyDir over its sizeLimit gets the pod evicted, which would read as a
 * failed drill.
 */
export function drillScratchGi(sizeGi: number): number {
  return Math.max(1, Math.ceil(sizeGi * 1.25 + 0.5));
}
