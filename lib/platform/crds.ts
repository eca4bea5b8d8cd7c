/**
 * Which CustomResourceDefinitions exist when: the bundles Pulumi applies before any Application,
 * the CRDs each chart installs itself, the custom kinds each chart renders with the values we pass
 * (and whether the chart guards them with a Capabilities check), and the rule that ties them: an
 * object of a custom kind may only be created once its CRD is installed — by Pulumi before the
 * first Application, by an Application of an earlier wave, or by the same release.
 *
 * Without it the first `pulumi up` deadlocks: cert-manager (wave 0) renders a ServiceMonitor while
 * the monitoring.coreos.com CRDs would arrive with kube-prometheus-stack (wave 3); ArgoCD cannot
 * apply it, the Application never turns Healthy and every later wave waits forever.
 */
import type { Values } from "../catalog/types";
import { charts, gatewayApiVersion, type ChartKey } from "../versions";
import type { PlannedApplication } from "./argocd-applications";
import type { PlatformObject } from "./objects";
import { enabled, valueOr } from "./values-path";

/** `group/version/Kind`, e.g. `monitoring.coreos.com/v1/ServiceMonitor`. */
export type GroupVersionKind = string;

/** A CRD bundle Pulumi applies before the bootstrap releases (Cilium, ArgoCD) and every Application. */
export interface CrdBundle {
  /** Resource name suffix. */
  id: string;
  /** The kinds the bundle defines (with every served version the program relies on). */
  kinds: readonly GroupVersionKind[];
  source: { kind: "manifest"; url: string } | { kind: "chart"; chart: ChartKey; namespace: string };
}

const gateway = (version: string, kind: string) => `gateway.networking.k8s.io/${version}/${kind}`;
const monitoring = (version: string, kind: string) => `monitoring.coreos.com/${version}/${kind}`;

/**
 * Installed by Pulumi, in this order, before Cilium:
 * - Gateway API standard channel (`config/crd/standard/` at the tag: GatewayClass, Gateway and
 *   HTTPRoute v1+v1beta1, GRPCRoute v1, ReferenceGrant v1beta1);
 * - the experimental TLSRoute CRD alone: Cilium 1.17's operator (`operator/pkg/gateway-api/cell.go`,
 *   `requiredGVK`) disables its Gateway controller at start unless `tlsroutes` v1alpha2 exists.
 *   The whole experimental bundle is not applied: it would replace the standard CRDs;
 * - the prometheus-operator CRDs (chart `prometheus-operator-crds`, the operator version
 *   kube-prometheus-stack runs), so that every chart may render its monitors at any wave.
 */
export function bootstrapCrdBundles(): CrdBundle[] {
  return [
    {
      id: "gateway-api-crds",
      kinds: [
        gateway("v1", "GatewayClass"),
        gateway("v1beta1", "GatewayClass"),
        gateway("v1", "Gateway"),
        gateway("v1beta1", "Gateway"),
        gateway("v1", "HTTPRoute"),
        gateway("v1beta1", "HTTPRoute"),
        gateway("v1", "GRPCRoute"),
        gateway("v1beta1", "ReferenceGrant"),
      ],
      source: { kind: "manifest", url: `https://github.com/kubernetes-sigs/gateway-api/releases/download/${gatewayApiVersion}/standard-install.yaml` },
    },
    {
      id: "gateway-api-tlsroute-crd",
      kinds: [gateway("v1alpha2", "TLSRoute")],
      source: { kind: "manifest", url: `https://raw.githubusercontent.com/kubernetes-sigs/gateway-api/${gatewayApiVersion}/config/crd/experimental/gateway.networking.k8s.io_tlsroutes.yaml` },
    },
    {
      id: "prometheus-operator-crds",
      kinds: [
        ...["ServiceMonitor", "PodMonitor", "PrometheusRule", "Probe", "Prometheus", "Alertmanager", "ThanosRuler"].map((k) => monitoring("v1", k)),
        ...["AlertmanagerConfig", "PrometheusAgent", "ScrapeConfig"].map((k) => monitoring("v1alpha1", k)),
      ],
      source: { kind: "chart", chart: "prometheusOperatorCrds", namespace: "kube-system" },
    },
  ];
}

/**
 * The API groups whose CRDs a chart installs itself (its `crds/` directory or CRD templates) with
 * the given values. Cilium's operator registers `cilium.io` at start.
 */
const chartCrdGroups: Partial<Record<ChartKey, (values: Values) => readonly string[]>> = {
  cilium: () => ["cilium.io"],
  argocd: (v) => (enabled(v, "crds.install", true) ? ["argoproj.io"] : []),
  certManager: (v) => (enabled(v, "crds.enabled", false) || enabled(v, "installCRDs", false) ? ["cert-manager.io", "acme.cert-manager.io"] : []),
  externalSecrets: (v) => (enabled(v, "installCRDs", true) ? ["external-secrets.io", "generators.external-secrets.io"] : []),
  cloudnativePg: (v) => (enabled(v, "crds.create", true) ? ["postgresql.cnpg.io"] : []),
  velero: () => ["velero.io"],
  longhorn: () => ["longhorn.io"],
  alloy: (v) => (enabled(v, "crds.create", true) ? ["monitoring.grafana.com"] : []),
  // kube-prometheus-stack 70.4.2 values.yaml `crds.enabled: true` (its `crds` subchart).
  kubePrometheusStack: (v) => (enabled(v, "crds.enabled", true) ? ["monitoring.coreos.com"] : []),
  prometheusOperatorCrds: () => ["monitoring.coreos.com"],
  // volsync 0.16.0 values.yaml `manageCRDs: true`: templates/volsync.backube_replication{sources,destinations}.yaml.
  volsync: (v) => (enabled(v, "manageCRDs", true) ? ["volsync.backube"] : []),
};

/** The API groups whose CRDs the release installs itself. */
export function crdGroupsOf(planned: Pick<PlannedApplication, "chart" | "values">): readonly string[] {
  return chartCrdGroups[planned.chart]?.(planned.values) ?? [];
}

/** Built-in API groups (no CRD needed). */
const builtInGroups = new Set(["", "v1", "apps", "batch", "storage.k8s.io", "networking.k8s.io", "rbac.authorization.k8s.io", "policy", "autoscaling"]);

/** A custom kind a chart renders with the given values. */
export interface RenderedKind {
  kind: GroupVersionKind;
  /** The template renders it only once the CRD exists (a `.Capabilities` check), so it never blocks a sync. */
  guarded: boolean;
  /** The values that make the chart render it (for the error message). */
  because: string;
}

const serviceMonitor = monitoring("v1", "ServiceMonitor");
const podMonitor = monitoring("v1", "PodMonitor");
const prometheusRule = monitoring("v1", "PrometheusRule");

/**
 * The custom kinds each chart renders (outside its own CRD groups) for the given values, read in
 * its templates at the pinned version. Defaults are the chart's own values.yaml (a test compares
 * them where the file is pinned).
 */
export const chartRenderedKinds: Partial<Record<ChartKey, (values: Values) => RenderedKind[]>> = {
  // cilium 1.17.3 templates/validate.yaml fails the render without the CRDs unless
  // `prometheus.serviceMonitor.trustCRDsExist`; the GatewayClass comes from cilium-gateway-api-class.yaml.
  cilium: (v) => {
    const kinds: RenderedKind[] = [];
    for (const path of ["prometheus.serviceMonitor.enabled", "operator.prometheus.serviceMonitor.enabled", "hubble.metrics.serviceMonitor.enabled", "hubble.relay.prometheus.serviceMonitor.enabled", "envoy.prometheus.serviceMonitor.enabled"]) {
      if (enabled(v, path, false)) kinds.push({ kind: serviceMonitor, guarded: false, because: path });
    }
    if (enabled(v, "gatewayAPI.enabled", false) && valueOr(v, "gatewayAPI.gatewayClass.create", "auto") !== "false") {
      kinds.push({ kind: gateway("v1", "GatewayClass"), guarded: valueOr(v, "gatewayAPI.gatewayClass.create", "auto") === "auto", because: "gatewayAPI.gatewayClass.create" });
    }
    return kinds;
  },
  // volsync 0.16.0 templates/servicemonitor-volsync.yaml: `if .Capabilities.APIVersions.Has "monitoring.coreos.com/v1/ServiceMonitor"`.
  volsync: () => [{ kind: serviceMonitor, guarded: true, because: "templates/servicemonitor-volsync.yaml (always rendered where the CRD exists)" }],
  // argo-cd 7.8.26: every monitor template checks `.Capabilities.APIVersions.Has "monitoring.coreos.com/v1"`.
  argocd: (v) => (enabled(v, "server.metrics.serviceMonitor.enabled", false) ? [{ kind: serviceMonitor, guarded: true, because: "server.metrics.serviceMonitor.enabled" }] : []),
  // cert-manager v1.21.1 templates/servicemonitor.yaml: no Capabilities check.
  certManager: (v) => {
    if (!enabled(v, "prometheus.enabled", true)) return [];
    const kinds: RenderedKind[] = [];
    if (enabled(v, "prometheus.servicemonitor.enabled", false)) kinds.push({ kind: serviceMonitor, guarded: false, because: "prometheus.servicemonitor.enabled" });
    if (enabled(v, "prometheus.podmonitor.enabled", false)) kinds.push({ kind: podMonitor, guarded: false, because: "prometheus.podmonitor.enabled" });
    return kinds;
  },
  // external-secrets 2.9.0 _helpers.tpl `shouldRenderServiceMonitor`: `skipIfMissing` (default)
  // renders only when the cluster has monitoring.coreos.com/v1/ServiceMonitor.
  externalSecrets: (v) =>
    enabled(v, "serviceMonitor.enabled", false)
      ? [{ kind: serviceMonitor, guarded: valueOr(v, "serviceMonitor.renderMode", "skipIfMissing") === "skipIfMissing", because: "serviceMonitor.enabled" }]
      : [],
  // external-dns 1.21.1 templates/servicemonitor.yaml: `{{- if .Values.serviceMonitor.enabled -}}`.
  externalDns: (v) => (enabled(v, "serviceMonitor.enabled", false) ? [{ kind: serviceMonitor, guarded: false, because: "serviceMonitor.enabled" }] : []),
  // velero 12.1.0: each monitor is rendered `if … (or (not autodetect) (.Capabilities.APIVersions.Has "monitoring.coreos.com/v1"))`.
  velero: (v) => {
    const kinds: RenderedKind[] = [];
    const metrics = enabled(v, "metrics.enabled", true);
    const entries: [string, string][] = [
      ["metrics.serviceMonitor", serviceMonitor],
      ["metrics.nodeAgentPodMonitor", podMonitor],
      ["metrics.prometheusRule", prometheusRule],
    ];
    for (const [path, kind] of entries) {
      if (metrics && enabled(v, `${path}.enabled`, false)) kinds.push({ kind, guarded: enabled(v, `${path}.autodetect`, true), because: `${path}.enabled` });
    }
    return kinds;
  },
  // kube-prometheus-stack 70.4.2 renders the operator's own kinds without a guard (it normally ships the CRDs).
  kubePrometheusStack: () => [
    { kind: monitoring("v1", "Prometheus"), guarded: false, because: "prometheus.enabled" },
    { kind: monitoring("v1", "Alertmanager"), guarded: false, because: "alertmanager.enabled" },
    { kind: serviceMonitor, guarded: false, because: "the chart's self-monitoring" },
    { kind: prometheusRule, guarded: false, because: "defaultRules.create" },
  ],
  // loki 6.29.0: monitors and rules check `$.Capabilities.APIVersions.Has "monitoring.coreos.com/v1/…"`.
  loki: (v) => (enabled(v, "monitoring.serviceMonitor.enabled", false) ? [{ kind: serviceMonitor, guarded: true, because: "monitoring.serviceMonitor.enabled" }] : []),
  // alloy 1.0.2 templates/servicemonitor.yaml: `if and .Values.service.enabled .Values.serviceMonitor.enabled`.
  alloy: (v) => (enabled(v, "serviceMonitor.enabled", false) ? [{ kind: serviceMonitor, guarded: false, because: "serviceMonitor.enabled" }] : []),
  // longhorn 1.8.1: `{{- if .Values.metrics.serviceMonitor.enabled -}}`.
  longhorn: (v) => (enabled(v, "metrics.serviceMonitor.enabled", false) ? [{ kind: serviceMonitor, guarded: false, because: "metrics.serviceMonitor.enabled" }] : []),
  // cloudnative-pg 0.23.2 templates/podmonitor.yaml: `{{- if .Values.monitoring.podMonitorEnabled }}`.
  cloudnativePg: (v) => (enabled(v, "monitoring.podMonitorEnabled", false) ? [{ kind: podMonitor, guarded: false, because: "monitoring.podMonitorEnabled" }] : []),
  // oauth2-proxy 7.12.9: `if and .Values.metrics.enabled .Values.metrics.serviceMonitor.enabled`.
  oauth2Proxy: (v) =>
    enabled(v, "metrics.enabled", true) && enabled(v, "metrics.serviceMonitor.enabled", false) ? [{ kind: serviceMonitor, guarded: false, because: "metrics.serviceMonitor.enabled" }] : [],
  // bjw-s common 4.1.1 classes/_serviceMonitor.tpl and _route.tpl: no guard.
  appTemplate: (v) => {
    const kinds: RenderedKind[] = [];
    for (const [id, monitor] of Object.entries((v.serviceMonitor ?? {}) as Record<string, { enabled?: boolean }>)) {
      if (monitor.enabled !== false) kinds.push({ kind: serviceMonitor, guarded: false, because: `serviceMonitor.${id}` });
    }
    for (const id of Object.keys((v.route ?? {}) as Record<string, unknown>)) kinds.push({ kind: gateway("v1", "HTTPRoute"), guarded: false, because: `route.${id}` });
    return kinds;
  },
};

/**
 * Kinds a chart needs at start (not only to render): Cilium 1.17's operator checks
 * `requiredGVK` once and disables its Gateway controller when one is missing.
 */
export function chartStartRequirements(chart: ChartKey, values: Values): GroupVersionKind[] {
  if (chart === "cilium" && enabled(values, "gatewayAPI.enabled", false)) {
    return [gateway("v1", "GatewayClass"), gateway("v1", "Gateway"), gateway("v1", "HTTPRoute"), gateway("v1", "GRPCRoute"), gateway("v1beta1", "ReferenceGrant"), gateway("v1alpha2", "TLSRoute")];
  }
  return [];
}

function groupOf(kind: GroupVersionKind): string {
  const parts = kind.split("/");
  return parts.length === 3 ? parts[0]! : "";
}

/** Where a kind's CRD comes from on this cluster. */
type Provider = { by: "pulumi"; bundle: string } | { by: "app"; app: string; wave: number } | { by: "built-in" };

function providerOf(kind: GroupVersionKind, bundles: readonly CrdBundle[], applications: readonly PlannedApplication[]): Provider | undefined {
  const group = groupOf(kind);
  if (builtInGroups.has(group)) return { by: "built-in" };
  const bundle = bundles.find((b) => b.kinds.includes(kind));
  if (bundle) return { by: "pulumi", bundle: bundle.id };
  const app = applications.find((a) => crdGroupsOf(a).includes(group));
  return app ? { by: "app", app: app.app.name, wave: app.wave } : undefined;
}

const describe = (p: Provider | undefined) => (p === undefined ? "nothing installs its CRD on this cluster" : p.by === "app" ? `its CRD comes from ${p.app} (wave ${p.wave})` : "");

/**
 * Every custom kind the cluster's Applications render and every object Pulumi creates has its CRD
 * installed first. Returns one line per problem; empty when the order holds.
 */
export function crdOrderProblems(cluster: string, applications: readonly PlannedApplication[], objects: readonly PlatformObject[], bundles: readonly CrdBundle[] = bootstrapCrdBundles()): string[] {
  const problems: string[] = [];
  for (const planned of applications) {
    const own = crdGroupsOf(planned);
    for (const rendered of chartRenderedKinds[planned.chart]?.(planned.values) ?? []) {
      if (rendered.guarded || own.includes(groupOf(rendered.kind))) continue;
      const provider = providerOf(rendered.kind, bundles, applications);
      if (provider?.by === "pulumi" || provider?.by === "built-in") continue;
      if (provider?.by === "app" && provider.wave < planned.wave) continue;
      problems.push(`${cluster}/${planned.app.name}: chart ${charts[planned.chart].chart} renders ${rendered.kind} at wave ${planned.wave} (${rendered.because}), but ${describe(provider)}; install the CRD earlier (lib/platform/crds.ts) or turn the monitor off`);
    }
    for (const required of chartStartRequirements(planned.chart, planned.values)) {
      if (!bundles.some((b) => b.kinds.includes(required))) {
        problems.push(`${cluster}/${planned.app.name}: chart ${charts[planned.chart].chart} needs ${required} when it starts, and no CRD bundle Pulumi applies before it defines it`);
      }
    }
  }
  for (const object of objects) {
    const kind = `${object.object.apiVersion}/${object.object.kind}`;
    const provider = providerOf(kind, bundles, applications);
    if (provider?.by === "pulumi" || provider?.by === "built-in") continue;
    if (provider?.by === "app" && object.after.includes(provider.app)) continue;
    problems.push(`${object.id}: ${kind} is created after ${object.after.join(", ") || "nothing"}, but ${describe(provider) || "its CRD is not installed first"}; add that Application to the object's after list`);
  }
  return problems;
}
