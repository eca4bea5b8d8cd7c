/**
 * The layout rule, as code: what each top folder may import. The rule is written once here, the
 * folders' READMEs say it in words, and a spec runs `layoutProblems` over the repository so that
 * an import that breaks it fails the tests.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

/** Top folders (and index.ts) → the top folders their code may import. */
export const layoutRules: Readonly<Record<string, { holds: string; mayImport: readonly string[] }>> = {
  "index.ts": { holds: "the program's entry point", mayImport: ["stacks"] },
  stacks: { holds: "one file per stack: reads the config, composes the components", mayImport: ["stacks", "components", "lib"] },
  components: { holds: "ComponentResources only, one folder per concern", mayImport: ["components", "lib"] },
  lib: { holds: "pure builders of documents, the catalog, the config schema, the rosters", mayImport: ["lib"] },
  policies: { holds: "the CrossGuard pack, one file per policy", mayImport: ["policies", "lib"] },
  tooling: { holds: "the offline plan harness and other developer tooling", mayImport: ["tooling", "policies", "lib"] },
  scripts: { holds: "command-line entry points", mayImport: ["scripts", "tooling", "stacks", "policies", "lib", "index.ts"] },
  tests: { holds: "the specs", mayImport: ["tests", "tooling", "scripts", "stacks", "components", "policies", "lib", "index.ts"] },
};

/** npm packages `lib/` may import only for their types: they register or run resources. */
const runtimeOnlyPackages = /^@pulumi\//;

export interface ImportRef {
  specifier: string;
  typeOnly: boolean;
  line: number;
}

/** The module specifiers a TypeScript file imports or re-exports, with whether each is type-only. */
export function importsOf(source: string): ImportRef[] {
  const refs: ImportRef[] = [];
  const pattern = /^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?["']([^"']+)["']/gm;
  for (const match of source.matchAll(pattern)) {
    const line = source.slice(0, match.index).split("\n").length;
    refs.push({ specifier: match[3]!, typeOnly: match[2] !== undefined, line });
  }
  // require("…") and dynamic import("…") load a module at run time too.
  for (const match of source.matchAll(/\b(?:require|import)\(\s*["']([^"']+)["']\s*\)/g)) {
    refs.push({ specifier: match[1]!, typeOnly: false, line: source.slice(0, match.index).split("\n").length });
  }
  return refs;
}

/** The top folder (or `index.ts`) a path inside the repository belongs to. */
function topOf(root: string, path: string): string {
  const first = relative(root, path).split(sep)[0]!;
  // `../index` names the entry file without its extension.
  return first === "index" ? "index.ts" : first;
}

function typeScriptFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry === "node_modules" || entry.startsWith(".")) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...typeScriptFiles(path));
    else if (entry.endsWith(".ts")) found.push(path);
  }
  return found;
}

/** Top folders that hold TypeScript but have no rule: a new folder must say what it may import. */
function unruledFolders(root: string): string[] {
  return readdirSync(root)
    .filter((entry) => !entry.startsWith(".") && entry !== "node_modules" && !(entry in layoutRules))
    .filter((entry) => {
      const path = join(root, entry);
      return statSync(path).isDirectory() ? typeScriptFiles(path).length > 0 : entry.endsWith(".ts");
    });
}

/** Every import in the repository at `root` that breaks the layout rule, one line each. */
export function layoutProblems(root: string): string[] {
  const problems: string[] = unruledFolders(root).map((top) => `${top} holds TypeScript but has no layout rule; add it to layoutRules in tooling/layout.ts with a README saying what it may import`);
  for (const top of Object.keys(layoutRules)) {
    const start = join(root, top);
    let files: string[];
    try {
      files = statSync(start).isDirectory() ? typeScriptFiles(start) : [start];
    } catch {
      continue;
    }
    for (const file of files) {
      const source = readFileSync(file, "utf8");
      const where = relative(root, file);
      for (const ref of importsOf(source)) {
        if (ref.specifier.startsWith(".")) {
          const target = topOf(root, resolve(dirname(file), ref.specifier));
          const allowed = layoutRules[top]!.mayImport;
          if (target !== top && !allowed.includes(target)) {
            problems.push(`${where}:${ref.line} imports "${ref.specifier}" (${target}/), but ${top}/ may import only ${allowed.join(", ")}; move the code or the import (see ${top}/README.md)`);
          }
        } else if (top === "lib" && !ref.typeOnly && runtimeOnlyPackages.test(ref.specifier)) {
          problems.push(`${where}:${ref.line} imports "${ref.specifier}" for more than its types, but lib/ is pure; use \`import type\`, or move the code to components/ or stacks/`);
        }
      }
      if (top === "components") {
        // Classes and types may be exported; any other value (function, constant, re-export) is a builder that belongs in lib/.
        const valueExports = /^export\s+(?:(?:const|let|var|function|async\s+function)\s+(\w+)|default\s+(?!class\b)(\w*)|(\*)|\{(?!\s*type\b)([^}]*)\})/gm;
        for (const match of source.matchAll(valueExports)) {
          const line = source.slice(0, match.index).split("\n").length;
          const what = match[1] ?? (match[3] ? "*" : match[4] ? match[4].trim() : `default ${match[2] ?? ""}`.trim());
          problems.push(`${where}:${line} exports "${what}", but components/ holds only ComponentResources (and their Args types); move it to lib/`);
        }
      }
    }
  }
  return problems;
}

/** The npm packages a module loads at run time, following its relative imports (type-only imports are erased). */
export function packagesReachableFrom(entry: string): string[] {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const ref of importsOf(readFileSync(file, "utf8"))) {
      if (ref.typeOnly) continue;
      if (ref.specifier.startsWith(".")) {
        const base = resolve(dirname(file), ref.specifier);
        const found = [`${base}.ts`, join(base, "index.ts")].find((candidate) => {
          try {
            return statSync(candidate).isFile();
          } catch {
            return false;
          }
        });
        if (found) visit(found);
      } else if (!ref.specifier.startsWith("node:")) {
        const parts = ref.specifier.split("/");
        packages.add(parts.slice(0, ref.specifier.startsWith("@") ? 2 : 1).join("/"));
      }
    }
  };
  visit(entry);
  return [...packages].sort();
}
