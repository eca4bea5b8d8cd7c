/**
 * Issue 15: an app's data survives a restart (every path it writes, as its upstream documents
 * it, is on a volume in the planned values), and the clusters' budgets count every pod the plan
 * creates — each container of an app-template release (sidecars and setup containers included),
 * one DaemonSet pod per node, every database instance, the outposts — with 20 % of the memory
 * left free on each cluster.
 */
import { strict as assert } from "node:assert";
import { apps, type AppRecord } from "../lib/catalog";
import { annotations } from "../lib/markers";
import { cpuMillicores, memoryMebibytes } from "../lib/platform/requests";
import { nodeReservation } from "../lib/platform/cluster-context";
import { clusterBudgets } from "../tooling/plan/budgets";
import type { StackPlan } from "../tooling/plan/plan";
import { exampleContext, examplePlan } from "./helpers";
import { objectsOfKind, templateValues, type Cluster, type TemplateValues } from "./support/planned";

/**
 * Where each app writes what it must keep, from its upstream (image VOLUMEs, documented data
 * folders). The app's containers must mount a volume at each path (or above it).
 */
const writes: Record<string, { paths: string[]; source: string }> = {
  nextcloud: { paths: ["/var/www/html"], source: "nextcloud/docker README: /var/www/html holds config/, data/, custom_apps/, themes/" },
  vaultwarden: { paths: ["/data"], source: "vaultwarden Dockerfile VOLUME /data (db.sqlite3, attachments, rsa keys)" },
  baikal: { paths: ["/var/www/baikal/config", "/var/www/baikal/Specific"], source: "ckulka/baikal-docker nginx.dockerfile VOLUME config and Specific" },
  comet: { paths: ["/app/data"], source: "comet DATABASE_PATH=data/comet.db and PUBLIC_API_TOKEN_FILE under WORKDIR /app" },
  navidrome: { paths: ["/data"], source: "navidrome ND_DATAFOLDER=/data (navidrome.db, cache)" },
  immich: { paths: ["/data", "/cache"], source: "immich docker-compose: UPLOAD_LOCATION:/data (v1.137.0, immich-app/immich#20367), model-cache:/cache for machine learning" },
  mealie: { paths: ["/app/data"], source: "mealie core/config.py DATA_DIR default /app/data" },
  "home-assistant": { paths: ["/config"], source: "home-assistant: configuration, .storage, database and backups under /config" },
  audiobookshelf: { paths: ["/config", "/metadata"], source: "audiobookshelf Dockerfile CONFIG_PATH=/config, METADATA_PATH=/metadata" },
  komga: { paths: ["/config"], source: "komga Dockerfile KOMGA_CONFIGDIR=/config (database, lucene, artemis)" },
  romm: { paths: ["/romm/resources", "/romm/assets", "/romm/config", "/redis-data"], source: "romm Dockerfile 3.8.3 VOLUME (library is read-only media)" },
  lidarr: { paths: ["/config", "/music"], source: "linuxserver/lidarr /config; Lidarr writes the music library it manages" },
  n8n: { paths: ["/home/node/.n8n"], source: "n8n docs: /home/node/.n8n (config, binary data)" },
  ntfy: { paths: ["/var/lib/ntfy"], source: "ntfy: NTFY_AUTH_FILE and NTFY_CACHE_FILE under /var/lib/ntfy" },
  "adguard-home": { paths: ["/opt/adguardhome/work", "/opt/adguardhome/conf"], source: "AdGuardHome Dockerfile VOLUME work and conf" },
  invidious: { paths: [], source: "invidious keeps everything in Postgres (check_tables creates the schema)" },
  glance: { paths: [], source: "glance is stateless: its configuration is a ConfigMap" },
  "authentik-outpost": { paths: [], source: "the outpost keeps sessions in memory; Authentik holds the state" },
};

const clusterOf = (app: AppRecord): Cluster => (app.placement.kind === "cluster" ? app.placement.clusters.find((c) => c !== "dev") ?? app.placement.clusters[0]! : "cloud") as Cluster;

/** Paths the app container keeps across restarts: PVCs and writable NFS mounts. */
function keptPaths(values: TemplateValues): string[] {
  const kept: string[] = [];
  for (const item of Object.values(values.persistence ?? {})) {
    const mounts = [...(item.globalMounts ?? []), ...(item.advancedMounts?.app?.app ?? [])];
    const writable = item.type === "persistentVolumeClaim" || (item.type === "nfs" && mounts.every((m) => !m.readOnly));
    if (writable) kept.push(...mounts.map((m) => m.path));
  }
  return kept;
}

/** The documented paths no volume keeps. */
function lostPaths(values: TemplateValues, paths: readonly string[]): string[] {
  const kept = keptPaths(values);
  return paths.filter((p) => !kept.some((k) => p === k || p.startsWith(`${k}/`)));
}

describe("app data: every path an app writes is on a volume", () => {
  let plans: Record<Cluster, StackPlan>;
  before(async () => {
    plans = { cloud: await examplePlan("cloud"), prod: await examplePlan("prod"), dev: await examplePlan("dev") };
  });

  it("knows the write paths of every app-template app people reach", () => {
    const reached = apps.filter((a) => a.deploy?.kind === "template" && (a.exposure.kind !== "internal" || a.role === "auth-proxy")).map((a) => a.name).sort();
    assert.deepEqual(Object.keys(writes).sort(), reached);
  });

  for (const [name, { paths, source }] of Object.entries(writes)) {
    it(`${name}: ${paths.length > 0 ? paths.join(", ") : "nothing"} kept (${source})`, () => {
      const app = apps.find((a) => a.name === name)!;
      const cluster = clusterOf(app);
      assert.deepEqual(lostPaths(templateValues(plans[cluster], cluster, name), paths), []);
    });
  }

  it("every app that asks for a database gets a CloudNativePG cluster on a persistent volume", () => {
    for (const [cluster, plan] of Object.entries(plans)) {
      for (const db of objectsOfKind(plan, "Cluster") as unknown as { metadata: { name: string }; spec: { instances: number; storage: { size: string; storageClass: string } } }[]) {
        assert.ok(db.spec.instances >= 1 && memoryMebibytes(db.spec.storage.size) > 0 && db.spec.storage.storageClass, `${cluster}/${db.metadata.name}`);
      }
    }
  });

  it("the check can fail: Baïkal without its config volume loses baikal.yaml (the installer would come back)", () => {
    const values = structuredClone(templateValues(plans.cloud, "cloud", "baikal"));
    const key = Object.entries(values.persistence!).find(([, p]) => p.globalMounts?.some((m) => m.path === "/var/www/baikal/config"))![0];
    delete values.persistence![key];
    assert.deepEqual(lostPaths(values, writes.baikal!.paths), ["/var/www/baikal/config"]);
  });
});

/** What the pods of an app-template release ask, read independently of the program's own helper. */
function renderedRequests(values: TemplateValues): { cpuM: number; memoryMi: number } {
  let cpuM = 0;
  let memoryMi = 0;
  for (const controller of Object.values(values.controllers)) {
    const sum = (list: Record<string, { resources?: { requests?: { cpu?: string; memory?: string } } }> = {}, pick: (r: { cpu?: string; memory?: string }) => number) =>
      Object.values(list).map((c) => pick(c.resources?.requests ?? {}));
    const cpu = Math.max(sum(controller.containers, (r) => cpuMillicores(r.cpu ?? "0")).reduce((a, b) => a + b, 0), ...sum(controller.initContainers, (r) => cpuMillicores(r.cpu ?? "0")));
    const memory = Math.max(sum(controller.containers, (r) => memoryMebibytes(r.memory ?? "0")).reduce((a, b) => a + b, 0), ...sum(controller.initContainers, (r) => memoryMebibytes(r.memory ?? "0")));
    cpuM += cpu * (controller.replicas ?? 1);
    memoryMi += memory * (controller.replicas ?? 1);
  }
  return { cpuM, memoryMi };
}

describe("cluster budgets count every pod the plan creates, with 20 % memory headroom", () => {
  let plans: Record<Cluster, StackPlan>;
  before(async () => {
    plans = { cloud: await examplePlan("cloud"), prod: await examplePlan("prod"), dev: await examplePlan("dev") };
  });

  for (const cluster of ["cloud", "prod", "dev"] as const) {
    it(`${cluster}: the budget is the sum of every container, DaemonSet pod and database instance, and leaves 20 % of the memory free`, () => {
      const plan = plans[cluster];
      const nodes = exampleContext(cluster).nodes;
      const workers = nodes.filter((n) => n.schedulable);
      const applications = plan.resources.filter((r) => r.type === "kubernetes:argoproj.io/v1alpha1:Application");
      let memory = 0;
      for (const application of applications) {
        const meta = application.inputs.metadata as { name: string; annotations: Record<string, string> };
        const source = (application.inputs.spec as { source: { chart: string; helm: { valuesObject: TemplateValues } } }).source;
        const annotated = Number(meta.annotations[annotations.requestsMemoryMi]);
        const perNode = Number(meta.annotations[annotations.requestsPerNodeMemoryMi] ?? 0);
        if (source.chart === "app-template") {
          // Every container of the release, sidecars and setup containers included, counts; a node
          // agent's (a DaemonSet) once per node.
          const daemonSet = Object.values(source.helm.valuesObject.controllers).some((c) => (c as { type?: string }).type === "daemonset");
          assert.equal(daemonSet ? perNode : annotated, renderedRequests(source.helm.valuesObject).memoryMi, `${meta.name}`);
        }
        memory += annotated + perNode * workers.length;
      }
      for (const db of objectsOfKind(plan, "Cluster") as unknown as { spec: { instances: number; resources: { requests: { memory: string } } } }[]) memory += db.spec.instances * memoryMebibytes(db.spec.resources.requests.memory);
      const line = plan.budgets[`cluster.${cluster}.memoryRequestsMi`]!;
      assert.equal(line.used, memory);
      const allocatable = workers.reduce((s, n) => s + n.memoryGi * 1024 - nodeReservation.memoryMi, 0);
      assert.equal(line.limit, Math.floor(0.8 * allocatable));
      assert.ok(line.used <= line.limit, `${cluster} uses ${line.used} of ${allocatable} MiB (${Math.round((100 * line.used) / allocatable)} %)`);
      for (const [name, budget] of Object.entries(plan.budgets)) assert.ok(!budget.enforced || budget.used <= budget.limit, `${name}: ${budget.used} > ${budget.limit}`);
    });
  }

  it("a control plane that runs no workloads still carries the DaemonSets that tolerate it (PROD)", () => {
    const line = plans.prod.budgets["cluster.prod.controlPlaneMemoryMi"]!;
    const onAll = plans.prod.resources
      .filter((r) => r.type === "kubernetes:argoproj.io/v1alpha1:Application")
      .map((r) => (r.inputs.metadata as { annotations: Record<string, string> }).annotations)
      .filter((a) => a[annotations.perNodeOn] === "all")
      .reduce((s, a) => s + Number(a[annotations.requestsPerNodeMemoryMi]), 0);
    assert.equal(line.used, onAll);
    assert.ok(onAll > 0);
  });

  it("a database instance and a DaemonSet pod per added node move the budget (and can fail it)", () => {
    const nodes = exampleContext("dev").nodes;
    const view = plans.dev.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.inputs }));
    const base = clusterBudgets(view, nodes)["cluster.dev.memoryRequestsMi"]!.used;
    const database = { type: "kubernetes:postgresql.cnpg.io/v1:Cluster", name: "x", urn: "x", props: { kind: "Cluster", spec: { instances: 2, resources: { requests: { cpu: "50m", memory: "128Mi" } } } } };
    assert.equal(clusterBudgets([...view, database], nodes)["cluster.dev.memoryRequestsMi"]!.used, base + 256);
    const twice = [...nodes, { ...nodes[0]!, name: "dev-2" }];
    const perNode = plans.dev.resources
      .filter((r) => r.type === "kubernetes:argoproj.io/v1alpha1:Application")
      .reduce((s, r) => s + Number((r.inputs.metadata as { annotations: Record<string, string> }).annotations[annotations.requestsPerNodeMemoryMi] ?? 0), 0);
    assert.equal(clusterBudgets(view, twice)["cluster.dev.memoryRequestsMi"]!.used, base + perNode);
    const big = { ...database, props: { kind: "Cluster", spec: { instances: 1, resources: { requests: { memory: "1Gi" } } } } };
    const line = clusterBudgets([...view, big], nodes)["cluster.dev.memoryRequestsMi"]!;
    assert.ok(line.used > line.limit, "a 1 GiB database fits DEV's 20 % headroom");
  });
});
