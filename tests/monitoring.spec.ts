import { strict as assert } from "node:assert";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { renderAlertmanagerConfig, alertmanagerConfig, type AlertmanagerInputs } from "../lib/monitoring/alertmanager";
import { ruleFile, ruleGroups, type AlertRule } from "../lib/monitoring/rules";
import { assertToolPasses, runTool } from "../lib/validate/tools";
import { validateKubernetesObject, type KubernetesObject } from "../lib/validate/kubernetes";
import { apps, type AppRecord } from "../lib/catalog";
import { ConfigError } from "../lib/config/errors";
import { defaultInventory } from "../lib/inventory";
import type { ClusterContext } from "../lib/platform/cluster-context";
import { nodeCollectionProblems } from "../lib/platform/charts/monitoring";
import { tunnelRoutes } from "../lib/routes";
import { examplePlan, preparedPlatform } from "./helpers";

/**
 * promtool unit tests: for every alert, a case that fires it and one that keeps it quiet.
 * Annotations are compared exactly by promtool, so each case states the ones it expects.
 */
interface RuleCase {
  series: Record<string, string>;
  evalTime: string;
  interval?: string;
  labels: Record<string, string>;
  annotations: { summary: string; description: string };
}
interface RuleTests {
  fires: RuleCase;
  quiet: Omit<RuleCase, "labels" | "annotations">;
}

const disk = (avail: number) => ({
  'node_filesystem_avail_bytes{instance="n1",mountpoint="/var",fstype="xfs"}': `${avail}x40`,
  'node_filesystem_size_bytes{instance="n1",mountpoint="/var",fstype="xfs"}': "100x40",
});
const volume = (used: number) => ({
  'kubelet_volume_stats_used_bytes{namespace="media",persistentvolumeclaim="komga-data"}': `${used}x40`,
  'kubelet_volume_stats_capacity_bytes{namespace="media",persistentvolumeclaim="komga-data"}': "100x40",
});
/** A failed run of the Vaultwarden drill created at `created`, and the drill's last success at `success` (seconds). */
function drillRun(created: number, success: number): Record<string, string> {
  const job = 'namespace="vaultwarden",job_name="restore-drill-daily-vaultwarden-29000000"';
  return {
    [`kube_job_created{${job}}`]: `${created}x30`,
    [`kube_job_owner{${job},owner_kind="CronJob",owner_name="restore-drill-daily-vaultwarden",owner_is_controller="true"}`]: "1x30",
    [`kube_job_failed{${job},condition="true"}`]: "1x30",
    'kube_cronjob_status_last_successful_time{namespace="vaultwarden",cronjob="restore-drill-daily-vaultwarden"}': `${success}x30`,
  };
}
const diskLabels = { instance: "n1", mountpoint: "/var", fstype: "xfs" };
const volumeLabels = { namespace: "media", persistentvolumeclaim: "komga-data" };

const cases: Record<string, RuleTests> = {
  DiskSpaceWarning: {
    fires: { series: disk(15), evalTime: "20m", labels: diskLabels, annotations: { summary: "Disk above 80 % on n1", description: "/var is 85 % full." } },
    quiet: { series: disk(25), evalTime: "20m" },
  },
  DiskSpaceCritical: {
    fires: { series: disk(5), evalTime: "10m", labels: diskLabels, annotations: { summary: "Disk above 90 % on n1", description: "/var is 95 % full; free space now." } },
    quiet: { series: disk(15), evalTime: "20m" },
  },
  VolumeSpaceWarning: {
    fires: { series: volume(85), evalTime: "20m", labels: volumeLabels, annotations: { summary: "Volume komga-data above 80 %", description: "media/komga-data is 85 % full." } },
    quiet: { series: volume(50), evalTime: "20m" },
  },
  VolumeSpaceCritical: {
    fires: { series: volume(95), evalTime: "10m", labels: volumeLabels, annotations: { summary: "Volume komga-data above 90 %", description: "media/komga-data is 95 % full; grow it." } },
    quiet: { series: volume(85), evalTime: "20m" },
  },
  ServiceDown: {
    fires: {
      series: { 'up{job="navidrome",instance="10.0.0.5:4533"}': "0x20" },
      evalTime: "10m",
      labels: { job: "navidrome", instance: "10.0.0.5:4533" },
      annotations: { summary: "navidrome is down", description: "Prometheus has not reached navidrome (10.0.0.5:4533) for 5 minutes." },
    },
    quiet: { series: { 'up{job="navidrome",instance="10.0.0.5:4533"}': "1x20", 'up{job="kubelet",instance="n1"}': "0x20" }, evalTime: "10m" },
  },
  WorkloadUnavailable: {
    fires: {
      series: { 'kube_deployment_spec_replicas{namespace="media",deployment="komga"}': "1x30", 'kube_deployment_status_replicas_available{namespace="media",deployment="komga"}': "0x30" },
      evalTime: "15m",
      labels: { namespace: "media", deployment: "komga" },
      annotations: { summary: "media/komga has no running pod", description: "No replica of komga has been available for 10 minutes." },
    },
    quiet: { series: { 'kube_deployment_spec_replicas{namespace="media",deployment="komga"}': "1x30", 'kube_deployment_status_replicas_available{namespace="media",deployment="komga"}': "1x30" }, evalTime: "15m" },
  },
  NodeNotReady: {
    fires: {
      series: { 'kube_node_status_condition{node="prod-worker-1",condition="Ready",status="true"}': "0x20" },
      evalTime: "10m",
      labels: { node: "prod-worker-1", condition: "Ready", status: "true" },
      annotations: { summary: "Node prod-worker-1 is not ready", description: "Talos node prod-worker-1 has not been Ready for 5 minutes; check it in Omni." },
    },
    quiet: { series: { 'kube_node_status_condition{node="prod-worker-1",condition="Ready",status="true"}': "1x20" }, evalTime: "10m" },
  },
  KubeletDown: {
    fires: {
      series: { 'up{job="kubelet",instance="n1"}': "0x30" },
      evalTime: "15m",
      // absent() of a comparison keeps no label.
      labels: {},
      annotations: { summary: "No kubelet is answering", description: "Prometheus reaches no kubelet; the cluster's nodes may be down (see Omni)." },
    },
    quiet: { series: { 'up{job="kubelet",instance="n1"}': "1x30" }, evalTime: "15m" },
  },
  NodeClockSkew: {
    fires: {
      series: { 'node_timex_offset_seconds{instance="n1"}': "0.1x30" },
      evalTime: "15m",
      labels: { instance: "n1" },
      annotations: { summary: "Clock of n1 is off", description: "Time offset 100ms; Talos' time sync is failing, TLS and etcd suffer." },
    },
    quiet: { series: { 'node_timex_offset_seconds{instance="n1"}': "0.001x30" }, evalTime: "15m" },
  },
  HighCpu: {
    fires: {
      series: { 'node_cpu_seconds_total{instance="n1",cpu="0",mode="idle"}': "0+3x40" },
      evalTime: "25m",
      labels: { instance: "n1" },
      annotations: { summary: "CPU above 90 % on n1", description: "The node has been busier than 90 % for 15 minutes." },
    },
    quiet: { series: { 'node_cpu_seconds_total{instance="n1",cpu="0",mode="idle"}': "0+60x40" }, evalTime: "25m" },
  },
  HighMemory: {
    fires: {
      series: { 'node_memory_MemAvailable_bytes{instance="n1"}': "5x30", 'node_memory_MemTotal_bytes{instance="n1"}': "100x30" },
      evalTime: "15m",
      labels: { instance: "n1" },
      annotations: { summary: "Memory above 90 % on n1", description: "Less than 10 % of memory left for 10 minutes." },
    },
    quiet: { series: { 'node_memory_MemAvailable_bytes{instance="n1"}': "50x30", 'node_memory_MemTotal_bytes{instance="n1"}': "100x30" }, evalTime: "15m" },
  },
  BackupFailed: {
    fires: {
      series: { 'velero_backup_failure_total{schedule="velero-critical"}': "0 0 0 1 1 1 1 1 1 1 1" },
      evalTime: "6m",
      labels: { schedule: "velero-critical" },
      annotations: { summary: "A Velero backup failed", description: "Schedule velero-critical reported a failed or partially failed backup in the last hour." },
    },
    quiet: { series: { 'velero_backup_failure_total{schedule="velero-critical"}': "0x10", 'velero_backup_partial_failure_total{schedule="velero-critical"}': "0x10" }, evalTime: "6m" },
  },
  BackupMissing: {
    fires: {
      series: { 'velero_backup_last_successful_timestamp{schedule="velero-critical"}': "0x1700" },
      evalTime: "28h",
      labels: { schedule: "velero-critical" },
      annotations: { summary: "No successful Velero backup within its class's interval", description: "Schedule velero-critical has not completed a backup within its class's interval plus margin (last success 1d 4h 0m 0s ago)." },
    },
    quiet: { series: { 'velero_backup_last_successful_timestamp{schedule="velero-critical"}': "0+60x1700" }, evalTime: "28h" },
  },
  BackupNeverSucceeded: {
    fires: {
      series: { 'velero_backup_attempt_total{schedule="velero-critical"}': "0x1700" },
      evalTime: "28h",
      labels: { schedule: "velero-critical" },
      annotations: { summary: "A Velero schedule has never completed a backup", description: "Schedule velero-critical exists but no backup of it has ever completed (Velero runs one when a schedule is created)." },
    },
    quiet: { series: { 'velero_backup_attempt_total{schedule="velero-critical"}': "0x1700", 'velero_backup_last_successful_timestamp{schedule="velero-critical"}': "0+60x1700" }, evalTime: "28h" },
  },
  BackupTarballLarge: {
    fires: {
      series: { 'velero_backup_tarball_size_bytes{schedule="velero-standard"}': "5000000x10" },
      evalTime: "5m",
      labels: { schedule: "velero-standard" },
      annotations: {
        summary: "Velero backup velero-standard nears OCI's multipart limit",
        description: "The objects tarball is 4.768MiB; above 5 MiB the AWS plugin's multipart upload fails on OCI (velero#10543): split the schedule.",
      },
    },
    quiet: { series: { 'velero_backup_tarball_size_bytes{schedule="velero-standard"}': "1000000x10" }, evalTime: "5m" },
  },
  VolumeBackupOutOfSync: {
    fires: {
      series: { 'volsync_volume_out_of_sync{role="source",method="restic",obj_name="vaultwarden",obj_namespace="vaultwarden"}': "1x300" },
      evalTime: "4h",
      labels: { role: "source", method: "restic", obj_name: "vaultwarden", obj_namespace: "vaultwarden" },
      annotations: { summary: "Volsync copy of vaultwarden/vaultwarden is late", description: "The restic copy of vaultwarden/vaultwarden missed its schedule and has not caught up for 3 hours." },
    },
    quiet: { series: { 'volsync_volume_out_of_sync{role="source",method="restic",obj_name="vaultwarden",obj_namespace="vaultwarden"}': "0x300" }, evalTime: "4h" },
  },
  DatabaseBackupMissing: {
    // Timestamps are seconds since the test's start: -700000 is a base backup 8 days before it.
    fires: {
      series: { 'cnpg_collector_last_available_backup_timestamp{namespace="nextcloud",pod="nextcloud-db-1",backup_class="critical"}': "-700000x60" },
      evalTime: "40m",
      labels: { namespace: "nextcloud", pod: "nextcloud-db-1", backup_class: "critical" },
      annotations: {
        summary: "No base backup of nextcloud/nextcloud-db-1 this week",
        description: "The newest base backup of the database is older than a week plus margin (or there is none), so the WAL archive has nothing to replay onto.",
      },
    },
    // A recent base backup; and a database of class none (Invidious), whose primary reports 0 (the
    // epoch) forever: here the epoch is 1.7e9 s before the test's start.
    quiet: {
      series: {
        'cnpg_collector_last_available_backup_timestamp{namespace="nextcloud",pod="nextcloud-db-1",backup_class="critical"}': "-86400x60",
        'cnpg_collector_last_available_backup_timestamp{namespace="invidious",pod="invidious-db-1"}': "-1700000000x60",
      },
      evalTime: "40m",
    },
  },
  DatabaseWalArchivingFailing: {
    fires: {
      series: { 'cnpg_pg_stat_archiver_last_failed_time{namespace="nextcloud",pod="nextcloud-db-1"}': "200x30", 'cnpg_pg_stat_archiver_last_archived_time{namespace="nextcloud",pod="nextcloud-db-1"}': "100x30" },
      evalTime: "20m",
      labels: { namespace: "nextcloud", pod: "nextcloud-db-1" },
      annotations: {
        summary: "WAL archiving of nextcloud/nextcloud-db-1 is failing",
        description: "PostgreSQL's last WAL archive attempt failed and none succeeded since: point-in-time recovery stops at the last archived segment.",
      },
    },
    quiet: { series: { 'cnpg_pg_stat_archiver_last_failed_time{namespace="nextcloud",pod="nextcloud-db-1"}': "100x30", 'cnpg_pg_stat_archiver_last_archived_time{namespace="nextcloud",pod="nextcloud-db-1"}': "200x30" }, evalTime: "20m" },
  },
  RestoreDrillFailed: {
    fires: {
      series: drillRun(1000, 500),
      evalTime: "5m",
      labels: { namespace: "vaultwarden", owner_name: "restore-drill-daily-vaultwarden" },
      annotations: { summary: "Restore drill restore-drill-daily-vaultwarden failed", description: "The latest run of vaultwarden/restore-drill-daily-vaultwarden failed: the backup is too old, unreadable or does not restore. See the Job's log." },
    },
    // A later run succeeded: the failed Job kept by the history limit no longer alerts.
    quiet: { series: drillRun(1000, 2000), evalTime: "5m" },
  },
  RestoreDrillStale: {
    fires: {
      series: { 'kube_cronjob_status_last_successful_time{namespace="vaultwarden",cronjob="restore-drill-daily-vaultwarden"}': "-200000x60" },
      evalTime: "40m",
      labels: { namespace: "vaultwarden", cronjob: "restore-drill-daily-vaultwarden" },
      annotations: {
        summary: "No successful restore drill of restore-drill-daily-vaultwarden within its interval",
        description: "vaultwarden/restore-drill-daily-vaultwarden has not proven a fresh, restorable backup within its class's interval plus margin.",
      },
    },
    // A weekly database drill five days ago is still fresh.
    quiet: { series: { 'kube_cronjob_status_last_successful_time{namespace="vaultwarden",cronjob="restore-drill-daily-vaultwarden"}': "0x60", 'kube_cronjob_status_last_successful_time{namespace="nextcloud",cronjob="restore-drill-weekly-nextcloud-db"}': "-432000x60" }, evalTime: "40m" },
  },
  CertificateExpiringSoon: {
    fires: {
      series: { 'certmanager_certificate_expiration_timestamp_seconds{namespace="kube-system",name="homelab-wildcard"}': "604800x150" },
      evalTime: "2h",
      labels: { namespace: "kube-system", name: "homelab-wildcard" },
      annotations: {
        summary: "Certificate homelab-wildcard expires within 14 days",
        description: "cert-manager has not renewed kube-system/homelab-wildcard; check the issuer and the Cloudflare token.",
      },
    },
    quiet: { series: { 'certmanager_certificate_expiration_timestamp_seconds{namespace="kube-system",name="homelab-wildcard"}': "2592000x150" }, evalTime: "2h" },
  },
  CertificateExpiryCritical: {
    fires: {
      series: { 'certmanager_certificate_expiration_timestamp_seconds{namespace="kube-system",name="homelab-wildcard"}': "172800x40" },
      evalTime: "20m",
      labels: { namespace: "kube-system", name: "homelab-wildcard" },
      annotations: { summary: "Certificate homelab-wildcard expires within 3 days", description: "kube-system/homelab-wildcard is about to expire." },
    },
    quiet: { series: { 'certmanager_certificate_expiration_timestamp_seconds{namespace="kube-system",name="homelab-wildcard"}': "604800x40" }, evalTime: "20m" },
  },
};

function unitTests(rules: readonly AlertRule[]): unknown {
  const tests = rules.flatMap((rule) => {
    const c = cases[rule.alert];
    if (!c) return [];
    const series = (s: Record<string, string>) => Object.entries(s).map(([name, values]) => ({ series: name, values }));
    return [
      {
        interval: c.fires.interval ?? "1m",
        input_series: series(c.fires.series),
        alert_rule_test: [{ eval_time: c.fires.evalTime, alertname: rule.alert, exp_alerts: [{ exp_labels: { ...rule.labels, ...c.fires.labels }, exp_annotations: c.fires.annotations }] }],
      },
      { interval: c.quiet.interval ?? "1m", input_series: series(c.quiet.series), alert_rule_test: [{ eval_time: c.quiet.evalTime, alertname: rule.alert, exp_alerts: [] }] },
    ];
  });
  return { rule_files: ["rules.yml"], evaluation_interval: "1m", tests };
}

function workdir(): string {
  return mkdtempSync(join(tmpdir(), "homelab-monitoring-"));
}

describe("alert rules (promtool)", () => {
  const rules = ruleGroups().flatMap((g) => g.rules);

  it("cover every category of the stories with consistent severities", () => {
    const categories = new Set(rules.map((r) => r.labels.category));
    for (const category of ["disk", "availability", "talos", "resources", "backup", "certificates"]) assert.ok(categories.has(category), category);
    assert.ok(rules.every((r) => r.labels.severity === "critical" || r.labels.severity === "warning"));
    // A warning and a critical exist for disk space, the category where both thresholds matter.
    assert.deepEqual(rules.filter((r) => r.labels.category === "disk").map((r) => r.labels.severity), ["warning", "critical", "warning", "critical"]);
  });

  it("pass `promtool check rules`", () => {
    const dir = workdir();
    writeFileSync(join(dir, "rules.yml"), ruleFile());
    assertToolPasses("promtool", ["check", "rules", join(dir, "rules.yml")]);
  });

  it("the rule check can fail: a broken expression is refused", () => {
    const dir = workdir();
    writeFileSync(join(dir, "rules.yml"), stringify({ groups: [{ name: "x", rules: [{ alert: "X", expr: "sum(up", for: "1m" }] }] }));
    assert.notEqual(runTool("promtool", ["check", "rules", join(dir, "rules.yml")]).code, 0);
  });

  it("every alert has a firing and a quiet promtool unit test, and they pass", () => {
    assert.deepEqual(rules.map((r) => r.alert).filter((name) => !cases[name]), [], "alerts without unit tests");
    const dir = workdir();
    writeFileSync(join(dir, "rules.yml"), ruleFile());
    writeFileSync(join(dir, "tests.yml"), stringify(unitTests(rules), { lineWidth: 0 }));
    assertToolPasses("promtool", ["test", "rules", join(dir, "tests.yml")]);
  });

  it("the unit tests can fail: a threshold moved from 80 % to 95 % no longer fires the warning", () => {
    const dir = workdir();
    const moved = ruleGroups().map((g) => ({ ...g, rules: g.rules.map((r) => (r.alert === "DiskSpaceWarning" ? { ...r, expr: r.expr.replace("> 80", "> 95") } : r)) }));
    writeFileSync(join(dir, "rules.yml"), stringify({ groups: moved }, { lineWidth: 0 }));
    // Only the moved alert's cases: promtool evaluates every rule at each step of each case, and the
    // whole suite (28 h cases at 1 m) took ~30 s of the CI budget to show this one failure.
    writeFileSync(join(dir, "tests.yml"), stringify(unitTests(moved.flatMap((g) => g.rules).filter((r) => r.alert === "DiskSpaceWarning")), { lineWidth: 0 }));
    const result = runTool("promtool", ["test", "rules", join(dir, "tests.yml")]);
    assert.notEqual(result.code, 0);
    assert.match(result.stdout + result.stderr, /alertname: DiskSpaceWarning/);
  });
});

const inputs = (ntfyUrl: string, telegramApi?: string): AlertmanagerInputs => ({
  ntfyUrl,
  ntfyToken: "tk_test_ntfy_token",
  telegram: { chatId: 123456789, botToken: "123456:test-bot-token", ...(telegramApi ? { apiUrl: telegramApi } : {}) },
});

describe("Alertmanager configuration", () => {
  it("passes `amtool check-config`", () => {
    const dir = workdir();
    writeFileSync(join(dir, "alertmanager.yml"), renderAlertmanagerConfig(inputs("https://ntfy.example.com/homelab-alerts")));
    assertToolPasses("amtool", ["check-config", join(dir, "alertmanager.yml")]);
  });

  it("routes critical to ntfy and Telegram, warnings to ntfy, drops info and the watchdog", () => {
    const config = alertmanagerConfig(inputs("https://ntfy.example.com/homelab-alerts")) as { route: { routes: { receiver: string; matchers: string[] }[] } };
    assert.deepEqual(config.route.routes.map((r) => `${r.matchers.join(",")} -> ${r.receiver}`), [
      'alertname=~"Watchdog|InfoInhibitor" -> drop',
      'severity="info" -> drop',
      'severity="critical" -> critical-ntfy-telegram',
      'severity="warning" -> warning-ntfy',
    ]);
  });
});

describe("Alertmanager delivery (a real Alertmanager on loopback)", function () {
  this.timeout(60_000);
  interface Received {
    path: string;
    body: string;
  }
  let receiver: Server;
  let received: Received[];
  let alertmanager: ChildProcess | undefined;
  let amUrl: string;

  before(async () => {
    received = [];
    receiver = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        received.push({ path: req.url ?? "", body });
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          (req.url ?? "").includes("/getMe")
            ? JSON.stringify({ ok: true, result: { id: 1, is_bot: true, first_name: "homelab", username: "homelab_bot" } })
            : JSON.stringify({ ok: true, result: { message_id: 1, date: 0, chat: { id: 123456789, type: "private" } } }),
        );
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    const dir = workdir();
    const config = renderAlertmanagerConfig({ ...inputs(`${base}/homelab-alerts`, `${base}/telegram`), timing: { groupWait: "1s", criticalGroupWait: "1s", groupInterval: "1s" } });
    writeFileSync(join(dir, "alertmanager.yml"), config);
    const port = 20000 + Math.floor(Math.random() * 20000);
    amUrl = `http://127.0.0.1:${port}`;
    alertmanager = spawn("prometheus-alertmanager", [`--config.file=${join(dir, "alertmanager.yml")}`, `--storage.path=${join(dir, "data")}`, `--web.listen-address=127.0.0.1:${port}`, "--cluster.listen-address="], { stdio: "ignore" });
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(`${amUrl}/-/ready`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error("Alertmanager did not become ready");
  });

  after(async () => {
    alertmanager?.kill();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  it("delivers each severity to the right receivers, grouped, and holds back inhibited alerts", async () => {
    const alert = (labels: Record<string, string>) => ({ labels: { cluster: "prod", ...labels }, annotations: { summary: labels.alertname! } });
    const response = await fetch(`${amUrl}/api/v2/alerts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([
        alert({ alertname: "DiskSpaceCritical", severity: "critical", category: "disk", instance: "n1" }),
        alert({ alertname: "DiskSpaceWarning", severity: "warning", category: "disk", instance: "n1" }),
        alert({ alertname: "HighMemory", severity: "warning", category: "resources", instance: "n2" }),
        alert({ alertname: "HighMemory", severity: "warning", category: "resources", instance: "n3" }),
        alert({ alertname: "NodeNotReady", severity: "critical", category: "availability", node: "prod-worker-1" }),
        alert({ alertname: "WorkloadUnavailable", severity: "critical", category: "availability", node: "prod-worker-1", namespace: "media" }),
        alert({ alertname: "Watchdog", severity: "none" }),
        alert({ alertname: "SomethingInformative", severity: "info" }),
      ]),
    });
    assert.equal(response.status, 200);
    await new Promise((r) => setTimeout(r, 6000));

    const ntfy = received.filter((r) => r.path.startsWith("/homelab-alerts"));
    const telegram = received.filter((r) => r.path.startsWith("/telegram/bot123456:test-bot-token/sendMessage"));
    const alertsIn = (r: Received) => (JSON.parse(r.body) as { alerts: { labels: Record<string, string> }[] }).alerts.map((a) => `${a.labels.alertname}@${a.labels.instance ?? a.labels.node}`).sort();
    const priority = (r: Received) => new URL(r.path, "http://x").searchParams.get("priority");

    const critical = ntfy.filter((r) => priority(r) === "5").map(alertsIn).sort();
    assert.deepEqual(critical, [["DiskSpaceCritical@n1"], ["NodeNotReady@prod-worker-1"]]);
    const warnings = ntfy.filter((r) => priority(r) === "3").map(alertsIn);
    assert.deepEqual(warnings, [["HighMemory@n2", "HighMemory@n3"]], "the two HighMemory alerts arrive as one grouped notification");
    assert.equal(telegram.length, 2, received.map((r) => r.path).join("\n"));
    assert.ok(telegram.some((r) => decodeURIComponent(r.body).includes("DiskSpaceCritical")));
    assert.ok(telegram.some((r) => decodeURIComponent(r.body).includes("NodeNotReady")));
    const everything = received.map((r) => decodeURIComponent(r.body)).join("\n");
    assert.ok(!everything.includes("DiskSpaceWarning"), "the warning twin of a critical alert was not inhibited");
    assert.ok(!everything.includes("WorkloadUnavailable"), "an alert on a node that is not ready was not inhibited");
    assert.ok(!everything.includes("Watchdog") && !everything.includes("SomethingInformative"));
    assert.ok(ntfy.every((r) => r.path.includes("tags=")));
  });
});

describe("monitoring stack on the clusters", () => {
  const prepared = (cluster: "dev" | "prod" | "cloud") => preparedPlatform(cluster);

  it("creates the alert rules as a PrometheusRule and ServiceMonitors for cloudflared and ntfy, valid against their CRD schemas", () => {
    const objects = prepared("prod").objects.map((o) => o.object);
    const rule = objects.find((o) => o.kind === "PrometheusRule")! as unknown as { spec: { groups: unknown } };
    assert.deepEqual(rule.spec.groups, ruleGroups());
    validateKubernetesObject(rule as unknown as KubernetesObject);
    const monitors = objects.filter((o) => o.kind === "ServiceMonitor");
    assert.deepEqual(monitors.map((m) => m.metadata.name).sort(), ["authentik-outpost", "cloudflared", "ntfy"]);
    for (const monitor of monitors) validateKubernetesObject(monitor as unknown as KubernetesObject);
    assert.throws(() => validateKubernetesObject({ ...monitors[0]!, spec: { endpoints: [{ port: 9090 }] } } as unknown as KubernetesObject), /does not match its schema/);
  });

  it("keeps Prometheus 15 days on a Longhorn volume on PROD, Grafana behind Authentik for admin only, Loki with retention, Alloy on every node", () => {
    const apps = prepared("prod").applications;
    const kps = apps.find((a) => a.app.name === "prometheus")!.values as {
      prometheus: { prometheusSpec: { retention: string; storageSpec: { volumeClaimTemplate: { spec: { storageClassName: string } } } } };
      grafana: { enabled: boolean; "grafana.ini": { "auth.generic_oauth": Record<string, unknown>; auth: Record<string, unknown> }; additionalDataSources: { type: string }[] };
      alertmanager: { alertmanagerSpec: { useExistingSecret: boolean; configSecret: string } };
    };
    assert.equal(kps.prometheus.prometheusSpec.retention, "15d");
    assert.equal(kps.prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.storageClassName, "longhorn");
    assert.equal(kps.grafana.enabled, true);
    assert.equal(kps.grafana["grafana.ini"].auth.disable_login_form, true);
    assert.equal(kps.grafana["grafana.ini"]["auth.generic_oauth"].role_attribute_path, "contains(groups, 'admin') && 'Admin'");
    assert.equal(kps.grafana["grafana.ini"]["auth.generic_oauth"].role_attribute_strict, true);
    assert.deepEqual(kps.grafana.additionalDataSources.map((d) => d.type), ["loki"]);
    assert.deepEqual([kps.alertmanager.alertmanagerSpec.useExistingSecret, kps.alertmanager.alertmanagerSpec.configSecret], [true, "alertmanager-homelab"]);
    const loki = apps.find((a) => a.app.name === "loki")!.values as { loki: { limits_config: { retention_period: string }; compactor: { retention_enabled: boolean } } };
    assert.deepEqual([loki.loki.limits_config.retention_period, loki.loki.compactor.retention_enabled], ["360h", true]);
    const alloy = apps.find((a) => a.app.name === "alloy")!.values as { controller: { type: string }; alloy: { configMap: { content: string } } };
    assert.equal(alloy.controller.type, "daemonset");
    assert.match(alloy.alloy.configMap.content, /loki\.source\.kubernetes "pods"/);
    // Alloy replaces node_exporter (story 2.4.4): node metrics from the host, each pod's logs read once.
    const kpsValues = apps.find((a) => a.app.name === "prometheus")!.values;
    assert.deepEqual(nodeCollectionProblems(alloy as never, kpsValues), []);
    assert.match(alloy.alloy.configMap.content, /field = "spec\.nodeName=" \+ coalesce\(sys\.env\("HOSTNAME"\), constants\.hostname\)/);
    assert.match(alloy.alloy.configMap.content, /procfs_path = "\/host\/proc"/);
    const devGrafana = (prepared("dev").applications.find((a) => a.app.name === "prometheus")!.values as { grafana: { enabled: boolean } }).grafana;
    assert.equal(devGrafana.enabled, false);
  });

  it("the node-collection check fails on the old Alloy: all pods from every node, the container's own /proc, node-exporter too", () => {
    const apps = prepared("prod").applications;
    const kps = apps.find((a) => a.app.name === "prometheus")!.values;
    const old = {
      alloy: { configMap: { content: 'prometheus.exporter.unix "node" { }\ndiscovery.kubernetes "pods" {\n  role = "pod"\n}\nloki.source.kubernetes "pods" {\n  targets = discovery.kubernetes.pods.targets\n}\n' }, mounts: { varlog: true } },
      controller: { type: "daemonset" },
    };
    const problems = nodeCollectionProblems(old, { ...kps, nodeExporter: { enabled: true } });
    // 7 since the node metrics must also carry the collecting pod's namespace and name (two more lines).
    assert.equal(problems.length, 7, problems.join("\n"));
    assert.match(problems[0]!, /every DaemonSet replica tails every pod of the cluster/);
    assert.match(problems[1]!, /procfs_path "\/proc", which is not the host's \/proc mounted read-only/);
    assert.match(problems[4]!, /both collect node metrics/);
    assert.match(problems[5]!, /no namespace label of the collecting pod .* node\.rules, which join on \(cluster, namespace, pod\)/);
    assert.match(problems[6]!, /no pod label of the collecting pod/);
  });

  it("keeps kube-prometheus-stack's node recording rules and dashboards alive without its node-exporter", () => {
    const apps = prepared("prod").applications;
    const kps = apps.find((a) => a.app.name === "prometheus")!.values as { nodeExporter: Record<string, unknown> };
    const alloy = apps.find((a) => a.app.name === "alloy")!.values as { alloy: { configMap: { content: string }; extraEnv: unknown[] } };
    assert.deepEqual(kps.nodeExporter, { enabled: false, forceDeployDashboards: true });
    assert.match(alloy.alloy.configMap.content, /target_label = "pod"\s+replacement\s+= sys\.env\("POD_NAME"\)/);
    // Without forceDeployDashboards the chart renders none of its node dashboards; without the pod's
    // labels node:node_num_cpu:sum (a join on namespace and pod with kube_pod_info) stays empty.
    const noDashboards = nodeCollectionProblems(alloy as never, { ...kps, nodeExporter: { enabled: false } });
    assert.deepEqual(noDashboards.map((p) => p.replace(/:.*/, "")), ["kube-prometheus-stack"]);
    const noLabels = nodeCollectionProblems({ ...alloy, alloy: { ...alloy.alloy, extraEnv: [] } } as never, kps);
    assert.equal(noLabels.length, 2, noLabels.join("\n"));
    // DEV has no Grafana: nothing to render there.
    const dev = prepared("dev").applications;
    assert.deepEqual(nodeCollectionProblems(dev.find((a) => a.app.name === "alloy")!.values, dev.find((a) => a.app.name === "prometheus")!.values), []);
  });

  it("the plan refuses a node collection that leaves kube-prometheus-stack's node rules empty, before any resource", () => {
    // Alloy's values as they were before the review: no collecting pod's labels on node metrics.
    const inventory = {
      ...defaultInventory,
      apps: defaultInventory.apps.map((app): AppRecord => {
        if (app.deploy?.kind !== "chart" || app.deploy.chart !== "alloy") return app;
        const original = app.deploy.values;
        const values = (ctx: ClusterContext, record: AppRecord) => {
          const v = original(ctx, record) as { alloy: Record<string, unknown> };
          return { ...v, alloy: { ...v.alloy, extraEnv: [] } };
        };
        return { ...app, deploy: { ...app.deploy, values } };
      }),
    };
    assert.throws(
      () => preparedPlatform("prod", undefined, inventory),
      (e: unknown) => e instanceof ConfigError && e.problems.some((p) => /^platform prod would not converge: alloy: .*pod/.test(p)),
    );
    assert.doesNotThrow(() => preparedPlatform("prod"));
  });

  it("runs ntfy with deny-all access by default and the phone reaching it through the tunnel without Cloudflare Access", () => {
    const ntfy = prepared("prod").applications.find((a) => a.app.name === "ntfy")!.values as { controllers: { app: { containers: { app: { env: Record<string, unknown> } } } } };
    assert.equal(ntfy.controllers.app.containers.app.env.NTFY_AUTH_DEFAULT_ACCESS, "deny-all");
    assert.ok(tunnelRoutes("example.com", apps).some((r) => r.app === "ntfy" && r.clients === "machines" && r.location === "prod"));
  });

  it("renders Alertmanager's configuration only inside a secret, on each cluster", async () => {
    const prod = await examplePlan("prod");
    const secret = prod.resources.find((r) => r.type === "kubernetes:core/v1:Secret" && (r.inputs.metadata as { name: string }).name === "alertmanager-homelab")!;
    assert.equal(secret.inputs.stringData, "[secret]");
    assert.ok(!JSON.stringify(prod.resources).includes("offline-placeholder"), "a config secret reached a resource in clear");
  });
});
