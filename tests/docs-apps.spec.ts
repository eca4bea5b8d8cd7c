/**
 * docs/apps.md's table says, per app people reach, its sign-in, first-boot mode, data volumes and
 * backup class; this spec keeps it equal to the catalog and to the planned values, and its list
 * of Bitwarden keys equal to what the planned ExternalSecrets read.
 */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { apps, type AppRecord } from "../lib/catalog";
import type { StackPlan } from "../tooling/plan/plan";
import { examplePlan } from "./helpers";
import { objectsOfKind, templateValues, type Cluster } from "./support/planned";

const doc = readFileSync(join(__dirname, "../docs/apps.md"), "utf8");
const signIn: Record<AppRecord["auth"], string> = { oidc: "OIDC", saml: "SAML", outpost: "outpost", "app-native": "app-native", none: "none" };

/** The table's rows by app title (a row may name several apps, comma-separated). */
function rows(): Map<string, string[]> {
  const table = doc.slice(doc.indexOf("## The table"), doc.indexOf("## Sign-in, from one place"));
  const found = new Map<string, string[]>();
  for (const line of table.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| app ") && !l.startsWith("| ---"))) {
    const cells = line.split(" | ").map((c) => c.replace(/^\| |\s*\|$/g, "").trim());
    for (const title of cells[0]!.split(", ")) found.set(title, cells);
  }
  return found;
}

/** Apps people (or the phone app) reach: tunnel hostnames of people, LAN addresses, cluster endpoints of machines. */
const documented = apps.filter((a) => ((a.exposure.kind === "tunnel" || a.exposure.kind === "direct") && (a.exposure.clients !== "machines" || a.placement.kind === "cluster")) || a.exposure.kind === "lan");

describe("docs/apps.md", () => {
  let plans: Record<Cluster, StackPlan>;
  before(async () => {
    plans = { cloud: await examplePlan("cloud"), prod: await examplePlan("prod"), dev: await examplePlan("dev") };
  });

  it("has a row for every app people reach, and none for an app the catalog lacks", () => {
    const table = rows();
    assert.deepEqual([...table.keys()].sort(), documented.map((a) => a.title).sort());
  });

  for (const app of documented) {
    it(`${app.name}: its sign-in, first boot and backup class are the catalog's, and its volumes the plan's`, () => {
      const cells = rows().get(app.title)!;
      const [, , auth, , firstBoot, data, backup] = cells;
      assert.ok(auth!.startsWith(signIn[app.auth]), `${app.name}: sign-in "${auth}" does not start with ${signIn[app.auth]}`);
      assert.ok(firstBoot!.startsWith(app.firstBoot!.mode), `${app.name}: first boot "${firstBoot}" is not ${app.firstBoot!.mode}`);
      assert.equal(backup, app.backup);
      if (app.deploy?.kind === "template" && app.placement.kind === "cluster") {
        const cluster = (app.placement.clusters.find((c) => c !== "dev") ?? app.placement.clusters[0]!) as Cluster;
        const persistence = Object.entries(templateValues(plans[cluster], cluster, app.name).persistence ?? {}).filter(([, p]) => p.type === "persistentVolumeClaim");
        for (const [key, pvc] of persistence) {
          // app-template names one PVC after the release, several `<release>-<key>` (common 4.1.1).
          const name = persistence.length === 1 ? app.name : `${app.name}-${key}`;
          for (const mount of pvc.globalMounts ?? []) assert.ok(data!.includes(`\`${mount.path}\``), `${app.name}: ${mount.path} is not in "${data}"`);
          assert.ok(data!.includes(`\`${name}\``), `${app.name}: PVC ${name} is not in "${data}"`);
        }
      }
    });
  }

  it("lists every Bitwarden key the planned ExternalSecrets read", () => {
    const keys = new Set<string>();
    for (const plan of Object.values(plans)) {
      for (const es of objectsOfKind(plan, "ExternalSecret") as unknown as { spec: { data: { remoteRef: { key: string } }[] } }[]) for (const d of es.spec.data) keys.add(d.remoteRef.key);
    }
    const section = doc.slice(doc.indexOf("### Bitwarden secrets to create"), doc.indexOf("## LAN access at home"));
    const perApp = [...section.matchAll(/`homelab-<app>-admin-password` for ([^|]+)\|/g)].flatMap((m) => [...m[1]!.matchAll(/`([a-z0-9-]+)`/g)].map((a) => `homelab-${a[1]}-admin-password`));
    const listed = new Set([...[...section.matchAll(/`(homelab-[a-z0-9-]+)`/g)].map((m) => m[1]!), ...perApp]);
    assert.deepEqual([...keys].filter((k) => !listed.has(k)).sort(), []);
  });
});
