/**
 * The catalog as ArgoCD Applications, per cluster, in sync-wave order (story 1.4.4):
 * 0 CNI, certificates, secrets (and ArgoCD itself); 1 storage; 2 DNS, gateway, databases;
 * 3 monitoring; 4 user apps. Waves are enforced by Pulumi: an Application of wave N depends on
 * every Application of the previous wave on that cluster and is only created once they report
 * Synced and Healthy (`pulumi.com/waitFor` on the Application status).
 */
import type { AppRecord, ClusterName, PerNodeResources, Resources, SyncWave, Values } from "../catalog/types";
import { annotations, labels } from "../markers";
import { charts, type ChartKey } from "../versions";
import { appTemplateValues } from "./app-template";
import { templateRequests } from "./requests";
import { appsOn, type ClusterContext } from "./cluster-context";

export interface PlannedApplication {
  /** Catalog record (and Application name). */
  app: AppRecord;
  wave: SyncWave;
  namespace: string;
  chart: ChartKey;
  /** Helm release name (names the chart's Services). */
  release: string;
  values: Values;
  /** The catalog entries deployed by this release (itself and its parts). */
  includes: string[];
  /**
   * What the release's pods reserve on the cluster, its DaemonSets excepted: for an app-template
   * release the rendered containers (sidecars and the setup container included, an init
   * container when it asks more), for a chart the included entries' reservations together.
   */
  resources: Resources;
  /** What each of its DaemonSet pods reserves (the included entries' together). */
  perNode?: PerNodeResources;
  /** Installed by Pulumi first (then handed to ArgoCD), in this order. */
  bootstrap?: number;
  /** Databases (CloudNativePG clusters) it needs before it starts. */
  database?: "postgres" | "vectors";
  /**
   * Whether Pulumi waits for it to be Healthy, and so whether later waves wait for it. False for
   * an app whose health rests on a path outside the cluster (the home NFS through Twingate): a
   * home that is down must not hold up, or fail, a deployment of CLOUD.
   */
  awaitHealth: boolean;
}

/** The waitFor annotation value: both conditions must hold (pulumi-kubernetes ≥ 4.18). */
export const applicationReady = JSON.stringify(["jsonpath={.status.sync.status}=Synced", "jsonpath={.status.health.status}=Healthy"]);
/** For an Application whose health Pulumi does not wait for: its manifests applied. */
export const applicationSynced = JSON.stringify(["jsonpath={.status.sync.status}=Synced"]);

/** CLOUD mounts the home media through Twingate, a path that may be down. */
function mountsHomeMedia(ctx: ClusterContext, values: Values): boolean {
  const persistence = (values.persistence ?? {}) as Record<string, { type?: string }>;
  return ctx.cluster === "cloud" && Object.values(persistence).some((p) => p.type === "nfs");
}

function deployment(
  app: AppRecord,
  ctx: ClusterContext,
): Pick<PlannedApplication, "chart" | "release" | "values" | "bootstrap" | "database" | "awaitHealth"> & { rendered?: Resources; renderedPerNode?: PerNodeResources } {
  const declared = app.placement.kind === "cluster" && app.placement.awaitHealth === false ? false : true;
  const deploy = app.deploy;
  if (!deploy) throw new Error(`catalog app "${app.name}" runs on ${ctx.cluster} but has no deployment: fill its deploy field in lib/catalog/apps/ (a chart with its values, or an app-template spec)`);
  if (deploy.kind === "chart") {
    const values = deploy.values(ctx, app);
    return {
      chart: deploy.chart,
      release: deploy.release ?? app.name,
      values: deploy.fullnameOverride ? { fullnameOverride: deploy.fullnameOverride, ...values } : values,
      ...(deploy.bootstrap !== undefined ? { bootstrap: deploy.bootstrap } : {}),
      awaitHealth: declared,
    };
  }
  if (deploy.kind === "template") {
    const spec = deploy.spec(ctx, app);
    const values = appTemplateValues(app, spec, ctx);
    // A node agent is a DaemonSet that tolerates every taint: its rendered pod is one per node.
    const rendered = templateRequests(values);
    const counted = spec.nodeAgent ? { rendered: { cpuM: 0, memoryMi: 0 }, renderedPerNode: { ...rendered, on: "all" as const } } : { rendered };
    return { chart: "appTemplate", release: app.name, values, ...counted, ...(spec.database ? { database: spec.database } : {}), awaitHealth: declared && !mountsHomeMedia(ctx, values) };
  }
  throw new Error(`catalog app "${app.name}" is part of "${deploy.app}", which is not deployed on ${ctx.cluster}`);
}

function sumResources(list: readonly Resources[]): Resources {
  return { cpuM: list.reduce((s, r) => s + r.cpuM, 0), memoryMi: list.reduce((s, r) => s + r.memoryMi, 0) };
}

function sumPerNode(list: readonly (PerNodeResources | undefined)[]): PerNodeResources | undefined {
  const present = list.filter((r): r is PerNodeResources => r !== undefined);
  if (present.length === 0) return undefined;
  return { ...sumResources(present), on: present.some((r) => r.on === "all") ? "all" : "schedulable" };
}

export function clusterApplications(ctx: ClusterContext): PlannedApplication[] {
  const apps = appsOn(ctx);
  const running = new Set(apps.map((a) => a.name));
  return apps
    .filter((app) => app.deploy?.kind !== "part-of" || !running.has(app.deploy.app))
    .map((app) => {
      if (app.placement.kind !== "cluster") throw new Error("unreachable");
      const parts = apps.filter((other) => other.deploy?.kind === "part-of" && other.deploy.app === app.name);
      const includes = [app, ...parts];
      const { rendered, renderedPerNode, ...planned } = deployment(app, ctx);
      const perNode = sumPerNode([...includes.map((a) => (a.placement.kind === "cluster" ? a.placement.perNode : undefined)), renderedPerNode]);
      return {
        app,
        wave: app.placement.syncWave,
        namespace: app.placement.namespace,
        ...planned,
        includes: includes.map((a) => a.name),
        resources: rendered ?? sumResources(includes.map((a) => (a.placement.kind === "cluster" ? a.placement.resources : { cpuM: 0, memoryMi: 0 }))),
        ...(perNode ? { perNode } : {}),
      };
    });
}

/** The order in which the Platform creates the Applications: by wave, then by name. */
export function creationOrder(applications: readonly PlannedApplication[]): PlannedApplication[] {
  return [...applications].sort((a, b) => a.wave - b.wave || a.app.name.localeCompare(b.app.name));
}

/**
 * For each wave, the wave it waits for on this cluster: the highest lower wave with an
 * Application Pulumi waits to be healthy (Applications that do not await health are never waited for).
 */
export function previousWave(applications: readonly PlannedApplication[], wave: SyncWave): SyncWave | undefined {
  const lower = [...new Set(applications.filter((a) => a.awaitHealth).map((a) => a.wave))].filter((w) => w < wave).sort((a, b) => b - a);
  return lower[0];
}

/** The Applications an Application of `wave` waits for: the awaited ones of the previous wave. */
export function awaitedBefore(applications: readonly PlannedApplication[], wave: SyncWave): PlannedApplication[] {
  const previous = previousWave(applications, wave);
  return previous === undefined ? [] : applications.filter((a) => a.wave === previous && a.awaitHealth);
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
      labels: { [labels.cluster]: cluster, [labels.wave]: String(planned.wave), [labels.app]: planned.app.name, [labels.awaits]: planned.awaitHealth ? "healthy" : "synced" },
      annotations: {
        // ArgoCD's own ordering, for an app-of-apps view; Pulumi enforces the order below.
        [annotations.argoSyncWave]: String(planned.wave),
        [annotations.waitFor]: planned.awaitHealth ? applicationReady : applicationSynced,
        [annotations.requestsCpuM]: String(planned.resources.cpuM),
        [annotations.requestsMemoryMi]: String(planned.resources.memoryMi),
        ...(planned.perNode
          ? {
              [annotations.requestsPerNodeCpuM]: String(planned.perNode.cpuM),
              [annotations.requestsPerNodeMemoryMi]: String(planned.perNode.memoryMi),
              [annotations.perNodeOn]: planned.perNode.on,
            }
          : {}),
      },
      finalizers: ["resources-finalizer.argocd.argoproj.io"],
    },
    spec: {
      project: "default",
      source: { repoURL: chart.repo, chart: chart.chart, targetRevision: chart.version, helm: { releaseName: planned.release, valuesObject: planned.values } },
      destination: { server: "https://kubernetes.default.svc", namespace: planned.namespace },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: ["CreateNamespace=true", "ServerSideApply=true"],
        retry: { limit: 10, backoff: { duration: "30s", factor: 2, maxDuration: "10m" } },
      },
    },
  };
}
