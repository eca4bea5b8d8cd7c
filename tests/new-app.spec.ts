/**
 * `npm run new-app` (NFR-008: a new service in under 15 minutes): the scaffolded record, index
 * entry and pinned image pass the offline plan as written, behind the outpost; bad arguments get
 * one line each. The real CLI runs in a copy of the repository (node_modules linked), so the specs
 * that run beside this one (mocha --parallel) never see the scaffolded app and an interrupted run
 * leaves the working tree as it was.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { apps } from "../lib/catalog";
import { schemaDirectory } from "../lib/validate/schemas";
import { parseNewAppArgs, scaffold } from "../tooling/new-app";

const repository = join(__dirname, "..");

/** A copy of the working tree without node_modules and .git, with the installed packages linked in. */
function repositoryCopy(): string {
  const copy = mkdtempSync(join(tmpdir(), "homelab-new-app-"));
  const skipped = (path: string) => relative(repository, path).split(sep).some((part) => part === "node_modules" || part === ".git");
  cpSync(repository, copy, { recursive: true, filter: (path) => !skipped(path) });
  for (const modules of ["node_modules", "policies/node_modules"]) {
    if (existsSync(join(repository, modules))) symlinkSync(join(repository, modules), join(copy, modules), "dir");
  }
  return copy;
}

/** Runs a script of package.json (`npm run <name>` is `tsx scripts/<name>.ts`) in a fresh process, so it reads the files as written. */
function script(root: string, name: string, args: string[]): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ["--import", "tsx", join(root, "scripts", `${name}.ts`), ...args], { cwd: root, encoding: "utf8", timeout: 240_000, // The copy has no ../shared next to it: it reads the schemas this checkout found.
    env: { ...process.env, HOMELAB_SCHEMAS_DIR: schemaDirectory() } });
  return { code: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

describe("npm run new-app", () => {
  it("scaffolds a family app whose record passes the offline plan (its cluster's stack, which runs the catalog check too), behind the outpost", function () {
    this.timeout(300_000);
    const root = repositoryCopy();
    try {
      const created = script(root, "new-app", ["scaffold-spec", "--image", "ghcr.io/example/scaffold:1.0.0", "--port", "3000"]);
      assert.equal(created.code, 0, created.stderr);
      assert.match(created.stdout, /wrote lib\/catalog\/apps\/scaffold-spec\.ts/);
      const planned = script(root, "plan", ["--stack", "cloud", "--json"]);
      assert.equal(planned.code, 0, `${planned.stdout.slice(0, 2000)}\n${planned.stderr}`);
      const result = JSON.parse(planned.stdout) as { ok: boolean; stacks: { stack: string; resources: { name: string; inputs: Record<string, unknown> }[] }[] };
      assert.equal(result.ok, true);
      const cloud = result.stacks.find((s) => s.stack === "cloud")!;
      assert.ok(cloud.resources.some((r) => r.name === "cloud-app-scaffold-spec"), "no Application");
      const tunnel = cloud.resources.find((r) => r.name === "homelab-cloud-config")!.inputs as { config: { ingresses: { hostname?: string; service: string }[] } };
      assert.deepEqual(tunnel.config.ingresses.filter((i) => i.hostname === "scaffold-spec.example.com").map((i) => i.service), ["http://authentik-outpost.authentik-outpost.svc:9000"]);
      // The scaffold wrote into the copy only.
      assert.ok(existsSync(join(root, "lib/catalog/apps/scaffold-spec.ts")));
      assert.ok(!existsSync(join(repository, "lib/catalog/apps/scaffold-spec.ts")));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("names every wrong argument on its own line, and refuses a name or subdomain already taken", () => {
    assert.deepEqual(parseNewAppArgs(["Wiki", "--image", "wiki:latest", "--port", "0", "--colour", "blue"]).problems, [
      'unknown option --colour (known: --image, --port, --cluster, --subdomain, --title, --data)',
      'name "Wiki": expected a DNS label (lower-case letters, digits, \'-\'), e.g. family-wiki',
      '--image "wiki:latest": expected <registry>/<repository>:<tag> with a pinned tag (not latest), e.g. ghcr.io/owner/app:1.2.3',
      '--port "0": expected a port number 1–65535',
    ]);
    const { options } = parseNewAppArgs(["immich", "--image", "ghcr.io/x/y:1", "--port", "80"]);
    const current = { index: "", versions: "", existingNames: apps.map((a) => a.name), existingSubdomains: ["photos"] };
    assert.throws(() => scaffold(options!, current), /an app named "immich" is already in the catalog/);
    const other = parseNewAppArgs(["pics", "--image", "ghcr.io/x/y:1", "--port", "80", "--subdomain", "photos"]).options!;
    assert.throws(() => scaffold(other, current), /subdomain "photos" is already used/);
  });
});
