/**
 * `npm run new-app -- <name> --image <repository>:<tag> --port <n>`: scaffolds a family app as one
 * catalog record that passes the plan as written, safe from its first minute without knowing
 * anything about the app: behind Authentik's outpost (only signed-in family members reach it,
 * installer included), one data volume, its image pinned with a Renovate anchor. The runbook
 * (docs/apps.md, "Add an app") says what to change next: the app's own sign-in, first boot and
 * write paths, each with its upstream's evidence.
 */

export interface NewAppOptions {
  name: string;
  /** `<repository>:<tag>`, e.g. ghcr.io/owner/app:1.2.3 (a tag, never latest). */
  image: string;
  /** The port the app listens on. */
  port: number;
  cluster: "cloud" | "prod";
  subdomain: string;
  title: string;
  /** Where the app keeps what it writes (a volume is mounted there). */
  dataPath: string;
}

export interface ScaffoldFiles {
  /** lib/catalog/apps/<name>.ts */
  record: { path: string; content: string };
  /** lib/catalog/index.ts with the record added to the catalog. */
  index: string;
  /** lib/versions.ts with the image pinned. */
  versions: string;
}

/** The image key in lib/versions.ts: the app's name in camelCase. */
export function imageKey(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Reads `--flag value` arguments into options; returns the problems instead of throwing. */
export function parseNewAppArgs(argv: readonly string[]): { options?: NewAppOptions; problems: string[] } {
  const problems: string[] = [];
  const [name, ...rest] = argv;
  const flags = new Map<string, string>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (!arg.startsWith("--")) {
      problems.push(`unexpected argument "${arg}"`);
      continue;
    }
    const value = rest[i + 1];
    if (value === undefined || value.startsWith("--")) problems.push(`${arg} needs a value`);
    else flags.set(arg.slice(2), value);
    i++;
  }
  const known = new Set(["image", "port", "cluster", "subdomain", "title", "data"]);
  for (const flag of flags.keys()) if (!known.has(flag)) problems.push(`unknown option --${flag} (known: ${[...known].map((k) => `--${k}`).join(", ")})`);
  if (!name || name.startsWith("--")) problems.push("the app's name comes first: npm run new-app -- <name> --image <repository>:<tag> --port <n>");
  else if (!/^[a-z][a-z0-9-]{0,38}[a-z0-9]$/.test(name)) problems.push(`name "${name}": expected a DNS label (lower-case letters, digits, '-'), e.g. family-wiki`);
  const image = flags.get("image");
  if (!image) problems.push("--image is required: the image and its tag, e.g. --image ghcr.io/owner/app:1.2.3");
  else if (!/^[a-z0-9.-]+(:[0-9]+)?(\/[a-z0-9._-]+)+:[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/.test(image) || image.endsWith(":latest")) {
    problems.push(`--image "${image}": expected <registry>/<repository>:<tag> with a pinned tag (not latest), e.g. ghcr.io/owner/app:1.2.3`);
  }
  const port = Number(flags.get("port"));
  if (!flags.has("port")) problems.push("--port is required: the port the app listens on, e.g. --port 8080");
  else if (!Number.isInteger(port) || port < 1 || port > 65535) problems.push(`--port "${flags.get("port")}": expected a port number 1–65535`);
  const cluster = flags.get("cluster") ?? "cloud";
  if (cluster !== "cloud" && cluster !== "prod") problems.push(`--cluster "${cluster}": expected cloud (Oracle) or prod (at home)`);
  const subdomain = flags.get("subdomain") ?? name ?? "";
  if (flags.has("subdomain") && !/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/.test(subdomain)) problems.push(`--subdomain "${subdomain}": expected a DNS label`);
  const dataPath = flags.get("data") ?? "/data";
  if (!/^\/[A-Za-z0-9._/-]+$/.test(dataPath)) problems.push(`--data "${dataPath}": expected an absolute path inside the container, e.g. /data`);
  const title = flags.get("title") ?? (name ?? "").split("-").map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(" ");
  if (/["`\\$\n]/.test(title)) problems.push(`--title "${title}": quotes, backslashes and $ are not allowed`);
  if (problems.length > 0) return { problems };
  return { options: { name: name!, image: image!, port, cluster: cluster as "cloud" | "prod", subdomain, title, dataPath }, problems };
}

/** The record file's one import (kept out of this file's own import lines, which the layout check reads). */
const recordImport = ["import", "{ defineApp, groups }", "from", '"../types";'].join(" ");

/** The record's source. */
export function recordSource(o: NewAppOptions): string {
  const key = imageKey(o.name);
  return `/**
 * ${o.title}: scaffolded by \`npm run new-app\`. Until its own sign-in is wired, it sits behind
 * Authentik's outpost, so only signed-in family members reach it, installer included. Next steps:
 * docs/apps.md, "Add an app".
 */
${recordImport}

export const ${key}App = defineApp({
  name: "${o.name}",
  title: "${o.title}",
  description: "${o.title}",
  tier: "family",
  groups: [groups.family],
  placement: { kind: "cluster", clusters: ["${o.cluster}"], namespace: "${o.name}", syncWave: 4, resources: { cpuM: 50, memoryMi: 128 } },
  deploy: {
    kind: "template",
    spec: () => ({
      image: "${key}",
      containerPort: ${o.port},
      data: { path: "${o.dataPath}", size: "1Gi" },
    }),
  },
  exposure: { kind: "tunnel", subdomain: "${o.subdomain}", port: 80 },
  auth: "outpost",
  firstBoot: { mode: "closed", reason: "reachable only through Authentik's outpost, i.e. by signed-in family members; replace with the app's own first-boot mode" },
  backup: "standard",
  stories: [],
});
`;
}

/** lib/catalog/index.ts with the record imported and listed last in the catalog. */
export function withRecordInIndex(index: string, o: NewAppOptions): string {
  const key = `${imageKey(o.name)}App`;
  const catalogLine = /export const catalog = \[([^\]]*)\] as const;/;
  const match = catalogLine.exec(index);
  if (!match) throw new Error("lib/catalog/index.ts: no `export const catalog = [...] as const;` line to add the record to");
  const lastImport = index.lastIndexOf('import { ');
  const importEnd = index.indexOf("\n", index.indexOf("from", lastImport)) + 1;
  const withImport = `${index.slice(0, importEnd)}import { ${key} } from "./apps/${o.name}";\n${index.slice(importEnd)}`;
  return withImport.replace(catalogLine, (_, list: string) => `export const catalog = [${list}, ${key}] as const;`);
}

/** lib/versions.ts with the image pinned (Renovate anchor included), last in `images`. */
export function withImageInVersions(versions: string, o: NewAppOptions): string {
  const at = o.image.lastIndexOf(":");
  const repository = o.image.slice(0, at);
  const tag = o.image.slice(at + 1);
  const end = versions.indexOf("} as const;\nexport type ImageName");
  if (end < 0) throw new Error("lib/versions.ts: no `images` object ending before `export type ImageName`");
  const line = `  // renovate: datasource=docker depName=${repository}\n  ${imageKey(o.name)}: { repository: "${repository}", tag: "${tag}" },\n`;
  return `${versions.slice(0, end)}${line}${versions.slice(end)}`;
}

/** Everything the scaffold writes; refuses a name, subdomain or image key already taken. */
export function scaffold(o: NewAppOptions, current: { index: string; versions: string; existingNames: readonly string[]; existingSubdomains: readonly string[] }): ScaffoldFiles {
  if (current.existingNames.includes(o.name)) throw new Error(`an app named "${o.name}" is already in the catalog; pick another name`);
  if (current.existingSubdomains.includes(o.subdomain)) throw new Error(`subdomain "${o.subdomain}" is already used; pass --subdomain <another>`);
  if (new RegExp(`^\\s+${imageKey(o.name)}: \\{`, "m").test(current.versions)) throw new Error(`lib/versions.ts already has an image "${imageKey(o.name)}"`);
  return {
    record: { path: `lib/catalog/apps/${o.name}.ts`, content: recordSource(o) },
    index: withRecordInIndex(current.index, o),
    versions: withImageInVersions(current.versions, o),
  };
}
