/**
 * The catalog's own consistency, checked before any resource is registered: names, tiers and
 * bindings, subdomains, placements, deployments and the references between records. Also the
 * fields that no part of the program honours yet, which the plan reports by app.
 */
import { chartNaming } from "../platform/chart-services";
import { originOf } from "../routes";
import { clusterNames, familyGroups, groups, type AppRecord, type Tier } from "./types";

/**
 * Whether the groups bound to an app fit its tier: admin apps only `admin`, family apps only
 * family groups (at least one), public apps none. Shared by the catalog check and the policy
 * pack so that both speak with one voice. Returns the problems, empty when it fits.
 */
export function tierBindingProblems(tier: Tier, bound: readonly string[]): string[] {
  const problems: string[] = [];
  const everyone = bound.filter((g) => /^(everyone|all|authenticated|users)$/i.test(g));
  if (everyone.length > 0) problems.push(`is bound to "${everyone.join(", ")}": nothing may be open to every user`);
  if (tier === "admin") {
    const others = bound.filter((g) => g !== groups.admin);
    if (!bound.includes(groups.admin)) problems.push(`is an admin app but not bound to "${groups.admin}"`);
    if (others.length > 0) problems.push(`is an admin app but also bound to ${others.map((g) => `"${g}"`).join(", ")}; admin apps allow only "${groups.admin}"`);
  } else if (tier === "family") {
    const others = bound.filter((g) => !(familyGroups as readonly string[]).includes(g));
    if (bound.length === 0) problems.push(`is a family app with no group bound; bind "${groups.family}"`);
    if (others.length > 0) problems.push(`is a family app bound to ${others.map((g) => `"${g}"`).join(", ")}; family apps allow only ${familyGroups.map((g) => `"${g}"`).join(", ")}`);
  } else if (bound.length > 0) {
    problems.push(`is a public app but bound to ${bound.map((g) => `"${g}"`).join(", ")}; public apps carry no Authentik binding`);
  }
  return problems;
}

function deploymentProblems(app: AppRecord, apps: readonly AppRecord[]): string[] {
  const problems: string[] = [];
  if (app.placement.kind !== "cluster") {
    if (app.deploy) problems.push(`deploy is for cluster apps; "${app.name}" runs on the management VM (Compose service "${app.placement.composeService}")`);
    return problems;
  }
  const deploy = app.deploy;
  if (!deploy) {
    problems.push(`runs in a cluster but has no deploy field; fill it: { kind: "template", spec } for an app-template app, or { kind: "chart", chart, values } for a third-party chart`);
    return problems;
  }
  if (deploy.kind === "part-of") {
    const parent = apps.find((a) => a.name === deploy.app);
    if (!parent) problems.push(`is part of "${deploy.app}", which is not in the catalog`);
    else if (parent.deploy?.kind !== "chart") problems.push(`is part of "${deploy.app}", which is not deployed by a chart`);
    else if (parent.placement.kind !== "cluster" || parent.placement.namespace !== app.placement.namespace) problems.push(`is part of "${deploy.app}" but not in its namespace`);
    else if (!app.placement.clusters.every((c) => (parent.placement as { clusters: readonly string[] }).clusters.includes(c))) problems.push(`is part of "${deploy.app}" on a cluster where "${deploy.app}" does not run`);
  }
  if (app.exposure.kind === "tunnel") {
    const owner = deploy.kind === "part-of" ? apps.find((a) => a.name === deploy.app)?.deploy : deploy;
    if (owner?.kind === "chart" && app.exposure.service && !chartNaming[owner.chart]?.services[app.exposure.service]) {
      problems.push(`exposure.service "${app.exposure.service}" has no naming rule for chart ${owner.chart} (lib/platform/chart-services.ts knows: ${Object.keys(chartNaming[owner.chart]?.services ?? {}).join(", ") || "none"})`);
    } else {
      try {
        originOf(app, app.exposure, apps);
      } catch (error) {
        problems.push((error as Error).message.replace(`catalog app "${app.name}"`, "").replace(/^[:\s]+/, ""));
      }
    }
  }
  return problems;
}

/**
 * Checks the catalog's own consistency; the program refuses to run on a catalog that fails,
 * before any resource is registered.
 */
export function catalogProblems(apps: readonly AppRecord[]): string[] {
  const problems: string[] = [];
  const seenNames = new Set<string>();
  const seenSubdomains = new Map<string, string>();
  for (const app of apps) {
    const where = `catalog entry "${app.name}"`;
    if (!/^[a-z][a-z0-9-]{0,38}[a-z0-9]$/.test(app.name)) problems.push(`${where}: name must be a DNS label (lower-case letters, digits, '-')`);
    if (seenNames.has(app.name)) problems.push(`${where}: name is used twice`);
    seenNames.add(app.name);
    for (const p of tierBindingProblems(app.tier, app.groups)) problems.push(`${where}: ${p}`);
    if (app.exposure.kind === "tunnel") {
      const other = seenSubdomains.get(app.exposure.subdomain);
      if (other) problems.push(`${where}: subdomain "${app.exposure.subdomain}" is already used by "${other}"`);
      seenSubdomains.set(app.exposure.subdomain, app.name);
      if (app.tier !== "public" && app.auth === "none") problems.push(`${where}: a ${app.tier} app on the tunnel needs an auth mode other than "none"`);
      if (app.exposure.clients === "machines" && (app.tier !== "admin" || app.auth !== "app-native")) {
        problems.push(`${where}: a machine endpoint (clients "machines") skips Cloudflare Access, so it must be tier "admin" with auth "app-native"`);
      }
    }
    if (app.exposure.kind === "lan") {
      const onCloud = app.placement.kind !== "cluster" || app.placement.clusters.includes("cloud");
      if (onCloud) problems.push(`${where}: LAN-only exposure exists on home clusters only (dev, prod)`);
    }
    if (app.tier === "public" && app.auth !== "none") problems.push(`${where}: a public app has no sign-in; use auth "none"`);
    if (app.sso?.link && !apps.some((a) => a.name === app.sso!.link!.app)) problems.push(`${where}: sso.link names "${app.sso.link.app}", which is not in the catalog`);
    if (app.sso?.secret && app.auth !== "oidc") problems.push(`${where}: sso.secret is the OIDC client secret, but auth is "${app.auth}"`);
    for (const p of deploymentProblems(app, apps)) problems.push(`${where}: ${p}`);
  }
  for (const cluster of clusterNames) {
    const storage = apps.filter((a) => a.storageClass && a.placement.kind === "cluster" && a.placement.clusters.includes(cluster));
    const anyApp = apps.some((a) => a.placement.kind === "cluster" && a.placement.clusters.includes(cluster));
    if (anyApp && storage.length !== 1) problems.push(`cluster ${cluster}: expected exactly one app that provides the default StorageClass (storageClass), found ${storage.map((a) => a.name).join(", ") || "none"}`);
  }
  return problems;
}

/** A catalog field whose value no part of the program acts on yet, with the apps that set it. */
export interface UnhonouredField {
  field: string;
  apps: string[];
  why: string;
}

/**
 * Fields the catalog accepts but the program does not act on yet: the plan prints them, naming
 * the apps, so that nobody mistakes a record for a working feature.
 */
export function unhonouredFields(apps: readonly AppRecord[]): UnhonouredField[] {
  const found: UnhonouredField[] = [];
  const backups = apps.filter((a) => a.backup !== "none").map((a) => a.name);
  if (backups.length > 0) found.push({ field: "backup", apps: backups, why: "no schedule, retention or destination is derived from the class yet (Velero backs up every namespace daily)" });
  const forwardAuth = apps.filter((a) => a.auth === "forward-auth").map((a) => a.name);
  if (forwardAuth.length > 0) found.push({ field: 'auth: "forward-auth"', apps: forwardAuth, why: "no proxy is placed in the request path yet; only Cloudflare Access (admin apps) stands in front" });
  return found;
}
