/**
 * The host side of the backups: sanoid's configuration from the datasets' classes, and syncoid's
 * copy of the bulk datasets to the destination in config. Pure text, run by the `sanoid` host
 * script and tested with Debian's own sanoid against a zfs stand-in (tests/components/hypervisor.spec.ts).
 */
import type { BackupItem } from "../backup/items";
import { classPolicies } from "../backup/classes";
import type { DatasetReplication } from "../config/home";

/**
 * sanoid.conf (sanoid 2.1): one section per dataset with its class's template; on a second pool
 * the copies are pruned by the same retention but never snapshotted there ("snapshots on backup
 * datasets are replicated in from source, not generated locally", sanoid's example config).
 */
export function sanoidConf(pool: string, datasets: readonly BackupItem[], replication: DatasetReplication | undefined): string {
  const keep = classPolicies.bulk.keep;
  const template = (name: string, autosnap: boolean) => [
    `[template_${name}]`,
    "\tfrequently = 0",
    `\thourly = ${keep.hourly}`,
    `\tdaily = ${keep.daily}`,
    `\tweekly = ${keep.weekly}`,
    `\tmonthly = ${keep.monthly}`,
    "\tyearly = 0",
    `\tautosnap = ${autosnap ? "yes" : "no"}`,
    "\tautoprune = yes",
  ];
  const lines = ["# Managed by the homelab program (backup class bulk, lib/backup/classes.ts); edits are overwritten.", ""];
  for (const d of datasets) lines.push(`[${pool}/${d.name}]`, "\tuse_template = bulk", "");
  if (replication?.kind === "zfs") lines.push(`[${replication.target}]`, "\tuse_template = replica", "\trecursive = yes", "");
  // The replica receives snapshots once a night: its hourlies are hours old when the morning check
  // runs, and sanoid's default hourly_warn (90m) would fail it, and mail, every day. sanoid's own
  // template_backup (v2.1.0 sanoid.conf) widens the thresholds "since replication is typically daily only".
  const replicaMonitoring = ["\thourly_warn = 2880", "\thourly_crit = 3600", "\tdaily_warn = 48", "\tdaily_crit = 60"];
  lines.push(...template("bulk", true), "", ...template("replica", false), ...replicaMonitoring);
  return lines.join("\n");
}

/** syncoid commands, one per bulk dataset, with only sanoid's snapshots (no syncoid snapshot of its own). */
export function syncoidScript(pool: string, datasets: readonly BackupItem[], replication: DatasetReplication | undefined): string {
  if (!replication || replication.kind === "none" || datasets.length === 0) return "";
  const limit = replication.kind === "ssh" ? ` --target-bwlimit=${classPolicies.bulk.uploadKiBps}k` : "";
  return [
    "#!/bin/sh",
    "# Managed by the homelab program: copies the bulk datasets to " + replication.target + ".",
    "set -eu",
    ...datasets.map((d) => `syncoid --no-sync-snap --create-bookmark${limit} '${pool}/${d.name}' '${replication.target}/${d.name}'`),
  ].join("\n");
}

/** The systemd units around them: a nightly copy, a daily freshness check, a mail when either fails. */
export function backupUnits(alertEmail: string): { alert: string; checkService: string; checkTimer: string; syncoidService: string; syncoidTimer: string } {
  const onFailure = "OnFailure=homelab-backup-alert@%n.service";
  // write_file compares with $(cat …), which drops trailing newlines: none here.
  const units = {
    alert: [
      "[Unit]",
      "Description=Mail the admin that %i failed",
      "",
      "[Service]",
      "Type=oneshot",
      `ExecStart=/bin/sh -c 'printf "Subject: homelab backup failed: %i\\\\n\\\\n%i failed on %H; see journalctl -u %i\\\\n" | /usr/sbin/sendmail ${alertEmail}'`,
      "",
    ].join("\n"),
    checkService: ["[Unit]", "Description=Check that every dataset has fresh sanoid snapshots", onFailure, "", "[Service]", "Type=oneshot", "ExecStart=/usr/sbin/sanoid --monitor-snapshots", ""].join("\n"),
    checkTimer: ["[Unit]", "Description=Daily snapshot freshness check", "", "[Timer]", "OnCalendar=*-*-* 07:00:00", "Persistent=true", "", "[Install]", "WantedBy=timers.target", ""].join("\n"),
    syncoidService: ["[Unit]", "Description=Copy the bulk datasets (syncoid)", "After=zfs.target", onFailure, "", "[Service]", "Type=oneshot", "ExecStart=/usr/local/sbin/homelab-syncoid", ""].join("\n"),
    syncoidTimer: ["[Unit]", "Description=Nightly copy of the bulk datasets", "", "[Timer]", "OnCalendar=*-*-* 01:30:00", "Persistent=true", "", "[Install]", "WantedBy=timers.target", ""].join("\n"),
  };
  return Object.fromEntries(Object.entries(units).map(([k, v]) => [k, v.trimEnd()])) as typeof units;
}
