import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { StackName } from "../lib/config";
import { failureLines, formatPlan, planJson, planStacks, type PlanResult, type StackPlan } from "../tooling/plan/plan";
import { EnvironmentError } from "../lib/config/errors";
import { schemaDirectory } from "../lib/validate/schemas";
import program from "../index";
import { editObject, exampleConfig, plan, withKey, withoutKey } from "./helpers";

/** A folder with the example stack files, each changed by `edits` (undefined: the file is left out). */
function stackFolder(edits: Partial<Record<StackName, (text: string) => string | undefined>> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "homelab-plan-failures-"));
  for (const stack of ["cloud", "prod", "dev"] as const) {
    const original = readFileSync(`Pulumi.${stack}.yaml`, "utf8");
    const text = edits[stack] ? edits[stack](original) : original;
    if (text === undefined) continue;
    assert.ok(!edits[stack] || text !== original, `the edit of Pulumi.${stack}.yaml did not apply`);
    writeFileSync(join(dir, `Pulumi.${stack}.yaml`), text);
  }
  return dir;
}

const stackOf = (result: PlanResult, stack: string): StackPlan => {
  const found = result.stacks.find((s) => s.stack === stack);
  assert.ok(found, `no plan for ${stack}`);
  return found;
};

const cloudUnplanned =
  'homelab:cloudStack = "example-org/homelab/cloud": this stack reads the cloud stack\'s outputs, and the cloud stack could not be planned (its problems are listed under stack cloud); fix: correct the cloud stack\'s config first, then plan again';
const joinTokenSentence =
  "stack example-org/homelab/cloud has no output siderolinkKernelArgs: set homelab:omniJoinToken on the cloud stack and run pulumi up -s cloud first (README, one-time steps)";

describe("offline plan: a broken stack is reported, never a crash", () => {
  it("--stack all with a bad cloud config: the cloud problem once, with its key; each home stack one line; every stack's own problems in the same run", async () => {
    const result = await plan(["cloud", "prod", "dev"], {
      cloud: withKey(exampleConfig("cloud"), "homelab:domain", "Bad_Domain"),
      dev: editObject<{ node: { cores: number } }>(exampleConfig("dev"), "homelab:vms", (v) => (v.node.cores = 99)),
    });
    assert.equal(result.ok, false);
    assert.deepEqual(stackOf(result, "cloud").configErrors, [
      'homelab:domain = "Bad_Domain": expected a lower-case DNS name such as example.com (internationalised names in punycode, e.g. example.xn--p1ai); fix: pulumi config set homelab:domain <value>',
    ]);
    assert.deepEqual(stackOf(result, "prod").configErrors, [cloudUnplanned]);
    // dev's own problem is reported in the same run, not hidden behind the cloud stack's.
    assert.deepEqual(stackOf(result, "dev").configErrors, ["homelab:vms.node.cores = 99: expected at most 64 vCPUs; fix: pulumi config set --path 'homelab:vms.node.cores' <value>"]);
    const text = formatPlan(result);
    assert.equal(text.split("Bad_Domain").length - 1, 1, text);
    assert.match(text, /plan: FAILED/);
  });

  it("--stack prod from a folder without Pulumi.cloud.yaml: the missing file, then the home stack's line", async () => {
    const dir = stackFolder({ cloud: () => undefined });
    const result = await planStacks({ stacks: ["prod"], program, directory: dir });
    assert.deepEqual(result.stacks.map((s) => s.stack), ["cloud", "prod"]);
    assert.deepEqual(stackOf(result, "cloud").configErrors, [
      `${join(dir, "Pulumi.cloud.yaml")}: not found; fix: create the cloud stack's file (pulumi stack init cloud, then pulumi config set …), or point --dir at the folder that holds it`,
    ]);
    assert.deepEqual(stackOf(result, "prod").configErrors, [cloudUnplanned]);
  });

  it("--stack dev with a YAML error in the cloud file: the error names Pulumi.cloud.yaml, read on dev's behalf", async () => {
    const dir = stackFolder({ cloud: (t) => t.replace("homelab:domain: example.com", "homelab:domain: [example.com") });
    const result = await planStacks({ stacks: ["dev"], program, directory: dir });
    assert.deepEqual(stackOf(result, "cloud").configErrors, [
      `${join(dir, "Pulumi.cloud.yaml")}:6: a [ list opens on this line and is never closed with ]; fix: close it on the same line, or write one "- item" per line`,
    ]);
    assert.deepEqual(stackOf(result, "dev").configErrors, [cloudUnplanned]);
  });

  it("prod before the cloud stack has Omni's join token: the program's own sentence, no trace, in both reports", async () => {
    const result = await plan(["prod"], { cloud: withoutKey(exampleConfig("cloud"), "homelab:omniJoinToken") });
    assert.deepEqual(result.stacks.map((s) => s.stack), ["prod"], "the cloud stack itself plans clean");
    assert.deepEqual(stackOf(result, "prod").configErrors, [joinTokenSentence]);
    assert.deepEqual(stackOf(result, "prod").resources, []);
    assert.ok(formatPlan(result).includes(`=== stack prod: FAILED ===\nnot planned (nothing was created):\n  - ${joinTokenSentence}\n`));
    const doc = JSON.parse(JSON.stringify(planJson(result))) as { ok: boolean; stacks: { configErrors: string[] }[] };
    assert.deepEqual(doc.stacks[0]!.configErrors, [joinTokenSentence]);
  });

  it("a misspelt homelab:secretGenerations name stops the cloud stack in the config check, before any resource", async () => {
    const result = await plan(["cloud"], { cloud: withKey(exampleConfig("cloud"), "homelab:secretGenerations", { HOMELAB_TOKEN_CI_GITHB: 2 }) });
    const cloud = stackOf(result, "cloud");
    assert.deepEqual(cloud.resources, []);
    assert.deepEqual(cloud.configErrors, [
      "homelab:secretGenerations.HOMELAB_TOKEN_CI_GITHB: the program generates no secret of that name, did you mean HOMELAB_TOKEN_CI_GITHUB?; fix: pulumi config rm --path 'homelab:secretGenerations.HOMELAB_TOKEN_CI_GITHB', then pulumi config set --path 'homelab:secretGenerations.HOMELAB_TOKEN_CI_GITHUB' 2",
    ]);
  });
});

describe("offline plan: what this machine lacks is said as such", () => {
  it("a missing schema folder is one line with the fix, not 'a bug'", () => {
    let thrown: unknown;
    try {
      schemaDirectory(["/nonexistent/homelab-schemas"]);
    } catch (error) {
      thrown = error;
    }
    assert.ok(thrown instanceof EnvironmentError);
    const lines = failureLines(thrown);
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /^this machine: no schema directory: set HOMELAB_SCHEMAS_DIR .*tried \/nonexistent\/homelab-schemas\).*npm run schemas -- fetch$/);
    assert.doesNotMatch(lines[0]!, /bug/);
  });
});

describe("offline plan: rules between stacks and budgets that name their keys", () => {
  it("refuses LoadBalancer pools of the two home clusters that overlap, and two different Proxmox hosts, when planned together", async () => {
    let dev = editObject<{ lan: { loadBalancerPool: string; gatewayIp: string } }>(exampleConfig("dev"), "homelab:platform", (p) => {
      p.lan.loadBalancerPool = "192.0.2.232/29";
      p.lan.gatewayIp = "192.0.2.233";
    });
    dev = editObject<{ nodeName: string }>(dev, "homelab:proxmox", (h) => (h.nodeName = "pve2"));
    const result = await plan(["cloud", "prod", "dev"], { dev });
    assert.equal(stackOf(result, "dev").ok, true, "each stack alone is valid");
    const messages = stackOf(result, "prod").violations.filter((v) => v.policy === "cross-stack").map((v) => v.message);
    assert.deepEqual(messages, [
      'homelab:proxmox.nodeName is "pve" on prod but "pve2" on dev; both stacks run on the one Proxmox host; fix: make them equal',
      "homelab:platform.lan.loadBalancerPool: prod's 192.0.2.224/28 and dev's 192.0.2.232/29 overlap; both clusters announce their pools on the same LAN, so one address could answer from two clusters; fix: give each cluster its own block",
    ]);
    assert.equal(result.ok, false);
  });

  it("names the config keys that feed a failed budget; VM disks against the VM datastore and media quotas against the pool, on separate lines", async () => {
    let raw = editObject<{ worker: { memoryGb: number } }>(exampleConfig("prod"), "homelab:vms", (o) => (o.worker.memoryGb = 20));
    raw = editObject<{ size: { diskGb: number } }>(raw, "homelab:gaming", (g) => (g.size.diskGb = 2000));
    raw = editObject<{ zfs: { quotasGb?: Record<string, number> } }>(raw, "homelab:hypervisor", (h) => (h.zfs.quotasGb = { "media/films": 12000, "media/photos": 7000 }));
    const prod = stackOf(await plan(["prod"], { prod: raw }), "prod");
    const line = (name: string) => [prod.budgets[name]!.used, prod.budgets[name]!.limit];
    assert.deepEqual(line("proxmox.vmDisksGb"), [2340, 1800]);
    assert.deepEqual(line("proxmox.poolGb"), [19000, 18000]);
    const messages = prod.violations.filter((v) => v.policy === "capacity-budget").map((v) => v.message);
    assert.deepEqual(messages, [
      "proxmox.ramNormalGb: 37 GB asked, 28 GB available (includes ZFS ARC 6 GB); fed by homelab:vms.*.memoryGb, homelab:runner.size.memoryGb, homelab:devVms.*.memoryGb, homelab:proxmox.zfsArcGb, homelab:proxmox.hostReservedGb; limit homelab:proxmox.normalRamBudgetGb; fix: lower those values or raise homelab:proxmox.normalRamBudgetGb if the hardware allows",
      "proxmox.ramPeakGb: 69 GB asked, 64 GB available (gaming VM on); fed by homelab:vms.*.memoryGb, homelab:runner.size.memoryGb, homelab:devVms.*.memoryGb, homelab:gaming.size.memoryGb, homelab:proxmox.zfsArcGb, homelab:proxmox.hostReservedGb; limit homelab:proxmox.memoryGb; fix: lower those values or raise homelab:proxmox.memoryGb if the hardware allows",
      "proxmox.vmDisksGb: 2340 GB asked, 1800 GB available (on local-zfs); fed by homelab:vms.*.diskGb, homelab:runner.size.diskGb, homelab:devVms.*.diskGb, homelab:gaming.size.diskGb; limit homelab:proxmox.datastoreUsableGb; fix: lower those values or raise homelab:proxmox.datastoreUsableGb if the hardware allows",
      "proxmox.poolGb: 19000 GB asked, 18000 GB available (dataset quotas on tank; without a quota: media/series, media/music, media/audiobooks, media/books, media/comics, media/roms, media/volumes, backups); fed by homelab:hypervisor.zfs.quotasGb; limit homelab:proxmox.poolUsableGb; fix: lower those values or raise homelab:proxmox.poolUsableGb if the hardware allows",
    ]);
  });
});

/** Runs the CLI without blocking the event loop, so that several runs share the two cores. */
function runCli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/plan.ts", ...args], { env: process.env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

describe("npm run plan on broken stack files (CLI, text and --json)", () => {
  const yamlBroken = stackFolder({ cloud: (t) => t.replace("homelab:domain: example.com", "homelab:domain: example.com\n  homelab:domain: example.org") });
  const runs: Record<string, Promise<{ status: number | null; stdout: string; stderr: string }>> = {};
  before(() => {
    runs.yamlText = runCli(["--stack", "dev", "--dir", yamlBroken]);
    runs.yamlJson = runCli(["--stack", "all", "--dir", yamlBroken, "--json"]);
  });
  const duplicateLine = () => `${join(yamlBroken, "Pulumi.cloud.yaml")}:7:3: the key "homelab:domain" appears twice in the same map (Pulumi would reject the file); fix: keep one of the two entries`;
  const noTrace = (text: string) => assert.ok(!/\n\s+at .+:\d+:\d+\)?\n/.test(text) && !/YAMLParseError|unhandled/i.test(text), text);

  it("text: names the cloud file, line and column while planning dev, exits 1, no stack trace", async () => {
    const run = await runs.yamlText!;
    assert.equal(run.status, 1, run.stderr);
    assert.ok(run.stdout.includes(`=== stack cloud: FAILED ===\nnot planned (nothing was created):\n  - ${duplicateLine()}\n`), run.stdout);
    assert.ok(run.stdout.includes(`=== stack dev: FAILED ===\nnot planned (nothing was created):\n  - ${cloudUnplanned}\n`), run.stdout);
    noTrace(run.stdout + run.stderr);
  });

  it("--json: one valid document with every stack and the problem in it", async () => {
    const run = await runs.yamlJson!;
    assert.equal(run.status, 1, run.stderr);
    const doc = JSON.parse(run.stdout) as { ok: boolean; stacks: { stack: string; ok: boolean; configErrors: string[] }[] };
    assert.equal(doc.ok, false);
    assert.deepEqual(
      doc.stacks.map((s) => [s.stack, s.configErrors]),
      [
        ["cloud", [duplicateLine()]],
        ["prod", [cloudUnplanned]],
        ["dev", [cloudUnplanned]],
      ],
    );
    noTrace(run.stdout + run.stderr);
  });

  it("keeps the JSON document of a failed plan consistent with the in-process one", async () => {
    const result = await planStacks({ stacks: ["dev"], program, directory: yamlBroken });
    const doc = planJson(result) as { stacks: { stack: string }[] };
    assert.deepEqual(doc.stacks.map((s) => s.stack), ["cloud", "dev"]);
  });
});

describe("npm run plan with a bad --dir or --stack (one line, a JSON document with --json, exit 2)", () => {
  const file = join(stackFolder(), "Pulumi.dev.yaml");
  const missing = join(stackFolder(), "no-such-folder");
  const runs: Record<string, Promise<{ status: number | null; stdout: string; stderr: string }>> = {};
  before(() => {
    runs.file = runCli(["--stack", "dev", "--dir", file]);
    runs.missingJson = runCli(["--stack", "all", "--json", "--dir", missing]);
    runs.stackJson = runCli(["--json", "--stack", "nonexistent"]);
  });

  it("--dir naming a file: says so once, instead of one 'not found' per stack under <file>/Pulumi.cloud.yaml", async () => {
    const run = await runs.file!;
    assert.equal(run.status, 2);
    assert.equal(run.stdout, "");
    assert.equal(run.stderr.split("\n")[0], `--dir ${file}: is a file, not a folder; fix: give the folder that holds the Pulumi.<stack>.yaml files`);
  });

  it("--json with a missing folder or an unknown stack: a JSON document with the one line", async () => {
    const missingRun = await runs.missingJson!;
    assert.equal(missingRun.status, 2);
    const doc = JSON.parse(missingRun.stdout) as { ok: boolean; error: string };
    assert.equal(doc.ok, false);
    assert.match(doc.error, new RegExp(`^--dir ${missing.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: no such folder; fix: give the folder that holds the Pulumi\\.<stack>\\.yaml files; usage: npm run plan`));
    const stackRun = await runs.stackJson!;
    assert.equal(stackRun.status, 2);
    assert.match((JSON.parse(stackRun.stdout) as { error: string }).error, /^unknown stack "nonexistent"; usage: npm run plan -- --stack <cloud\|prod\|dev\|all>/);
  });
});
