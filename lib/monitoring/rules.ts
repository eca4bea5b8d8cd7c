/**
 * Alert rules (story 2.4.7, FR-020): one group per category, severities used the same way
 * everywhere — `critical` wakes the admin (ntfy max priority and Telegram), `warning` waits for
 * the next look at the phone (ntfy). Each rule has promtool unit tests that fire it and that
 * keep it quiet (tests/monitoring.spec.ts).
 *
 * Security events (failed logins) come from Authentik itself, which runs outside the clusters:
 * its notification rule posts them to ntfy directly (lib/identity/authentik.ts).
 */
import { stringify } from "yaml";
import { classPolicies, drillNamePrefix, staleAfterSeconds, type KeptClass } from "../backup/classes";
import { metricLabels } from "../markers";

export type Severity = "critical" | "warning";

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: Severity; category: string };
  annotations: { summary: string; description: string };
}

export interface RuleGroup {
  name: string;
  rules: AlertRule[];
}

const rule = (alert: string, category: string, severity: Severity, expr: string, forDuration: string, summary: string, description: string): AlertRule => ({
  alert,
  expr,
  for: forDuration,
  labels: { severity, category },
  annotations: { summary, description },
});

const filesystems = 'fstype!~"tmpfs|overlay|squashfs|ramfs|nsfs"';
const diskUsedPercent = `(1 - node_filesystem_avail_bytes{${filesystems}} / node_filesystem_size_bytes{${filesystems}}) * 100`;
const volumeUsedPercent = "kubelet_volume_stats_used_bytes / kubelet_volume_stats_capacity_bytes * 100";

export function ruleGroups(): RuleGroup[] {
  return [
    {
      name: "homelab-disk",
      rules: [
        rule("DiskSpaceWarning", "disk", "warning", `${diskUsedPercent} > 80`, "15m", "Disk above 80 % on {{ $labels.instance }}", "{{ $labels.mountpoint }} is {{ $value | humanize }} % full."),
        rule("DiskSpaceCritical", "disk", "critical", `${diskUsedPercent} > 90`, "5m", "Disk above 90 % on {{ $labels.instance }}", "{{ $labels.mountpoint }} is {{ $value | humanize }} % full; free space now."),
        rule("VolumeSpaceWarning", "disk", "warning", `${volumeUsedPercent} > 80`, "15m", "Volume {{ $labels.persistentvolumeclaim }} above 80 %", "{{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is {{ $value | humanize }} % full."),
        rule("VolumeSpaceCritical", "disk", "critical", `${volumeUsedPercent} > 90`, "5m", "Volume {{ $labels.persistentvolumeclaim }} above 90 %", "{{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is {{ $value | humanize }} % full; grow it."),
      ],
    },
    {
      name: "homelab-availability",
      rules: [
        rule("ServiceDown", "availability", "critical", 'up{job!~"kubelet|node-exporter|apiserver"} == 0', "5m", "{{ $labels.job }} is down", "Prometheus has not reached {{ $labels.job }} ({{ $labels.instance }}) for 5 minutes."),
        rule(
          "WorkloadUnavailable",
          "availability",
          "critical",
          "kube_deployment_spec_replicas > 0 and kube_deployment_status_replicas_available == 0",
          "10m",
          "{{ $labels.namespace }}/{{ $labels.deployment }} has no running pod",
          "No replica of {{ $labels.deployment }} has been available for 10 minutes.",
        ),
        rule("NodeNotReady", "availability", "critical", 'kube_node_status_condition{condition="Ready",status="true"} == 0', "5m", "Node {{ $labels.node }} is not ready", "Talos node {{ $labels.node }} has not been Ready for 5 minutes; check it in Omni."),
      ],
    },
    {
      name: "homelab-talos",
      rules: [
        rule("KubeletDown", "talos", "critical", 'absent(up{job="kubelet"} == 1)', "10m", "No kubelet is answering", "Prometheus reaches no kubelet; the cluster's nodes may be down (see Omni)."),
        rule("NodeClockSkew", "talos", "warning", "abs(node_timex_offset_seconds) > 0.05", "10m", "Clock of {{ $labels.instance }} is off", "Time offset {{ $value | humanizeDuration }}; Talos' time sync is failing, TLS and etcd suffer."),
      ],
    },
    {
      name: "homelab-resources",
      rules: [
        rule(
          "HighCpu",
          "resources",
          "warning",
          '100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m]))) > 90',
          "15m",
          "CPU above 90 % on {{ $labels.instance }}",
          "The node has been busier than 90 % for 15 minutes.",
        ),
        rule("HighMemory", "resources", "warning", "(1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes) * 100 > 90", "10m", "Memory above 90 % on {{ $labels.instance }}", "Less than 10 % of memory left for 10 minutes."),
      ],
    },
    { name: "homelab-backups", rules: backupRules() },
    {
      name: "homelab-certificates",
      rules: [
        rule(
          "CertificateExpiringSoon",
          "certificates",
          "warning",
          "certmanager_certificate_expiration_timestamp_seconds - time() < 14 * 86400",
          "1h",
          "Certificate {{ $labels.name }} expires within 14 days",
          "cert-manager has not renewed {{ $labels.namespace }}/{{ $labels.name }}; check the issuer and the Cloudflare token.",
        ),
        rule(
          "CertificateExpiryCritical",
          "certificates",
          "critical",
          "certmanager_certificate_expiration_timestamp_seconds - time() < 3 * 86400",
          "10m",
          "Certificate {{ $labels.name }} expires within 3 days",
          "{{ $labels.namespace }}/{{ $labels.name }} is about to expire.",
        ),
      ],
    },
  ];
}

/** Velero schedules per class (the chart names them `velero-<class>`), the classes that go to the bucket. */
const veleroClasses: KeptClass[] = (Object.keys(classPolicies) as KeptClass[]).filter((c) => classPolicies[c].destination === "object-storage");

/** Restore drills: CronJobs `restore-drill-daily-…` and `restore-drill-weekly-…` (lib/backup/classes.ts drillCronJobName). */
const drillJobs = 'owner_kind="CronJob", owner_name=~"restore-drill-.+"';
const failedDrillCreated = `max by (namespace, owner_name) ((kube_job_created * on(namespace, job_name) group_left(owner_name) kube_job_owner{${drillJobs}}) and on(namespace, job_name) (kube_job_failed{condition="true"} == 1))`;
const lastDrillSuccess = 'max by (namespace, owner_name) (label_replace(kube_cronjob_status_last_successful_time{cronjob=~"restore-drill-.+"}, "owner_name", "$1", "cronjob", "(.+)"))';

/**
 * Backup alerts (story 2.4.7 "backup failure alerts", 4.5): each fed by a metric a cluster
 * scrapes — Velero's ServiceMonitor (`velero_*`), Volsync's (`volsync_*`), CloudNativePG's
 * PodMonitors (`cnpg_*`) and kube-state-metrics for the restore-drill CronJobs (`kube_*`).
 * "No successful backup within the class's interval plus a margin" per tool, and "restore drill
 * failed". The management VM's backups are seen through CLOUD's drill of its repository.
 */
export function backupRules(): AlertRule[] {
  const stale = veleroClasses.map((c) => `(time() - velero_backup_last_successful_timestamp{schedule="velero-${c}"} > ${staleAfterSeconds(c)})`).join(" or ");
  const dailyDrill = staleAfterSeconds("critical") + 2 * 3600;
  const weeklyDrill = 7 * 86400 + classPolicies.critical.marginHours * 3600 + 3 * 3600;
  return [
    rule(
      "BackupFailed",
      "backup",
      "critical",
      'increase(velero_backup_failure_total{schedule!=""}[1h]) > 0 or increase(velero_backup_partial_failure_total{schedule!=""}[1h]) > 0',
      "0m",
      "A Velero backup failed",
      "Schedule {{ $labels.schedule }} reported a failed or partially failed backup in the last hour.",
    ),
    rule(
      "BackupMissing",
      "backup",
      "critical",
      stale,
      "30m",
      "No successful Velero backup within its class's interval",
      "Schedule {{ $labels.schedule }} has not completed a backup within its class's interval plus margin (last success {{ $value | humanizeDuration }} ago).",
    ),
    rule(
      "BackupNeverSucceeded",
      "backup",
      "critical",
      'velero_backup_attempt_total{schedule!=""} unless on(schedule) velero_backup_last_successful_timestamp',
      `${classPolicies.critical.intervalHours + classPolicies.critical.marginHours}h`,
      "A Velero schedule has never completed a backup",
      "Schedule {{ $labels.schedule }} exists but no backup of it has ever completed (Velero runs one when a schedule is created).",
    ),
    rule(
      "BackupTarballLarge",
      "backup",
      "warning",
      "velero_backup_tarball_size_bytes > 4.5e6",
      "0m",
      "Velero backup {{ $labels.schedule }} nears OCI's multipart limit",
      "The objects tarball is {{ $value | humanize1024 }}B; above 5 MiB the AWS plugin's multipart upload fails on OCI (velero#10543): split the schedule.",
    ),
    rule(
      "VolumeBackupOutOfSync",
      "backup",
      "critical",
      'volsync_volume_out_of_sync{role="source"} == 1',
      "3h",
      "Volsync copy of {{ $labels.obj_namespace }}/{{ $labels.obj_name }} is late",
      "The restic copy of {{ $labels.obj_namespace }}/{{ $labels.obj_name }} missed its schedule and has not caught up for 3 hours.",
    ),
    rule(
      "DatabaseBackupMissing",
      "backup",
      "critical",
      `time() - cnpg_collector_last_available_backup_timestamp{${metricLabels.backupClass}!=""} > ${7 * 86400 + classPolicies.standard.marginHours * 3600}`,
      "30m",
      "No base backup of {{ $labels.namespace }}/{{ $labels.pod }} this week",
      "The newest base backup of the database is older than a week plus margin (or there is none), so the WAL archive has nothing to replay onto.",
    ),
    rule(
      "DatabaseWalArchivingFailing",
      "backup",
      "critical",
      "cnpg_pg_stat_archiver_last_failed_time > cnpg_pg_stat_archiver_last_archived_time",
      "15m",
      "WAL archiving of {{ $labels.namespace }}/{{ $labels.pod }} is failing",
      "PostgreSQL's last WAL archive attempt failed and none succeeded since: point-in-time recovery stops at the last archived segment.",
    ),
    rule(
      "RestoreDrillFailed",
      "backup",
      "critical",
      `(${failedDrillCreated} > on(namespace, owner_name) ${lastDrillSuccess}) or (${failedDrillCreated} unless on(namespace, owner_name) ${lastDrillSuccess})`,
      "0m",
      "Restore drill {{ $labels.owner_name }} failed",
      "The latest run of {{ $labels.namespace }}/{{ $labels.owner_name }} failed: the backup is too old, unreadable or does not restore. See the Job's log.",
    ),
    rule(
      "RestoreDrillStale",
      "backup",
      "critical",
      `(time() - kube_cronjob_status_last_successful_time{cronjob=~"${drillNamePrefix.daily}.+"} > ${dailyDrill}) or (time() - kube_cronjob_status_last_successful_time{cronjob=~"${drillNamePrefix.weekly}.+"} > ${weeklyDrill})`,
      "30m",
      "No successful restore drill of {{ $labels.cronjob }} within its interval",
      "{{ $labels.namespace }}/{{ $labels.cronjob }} has not proven a fresh, restorable backup within its class's interval plus margin.",
    ),
  ];
}

/** A Prometheus rule file (promtool's input), the same groups the PrometheusRule carries. */
export function ruleFile(): string {
  return stringify({ groups: ruleGroups() }, { lineWidth: 0 });
}
