/**
 * Helm values of the monitoring stack (epic 2.4): kube-prometheus-stack (Prometheus 15 days,
 * Alertmanager, Grafana with Authentik on PROD), Loki on PROD, Alloy everywhere. The alert rules
 * (a PrometheusRule) and Alertmanager's configuration (a Secret) come from lib/monitoring.
 */
import { groups, requiredHostname } from "../catalog";
import type { ClusterContext } from "./context";
import { k8sResources, resourcesOf, type Values } from "./values";

/** Where logs go: Loki runs on PROD only; the other clusters keep their logs on the nodes. */
export const lokiPushUrl = "http://loki-gateway.monitoring.svc/loki/api/v1/push";

/** The Secret that holds Alertmanager's whole configuration (lib/monitoring/alertmanager.ts). */
export const alertmanagerConfigSecret = "alertmanager-homelab";

export function kubePrometheusStackValues(ctx: ClusterContext): Values {
  const prom = resourcesOf("prometheus");
  const grafanaOn = ctx.cluster === "prod";
  const grafanaHost = requiredHostname("grafana", ctx.domain);
  return {
    crds: { enabled: true },
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
        resources: k8sResources(prom, 0.8),
        storageSpec: {
          volumeClaimTemplate: {
            spec: { storageClassName: ctx.defaultStorageClass, accessModes: ["ReadWriteOnce"], resources: { requests: { storage: ctx.cluster === "prod" ? "20Gi" : "5Gi" } } },
          },
        },
      },
    },
    prometheusOperator: { resources: k8sResources(prom, 0.2) },
    alertmanager: {
      alertmanagerSpec: {
        // The configuration carries receiver tokens: it lives in a Secret written from Pulumi secrets.
        useExistingSecret: true,
        configSecret: alertmanagerConfigSecret,
        resources: k8sResources(resourcesOf("alertmanager")),
        storage: { volumeClaimTemplate: { spec: { storageClassName: ctx.defaultStorageClass, accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } } },
      },
    },
    grafana: grafanaOn
      ? {
          enabled: true,
          resources: k8sResources(resourcesOf("grafana")),
          "grafana.ini": {
            server: { root_url: `https://${grafanaHost}` },
            auth: { disable_login_form: true },
            "auth.generic_oauth": {
              enabled: true,
              name: "Authentik",
              client_id: "grafana",
              client_secret: "$__file{/etc/secrets/grafana-oidc/clientSecret}",
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
          extraSecretMounts: [{ name: "grafana-oidc", secretName: "grafana-oidc", mountPath: "/etc/secrets/grafana-oidc", readOnly: true }],
          additionalDataSources: [{ name: "Loki", type: "loki", url: "http://loki-gateway.monitoring.svc", access: "proxy" }],
          defaultDashboardsEnabled: true,
        }
      : { enabled: false },
  };
}

export function lokiValues(ctx: ClusterContext): Values {
  const r = resourcesOf("loki");
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
    singleBinary: { replicas: 1, resources: k8sResources(r), persistence: { storageClass: ctx.defaultStorageClass, size: "10Gi" } },
    read: { replicas: 0 },
    write: { replicas: 0 },
    backend: { replicas: 0 },
    chunksCache: { enabled: false },
    resultsCache: { enabled: false },
    lokiCanary: { enabled: false },
    test: { enabled: false },
  };
}

/** Alloy (DaemonSet): node metrics everywhere; pod logs to Loki on PROD. */
export function alloyConfig(ctx: ClusterContext): string {
  const logs =
    ctx.cluster === "prod"
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
          `    url = "${lokiPushUrl}"`,
          "  }",
          `  external_labels = { cluster = "${ctx.cluster}" }`,
          "}",
        ]
      : [];
  return [
    'prometheus.exporter.unix "node" { }',
    'prometheus.scrape "node" {',
    "  targets    = prometheus.exporter.unix.node.targets",
    "  forward_to = [prometheus.remote_write.local.receiver]",
    "}",
    'prometheus.remote_write "local" {',
    "  endpoint {",
    '    url = "http://kube-prometheus-stack-prometheus.monitoring.svc:9090/api/v1/write"',
    "  }",
    "}",
    ...logs,
    "",
  ].join("\n");
}

export function alloyValues(ctx: ClusterContext): Values {
  return {
    alloy: { configMap: { content: alloyConfig(ctx) }, resources: k8sResources(resourcesOf("alloy"), 1 / Math.max(1, ctx.nodes.length)), mounts: { varlog: true } },
    controller: { type: "daemonset" },
  };
}
