/**
 * npm run schemas -- lock     write schemas.lock.json from the schema directory
 * npm run schemas -- verify   check the schema directory against schemas.lock.json
 * npm run schemas -- fetch    download every pinned schema into .schemas-cache/ (needs internet)
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { lockFile, readLock, schemaDirectory, type LockEntry } from "../lib/validate/schemas";
import { deriveSchemaFile } from "../lib/validate/derive";
import { sourceOf } from "../lib/validate/schema-sources";

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? files(full) : [full];
  });
}

async function main(): Promise<void> {
  const command = process.argv[2];
  if (command === "lock") {
    const dir = schemaDirectory();
    const entries: LockEntry[] = files(dir)
      .map((f) => relative(dir, f))
      .filter((p) => p.endsWith(".json") || p.endsWith(".values.yaml"))
      .sort()
      .map((path) => ({ path, ...sourceOf(path), sha256: createHash("sha256").update(readFileSync(join(dir, path))).digest("hex") }));
    writeFileSync(lockFile, `${JSON.stringify({ description: "Upstream schemas pinned by commit; the files stay outside the repository.", entries }, null, 2)}\n`);
    process.stdout.write(`wrote ${entries.length} entries to ${lockFile}\n`);
  } else if (command === "verify") {
    const dir = schemaDirectory();
    const problems = readLock().entries.flatMap((entry) => {
      try {
        const digest = createHash("sha256").update(readFileSync(join(dir, entry.path))).digest("hex");
        return digest === entry.sha256 ? [] : [`${entry.path}: sha256 ${digest} differs from the lock ${entry.sha256}`];
      } catch {
        return [`${entry.path}: missing from ${dir}`];
      }
    });
    process.stdout.write(problems.length === 0 ? `all ${readLock().entries.length} schemas match the lock\n` : `${problems.join("\n")}\n`);
    process.exitCode = problems.length === 0 ? 0 : 1;
  } else if (command === "fetch") {
    const target = join(process.cwd(), ".schemas-cache");
    const downloads = new Map<string, Buffer>();
    for (const entry of readLock().entries) {
      let download = downloads.get(entry.url);
      if (!download) {
        const response = await fetch(entry.url);
        if (!response.ok) throw new Error(`${entry.url}: HTTP ${response.status}`);
        download = Buffer.from(await response.arrayBuffer());
        downloads.set(entry.url, download);
      }
      // A derived file is cut out of the download the same way each time (lib/validate/derive.ts).
      const body = entry.derived ? deriveSchemaFile(entry.path, download) : download;
      const digest = createHash("sha256").update(body).digest("hex");
      if (digest !== entry.sha256) throw new Error(`${entry.url}: sha256 ${digest} differs from the lock ${entry.sha256}`);
      mkdirSync(dirname(join(target, entry.path)), { recursive: true });
      writeFileSync(join(target, entry.path), body);
    }
    process.stdout.write(`fetched into ${target}; use HOMELAB_SCHEMAS_DIR=${target}\n`);
  } else {
    process.stderr.write("usage: npm run schemas -- lock|verify|fetch\n");
    process.exitCode = 2;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
