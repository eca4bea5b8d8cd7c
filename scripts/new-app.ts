/**
 * npm run new-app -- <name> --image <repository>:<tag> --port <n> [--cluster cloud|prod]
 *   [--subdomain <label>] [--title <text>] [--data <path>]
 *
 * Scaffolds a family app as one catalog record (tooling/new-app.ts) and pins its image; the
 * offline plan passes on it as written. Exit 2 on bad arguments, naming each.
 */
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { apps } from "../lib/catalog";
import { parseNewAppArgs, scaffold } from "../tooling/new-app";

const root = join(__dirname, "..");
const { options, problems } = parseNewAppArgs(process.argv.slice(2));
if (!options) {
  process.stderr.write(`${problems.map((p) => `new-app: ${p}`).join("\n")}\nusage: npm run new-app -- <name> --image <repository>:<tag> --port <n> [--cluster cloud|prod] [--subdomain <label>] [--title <text>] [--data <path>]\n`);
  process.exit(2);
}
const indexPath = join(root, "lib/catalog/index.ts");
const versionsPath = join(root, "lib/versions.ts");
try {
  const files = scaffold(options, {
    index: readFileSync(indexPath, "utf8"),
    versions: readFileSync(versionsPath, "utf8"),
    existingNames: apps.map((a) => a.name),
    existingSubdomains: apps.flatMap((a) => (a.exposure.kind === "tunnel" ? [a.exposure.subdomain] : [])),
  });
  const recordPath = join(root, files.record.path);
  if (existsSync(recordPath)) throw new Error(`${files.record.path} exists already`);
  writeFileSync(recordPath, files.record.content);
  writeFileSync(indexPath, files.index);
  writeFileSync(versionsPath, files.versions);
  process.stdout.write(
    [
      `new-app: wrote ${files.record.path}, added it to lib/catalog/index.ts and pinned its image in lib/versions.ts.`,
      `  ${options.name} is a family app on ${options.cluster} at https://${options.subdomain}.<domain>, behind Authentik's outpost.`,
      "next: npm run plan -- --stack all, then docs/apps.md \"Add an app\" (its sign-in, first boot and write paths).",
      "",
    ].join("\n"),
  );
} catch (error) {
  process.stderr.write(`new-app: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
