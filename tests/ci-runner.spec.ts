/** Issue 13, path 3: CI reaches the Proxmox API and host through a runner VM on the LAN, and only main's deployments run there. */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { deploymentWorkflows, runnerCloudInit, runnerEnv, runnerLabel, runnerPaths, userDataSnippetScript, type RunnerSettings } from "../lib/ci-runner/cloud-init";
import { runnerVm } from "../lib/machines";
import { repoRoot } from "../lib/validate/schemas";
import { assertToolPasses, runTool } from "../lib/validate/tools";
import { loadStackConfig } from "../lib/config";
import { editObject, exampleConfig, examplePlan, plan } from "./helpers";
import { fakeRoot } from "./support/fake-root";

const settings: RunnerSettings = {
  repository: "example-org/homelab",
  name: "gh-runner",
  adminSshKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleKeyForDocumentationOnly00000000000 admin@example.com",
  swapGb: 2,
};
const filesDir = join(__dirname, "../lib/ci-runner/files");

/** Runs a runner script with its env file (and a fake root); returns exit code and output. */
function runScript(file: string, env: Record<string, string>, input = "") {
  const dir = mkdtempSync(join(tmpdir(), "homelab-runner-"));
  const envFile = join(dir, "homelab-runner.env");
  writeFileSync(envFile, runnerEnv(settings));
  const result = spawnSync("bash", [join(filesDir, file)], { env: { PATH: process.env.PATH, HOMELAB_RUNNER_ENV: envFile, ...env }, input, encoding: "utf8" });
  return { code: result.status ?? 1, stderr: result.stderr };
}

describe("path 3: the runner VM's first boot", () => {
  it("writes cloud-init that the real `cloud-init schema` accepts: admin key only, an unprivileged runner user, swap, root-owned hooks", () => {
    const text = runnerCloudInit(settings);
    const dir = mkdtempSync(join(tmpdir(), "homelab-runner-ci-"));
    writeFileSync(join(dir, "user-data"), text);
    assertToolPasses("cloud-init", ["schema", "--config-file", join(dir, "user-data")]);
    const doc = parse(text) as { ssh_pwauth: boolean; users: { name: string; sudo?: string; ssh_authorized_keys?: string[] }[]; write_files: { path: string; owner: string }[]; swap: { size: string } };
    assert.equal(doc.ssh_pwauth, false);
    assert.deepEqual(doc.users.map((u) => [u.name, u.sudo ?? "no sudo"]), [["homelab-admin", "ALL=(ALL) NOPASSWD:ALL"], ["runner", "no sudo"]]);
    assert.equal(doc.users.find((u) => u.name === "runner")!.ssh_authorized_keys, undefined);
    assert.equal(doc.swap.size, "2G");
    for (const hook of ["job-started.sh", "job-completed.sh"]) assert.ok(doc.write_files.some((f) => f.path === `${runnerPaths.hooks}/${hook}` && f.owner === "root:root"), hook);
    // No secret in it: registration is a one-time admin step with a one-hour token.
    assert.doesNotMatch(text, /token=['"]?[A-Z0-9]{20,}/i);
  });

  it("the cloud-init check can fail", () => {
    const dir = mkdtempSync(join(tmpdir(), "homelab-runner-ci-"));
    writeFileSync(join(dir, "user-data"), "#cloud-config\nusers: 42\nswap: yes\n");
    assert.notEqual(runTool("cloud-init", ["schema", "--config-file", join(dir, "user-data")]).code, 0);
  });

  it("ships shellcheck-clean scripts", () => {
    assertToolPasses("shellcheck", ["-x", ...readdirSync(filesDir).filter((f) => f.endsWith(".sh") && f !== "user-data-snippet.sh").map((f) => join(filesDir, f))]);
    const dir = mkdtempSync(join(tmpdir(), "homelab-runner-snippet-"));
    writeFileSync(join(dir, "snippet.sh"), userDataSnippetScript("local", "gh-runner", runnerCloudInit(settings)));
    // SC2016 (info) flags `$` inside the single-quoted user data, which is literal on purpose.
    assertToolPasses("shellcheck", ["--exclude=SC2016", join(dir, "snippet.sh")]);
  });

  it("refuses a repository that is not owner/repo", () => {
    assert.throws(() => runnerEnv({ ...settings, repository: "https://github.com/x/y" }), /is not owner\/repo/);
    // GitHub's own name rules: no dots or underscores in an owner, no "." or ".." as a repository.
    for (const repository of ["../..", "./x", "owner/..", "own.er/repo", "-owner/repo"]) assert.throws(() => runnerEnv({ ...settings, repository }), /is not owner\/repo/, repository);
    assert.doesNotThrow(() => runnerEnv({ ...settings, repository: "Example-Org/home.lab_2" }));
  });

  it("refuses, in one config line each, a repository path and a runner too small to run pulumi up", () => {
    const edit = (change: (r: { repository: string; size: { memoryGb: number } }) => void) => editObject(exampleConfig("prod"), "homelab:runner", change);
    assert.throws(() => loadStackConfig("prod", edit((r) => (r.repository = "../.."))), /homelab:runner\.repository = "\.\.\/\.\.": expected the GitHub repository as owner\/repo/);
    assert.throws(() => loadStackConfig("prod", edit((r) => (r.size.memoryGb = 1))), /homelab:runner\.size\.memoryGb = 1: expected at least 2 GB: the runner runs pulumi up of prod/);
  });
});

describe("path 3: the trust boundary (job-started hook)", () => {
  const job = (overrides: Record<string, string>) =>
    runScript("job-started.sh", {
      GITHUB_REPOSITORY: "example-org/homelab",
      GITHUB_EVENT_NAME: "push",
      GITHUB_REF: "refs/heads/main",
      GITHUB_WORKFLOW_REF: "example-org/homelab/.github/workflows/deploy-dev.yml@refs/heads/main",
      ...overrides,
    });

  it("accepts deploy-dev pushed to main and promote-prod started by hand on main", () => {
    assert.equal(job({}).code, 0);
    assert.equal(job({ GITHUB_EVENT_NAME: "workflow_dispatch", GITHUB_WORKFLOW_REF: "example-org/homelab/.github/workflows/promote-prod.yml@refs/heads/main" }).code, 0);
  });

  it("refuses a pull request (a fork's or not), another branch, another workflow, another repository", () => {
    const pr = job({ GITHUB_EVENT_NAME: "pull_request", GITHUB_REF: "refs/pull/7/merge", GITHUB_WORKFLOW_REF: "example-org/homelab/.github/workflows/deploy-dev.yml@refs/pull/7/merge" });
    assert.equal(pr.code, 1);
    assert.match(pr.stderr, /refused: event pull_request/);
    assert.match(job({ GITHUB_EVENT_NAME: "pull_request_target" }).stderr, /refused: event pull_request_target/);
    assert.match(job({ GITHUB_REF: "refs/heads/feature" }).stderr, /refused: ref refs\/heads\/feature: only main deploys/);
    assert.match(job({ GITHUB_WORKFLOW_REF: "example-org/homelab/.github/workflows/ci.yml@refs/heads/main" }).stderr, /workflow .*ci\.yml.* may not use this runner/);
    // A deployment workflow file from another ref, dispatched on main, is not the one on main.
    assert.equal(job({ GITHUB_WORKFLOW_REF: "example-org/homelab/.github/workflows/deploy-dev.yml@refs/heads/feature" }).code, 1);
    assert.match(job({ GITHUB_REPOSITORY: "someone/fork" }).stderr, /refused: repository someone\/fork/);
    // A workflow file whose name differs in case is another file on main, not the deployment one.
    assert.equal(job({ GITHUB_WORKFLOW_REF: "example-org/homelab/.github/workflows/Deploy-Dev.yml@refs/heads/main" }).code, 1);
    assert.equal(job({ GITHUB_EVENT_NAME: "" }).code, 1);
  });

  it("compares the repository as GitHub does, without case: a config spelled Example-Org/Homelab still accepts example-org/homelab's jobs", () => {
    const dir = mkdtempSync(join(tmpdir(), "homelab-runner-"));
    const envFile = join(dir, "homelab-runner.env");
    writeFileSync(envFile, runnerEnv({ ...settings, repository: "Example-Org/Homelab" }));
    const run = (workflowRef: string) =>
      spawnSync("bash", [join(filesDir, "job-started.sh")], {
        env: { PATH: process.env.PATH, HOMELAB_RUNNER_ENV: envFile, GITHUB_REPOSITORY: "example-org/homelab", GITHUB_EVENT_NAME: "push", GITHUB_REF: "refs/heads/main", GITHUB_WORKFLOW_REF: workflowRef },
        encoding: "utf8",
      }).status;
    assert.equal(run("example-org/homelab/.github/workflows/deploy-dev.yml@refs/heads/main"), 0);
    assert.equal(run("example-org/homelab/.github/workflows/ci.yml@refs/heads/main"), 1);
  });

  it("the workflows that select the LAN runner are exactly the ones its hook accepts; ci and preview stay on GitHub's runners", () => {
    const dir = join(repoRoot, ".github/workflows");
    const onLan = new Set<string>();
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".yml"))) {
      const jobs = (parse(readFileSync(join(dir, file), "utf8")) as { jobs: Record<string, { "runs-on": unknown }> }).jobs;
      for (const [name, j] of Object.entries(jobs)) {
        const lan = JSON.stringify(j["runs-on"]).includes(runnerLabel);
        if (lan) onLan.add(file);
        if ((deploymentWorkflows as readonly string[]).includes(file)) assert.ok(lan, `${file}/${name} does not run on ${runnerLabel}`);
        else assert.ok(!lan, `${file}/${name} runs on the LAN runner`);
      }
    }
    assert.deepEqual([...onLan].sort(), [...deploymentWorkflows].sort());
    const preview = parse(readFileSync(join(dir, "preview.yml"), "utf8")) as { jobs: { preview: { strategy: { matrix: { stack: string[] } } } } };
    assert.deepEqual(preview.jobs.preview.strategy.matrix.stack, ["cloud"]);
  });
});

describe("path 3: promote-prod applies what its reviewer saw", () => {
  interface Job { needs?: string; outputs?: Record<string, string>; steps: { id?: string; uses?: string; run?: string; with?: Record<string, unknown> }[] }
  const jobs = (parse(readFileSync(join(repoRoot, ".github/workflows/promote-prod.yml"), "utf8")) as { jobs: Record<string, Job> }).jobs;
  const checkoutRef = (job: Job) => job.steps.find((s) => s.uses?.startsWith("actions/checkout@"))!.with?.ref;

  it("resolves the ref to one commit in the preview and checks out that commit for the approved up, not the ref again", () => {
    // The ref (main by default) moves while the approval waits: checking it out again would apply
    // a commit nobody previewed.
    const preview = jobs.preview!;
    const up = jobs.up!;
    assert.equal(checkoutRef(preview), "${{ inputs.ref }}");
    const resolve = preview.steps.find((s) => s.id === "commit")!;
    assert.match(resolve.run!, /git rev-parse HEAD/);
    assert.match(resolve.run!, /GITHUB_OUTPUT/);
    assert.equal(preview.outputs?.sha, "${{ steps.commit.outputs.sha }}");
    assert.equal(up.needs, "preview");
    assert.equal(checkoutRef(up), "${{ needs.preview.outputs.sha }}");
  });
});

describe("path 3: registration, hooks pinned, clean jobs (fake root)", () => {
  function host() {
    const fr = fakeRoot();
    fr.shim("runuser", 'shift 3; "$@"');
    fr.shim("systemctl");
    const dir = fr.path("opt/actions-runner");
    mkdirSync(join(dir, "bin"), { recursive: true });
    // Stand-ins for the runner's own scripts: config.sh records its registration, svc.sh its unit.
    fr.write("opt/actions-runner/config.sh", '#!/bin/sh\necho "$*" > .runner\n');
    fr.write("opt/actions-runner/svc.sh", '#!/bin/sh\necho actions.runner.example-org-homelab.gh-runner.service > .service\n');
    spawnSync("chmod", ["+x", join(dir, "config.sh"), join(dir, "svc.sh")]);
    const envFile = join(fr.root, "..", "runner.env");
    writeFileSync(envFile, runnerEnv(settings));
    const run = (file: string, input = "") => {
      const r = spawnSync("bash", [join(filesDir, file)], { env: { PATH: `${fr.bin}:${process.env.PATH}`, HOMELAB_ROOT: fr.root, HOMELAB_RUNNER_ENV: envFile }, input, encoding: "utf8" });
      return { code: r.status ?? 1, stderr: r.stderr };
    };
    return { fr, dir, run };
  }

  it("registers once from a token on stdin, with the homelab-lan label only, and pins the hooks before every start", () => {
    const { fr, dir, run } = host();
    const first = run("register.sh", "AABBCC1234\n");
    assert.equal(first.code, 0, first.stderr);
    assert.equal(
      readFileSync(join(dir, ".runner"), "utf8").trim(),
      "--unattended --url https://github.com/example-org/homelab --token AABBCC1234 --name gh-runner --labels homelab-lan --no-default-labels --work _work --replace",
    );
    const dropIn = fr.path("etc/systemd/system/actions.runner.example-org-homelab.gh-runner.service.d/homelab-hooks.conf");
    assert.equal(readFileSync(dropIn, "utf8"), "[Service]\nExecStartPre=+/usr/local/sbin/homelab-runner-pin-hooks\n");
    assert.ok(fr.calls().includes("systemctl restart actions.runner.example-org-homelab.gh-runner.service"));
    fr.clearCalls();
    const again = run("register.sh", "OTHER\n");
    assert.equal(again.code, 0);
    assert.match(again.stderr, /already registered/);
    assert.deepEqual(fr.calls(), []);
  });

  it("refuses to register without a token, or before the runner is installed", () => {
    const { run, fr } = host();
    assert.match(run("register.sh", "").stderr, /pipe the registration token on stdin/);
    spawnSync("rm", [fr.path("opt/actions-runner/config.sh")]);
    assert.match(run("register.sh", "T\n").stderr, /not installed yet/);
  });

  it("the pin restores the hooks a job may have removed from .env, keeping its other lines", () => {
    const { dir, run } = host();
    writeFileSync(join(dir, ".env"), "LANG=C.UTF-8\nACTIONS_RUNNER_HOOK_JOB_STARTED=\n");
    assert.equal(run("pin-hooks.sh").code, 0);
    assert.equal(readFileSync(join(dir, ".env"), "utf8"), "LANG=C.UTF-8\nACTIONS_RUNNER_HOOK_JOB_STARTED=/opt/runner-hooks/job-started.sh\nACTIONS_RUNNER_HOOK_JOB_COMPLETED=/opt/runner-hooks/job-completed.sh\n");
    assert.equal(run("pin-hooks.sh").code, 0);
    assert.equal(readFileSync(join(dir, ".env"), "utf8").split("ACTIONS_RUNNER_HOOK_JOB_STARTED").length, 2);
  });

  it("the completed hook leaves nothing of a job for the next", () => {
    const home = mkdtempSync(join(tmpdir(), "homelab-runner-home-"));
    const temp = join(home, "_temp");
    for (const dir of [".pulumi/workspaces", ".kube", "_temp/bin"]) mkdirSync(join(home, dir), { recursive: true });
    writeFileSync(join(home, ".kube/config"), "x");
    writeFileSync(join(home, ".pulumi/credentials.json"), "kept");
    const r = runScript("job-completed.sh", { HOME: home, RUNNER_TEMP: temp });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!existsSync(join(home, ".kube")) && !existsSync(join(home, ".pulumi/workspaces")));
    assert.deepEqual(readdirSync(temp), []);
    assert.ok(existsSync(join(home, ".pulumi/credentials.json")));
  });

  it("writes the user data as a snippet once, enabling snippets on the storage only when missing", () => {
    const fr = fakeRoot();
    const state = join(fr.root, "..", "state");
    mkdirSync(state);
    writeFileSync(join(state, "content"), "iso,vztmpl,backup");
    fr.shim("pvesh", `printf '{"content":"%s","path":"/var/lib/vz","type":"dir"}\\n' "$(cat "${state}/content")"`);
    fr.shim("pvesm", `case "$1" in set) printf '%s' "$4" > "${state}/content" ;; path) echo "/var/lib/vz/snippets/\${2#*snippets/}" ;; esac`);
    const dir = mkdtempSync(join(tmpdir(), "homelab-runner-snippet-"));
    const file = join(dir, "snippet.sh");
    const userData = runnerCloudInit(settings);
    writeFileSync(file, userDataSnippetScript("local", "gh-runner", userData));
    const first = fr.run(file);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /changed=1/);
    assert.equal(readFileSync(fr.path("var/lib/vz/snippets/gh-runner-user-data.yaml"), "utf8"), userData);
    assert.equal(readFileSync(join(state, "content"), "utf8"), "iso,vztmpl,backup,snippets");
    fr.clearCalls();
    const second = fr.run(file);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /changed=0/);
    assert.ok(!fr.calls().some((c) => c.startsWith("pvesm set")));
  });
});

describe("path 3: in the prod plan and the host budget", () => {
  it("creates the runner VM on Proxmox from the Debian image and its snippet, counted in the host budget at 28 of 28 GB", async () => {
    const prod = await examplePlan("prod");
    const vm = prod.resources.find((r) => r.type === "proxmoxve:index/vmLegacy:VmLegacy" && r.name === runnerVm.name)!;
    assert.equal(vm.parent, "urn:pulumi:prod::homelab::homelab:ci:Runner::ci");
    assert.equal(vm.inputs.vmId, runnerVm.vmId);
    assert.deepEqual(vm.inputs.memory, { dedicated: 3072 });
    assert.equal(vm.inputs.started, true);
    assert.equal((vm.inputs.initialization as { userDataFileId: string }).userDataFileId, "local:snippets/gh-runner-user-data.yaml");
    const image = prod.resources.find((r) => r.type === "proxmoxve:download/file:File" && r.name === "ci-debian-image")!;
    assert.equal(image.inputs.checksumAlgorithm, "sha512");
    assert.ok(vm.dependencies.some((d) => d.endsWith("command:remote:Command::ci-user-data")), "the VM does not wait for its user data");
    // The trade-off of NFR-010: ARC 6 GB and worker 11 GB make room for the runner's 3 GB.
    assert.deepEqual([prod.budgets["proxmox.ramNormalGb"]!.used, prod.budgets["proxmox.ramNormalGb"]!.limit], [28, 28]);
  });

  it("one GB more for the runner breaks the budget, with the line that says so", async () => {
    const bigger = editObject<{ size: { memoryGb: number } }>(exampleConfig("prod"), "homelab:runner", (r) => (r.size.memoryGb = 4));
    const result = await plan(["prod"], { prod: bigger });
    const prod = result.stacks.find((s) => s.stack === "prod")!;
    assert.ok(prod.violations.some((v) => v.policy === "capacity-budget" && /proxmox\.ramNormalGb: 29 GB asked, 28 GB available/.test(v.message)), prod.violations.map((v) => v.message).join("\n"));
  });
});
