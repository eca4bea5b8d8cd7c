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
    {
      name: "homelab-backups",
      rules: [
        rule("BackupFailed", "backup", "critical", "increase(velero_backup_failure_total[1h]) > 0", "0m", "A Velero backup failed", "Schedule {{ $labels.schedule }} reported a failed backup in the last hour."),
        rule(
          "BackupMissing",
          "backup",
          "critical",
          'time() - velero_backup_last_successful_timestamp{schedule!=""} > 26 * 3600',
          "30m",
          "No successful backup for a day",
          "Schedule {{ $labels.schedule }} has not completed a backup for more than 26 hours.",
        ),
      ],
    },
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

/** A Prometheus rule file (promtool's input), the same groups the PrometheusRule carries. */
export function ruleFile(): string {
  return stringify({ groups: ruleGroups() }, { lineWidth: 0 });
}
