/**
 * The app catalog as ArgoCD Applications, per cluster, in sync-wave order (story 1.4.4):
 * 0 CNI, certificates, secrets (and ArgoCD itself); 1 storage; 2 DNS, gateway, databases;
 * 3 monitoring; 4 user apps. Waves are enforced by Pulumi: an Application of wave N depends on
 * every Application of the previous wave on that cluster and is only created once they report
 * Synced and Healthy (`pulumi.com/waitFor` on the Application status).
 */
import { appsOnCluster, type AppEntry, type ClusterName, type Resources, type SyncWave } from "../catalog";
import { charts } from "../versions";
import { appTemplateValues, templateApps } from "./apps";
import type { ClusterContext } from "./context";
import { alloyValues, kubePrometheusStackValues, lokiValues } from "./monitoring";
import {
  argocdValues,
  certManagerValues,
  ciliumValues,
  cloudnativePgValues,
  externalDnsValues,
  externalSecretsValues,
  localPathValues,
  longhornValues,
  nfsCsiValues,
  oauth2ProxyValues,
  platformCharts,
  twingateValues,
  veleroValues,
  type Values,
} from "./values";
import { tunnelRoutes } from "../routes";

/** Catalog entries that are part of another app's release, not an Application of their own. */
export const partOf: Record<string, string> = { hubble: "cilium", alertmanager: "prometheus", grafana: "prometheus" };

export type ChartKey = keyof typeof charts;

export interface PlannedApplication {
  /** Catalog entry (and Application name). */
  app: AppEntry;
  wave: SyncWave;
  namespace: string;
  chart: ChartKey;
  values: Values;
  /** The catalog entries deployed by this release (itself and its parts). */
  includes: string[];
  /** What the release reserves on the cluster (the included entries together). */
  resources: Resources;
  /** Databases (CloudNativePG clusters) it needs before it starts. */
  database?: "postgres" | "vectors";
}

/** The waitFor annotation value: both conditions must hold (pulumi-kubernetes ≥ 4.18). */
export const applicationReady = JSON.stringify(["jsonpath={.status.sync.status}=Synced", "jsonpath={.status.health.status}=Healthy"]);

function chartAndValues(app: AppEntry, ctx: ClusterContext): { chart: ChartKey; values: Values; database?: "postgres" | "vectors" } {
  const argocdHost = tunnelRoutes(ctx.domain).find((r) => r.app === "argocd" && r.location === ctx.cluster)?.hostname;
  const platform: Record<string, () => Values> = {
    cilium: () => ciliumValues(ctx),
    argocd: () => argocdValues(ctx, argocdHost),
    "cert-manager": () => certManagerValues(),
    "external-secrets": () => externalSecretsValues(),
    "external-dns": () => externalDnsValues(ctx),
    velero: () => veleroValues(ctx),
    longhorn: () => longhornValues(ctx),
    "local-path": () => localPathValues(),
    "nfs-csi": () => nfsCsiValues(),
    "twingate-connector": () => twingateValues(ctx),
    "cloudnative-pg": () => cloudnativePgValues(),
    "oauth2-proxy": () => oauth2ProxyValues(ctx),
  };
  const builder = platform[app.name];
  if (builder) {
    const chart = (Object.keys(charts) as ChartKey[]).find((k) => charts[k] === platformCharts[app.name])!;
    return { chart, values: builder() };
  }
  if (app.name === "prometheus") return { chart: "kubePrometheusStack", values: kubePrometheusStackValues(ctx) };
  if (app.name === "loki") return { chart: "loki", values: lokiValues(ctx) };
  if (app.name === "alloy") return { chart: "alloy", values: alloyValues(ctx) };
  const spec = templateApps(ctx)[app.name];
  if (spec) return { chart: "appTemplate", values: appTemplateValues(app, spec, ctx), ...(spec.database ? { database: spec.database } : {}) };
  throw new Error(`catalog app "${app.name}" runs on ${ctx.cluster} but has no deployment (lib/platform/applications.ts)`);
}

function sumResources(list: readonly Resources[]): Resources {
  return { cpuM: list.reduce((s, r) => s + r.cpuM, 0), memoryMi: list.reduce((s, r) => s + r.memoryMi, 0) };
}

export function clusterApplications(ctx: ClusterContext): PlannedApplication[] {
  const apps = appsOnCluster(ctx.cluster);
  return apps
    .filter((app) => !(app.name in partOf))
    .map((app) => {
      if (app.placement.kind !== "cluster") throw new Error("unreachable");
      const parts = apps.filter((other) => partOf[other.name] === app.name);
      const includes = [app, ...parts];
      return {
        app,
        wave: app.placement.syncWave,
        namespace: app.placement.namespace,
        ...chartAndValues(app, ctx),
        includes: includes.map((a) => a.name),
        resources: sumResources(includes.map((a) => (a.placement.kind === "cluster" ? a.placement.resources : { cpuM: 0, memoryMi: 0 }))),
      };
    });
}

/** For each wave, the wave it waits for on this cluster (the highest populated lower wave). */
export function previousWave(applications: readonly PlannedApplication[], wave: SyncWave): SyncWave | undefined {
  const lower = [...new Set(applications.map((a) => a.wave))].filter((w) => w < wave).sort((a, b) => b - a);
  return lower[0];
}

export interface ArgoApplication {
  apiVersion: "argoproj.io/v1alpha1";
  kind: "Application";
  metadata: { name: string; namespace: string; labels: Record<string, string>; annotations: Record<string, string>; finalizers: string[] };
  spec: {
    project: string;
    source: { repoURL: string; chart: string; targetRevision: string; helm: { releaseName: string; valuesObject: Values } };
    destination: { server: string; namespace: string };
    syncPolicy: { automated: { prune: boolean; selfHeal: boolean }; syncOptions: string[]; retry: { limit: number; backoff: { duration: string; factor: number; maxDuration: string } } };
  };
}

export function applicationManifest(planned: PlannedApplication, cluster: ClusterName): ArgoApplication {
  const chart = charts[planned.chart];
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Application",
    metadata: {
      name: planned.app.name,
      namespace: "argocd",
      labels: { "homelab.dev/cluster": cluster, "homelab.dev/wave": String(planned.wave), "homelab.dev/app": planned.app.name },
      annotations: {
        // ArgoCD's own ordering, for an app-of-apps view; Pulumi enforces the order below.
        "argocd.argoproj.io/sync-wave": String(planned.wave),
        "pulumi.com/waitFor": applicationReady,
        "homelab.dev/requests-cpu-m": String(planned.resources.cpuM),
        "homelab.dev/requests-memory-mi": String(planned.resources.memoryMi),
      },
      finalizers: ["resources-finalizer.argocd.argoproj.io"],
    },
    spec: {
      project: "default",
      source: { repoURL: chart.repo, chart: chart.chart, targetRevision: chart.version, helm: { releaseName: planned.app.name === "prometheus" ? "kube-prometheus-stack" : planned.app.name, valuesObject: planned.values } },
      destination: { server: "https://kubernetes.default.svc", namespace: planned.namespace },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: ["CreateNamespace=true", "ServerSideApply=true"],
        retry: { limit: 10, backoff: { duration: "30s", factor: 2, maxDuration: "10m" } },
      },
    },
  };
}
