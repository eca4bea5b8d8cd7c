/**
 * The catalog's own consistency, checked before any resource is registered: names, tiers and
 * bindings, subdomains, placements, deployments and the references between records. Also the
 * fields that no part of the program honours yet, which the plan reports by app.
 */
import { exceptionNamed } from "../ingress-exceptions";
import { memoryLimitsMiB } from "../management-vm/documents";
import { chartNaming, chartServiceRule } from "../platform/chart-services";
import { originOf, outpostOn, routedComponent, tunnelRoutes } from "../routes";
import { appRoles, clusterNames, familyGroups, groups, type AppRecord, type AppRole, type Tier } from "./types";

const dnsLabel = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const validPort = (port: number) => Number.isInteger(port) && port >= 1 && port <= 65535;

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
    if (app.deploy) problems.push(`deploy is for cluster apps; "${app.name}" runs on the management VM (Compose service "${app.placement.composeService}"); remove deploy`);
    if (app.placement.composeService !== "host" && !(app.placement.composeService in memoryLimitsMiB)) {
      problems.push(`placement.composeService "${app.placement.composeService}" is not a service of the management VM's Compose project (${Object.keys(memoryLimitsMiB).join(", ")}) nor "host" (the VM itself)`);
    }
    return problems;
  }
  const { clusters, namespace } = app.placement;
  if (clusters.length === 0) problems.push(`placement.clusters is empty; name the clusters it runs on (${clusterNames.join(", ")})`);
  if (new Set(clusters).size !== clusters.length) problems.push(`placement.clusters names a cluster twice (${clusters.join(", ")}); list each once`);
  if (!dnsLabel.test(namespace)) problems.push(`placement.namespace "${namespace}" is not a Kubernetes namespace name (lower-case letters, digits, '-', at most 63)`);
  const deploy = app.deploy;
  if (!deploy) {
    problems.push(`runs in a cluster but has no deploy field; fill it: { kind: "template", spec } for an app-template app, or { kind: "chart", chart, values } for a third-party chart`);
    return problems;
  }
  if (deploy.kind === "part-of") {
    const parent = apps.find((a) => a.name === deploy.app);
    if (!parent) problems.push(`is part of "${deploy.app}", which is not in the catalog; fix deploy.app`);
    else if (parent.deploy?.kind !== "chart") problems.push(`is part of "${deploy.app}", which is not deployed by a chart; a part rides with a chart release`);
    else if (parent.placement.kind !== "cluster" || parent.placement.namespace !== namespace) problems.push(`is part of "${deploy.app}" but not in its namespace; use placement.namespace "${parent.placement.kind === "cluster" ? parent.placement.namespace : "?"}"`);
    else if (!clusters.every((c) => (parent.placement as { clusters: readonly string[] }).clusters.includes(c))) {
      problems.push(`is part of "${deploy.app}" on ${clusters.filter((c) => !(parent.placement as { clusters: readonly string[] }).clusters.includes(c)).join(", ")}, where "${deploy.app}" does not run; a part runs only where its release does`);
    }
    if (problems.length > 0) return problems;
  }
  if (app.exposure.kind === "tunnel") {
    const owner = deploy.kind === "part-of" ? apps.find((a) => a.name === deploy.app)!.deploy! : deploy;
    const component = routedComponent(app, app.exposure);
    if (owner.kind === "chart") {
      const rule = component ? chartServiceRule(owner.chart, component) : undefined;
      if (!component) problems.push(`is on the tunnel through chart ${owner.chart}: name the chart component in exposure.service (${Object.keys(chartNaming[owner.chart]?.services ?? {}).join(", ") || "add a naming rule in lib/platform/chart-services.ts"})`);
      else if (!rule) problems.push(`exposure.service "${component}" has no naming rule for chart ${owner.chart} (lib/platform/chart-services.ts knows: ${Object.keys(chartNaming[owner.chart]?.services ?? {}).join(", ") || "none"})`);
      else if (rule.port !== app.exposure.port) problems.push(`exposure.port ${app.exposure.port} is not the port chart ${owner.chart} gives its ${component} Service (${rule.port}); use ${rule.port}`);
    } else if (app.exposure.service) {
      problems.push(`exposure.service is for third-party charts; an app-template Service is named after the app, remove it`);
    }
    if (problems.length === 0) {
      try {
        originOf(app, app.exposure, apps);
      } catch (error) {
        problems.push((error as Error).message.replace(`catalog app "${app.name}"`, "").replace(/^[:\s]+/, ""));
      }
    }
  }
  return problems;
}

function roleProblems(apps: readonly AppRecord[]): string[] {
  const problems: string[] = [];
  for (const [role, spec] of Object.entries(appRoles) as [AppRole, (typeof appRoles)[AppRole]][]) {
    const playing = apps.filter((a) => a.role === role);
    if (playing.length > 1) problems.push(`catalog: role "${role}" is played by ${playing.map((a) => `"${a.name}"`).join(" and ")}; give it to one app`);
    if (playing.length === 0 && spec.required) problems.push(`catalog: no app has role "${role}" (${spec.why}); set role: "${role}" on that app's record`);
    for (const app of playing) {
      if (spec.reached === "tunnel" && app.exposure.kind !== "tunnel" && app.exposure.kind !== "direct") problems.push(`catalog entry "${app.name}": role "${role}" needs a public hostname, but its exposure is "${app.exposure.kind}"`);
      // The outpost is reached through the routes of the apps it protects, never on its own.
      if (spec.reached === "through-others" && (app.placement.kind !== "cluster" || app.exposure.kind !== "internal")) {
        problems.push(`catalog entry "${app.name}": role "${role}" runs in a cluster with exposure "internal" (the apps it protects are routed to it)`);
      }
    }
  }
  return problems;
}

/** Secrets the Platform creates on a cluster, by namespace/name: two records must not write the same one. */
function secretClashes(apps: readonly AppRecord[]): string[] {
  const problems: string[] = [];
  for (const cluster of clusterNames) {
    const owners = new Map<string, string>();
    for (const app of apps) {
      const placement = app.placement;
      if (placement.kind !== "cluster" || !placement.clusters.includes(cluster)) continue;
      const names = [...(app.bitwardenSecrets ?? []), ...(app.pulumiSecrets ?? [])].map((s) => `${s.namespace ?? placement.namespace}/${s.name}`);
      if (app.auth === "oidc") names.push(`${placement.namespace}/${app.sso?.secret?.name ?? `${app.name}-oidc`}`);
      for (const name of names) {
        const other = owners.get(name);
        if (other) problems.push(`catalog entry "${app.name}": Secret ${name} on ${cluster} is also written by "${other}"; give one a different name`);
        owners.set(name, app.name);
      }
    }
  }
  return problems;
}

/** The sign-in path must exist as declared: an OIDC app names its callbacks, an outpost app has an outpost wherever it is routed. */
function signInProblems(app: AppRecord, apps: readonly AppRecord[]): string[] {
  const problems: string[] = [];
  if (app.auth === "oidc" && (app.sso?.oidc?.callbacks.length ?? 0) === 0) {
    problems.push(`signs in with OIDC but sso.oidc.callbacks is empty; list the callback paths the app sends as redirect_uri (from its docs), e.g. { oidc: { callbacks: ["/auth/callback"] } }`);
  }
  if (app.auth !== "oidc" && app.sso?.oidc) problems.push(`sso.oidc describes an OIDC client, but auth is "${app.auth}"`);
  if (app.auth !== "outpost" && app.sso?.outpost) problems.push(`sso.outpost describes the proxy outpost, but auth is "${app.auth}"`);
  if (app.auth === "outpost") {
    if (app.placement.kind !== "cluster" || app.exposure.kind !== "tunnel") {
      problems.push(`auth "outpost" puts Authentik's proxy outpost between the tunnel and the app, so it needs a cluster app with a tunnel exposure`);
    } else {
      const missing = app.placement.clusters.filter((c) => c !== "dev" && !outpostOn(c, apps));
      if (missing.length > 0) problems.push(`signs in through Authentik's outpost, but no app provides one on ${missing.join(", ")}; add ${missing.join(", ")} to the clusters of the app with role "auth-proxy"`);
    }
  }
  return problems;
}

/**
 * Every app people or machines reach (a tunnel hostname, a LAN address) declares how its first
 * start is safe (issue 15); a setup container needs an app-template deployment to run in.
 */
function firstBootProblems(app: AppRecord): string[] {
  const reachable = app.exposure.kind === "tunnel" || app.exposure.kind === "direct" || app.exposure.kind === "lan";
  if (reachable && !app.firstBoot) {
    return [
      `is reachable (${app.exposure.kind}) but declares no firstBoot: say how its first start is safe before anyone reaches it — { mode: "admin-from-secret", secret }, { mode: "claimed-by-setup", secret, script }, or { mode: "closed", reason }`,
    ];
  }
  if (app.firstBoot?.mode === "claimed-by-setup" && app.deploy?.kind !== "template") {
    return [`firstBoot "claimed-by-setup" runs a setup container in the app's pod, which only app-template apps get (deploy.kind "template")`];
  }
  if (app.firstBoot?.mode === "closed" && app.firstBoot.reason.trim().length < 10) return [`firstBoot "closed" needs a reason that says what closes the installer`];
  return [];
}

/** USB devices reach a container through the app-template renderer only, on PROD's Proxmox worker. */
function usbDeviceProblems(app: AppRecord): string[] {
  if (!app.takesUsbDevices) return [];
  if (app.deploy?.kind !== "template") return [`takesUsbDevices needs deploy.kind "template" (the app-template renderer passes the devices in); remove it or deploy the app with a template spec`];
  if (app.placement.kind !== "cluster" || !app.placement.clusters.includes("prod")) return [`takesUsbDevices needs the app on PROD, whose Proxmox worker the stick is attached to; add prod to placement.clusters or remove it`];
  return [];
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
      if (!dnsLabel.test(app.exposure.subdomain)) problems.push(`${where}: exposure.subdomain "${app.exposure.subdomain}" is not a DNS label (lower-case letters, digits, '-')`);
      if (!validPort(app.exposure.port)) problems.push(`${where}: exposure.port ${app.exposure.port} is not a port (1–65535)`);
      const reachable = app.placement.kind === "mgmt-vm" || app.placement.clusters.some((c) => c !== "dev");
      if (!reachable) problems.push(`${where}: is on the tunnel but runs only on dev, which has no tunnel; run it on prod or cloud, or expose it on the LAN`);
    }
    if (app.exposure.kind === "tunnel" || app.exposure.kind === "direct") {
      if (app.exposure.kind === "direct" && !dnsLabel.test(app.exposure.subdomain)) problems.push(`${where}: exposure.subdomain "${app.exposure.subdomain}" is not a DNS label (lower-case letters, digits, '-')`);
      const other = seenSubdomains.get(app.exposure.subdomain);
      if (other) problems.push(`${where}: subdomain "${app.exposure.subdomain}" is already used by "${other}"`);
      seenSubdomains.set(app.exposure.subdomain, app.name);
    }
    if (app.exposure.kind === "direct") {
      const exception = exceptionNamed(app.exposure.exception);
      if (!exception) problems.push(`${where}: exposure.exception "${app.exposure.exception}" is not an ingress exception (lib/ingress-exceptions.ts)`);
      else if (exception.app !== app.name) problems.push(`${where}: ingress exception "${exception.name}" belongs to "${exception.app}"; one exception opens one app's port`);
      if (app.placement.kind !== "mgmt-vm") problems.push(`${where}: a direct exposure exists only on the management VM (the ingress exceptions' network security group); cluster apps go through the tunnel`);
      if (app.tier !== "admin" || !["saml", "oidc", "app-native"].includes(app.auth)) {
        problems.push(`${where}: a direct exposure skips Cloudflare Access, so it must be tier "admin" with the app's own sign-in (auth saml, oidc or app-native)`);
      }
    }
    if (app.exposure.kind === "tunnel") {
      if (app.tier !== "public" && app.auth === "none") problems.push(`${where}: a ${app.tier} app on the tunnel needs an auth mode other than "none"`);
      if (app.exposure.clients === "machines" && (app.tier !== "admin" || app.auth !== "app-native")) {
        problems.push(`${where}: a machine endpoint (clients "machines") skips Cloudflare Access, so it must be tier "admin" with auth "app-native"`);
      }
    }
    if (app.exposure.kind === "lan") {
      for (const port of app.exposure.ports) if (!validPort(port.port)) problems.push(`${where}: LAN port ${port.name} = ${port.port} is not a port (1–65535)`);
      const onCloud = app.placement.kind !== "cluster" || app.placement.clusters.includes("cloud");
      if (onCloud) problems.push(`${where}: LAN-only exposure exists on home clusters only (dev, prod)`);
    }
    if (app.tier === "public" && app.auth !== "none") problems.push(`${where}: a public app has no sign-in; use auth "none"`);
    if (app.sso?.link && !apps.some((a) => a.name === app.sso!.link!.app)) problems.push(`${where}: sso.link names "${app.sso.link.app}", which is not in the catalog`);
    if (app.sso?.secret && app.auth !== "oidc") problems.push(`${where}: sso.secret is the OIDC client secret, but auth is "${app.auth}"`);
    for (const p of signInProblems(app, apps)) problems.push(`${where}: ${p}`);
    for (const p of firstBootProblems(app)) problems.push(`${where}: ${p}`);
    for (const p of usbDeviceProblems(app)) problems.push(`${where}: ${p}`);
    for (const p of deploymentProblems(app, apps)) problems.push(`${where}: ${p}`);
  }
  problems.push(...roleProblems(apps), ...secretClashes(apps));
  // Hostnames are derived (a suffix per cluster): two apps must not end up with the same one.
  const hostnames = new Map<string, string>();
  try {
    for (const route of tunnelRoutes("example.com", apps)) {
      const other = hostnames.get(route.hostname);
      if (other && other !== route.app) problems.push(`catalog entry "${route.app}": its hostname ${route.hostname.replace(".example.com", ".<domain>")} is also "${other}"'s; change one subdomain`);
      hostnames.set(route.hostname, route.app);
    }
  } catch {
    // An origin that cannot be derived is reported above, with its record.
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
export function unhonouredFields(_apps: readonly AppRecord[]): UnhonouredField[] {
  // None left: the outpost honours `auth: "outpost"` (issue 15), the backup classes drive the
  // backups (issue 16). A field added to the catalog before its implementation is listed here.
  return [];
}
