/**
 * One place per fact: an app is one record and the machines are one roster. These specs add an
 * app or a machine in memory only (no file touched) and plan the stacks through the same program
 * `pulumi up` runs, to show that everything that follows from the record or the roster follows.
 */
import { strict as assert } from "node:assert";
import { parseAllDocuments } from "yaml";
import { apps, defineApp, groups, type AppRecord } from "../lib/catalog";
import { parseBlueprint } from "../lib/identity/blueprint";
import { defaultInventory, type Inventory } from "../lib/inventory";
import { homeRosters, type Rosters } from "../lib/machines";
import { parseAppComment } from "../lib/markers";
import { pgEnv } from "../lib/platform/app-template";
import { hostnameFor } from "../lib/platform/cluster-context";
import { untarGzip } from "../lib/tar";
import { createProgram } from "../stacks/program";
import { planStacks, type StackPlan } from "../tooling/plan/plan";
import { examplePlan, preparedPlatform as prepared } from "./helpers";

/** A family app the catalog does not have: a wiki on CLOUD with its own database and Authentik SSO. */
const wiki = defineApp({
  name: "family-wiki",
  title: "Family wiki",
  description: "Notes and how-tos",
  tier: "family",
  groups: [groups.family],
  placement: { kind: "cluster", clusters: ["cloud"], namespace: "wiki", syncWave: 4, resources: { cpuM: 40, memoryMi: 320 } },
  deploy: {
    kind: "template",
    spec: (ctx) => ({
      // Any pinned image will do for the plan; a real app adds its own line to lib/versions.ts.
      image: "mealie",
      containerPort: 3000,
      env: { APP_URL: `https://${hostnameFor(ctx, "family-wiki")}` },
      secretEnv: pgEnv("family-wiki", { host: "DB_HOST", user: "DB_USER", password: "DB_PASS", database: "DB_NAME" }),
      data: { path: "/data", size: "1Gi" },
      database: "postgres",
    }),
  },
  exposure: { kind: "tunnel", subdomain: "wiki", port: 80 },
  auth: "oidc",
  sso: { oidc: { callbacks: ["/oauth/callback"] } },
  firstBoot: { mode: "closed", reason: "accounts come only from Authentik; the wiki has no installer" },
  backup: "standard",
  // What a wiki holds; without it the off-site budget counts the requested sizes (an upper bound).
  backupSize: { volumesGi: 0.2, databaseGi: 0.1 },
  stories: ["spec"],
});

async function planWith(inventory: Inventory, stack: "cloud" | "prod" | "dev"): Promise<StackPlan> {
  const result = await planStacks({ stacks: [stack], program: createProgram(inventory) });
  const found = result.stacks.find((s) => s.stack === stack);
  assert.ok(found, `no plan for ${stack}`);
  return found;
}

const inputsNamed = (plan: StackPlan, name: string) => plan.resources.find((r) => r.name === name)?.inputs;
const ofType = (plan: StackPlan, type: string) => plan.resources.filter((r) => r.type === type);

describe("one record per app: a new app in memory", () => {
  let original: StackPlan;
  let after: StackPlan;
  before(async () => {
    original = await examplePlan("cloud");
    after = await planWith({ ...defaultInventory, apps: [...apps, wiki] }, "cloud");
  });

  it("plans clean", () => {
    assert.deepEqual(after.violations, []);
    assert.equal(after.ok, true);
  });

  it("gets a proxied CNAME carrying its tier and groups, and a tunnel route to its derived Service", () => {
    const record = ofType(after, "cloudflare:index/dnsRecord:DnsRecord").find((r) => r.inputs.name === "wiki.example.com");
    assert.ok(record, "no DNS record for wiki.example.com");
    assert.deepEqual(parseAppComment(String(record.inputs.comment)), { app: "family-wiki", tier: "family", groups: ["family-validated"], machines: false });
    const config = inputsNamed(after, "homelab-cloud-config") as { config: { ingresses: { hostname?: string; service: string }[] } };
    assert.ok(config.config.ingresses.some((i) => i.hostname === "wiki.example.com" && i.service === "http://family-wiki.wiki.svc:80"), JSON.stringify(config.config.ingresses));
  });

  it("gets an Authentik application bound to the family, an OIDC provider, and its client secret in its namespace", () => {
    const vm = inputsNamed(after, "oci-mgmt") as { metadata: Record<string, string> };
    const files = untarGzip(Buffer.from(vm.metadata["homelab-project"]!, "base64"));
    const blueprint = parseBlueprint(files.find((f) => f.path === "authentik/blueprints/homelab.yaml")!.content);
    const fields = (e: (typeof blueprint.entries)[number]) => ({ ...e.attrs, ...e.identifiers }) as Record<string, unknown>;
    assert.ok(blueprint.entries.some((e) => e.model === "authentik_core.application" && fields(e).slug === "family-wiki"));
    const provider = blueprint.entries.find((e) => e.model === "authentik_providers_oauth2.oauth2provider" && fields(e).name === "family-wiki");
    assert.ok(provider, "no OIDC provider for family-wiki");
    assert.deepEqual(fields(provider).redirect_uris, [{ matching_mode: "strict", url: "https://wiki.example.com/oauth/callback" }]);
    const secret = ofType(after, "kubernetes:core/v1:Secret").find((r) => (r.inputs.metadata as { name: string }).name === "family-wiki-oidc");
    assert.equal((secret?.inputs.metadata as { namespace: string }).namespace, "wiki");
  });

  it("gets its namespace, its ArgoCD Application at wave 4, and its database", () => {
    assert.ok(inputsNamed(after, "cloud-ns-wiki"), "no namespace wiki");
    const application = inputsNamed(after, "cloud-app-family-wiki") as { metadata: { labels: Record<string, string> }; spec: { destination: { namespace: string } } };
    assert.equal(application.metadata.labels["homelab.dev/wave"], "4");
    assert.equal(application.spec.destination.namespace, "wiki");
    const database = inputsNamed(after, "cloud-family-wiki-db") as { metadata: { namespace: string }; spec: { bootstrap: { initdb: { database: string } } } };
    assert.equal(database.metadata.namespace, "wiki");
    assert.equal(database.spec.bootstrap.initdb.database, "family-wiki");
  });

  it("moves the cluster's budget lines by exactly its pods: its reservation and its database instance", () => {
    // The database instance asks 50m / 128 MiB (lib/platform/objects.ts), counted with the app.
    assert.equal(after.budgets["cluster.cloud.cpuRequestsM"]!.used - original.budgets["cluster.cloud.cpuRequestsM"]!.used, 40 + 50);
    assert.equal(after.budgets["cluster.cloud.memoryRequestsMi"]!.used - original.budgets["cluster.cloud.memoryRequestsMi"]!.used, 320 + 128);
  });

  it("a record without a deployment is refused before any resource, naming the field to fill", async () => {
    const incomplete = { ...wiki, deploy: undefined } as AppRecord;
    const result = await planStacks({ stacks: ["cloud"], program: createProgram({ ...defaultInventory, apps: [...apps, incomplete] }) });
    const cloud = result.stacks[0]!;
    assert.equal(cloud.resources.length, 0);
    assert.ok(cloud.configErrors.some((e) => /catalog entry "family-wiki": runs in a cluster but has no deploy field; fill it/.test(e)), cloud.configErrors.join("\n"));
  });
});

describe("one roster per cluster: a new machine in memory", () => {
  const rosters: Rosters = {
    ...homeRosters,
    prod: { ...homeRosters.prod, machines: [...homeRosters.prod.machines, { name: "prod-worker-2", vmId: 2012, role: "worker", size: "worker" }] },
  };
  let original: StackPlan;
  let after: StackPlan;
  before(async () => {
    original = await examplePlan("prod");
    after = await planWith({ ...defaultInventory, rosters }, "prod");
  });

  it("creates the VM with the roster's id and size", () => {
    const vm = inputsNamed(after, "prod-worker-2") as { vmId: number; tags: string[]; memory: { dedicated: number } };
    assert.equal(vm.vmId, 2012);
    assert.deepEqual(vm.tags, ["talos", "kubernetes", "prod"]);
    // The worker size is 11 GB since the CI runner VM took 1 GB of it (issue 13): changed on purpose.
    assert.equal(vm.memory.dedicated, 11 * 1024);
  });

  it("names it in the Omni template's workers, by the SMBIOS UUID the VM gets", () => {
    const sync = (name: string, plan: StackPlan) => parseAllDocuments(String(inputsNamed(plan, name)!.stdin)).map((d) => d.toJS() as { kind: string; machines?: string[] });
    const workers = (plan: StackPlan) => sync("prod-template", plan).find((d) => d.kind === "Workers")!.machines!;
    assert.equal(workers(original).length, 1);
    assert.equal(workers(after).length, 2);
    const vm = inputsNamed(after, "prod-worker-2") as { smbios: { uuid: string } };
    assert.ok(workers(after).includes(vm.smbios.uuid));
  });

  it("adds a node to the cluster's budget, one pod of each DaemonSet, and its memory to the host's, together", () => {
    // 80 % of the new node's allocatable memory (20 % headroom); a worker is 11 GB since the CI
    // runner VM took 1 GB of it (issue 13).
    assert.equal(after.budgets["cluster.prod.memoryRequestsMi"]!.limit - original.budgets["cluster.prod.memoryRequestsMi"]!.limit, Math.floor(0.8 * (2 * (11 * 1024 - 1024))) - Math.floor(0.8 * (11 * 1024 - 1024)));
    const perWorker = prepared("prod").applications.reduce((sum, a) => sum + (a.perNode?.memoryMi ?? 0), 0);
    assert.equal(after.budgets["cluster.prod.memoryRequestsMi"]!.used - original.budgets["cluster.prod.memoryRequestsMi"]!.used, perWorker);
    assert.match(after.budgets["cluster.prod.cpuRequestsM"]!.note!, /^2 node\(s\) run workloads/);
    assert.equal(after.budgets["proxmox.ramNormalGb"]!.used - original.budgets["proxmox.ramNormalGb"]!.used, 11);
    // The host is full already, so one more worker is refused by the host budget.
    assert.ok(after.violations.some((v) => v.policy === "capacity-budget" && /^proxmox\.ramNormalGb: 39 GB asked, 28 GB available/.test(v.message)), JSON.stringify(after.violations));
  });

  it("gives Longhorn a second replica once two nodes hold volumes", () => {
    const longhorn = (plan: StackPlan) => (inputsNamed(plan, "prod-app-longhorn") as { spec: { source: { helm: { valuesObject: { persistence: { defaultClassReplicaCount: number } } } } } }).spec.source.helm.valuesObject.persistence.defaultClassReplicaCount;
    assert.equal(longhorn(original), 1);
    assert.equal(longhorn(after), 2);
  });

  it("refuses a machine whose size the stack does not define, before any resource, naming the key to set", async () => {
    const bigger: Rosters = { ...homeRosters, prod: { ...homeRosters.prod, machines: [...homeRosters.prod.machines, { name: "prod-gpu-1", vmId: 2021, role: "worker", size: "gpuWorker" }] } };
    const result = await planStacks({ stacks: ["prod"], program: createProgram({ ...defaultInventory, rosters: bigger }) });
    const prod = result.stacks.find((s) => s.stack === "prod")!;
    assert.equal(prod.resources.length, 0);
    assert.deepEqual(prod.configErrors, [
      `homelab:vms.gpuWorker = (missing): the prod roster's machine "prod-gpu-1" uses size "gpuWorker"; fix: pulumi config set --path 'homelab:vms.gpuWorker' '{"cores":2,"memoryGb":4,"diskGb":50}' (or give the machine a size of controlPlane, worker)`,
    ]);
  });

  it("refuses a roster that reuses a VM id, before any resource", async () => {
    const clash: Rosters = { ...homeRosters, dev: { ...homeRosters.dev, machines: [{ name: "dev-2", vmId: 2001, role: "control-plane", size: "node" }] } };
    const result = await planStacks({ stacks: ["dev"], program: createProgram({ ...defaultInventory, rosters: clash }) });
    const dev = result.stacks.find((s) => s.stack === "dev")!;
    assert.equal(dev.resources.length, 0);
    assert.ok(dev.configErrors.some((e) => /VM id 2001 of "dev-2" is also "prod-cp-1"/.test(e)), dev.configErrors.join("\n"));
  });
});

