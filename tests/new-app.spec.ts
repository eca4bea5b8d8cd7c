/**
 * `npm run new-app` (NFR-008: a new service in under 15 minutes): the scaffolded record, index
 * entry and pinned image pass the offline plan as written, behind the outpost; bad arguments get
 * one line each. The real CLI runs in the repository and the files are restored afterwards.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { apps } from "../lib/catalog";
import { parseNewAppArgs, scaffold } from "../tooling/new-app";

const root = join(__dirname, "..");
const files = ["lib/catalog/index.ts", "lib/versions.ts"].map((f) => join(root, f));
const record = join(root, "lib/catalog/apps/scaffold-spec.ts");

/** Runs a script of package.json (`npm run <name>` is `tsx scripts/<name>.ts`) in a fresh process, so it reads the files as written. */
function script(name: string, args: string[]): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ["--import", "tsx", join(root, "scripts", `${name}.ts`), ...args], { cwd: root, encoding: "utf8", timeout: 240_000, env: { ...process.env } });
  return { code: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

describe("npm run new-app", () => {
  it("scaffolds a family app whose record passes the offline plan (its cluster's stack, which runs the catalog check too), behind the outpost", function () {
    this.timeout(300_000);
    const saved = files.map((f) => readFileSync(f, "utf8"));
    try {
      const created = script("new-app", ["scaffold-spec", "--image", "ghcr.io/example/scaffold:1.0.0", "--port", "3000"]);
      assert.equal(created.code, 0, created.stderr);
      assert.match(created.stdout, /wrote lib\/catalog\/apps\/scaffold-spec\.ts/);
      const planned = script("plan", ["--stack", "cloud", "--json"]);
      assert.equal(planned.code, 0, `${planned.stdout.slice(0, 2000)}\n${planned.stderr}`);
      const result = JSON.parse(planned.stdout) as { ok: boolean; stacks: { stack: string; resources: { name: string; inputs: Record<string, unknown> }[] }[] };
      assert.equal(result.ok, true);
      const cloud = result.stacks.find((s) => s.stack === "cloud")!;
      assert.ok(cloud.resources.some((r) => r.name === "cloud-app-scaffold-spec"), "no Application");
      const tunnel = cloud.resources.find((r) => r.name === "homelab-cloud-config")!.inputs as { config: { ingresses: { hostname?: string; service: string }[] } };
      assert.deepEqual(tunnel.config.ingresses.filter((i) => i.hostname === "scaffold-spec.example.com").map((i) => i.service), ["http://authentik-outpost.authentik-outpost.svc:9000"]);
    } finally {
      files.forEach((f, i) => writeFileSync(f, saved[i]!));
      rmSync(record, { force: true });
    }
    assert.ok(!existsSync(record));
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
