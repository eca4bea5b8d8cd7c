import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { assertMatchesSchema, repoRoot } from "../lib/validate/schemas";
import { assertToolPasses } from "../lib/validate/tools";

const workflowDir = join(repoRoot, ".github/workflows");
const workflows = readdirSync(workflowDir).filter((f) => f.endsWith(".yml"));
const load = (path: string) => parse(readFileSync(join(repoRoot, path), "utf8")) as Record<string, unknown>;

interface Step {
  uses?: string;
  with?: Record<string, unknown>;
  run?: string;
}
interface Job {
  environment?: string;
  steps: Step[];
}
const jobsOf = (file: string) => (load(`.github/workflows/${file}`).jobs ?? {}) as Record<string, Job>;

describe("generated and hand-written artifacts", () => {
  it("has the four workflows the foundation asks for", () => {
    assert.deepEqual([...workflows].sort(), ["ci.yml", "deploy-dev.yml", "preview.yml", "promote-prod.yml"]);
  });

  for (const file of workflows) {
    it(`${file} validates against the GitHub workflow schema`, () => {
      assertMatchesSchema(file, load(`.github/workflows/${file}`), "schemastore/github-workflow.json");
    });
  }

  it("the shared setup action validates against the GitHub action schema and installs what the program needs at run time", () => {
    const action = load(".github/actions/setup/action.yml");
    assertMatchesSchema("setup/action.yml", action, "schemastore/github-action.json");
    const runs = JSON.stringify(action.runs);
    assert.match(runs, /npm run schemas -- fetch/);
    assert.match(runs, /omnictl-linux-amd64/);
    for (const file of ["preview.yml", "deploy-dev.yml", "promote-prod.yml"]) {
      const steps = Object.values(jobsOf(file)).flatMap((j) => j.steps);
      const setup = steps.findIndex((s) => s.uses === "./.github/actions/setup");
      const pulumi = steps.findIndex((s) => s.uses?.startsWith("pulumi/actions@") === true);
      assert.ok(setup >= 0 && setup < pulumi, `${file}: the setup action must run before Pulumi`);
    }
  });

  it("the workflow schema check can fail (a job without runs-on)", () => {
    const broken = { on: "push", jobs: { build: { steps: [{ run: "true" }] } } };
    assert.throws(() => assertMatchesSchema("broken.yml", broken, "schemastore/github-workflow.json"), /does not match its schema/);
  });

  it("preview runs pulumi preview per stack with the policy pack and comments on the PR", () => {
    const workflow = load(".github/workflows/preview.yml");
    assert.ok("pull_request" in (workflow.on as object));
    const steps = jobsOf("preview.yml").preview!.steps;
    const pulumi = steps.find((s) => s.uses?.startsWith("pulumi/actions@"))!;
    assert.equal(pulumi.with?.command, "preview");
    assert.equal(pulumi.with?.policyPacks, "policies");
    assert.equal(pulumi.with?.["comment-on-pr"], true);
  });

  it("deploy-dev runs pulumi up on dev on push to main; promote-prod is manual behind the prod environment", () => {
    const dev = load(".github/workflows/deploy-dev.yml");
    assert.deepEqual((dev.on as { push: { branches: string[] } }).push.branches, ["main"]);
    const devUp = jobsOf("deploy-dev.yml").up!.steps.find((s) => s.uses?.startsWith("pulumi/actions@"))!;
    assert.equal(devUp.with?.command, "up");
    assert.match(String(devUp.with?.["stack-name"]), /\/homelab\/dev$/);
    const prod = load(".github/workflows/promote-prod.yml");
    assert.deepEqual(Object.keys(prod.on as object), ["workflow_dispatch"]);
    const job = jobsOf("promote-prod.yml").up!;
    assert.equal(job.environment, "prod");
    assert.match(String(job.steps.find((s) => s.uses?.startsWith("pulumi/actions@"))!.with?.["stack-name"]), /\/homelab\/prod$/);
  });

  it("ci runs the tests, the offline plan, a secret scan and a Trivy config scan", () => {
    const jobs = jobsOf("ci.yml");
    const runs = Object.values(jobs).flatMap((j) => j.steps.map((s) => s.run ?? ""));
    const uses = Object.values(jobs).flatMap((j) => j.steps.map((s) => s.uses ?? ""));
    assert.ok(runs.some((r) => r.includes("npm test")));
    assert.ok(runs.some((r) => r.includes("npm run plan -- --stack all")));
    assert.ok(uses.some((u) => u.startsWith("GitGuardian/ggshield-action@")));
    const trivy = Object.values(jobs).flatMap((j) => j.steps).find((s) => s.uses?.startsWith("aquasecurity/trivy-action@"))!;
    assert.equal(trivy.with?.["scan-type"], "config");
  });

  it("Pulumi.yaml validates against the Pulumi project schema", () => {
    assertMatchesSchema("Pulumi.yaml", load("Pulumi.yaml"), "schemastore/pulumi.json");
  });

  it("every YAML file passes yamllint", () => {
    assertToolPasses("yamllint", ["-c", join(repoRoot, ".yamllint.yml"), "--strict", repoRoot]);
  });

  it("every shell script passes shellcheck", () => {
    const shellFiles = (dir: string) => readdirSync(join(repoRoot, dir)).filter((f) => f.endsWith(".sh")).map((f) => join(repoRoot, dir, f));
    // -x follows `. scripts/lib/…` from the repository root, as the scripts run.
    const result = spawnSync("shellcheck", ["-x", join(repoRoot, ".ci/run"), ...shellFiles("scripts"), ...shellFiles("scripts/lib")], { cwd: repoRoot, encoding: "utf8" });
    assert.equal(result.status, 0, result.stdout + result.stderr);
  });

  it("the README's quick start is two commands, and CI runs the test one, which runs every check", () => {
    const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
    const block = /## Quick start\n[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    const commands = block.split("\n").map((l) => l.replace(/#.*$/, "").trim()).filter(Boolean);
    assert.deepEqual(commands, ["bash scripts/plan.sh", "bash scripts/test.sh"]);
    const run = (file: string) => readFileSync(join(repoRoot, file), "utf8").split("\n").filter((l) => l.trim() !== "" && !l.startsWith("#"));
    assert.ok(run(".ci/run").includes("bash scripts/test.sh"), ".ci/run does not run the README's test command");
    for (const step of ["npm test", "bash scripts/drills.sh", "bash scripts/check-renovate.sh"]) assert.ok(run("scripts/test.sh").includes(step), `scripts/test.sh does not run ${step}`);
  });

  it("the policy pack is a real CrossGuard pack", () => {
    assert.equal(load("policies/PulumiPolicy.yaml").runtime, "nodejs");
    const pkg = JSON.parse(readFileSync(join(repoRoot, "policies/package.json"), "utf8")) as { dependencies: Record<string, string> };
    assert.ok(pkg.dependencies["@pulumi/policy"]);
    assert.match(readFileSync(join(repoRoot, "policies/index.ts"), "utf8"), /new PolicyPack\("homelab"/);
  });
});
