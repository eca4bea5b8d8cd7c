/** Monitoring and alerting (epic 2.4): metrics, alert routing, dashboards, logs, push notifications. */
import { labels } from "../../markers";
import { hostnameFor } from "../../platform/cluster-context";
import { ruleGroups } from "../../monitoring/rules";
import { alertmanagerConfigSecret, alloyValues, kubePrometheusStackValues, lokiValues } from "../../platform/charts/monitoring";
import { clusterNames, defineApp, groups } from "../types";

const admin = [groups.admin] as const;
const allClusters = clusterNames;

export const monitoringApps = [
  defineApp({
    name: "prometheus",
    title: "Prometheus",
    description: "Metrics",
    tier: "admin",
    groups: admin,
    // Prometheus, the operator and kube-state-metrics (node metrics come from Alloy).
    placement: { kind: "cluster", clusters: allClusters, namespace: "monitoring", syncWave: 3, resources: { cpuM: 150, memoryMi: 768 } },
    deploy: { kind: "chart", chart: "kubePrometheusStack", release: "kube-prometheus-stack", values: kubePrometheusStackValues },
    // The alert rules of every category (lib/monitoring/rules.ts), once the operator runs.
    objects: (ctx) => [
      { id: "alert-rules", object: { apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule", metadata: { name: "homelab", namespace: "monitoring", labels: { [labels.cluster]: ctx.cluster } }, spec: { groups: ruleGroups() } } },
    ],
    exposure: { kind: "tunnel", subdomain: "prometheus", service: "prometheus", port: 9090 },
    // Prometheus has no sign-in: Access, then the outpost (admin group).
    auth: "outpost",
    firstBoot: { mode: "closed", reason: "no accounts or installer; Cloudflare Access and the outpost admit only the admin" },
    backup: "none",
    stories: ["2.4.1"],
  }),
  defineApp({
    name: "alertmanager",
    title: "Alertmanager",
    description: "Alert routing",
    tier: "admin",
    groups: admin,
    placement: { kind: "cluster", clusters: allClusters, namespace: "monitoring", syncWave: 3, resources: { cpuM: 10, memoryMi: 64 } },
    deploy: { kind: "part-of", app: "prometheus", component: "alertmanager" },
    // The configuration carries the receivers' tokens: a Secret from Pulumi secrets, never Git.
    pulumiSecrets: [{ name: alertmanagerConfigSecret, keys: { "alertmanager.yaml": { from: "alertmanagerConfig" } } }],
    exposure: { kind: "tunnel", subdomain: "alertmanager", port: 9093 },
    auth: "outpost",
    firstBoot: { mode: "closed", reason: "no accounts or installer; Cloudflare Access and the outpost admit only the admin" },
    backup: "none",
    stories: ["2.4.5"],
  }),
  defineApp({
    name: "grafana",
    title: "Grafana",
    description: "Dashboards for metrics and logs",
    tier: "admin",
    groups: admin,
    placement: { kind: "cluster", clusters: ["prod"], namespace: "monitoring", syncWave: 3, resources: { cpuM: 50, memoryMi: 192 } },
    deploy: { kind: "part-of", app: "prometheus", component: "grafana" },
    exposure: { kind: "tunnel", subdomain: "grafana", port: 80 },
    auth: "oidc",
    sso: {
      // Grafana docs (generic OAuth): the callback is the root URL with /login/generic_oauth.
      oidc: { callbacks: ["/login/generic_oauth"], appChecksGroups: true },
      // Grafana reads only the secret, from a mounted file (its client id is in grafana.ini).
      secret: { clientIdKey: false },
    },
    // The chart's admin from Bitwarden (not a password the chart re-rolls on every ArgoCD render);
    // the login form is off, so it is only the API's break-glass account.
    bitwardenSecrets: [{ name: "grafana-admin", keys: { "admin-user": "homelab-admin-username", "admin-password": "homelab-grafana-admin-password" } }],
    firstBoot: { mode: "admin-from-secret", secret: "grafana-admin" },
    backup: "standard",
    stories: ["2.4.2"],
  }),
  defineApp({
    name: "loki",
    title: "Loki",
    description: "Logs",
    tier: "admin",
    groups: admin,
    placement: { kind: "cluster", clusters: ["prod"], namespace: "monitoring", syncWave: 3, resources: { cpuM: 100, memoryMi: 384 } },
    deploy: { kind: "chart", chart: "loki", values: lokiValues },
    exposure: { kind: "internal" },
    auth: "none",
    backup: "none",
    stories: ["2.4.3"],
  }),
  defineApp({
    name: "alloy",
    title: "Alloy",
    description: "Log and metric collection",
    tier: "admin",
    groups: admin,
    // A DaemonSet only (no toleration: it runs where workloads run). Every cluster's node metrics
    // come from it (kube-prometheus-stack's node exporter is off).
    placement: { kind: "cluster", clusters: allClusters, namespace: "monitoring", syncWave: 3, resources: { cpuM: 0, memoryMi: 0 }, perNode: { cpuM: 50, memoryMi: 128, on: "schedulable" } },
    deploy: { kind: "chart", chart: "alloy", values: alloyValues },
    privileged: true,
    exposure: { kind: "internal" },
    auth: "none",
    backup: "none",
    stories: ["2.4.4"],
  }),
  defineApp({
    name: "ntfy",
    title: "ntfy",
    description: "Push notifications for alerts",
    tier: "admin",
    groups: admin,
    placement: { kind: "cluster", clusters: ["prod"], namespace: "ntfy", syncWave: 3, resources: { cpuM: 10, memoryMi: 48 } },
    deploy: {
      kind: "template",
      spec: (ctx) => ({
        image: "ntfy",
        containerPort: 80,
        args: ["serve"],
        env: {
          NTFY_BASE_URL: `https://${hostnameFor(ctx, "ntfy")}`,
          NTFY_BEHIND_PROXY: "true",
          NTFY_AUTH_FILE: "/var/lib/ntfy/user.db",
          NTFY_AUTH_DEFAULT_ACCESS: "deny-all",
          NTFY_CACHE_FILE: "/var/lib/ntfy/cache.db",
          NTFY_ENABLE_METRICS: "true",
          NTFY_METRICS_LISTEN_HTTP: ":9090",
        },
        data: { path: "/var/lib/ntfy", size: "1Gi" },
        metricsPort: 9090,
      }),
    },
    exposure: { kind: "tunnel", subdomain: "ntfy", port: 80, clients: "machines" },
    role: "notifications",
    // The phone app cannot follow an SSO redirect: ntfy's own token-based access control.
    auth: "app-native",
    firstBoot: { mode: "closed", reason: "NTFY_AUTH_DEFAULT_ACCESS deny-all with no user: nobody reads or publishes until the admin adds users and tokens with the ntfy CLI" },
    backup: "standard",
    backupSize: { volumesGi: 0.2 },
    stories: ["2.4.6"],
  }),
] as const;
