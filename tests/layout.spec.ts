import { strict as assert } from "node:assert";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { importsOf, layoutProblems, layoutRules, packagesReachableFrom } from "../tooling/layout";

const root = join(__dirname, "..");

function fixture(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "homelab-layout-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe("layout: one rule for what each folder may import", () => {
  it("holds for the whole repository", () => {
    assert.deepEqual(layoutProblems(root), []);
  });

  it("fails on a lib/ → components/ import, a runtime @pulumi import in lib/, and a pure function exported from components/", () => {
    const dir = fixture({
      "lib/values.ts": 'import { Platform } from "../components/platform";\nimport * as pulumi from "@pulumi/pulumi";\nimport type { Input } from "@pulumi/pulumi";\nexport const x = [Platform, pulumi];\n',
      "components/platform/index.ts": 'import { build } from "../../lib/values";\nexport class Platform {}\nexport function helper(): number {\n  return 1;\n}\n',
      "policies/rule.ts": 'export { x } from "../lib/values";\n',
      "stacks/cloud.ts": 'import { layoutProblems } from "../tooling/layout";\nexport const later = () => import("../tooling/plan/plan");\n',
      "components/edge/index.ts": 'export class Edge {}\nexport type { Args } from "./args";\nexport { wafRules } from "../../lib/values";\nexport * from "./more";\n',
      "extras/tool.ts": "export const x = 1;\n",
    });
    const problems = layoutProblems(dir);
    assert.deepEqual(problems.map((p) => /^\S+:\d+/.exec(p)?.[0] ?? p.split(" ")[0]).sort(), [
      "components/edge/index.ts:3",
      "components/edge/index.ts:4",
      "components/platform/index.ts:3",
      "extras",
      "lib/values.ts:1",
      "lib/values.ts:2",
      "stacks/cloud.ts:1",
      "stacks/cloud.ts:2",
    ]);
    assert.match(problems.find((p) => p.startsWith("extras"))!, /extras holds TypeScript but has no layout rule/);
    assert.match(problems.find((p) => p.startsWith("lib/values.ts:1"))!, /imports "..\/components\/platform" \(components\/\), but lib\/ may import only lib/);
    assert.match(problems.find((p) => p.startsWith("lib/values.ts:2"))!, /"@pulumi\/pulumi" for more than its types/);
    assert.match(problems.find((p) => p.startsWith("components/platform"))!, /exports "helper", but components\/ holds only ComponentResources/);
    assert.match(problems.find((p) => p.startsWith("components/edge/index.ts:4"))!, /exports "\*"/);
  });

  it("reads type-only imports and re-exports as such", () => {
    assert.deepEqual(importsOf('import type { A } from "./a";\nexport { b } from "./b";\nimport "./c";\nconst d = await import("./d");\n'), [
      { specifier: "./a", typeOnly: true, line: 1 },
      { specifier: "./b", typeOnly: false, line: 2 },
      { specifier: "./c", typeOnly: false, line: 3 },
      { specifier: "./d", typeOnly: false, line: 4 },
    ]);
  });

  it("says the rule in each folder's README, as the check enforces it", () => {
    for (const [top, rule] of Object.entries(layoutRules)) {
      if (top === "index.ts") continue;
      const readme = readFileSync(join(root, top, "README.md"), "utf8");
      assert.ok(readme.split("\n").length <= 12, `${top}/README.md should stay short`);
      const line = readme.split("\n").find((l) => l.startsWith("May import:"));
      assert.ok(line, `${top}/README.md has no "May import:" line`);
      assert.deepEqual(line.replace("May import:", "").split(",").map((s) => s.trim()).sort(), [...rule.mayImport].sort(), `${top}/README.md`);
    }
  });

  it("lists in policies/package.json every package the policy pack loads", () => {
    const manifest = JSON.parse(readFileSync(join(root, "policies/package.json"), "utf8")) as { dependencies: Record<string, string> };
    const rootManifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    const loaded = packagesReachableFrom(join(root, "policies/index.ts"));
    assert.ok(loaded.includes("@pulumi/policy") && loaded.includes("yaml"), loaded.join(", "));
    for (const name of loaded) {
      assert.ok(name in manifest.dependencies, `the policy pack loads ${name}, which policies/package.json does not list`);
      // One version of each package, whichever manifest installs it.
      if (name in rootManifest.dependencies) assert.equal(manifest.dependencies[name], rootManifest.dependencies[name], name);
    }
  });
});
