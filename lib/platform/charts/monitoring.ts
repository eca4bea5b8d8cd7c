/**
 * Helm values of the monitoring stack (epic 2.4): kube-prometheus-stack (Prometheus 15 days,
 * Alertmanager, Grafana with Authentik where the Grafana app runs), Loki, Alloy everywhere. The
 * alert rules (a PrometheusRule) and Alertmanager's configuration (a Secret) come from
 * lib/monitoring and the records' objects and secrets.
 */
import { groups, type AppRecord, type Values } from "../../catalog/types";
import { serviceAddress } from "../../routes";
import { appsOn, hostnameFor, type ClusterContext } from "../cluster-context";
import { resourcesFor } from "../resources";

/** The Secret that holds Alertmanager's whole configuration (lib/monitoring/alertmanager.ts). */
export const alertmanagerConfigSecret = "alertmanager-homelab";

/** The part of this release that is the chart's `component` (alertmanager, grafana), when it runs on the cluster. */
function partOn(ctx: ClusterContext, parent: AppRecord, component: string): AppRecord | undefined {
  return appsOn(ctx).find((a) => a.deploy?.kind === "part-of" && a.deploy.app === parent.name && a.deploy.component === component);
}

/** The app that receives logs on this cluster (Loki), if any. */
function logStore(ctx: ClusterContext): AppRecord | undefined {
  return appsOn(ctx).find((a) => a.deploy?.kind === "chart" && a.deploy.chart === "loki");
}

export function kubePrometheusStackValues(ctx: ClusterContext, app: AppRecord): Values {
  const alertmanager = partOn(ctx, app, "alertmanager");
  const grafana = partOn(ctx, app, "grafana");
  const loki = logStore(ctx);
  return {
    // The operator's CRDs are installed by Pulumi before any Application (lib/platform/crds.ts), so
    // the charts of waves 0–2 can render their monitors; one owner, no ArgoCD SharedResourceWarning.
    crds: { enabled: false },
    // Talos runs these control-plane parts without exposed metrics on the host network.
    kubeControllerManager: { enabled: false },
    kubeScheduler: { enabled: false },
    kubeProxy: { enabled: false },
    kubeEtcd: { enabled: false },
    prometheus: {
      prometheusSpec: {
        retention: "15d",
        retentionSize: ctx.cluster === "prod" ? "18GB" : "4GB",
        // Every ServiceMonitor, PodMonitor and PrometheusRule of the cluster, not only the chart's.
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        ruleSelectorNilUsesHelmValues: false,
        externalLabels: { cluster: ctx.cluster },
        // Alloy pushes node metrics here.
        enableRemoteWriteReceiver: true,
        resources: resourcesFor(app, 0.8),
        storageSpec: {
          volumeClaimTemplate: {
            spec: { storageClassName: ctx.defaultStorageClass, accessModes: ["ReadWriteOnce"], resources: { requests: { storage: ctx.cluster === "prod" ? "20Gi" : "5Gi" } } },
          },
        },
      },
    },
    prometheusOperator: { resources: resourcesFor(app, 0.2) },
    alertmanager: alertmanager
      ? {
          alertmanagerSpec: {
            // The configuration carries receiver tokens: it lives in a Secret written from Pulumi secrets.
            useExistingSecret: true,
            configSecret: alertmanagerConfigSecret,
            resources: resourcesFor(alertmanager),
            storage: { volumeClaimTemplate: { spec: { storageClassName: ctx.defaultStorageClass, accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } } },
          },
        }
      : { enabled: false },
    grafana: grafana
      ? {
          enabled: true,
          resources: resourcesFor(grafana),
          "grafana.ini": {
            server: { root_url: `https://${hostnameFor(ctx, grafana.name)}` },
            auth: { disable_login_form: true },
            "auth.generic_oauth": {
              enabled: true,
              name: "Authentik",
              client_id: grafana.name,
              client_secret: `$__file{/etc/secrets/${grafana.name}-oidc/clientSecret}`,
              scopes: "openid profile email groups",
              auth_url: `${ctx.authentikUrl}/application/o/authorize/`,
              token_url: `${ctx.authentikUrl}/application/o/token/`,
              api_url: `${ctx.authentikUrl}/application/o/userinfo/`,
              // Only the admin group gets in, as Admin; everyone else is refused.
              role_attribute_path: `contains(groups, '${groups.admin}') && 'Admin'`,
              role_attribute_strict: true,
              allow_assign_grafana_admin: true,
            },
          },
          extraSecretMounts: [{ name: `${grafana.name}-oidc`, secretName: `${grafana.name}-oidc`, mountPath: `/etc/secrets/${grafana.name}-oidc`, readOnly: true }],
          ...(loki ? { additionalDataSources: [{ name: "Loki", type: "loki", url: `http://${serviceAddress(loki, ctx.apps, "gateway")}`, access: "proxy" }] } : {}),
          defaultDashboardsEnabled: true,
        }
      : { enabled: false },
  };
}

export function lokiValues(ctx: ClusterContext, app: AppRecord): Values {
  return {
    deploymentMode: "SingleBinary",
    loki: {
      auth_enabled: false,
      commonConfig: { replication_factor: 1 },
      storage: { type: "filesystem" },
      schemaConfig: { configs: [{ from: "2025-01-01", store: "tsdb", object_store: "filesystem", schema: "v13", index: { prefix: "index_", period: "24h" } }] },
      limits_config: { retention_period: "360h" },
      compactor: { retention_enabled: true, delete_request_store: "filesystem" },
    },
    singleBinary: { replicas: 1, resources: resourcesFor(app), persistence: { storageClass: ctx.defaultStorageClass, size: "10Gi" } },
    read: { replicas: 0 },
    write: { replicas: 0 },
    backend: { replicas: 0 },
    chunksCache: { enabled: false },
    resultsCache: { enabled: false },
    lokiCanary: { enabled: false },
    test: { enabled: false },
  };
}

/** Alloy (DaemonSet): node metrics everywhere; pod logs to Loki where Loki runs. */
export function alloyConfig(ctx: ClusterContext): string {
  const loki = logStore(ctx);
  const prometheus = appsOn(ctx).find((a) => a.deploy?.kind === "chart" && a.deploy.chart === "kubePrometheusStack");
  const logs = loki
    ? [
        'discovery.kubernetes "pods" {',
        '  role = "pod"',
        "}",
        'loki.source.kubernetes "pods" {',
        "  targets    = discovery.kubernetes.pods.targets",
        "  forward_to = [loki.write.homelab.receiver]",
        "}",
        'loki.write "homelab" {',
        "  endpoint {",
        `    url = "http://${serviceAddress(loki, ctx.apps, "gateway")}/loki/api/v1/push"`,
        "  }",
        `  external_labels = { cluster = "${ctx.cluster}" }`,
        "}",
      ]
    : [];
  if (!prometheus) throw new Error(`cluster ${ctx.cluster}: Alloy pushes metrics to kube-prometheus-stack, which does not run here`);
  return [
    'prometheus.exporter.unix "node" { }',
    'prometheus.scrape "node" {',
    "  targets    = prometheus.exporter.unix.node.targets",
    "  forward_to = [prometheus.remote_write.local.receiver]",
    "}",
    'prometheus.remote_write "local" {',
    "  endpoint {",
    `    url = "http://${serviceAddress(prometheus, ctx.apps, "prometheus")}:9090/api/v1/write"`,
    "  }",
    "}",
    ...logs,
    "",
  ].join("\n");
}

export function alloyValues(ctx: ClusterContext, app: AppRecord): Values {
  return {
    alloy: { configMap: { content: alloyConfig(ctx) }, resources: resourcesFor(app, 1 / Math.max(1, ctx.nodes.length)), mounts: { varlog: true } },
    controller: { type: "daemonset" },
  };
}
