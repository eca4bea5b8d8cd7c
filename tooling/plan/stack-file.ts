/**
 * Reads `Pulumi.<stack>.yaml` the way the Pulumi CLI hands config to a program: every value as
 * a string (objects as JSON), with the set of secure keys. Secure values cannot be decrypted
 * offline, so each gets a placeholder that is still marked secret; the program cannot tell.
 *
 * A file that is not what Pulumi would read (a YAML error, a duplicate key, tabs, an alias bomb,
 * a key without its namespace) is refused with one line per problem naming the file, line and
 * column, what is wrong and the fix; the file's own lines are never quoted, since they may hold
 * a pasted secret.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isMap, isScalar, LineCounter, parseDocument, type Document, type ErrorCode, type Node, type YAMLError } from "yaml";
import { credentialKind, credentialShapes } from "../../lib/credentials";
import type { RawConfig } from "../../lib/config";
import { editDistance } from "../../lib/config/messages";

/** A stack file that cannot be read as Pulumi would read it: every problem, one line each. */
export class StackFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`${file} cannot be read (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "StackFileError";
  }
}

/** Top-level keys of a stack file that Pulumi reads. */
const stackFileKeys = ["config", "environment", "secretsprovider", "encryptedkey", "encryptionsalt"];

/** What each YAML problem means to an admin, and the fix. */
const yamlFixes: Partial<Record<ErrorCode, string>> = {
  TAB_AS_INDENT: "a tab indents this line, and YAML indents with spaces only; fix: replace the tab with spaces",
  BAD_INDENT: "the indentation does not line up with the lines around it; fix: indent each nested key two spaces more than its parent, with spaces",
  BLOCK_AS_IMPLICIT_KEY: "a value continues on the next line without being indented under its key (a pasted multi-line value?); fix: write it as a block (key: |) indented under the key, or set it with pulumi config set",
  MULTILINE_IMPLICIT_KEY: "a key runs over several lines (a pasted multi-line value?); fix: write multi-line values as a block (key: |) indented under the key, or set them with pulumi config set",
  MISSING_CHAR: "a quote, bracket or ':' is missing; fix: close the quote or bracket, and separate each key from its value with ': '",
  UNEXPECTED_TOKEN: "unexpected text here; fix: check the quoting and indentation of this line and the one before",
  BAD_SCALAR_START: "a plain value cannot start with this character; fix: quote the value",
  BAD_DQ_ESCAPE: "an invalid escape (\\) inside double quotes; fix: use single quotes, or escape the backslash as \\\\",
  BLOCK_IN_FLOW: "a block value inside [ ] or { }; fix: write the list or map in one style",
  BAD_ALIAS: "an alias (*name) that refers to no anchor; fix: define the anchor (&name) first, or write the value out",
  ALIAS_PROPS: "an alias cannot carry a tag or anchor; fix: write the value out",
  MULTIPLE_ANCHORS: "two anchors on one value; fix: keep one",
  MULTIPLE_TAGS: "two tags on one value; fix: remove the tags (Pulumi stack files need none)",
  TAG_RESOLVE_FAILED: "an unknown YAML tag (!something); fix: remove the tag, Pulumi stack files need none",
  BAD_DIRECTIVE: "an unknown YAML directive (%…); fix: remove it",
  MULTIPLE_DOCS: "more than one YAML document (---); Pulumi reads one; fix: remove the second document",
  KEY_OVER_1024_CHARS: "a key longer than 1024 characters; fix: shorten it (a value pasted as a key?)",
  NON_STRING_KEY: "a key that is not text; fix: write keys as namespace:name",
  RESOURCE_EXHAUSTION: "aliases expand into more data than a stack file holds (a 'billion laughs' pattern); fix: write the values out instead of using anchors and aliases",
};

function lineOf(text: string, line: number): string {
  return text.split(/\r?\n/)[line - 1] ?? "";
}

/** The key named at a position, for a duplicate-key message; hidden when it looks like a credential (a pasted secret). */
function keyAt(text: string, line: number, col: number): string | undefined {
  const match = /^\s*(?:"([^"]*)"|'([^']*)'|(.+?))\s*:(?:\s|$)/.exec(lineOf(text, line).slice(col - 1));
  if (!match) return undefined;
  const key = (match[1] ?? match[2] ?? match[3]!).trim();
  return credentialKind(key, { unknown: true }) ? "[hidden]" : key;
}

function yamlProblem(file: string, text: string, error: YAMLError): string {
  const at = error.linePos?.[0];
  const where = at ? `${file}:${at.line}:${at.col}` : file;
  if (error.code === "DUPLICATE_KEY") {
    const key = at ? keyAt(text, at.line, at.col) : undefined;
    return `${where}: the key ${key ? `"${key}" ` : ""}appears twice in the same map (Pulumi would reject the file); fix: keep one of the two entries`;
  }
  // An unclosed quote is reported where the file ends: name the line where it opens instead.
  const quote = /^Missing closing (["'])quote/.exec(error.message)?.[1];
  if (quote) {
    const all = text.split(/\r?\n/);
    const opening = all.findIndex((line) => (line.split(quote).length - 1) % 2 === 1);
    // The unpaired quote is the line's last one (the ones before it pair up).
    const place = opening >= 0 ? `${file}:${opening + 1}:${all[opening]!.lastIndexOf(quote) + 1}` : at ? `${file}:${at.line}:${at.col}` : file;
    return `${place}: a ${quote === '"' ? "double" : "single"}-quoted value opens on this line and is never closed; fix: add the closing ${quote} (or remove the opening one)`;
  }
  const bracket = /end with a ([\]}])/.exec(error.message)?.[1];
  if (bracket) {
    const open = bracket === "]" ? "[" : "{";
    const lines = text.split(/\r?\n/).slice(0, at?.line ?? Infinity);
    const opening = lines.map((l, i) => ({ i, unclosed: l.split(open).length > l.split(bracket).length })).filter((l) => l.unclosed).pop();
    const place = opening ? `${file}:${opening.i + 1}` : where;
    return `${place}: a ${open} ${bracket === "]" ? "list" : "map"} opens on this line and is never closed with ${bracket}; fix: close it on the same line, or write one ${bracket === "]" ? '"- item"' : '"key: value"'} per line`;
  }
  return `${where}: ${yamlFixes[error.code] ?? `YAML syntax error (${error.code}); fix: check the quoting and indentation of this line`}`;
}

/** Lines of a file that could not be parsed holding what is a credential by its look (a pasted key or token): named by line, never quoted. */
function pastedCredentials(file: string, text: string): string[] {
  const found: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const shape = credentialShapes.find((c) => c.pattern.test(line));
    if (shape && !found.some((f) => f.endsWith(`looks like ${shape.what} in plain text; fix: remove it from the file, rotate it, and store it with pulumi config set --secret <key> <value>`))) {
      found.push(`${file}:${i + 1}: this line holds what looks like ${shape.what} in plain text; fix: remove it from the file, rotate it, and store it with pulumi config set --secret <key> <value>`);
    }
  });
  return found;
}

function isSecure(value: unknown): value is { secure: unknown } {
  return value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 1 && "secure" in value;
}

function decryptOffline(value: unknown, key: string, found: { secret: boolean; problems: string[] }): unknown {
  if (isSecure(value)) {
    found.secret = true;
    if (typeof value.secure !== "string" || value.secure === "") {
      found.problems.push(`${key}: "secure:" holds no ciphertext; fix: pulumi config set --secret ${key.includes(".") || key.includes("[") ? `--path '${key}'` : key} <value>`);
    }
    // Letters, digits and '-' only, so that it passes any token-shaped check a real value would.
    return `offline-placeholder-for-${key.replace(/[^A-Za-z0-9]+/g, "-")}`;
  }
  if (Array.isArray(value)) return value.map((v, i) => decryptOffline(v, `${key}[${i}]`, found));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decryptOffline(v, `${key}.${k}`, found)]));
  }
  return value;
}

function position(file: string, node: Node | null | undefined, lines: LineCounter): string {
  const offset = node?.range?.[0];
  if (offset === undefined) return file;
  const { line, col } = lines.linePos(offset);
  return `${file}:${line}:${col}`;
}

/** The config map's keys: namespaced (`homelab:domain`), each naming where it sits. */
function keyProblems(file: string, doc: Document, lines: LineCounter): string[] {
  const problems: string[] = [];
  const root = doc.contents;
  if (!isMap(root)) return root === null ? [] : [`${position(file, root, lines)}: the file must be a map with a "config:" key; fix: start from the example Pulumi.<stack>.yaml`];
  for (const pair of root.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (name === undefined || stackFileKeys.includes(name)) continue;
    const hint = name.toLowerCase().replace(/[^a-z]/g, "").length > 0 && editDistance(name.toLowerCase(), "config") <= 2 ? '; did you mean "config"?' : "";
    const shown = credentialKind(name, { unknown: true }) ? "[hidden]" : name;
    problems.push(`${position(file, pair.key as Node, lines)}: top-level key "${shown}" is not one Pulumi reads (${stackFileKeys.join(", ")})${hint}; fix: move the settings under "config:" or remove the key`);
  }
  const config = root.get("config", true);
  if (config === undefined || config === null || (isScalar(config) && config.value === null)) return problems;
  if (!isMap(config)) return [...problems, `${position(file, config as Node, lines)}: "config" must be a map of namespace:key to value; fix: indent each key two spaces under "config:"`];
  for (const pair of config.items) {
    const key = isScalar(pair.key) ? pair.key.value : undefined;
    const at = position(file, pair.key as Node, lines);
    if (typeof key !== "string") {
      problems.push(`${at}: a config key that is not text; fix: write keys as namespace:name, e.g. homelab:domain`);
    } else if (!/^[^\s:]+:[^\s:]+$/u.test(key)) {
      // Pulumi parses any namespace:name (no character set): a key with another letter, such as
      // homelab:dömain, reaches the config check, which names it as unknown with the key meant.
      const shown = credentialKind(key, { unknown: true }) ? "[hidden]" : key;
      const fix = isMap(pair.value)
        ? `config is flat: write each nested key as ${key}:<name> directly under "config:" (e.g. ${key}:domain: …)`
        : /^[A-Za-z][A-Za-z0-9_]*$/.test(key)
          ? `write it as homelab:${key} (config keys carry their namespace)`
          : "write keys as namespace:name, e.g. homelab:domain";
      problems.push(`${at}: config key "${shown}" is not of the form namespace:name; fix: ${fix}`);
    }
  }
  return problems;
}

export function rawConfigFromYaml(text: string, file: string): RawConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: true, strict: true });
  if (doc.errors.length > 0) {
    // The first error is the one to fix: the ones after it usually follow from it (a pasted
    // multi-line value throws every later line out of place).
    const [first, ...rest] = [...doc.errors].sort((a, b) => a.pos[0] - b.pos[0]);
    const later = rest.length > 0 ? ` (${rest.length} later YAML error${rest.length === 1 ? "" : "s"} may follow from this one)` : "";
    throw new StackFileError(file, [`${yamlProblem(file, text, first!)}${later}`, ...pastedCredentials(file, text)]);
  }
  let document: unknown;
  try {
    document = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    const aliasBomb = error instanceof ReferenceError && /alias/i.test(error.message);
    throw new StackFileError(file, [aliasBomb ? `${file}: ${yamlFixes.RESOURCE_EXHAUSTION}` : `${file}: the YAML cannot be read as data; fix: check anchors (&name) and aliases (*name), or write the values out`]);
  }
  const structural = keyProblems(file, doc, lines);
  if (structural.length > 0) throw new StackFileError(file, structural);
  const config = document !== null && typeof document === "object" ? (document as { config?: unknown }).config : undefined;
  if (config === undefined || config === null) return {};
  const raw: RawConfig = {};
  const problems: string[] = [];
  for (const [key, value] of Object.entries(config as Record<string, unknown>)) {
    const found = { secret: false, problems };
    const plain = decryptOffline(value, key, found);
    // An empty value (`key:` with nothing after it) reaches the program as "", not as "null".
    raw[key] = { value: plain === null ? "" : typeof plain === "string" ? plain : JSON.stringify(plain), secret: found.secret };
  }
  if (problems.length > 0) throw new StackFileError(file, problems.map((p) => `${file}: ${p}`));
  return raw;
}

export function stackFilePath(stack: string, directory = process.cwd()): string {
  return join(directory, `Pulumi.${stack}.yaml`);
}

export function readStackFile(stack: string, directory = process.cwd()): RawConfig {
  const path = stackFilePath(stack, directory);
  if (!existsSync(path)) {
    throw new StackFileError(path, [
      `${path}: not found; fix: create the ${stack} stack's file (pulumi stack init ${stack}, then pulumi config set …), or point --dir at the folder that holds it`,
    ]);
  }
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new StackFileError(path, [`${path}: cannot be read (${error instanceof Error && "code" in error ? String(error.code) : "unknown error"}); fix: check the file's permissions`]);
  }
  return rawConfigFromYaml(text, path);
}
