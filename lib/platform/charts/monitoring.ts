/**
 * Helm values of the monitoring stack (epic 2.4): kube-prometheus-stack (Prometheus 15 days,
 * Alertmanager, Grafana with Authentik where the Grafana app runs), Loki, Alloy everywhere. The
 * alert rules (a PrometheusRule) and Alertmanager's configuration (a Secret) come from
 * lib/monitoring and the records' objects and secrets.
 */
import type { AppRecord, Values } from "../../catalog/types";
import { oidcClient } from "../../identity/oidc-client";
import { serviceAddress } from "../../routes";
import { appsOn, hostnameFor, type ClusterContext } from "../cluster-context";
import { perNodeResourcesFor, resourcesFor } from "../resources";
import { enabled, valueAt, valueOr } from "../values-path";

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
    // Alloy collects the node metrics (story 2.4.4: it replaces node_exporter), so nothing is read twice.
    // The chart's node dashboards (nodes, node-rsrc-use, node-cluster-rsrc-use) render only with
    // nodeExporter.enabled or forceDeployDashboards (KPS 70.4.2 templates/grafana/dashboards-1.14).
    nodeExporter: { enabled: false, forceDeployDashboards: grafana !== undefined },
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
        resources: resourcesFor(app, 0.7),
        storageSpec: {
          volumeClaimTemplate: {
            spec: { storageClassName: ctx.defaultStorageClass, accessModes: ["ReadWriteOnce"], resources: { requests: { storage: ctx.cluster === "prod" ? "20Gi" : "5Gi" } } },
          },
        },
      },
    },
    prometheusOperator: { resources: resourcesFor(app, 0.2) },
    "kube-state-metrics": { resources: resourcesFor(app, 0.1) },
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
    grafana: grafanaValues(ctx, grafana, loki),
  };
}

/** Grafana (a part of this release where the Grafana app runs): generic OAuth from the app's client, the admin group only. */
function grafanaValues(ctx: ClusterContext, grafana: AppRecord | undefined, loki: AppRecord | undefined): Values {
  if (!grafana) return { enabled: false };
  const client = oidcClient(ctx.domain, ctx.apps, grafana);
  const secretDir = `/etc/secrets/${client.secret.name}`;
  return {
    enabled: true,
    resources: resourcesFor(grafana),
    admin: { existingSecret: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" },
    "grafana.ini": {
      // The callback is root_url + /login/generic_oauth (the app's sso.oidc.callbacks).
      server: { root_url: `https://${hostnameFor(ctx, grafana.name)}` },
      auth: { disable_login_form: true },
      "auth.generic_oauth": {
        enabled: true,
        name: "Authentik",
        client_id: client.clientId,
        client_secret: `$__file{${secretDir}/${client.secret.clientSecretKey}}`,
        scopes: "openid profile email groups",
        auth_url: client.authorizeUrl,
        token_url: client.tokenUrl,
        api_url: client.userinfoUrl,
        // Only the groups Authentik admits (the admin group) get in, as Admin; everyone else is refused.
        role_attribute_path: `${client.groups.map((g) => `contains(groups, '${g}')`).join(" || ")} && 'Admin'`,
        role_attribute_strict: true,
        allow_assign_grafana_admin: true,
      },
    },
    extraSecretMounts: [{ name: client.secret.name, secretName: client.secret.name, mountPath: secretDir, readOnly: true }],
    ...(loki ? { additionalDataSources: [{ name: "Loki", type: "loki", url: `http://${serviceAddress(loki, ctx.apps, "gateway")}`, access: "proxy" }] } : {}),
    defaultDashboardsEnabled: true,
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

/** Where Alloy sees the node's filesystems: the host's /proc, /sys and / mounted read-only. */
export const alloyHostMounts = [
  { name: "host-proc", hostPath: "/proc", mountPath: "/host/proc" },
  { name: "host-sys", hostPath: "/sys", mountPath: "/host/sys" },
  { name: "host-root", hostPath: "/", mountPath: "/host/root" },
] as const;

/**
 * Alloy (DaemonSet, story 2.4.4 "replaces Promtail + node_exporter"): the node's metrics from the
 * host's /proc, /sys and / (Alloy docs, prometheus.exporter.unix "Run on Docker/Kubernetes"),
 * labelled as node-exporter's so the chart's node rules and dashboards read them; and where Loki
 * runs, the logs of the pods on its own node only (discovery.kubernetes "Limit to only Pods on the
 * same node": every replica would otherwise tail every pod of the cluster).
 */
export function alloyConfig(ctx: ClusterContext): string {
  const loki = logStore(ctx);
  const prometheus = appsOn(ctx).find((a) => a.deploy?.kind === "chart" && a.deploy.chart === "kubePrometheusStack");
  const mount = (name: string) => alloyHostMounts.find((m) => m.name === name)!.mountPath;
  const logs = loki
    ? [
        'discovery.kubernetes "pods" {',
        '  role = "pod"',
        "  selectors {",
        '    role  = "pod"',
        '    field = "spec.nodeName=" + coalesce(sys.env("HOSTNAME"), constants.hostname)',
        "  }",
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
    'prometheus.exporter.unix "node" {',
    `  procfs_path = "${mount("host-proc")}"`,
    `  sysfs_path  = "${mount("host-sys")}"`,
    `  rootfs_path = "${mount("host-root")}"`,
    "}",
    // The chart sets HOSTNAME to spec.nodeName; node-exporter's job name keeps KPS' node rules working.
    // KPS' node.rules (node:node_num_cpu:sum, the USE dashboards) join node_cpu_seconds_total with
    // kube_pod_info `on (cluster, namespace, pod)`: the collecting pod's own namespace and name, as a
    // ServiceMonitor on node-exporter's pods would have attached (alloyPodEnv).
    'discovery.relabel "node" {',
    "  targets = prometheus.exporter.unix.node.targets",
    "  rule {",
    '    target_label = "instance"',
    '    replacement  = sys.env("HOSTNAME")',
    "  }",
    "  rule {",
    '    target_label = "job"',
    '    replacement  = "node-exporter"',
    "  }",
    "  rule {",
    '    target_label = "namespace"',
    '    replacement  = sys.env("POD_NAMESPACE")',
    "  }",
    "  rule {",
    '    target_label = "pod"',
    '    replacement  = sys.env("POD_NAME")',
    "  }",
    "}",
    'prometheus.scrape "node" {',
    "  targets    = discovery.relabel.node.output",
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

/** The pod's own name and namespace for the node metrics' `pod`/`namespace` labels (the chart sets only HOSTNAME, alloy 1.0.2 containers/_agent.yaml). */
export const alloyPodEnv = [
  { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
  { name: "POD_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
];

export function alloyValues(ctx: ClusterContext, app: AppRecord): Values {
  return {
    alloy: {
      configMap: { content: alloyConfig(ctx) },
      extraEnv: alloyPodEnv,
      resources: perNodeResourcesFor(app),
      // Logs come through the API (loki.source.kubernetes), not from /var/log.
      mounts: { varlog: false, extra: alloyHostMounts.map((m) => ({ name: m.name, mountPath: m.mountPath, readOnly: true, ...(m.hostPath === "/" ? { mountPropagation: "HostToContainer" } : {}) })) },
    },
    controller: {
      type: "daemonset",
      // As node-exporter's own chart runs: the host's processes and network interfaces.
      hostPID: true,
      hostNetwork: true,
      dnsPolicy: "ClusterFirstWithHostNet",
      volumes: { extra: alloyHostMounts.map((m) => ({ name: m.name, hostPath: { path: m.hostPath } })) },
    },
  };
}

/**
 * The node collection holds together: a DaemonSet Alloy tails only its own node's pods, its unix
 * exporter reads the host through read-only hostPath mounts (not the container's own /proc and
 * /sys), and kube-prometheus-stack's node-exporter is off so no node is scraped twice.
 */
export function nodeCollectionProblems(alloy: Values, kubePrometheusStack: Values): string[] {
  const problems: string[] = [];
  const config = String(valueAt(alloy, "alloy.configMap.content") ?? "");
  const daemonset = valueOr(alloy, "controller.type", "daemonset") === "daemonset";
  if (daemonset && /loki\.source\.kubernetes/.test(config) && /discovery\.kubernetes "[^"]+" \{\s*role = "pod"/.test(config) && !/field = "spec\.nodeName=" \+/.test(config)) {
    problems.push("alloy: every DaemonSet replica tails every pod of the cluster (discovery.kubernetes role pod without a spec.nodeName= field selector), so each log line is read once per node");
  }
  if (/prometheus\.exporter\.unix/.test(config)) {
    const mounts = (valueOr(alloy, "alloy.mounts.extra", []) as { name: string; mountPath: string; readOnly?: boolean }[]) ?? [];
    const volumes = (valueOr(alloy, "controller.volumes.extra", []) as { name: string; hostPath?: { path: string } }[]) ?? [];
    const expected: [string, string, string][] = [["procfs_path", "/proc", "/proc"], ["sysfs_path", "/sys", "/sys"], ["rootfs_path", "/", "/"]];
    for (const [argument, chartDefault, hostPath] of expected) {
      const path = new RegExp(`${argument}\\s*=\\s*"([^"]+)"`).exec(config)?.[1] ?? chartDefault;
      const mount = mounts.find((m) => m.mountPath === path);
      const volume = volumes.find((v) => v.name === mount?.name);
      if (volume?.hostPath?.path !== hostPath || mount?.readOnly !== true) {
        problems.push(`alloy: prometheus.exporter.unix reads ${argument} "${path}", which is not the host's ${hostPath} mounted read-only (alloy.mounts.extra + controller.volumes.extra), so it reports the container instead of the node`);
      }
    }
    if (enabled(kubePrometheusStack, "nodeExporter.enabled", true)) problems.push("alloy and kube-prometheus-stack's node-exporter both collect node metrics; turn nodeExporter off");
    else if (enabled(kubePrometheusStack, "grafana.enabled", true) && !enabled(kubePrometheusStack, "nodeExporter.forceDeployDashboards", false)) {
      problems.push("kube-prometheus-stack: nodeExporter is off and Grafana on, but nodeExporter.forceDeployDashboards is not set, so the chart renders none of its node dashboards");
    }
    const env = (valueOr(alloy, "alloy.extraEnv", []) as { name: string; valueFrom?: { fieldRef?: { fieldPath?: string } } }[]) ?? [];
    for (const [label, variable, field] of [["namespace", "POD_NAMESPACE", "metadata.namespace"], ["pod", "POD_NAME", "metadata.name"]] as const) {
      const relabelled = new RegExp(`target_label = "${label}"\\s+replacement\\s*=\\s*sys\\.env\\("${variable}"\\)`).test(config);
      const set = env.some((e) => e.name === variable && e.valueFrom?.fieldRef?.fieldPath === field);
      if (!relabelled || !set) {
        problems.push(`alloy: the node metrics carry no ${label} label of the collecting pod (rule target_label "${label}" from sys.env("${variable}"), alloy.extraEnv ${variable} ← ${field}), so kube-prometheus-stack's node.rules, which join on (cluster, namespace, pod) with kube_pod_info, record nothing`);
      }
    }
  }
  return problems;
}
