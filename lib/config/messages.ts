/**
 * How a config problem reads: the key path as `pulumi config --path` spells it, the value as an
 * error line may show it (never a secret or anything that looks like a credential), zod's
 * default wording replaced by the admin's, and the command that fixes it.
 */
import { credentialKind, credentialPaths } from "../credentials";
import { secretPlaceholder } from "../markers";
import { secretLikeName } from "../secret-names";
import { SecretValue } from "./errors";
import type { z } from "zod";

export type KeyPath = readonly PropertyKey[];

/** `homelab:oci.instances[1].ocpus`: the spelling of `pulumi config set --path`. */
export function keyPath(path: KeyPath): string {
  return path.reduce<string>((acc, part, i) => {
    if (typeof part === "number") return `${acc}[${part}]`;
    const name = String(part);
    if (i === 0) return name;
    // Keys that are not plain identifiers (dataset names, registry hosts) need the bracket form.
    return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(name) ? `${acc}.${name}` : `${acc}["${name}"]`;
  }, "");
}

/** The command that sets one value: top-level keys directly, nested ones with `--path`. */
export function setCommand(path: KeyPath, secret = false): string {
  const flag = secret ? "--secret " : "";
  return path.length <= 1 ? `pulumi config set ${flag}${keyPath(path)} <value>` : `pulumi config set ${flag}--path '${keyPath(path)}' <value>`;
}

export function rmCommand(path: KeyPath): string {
  return path.length <= 1 ? `pulumi config rm ${keyPath(path)}` : `pulumi config rm --path '${keyPath(path)}'`;
}

/**
 * The value as an error line shows it: "(missing)", "(empty)", "[secret]", a hidden marker for
 * anything secret-like or credential-like, else its JSON (credential strings inside an object
 * replaced, the whole cut at 80 characters).
 */
export function describeValue(value: unknown, key = "", options: { unknown?: boolean; refused?: boolean } = {}): string {
  if (value === undefined) return "(missing)";
  if (value === null || value === "") return "(empty)";
  if (value instanceof SecretValue) return secretPlaceholder;
  if (secretLikeName.test(key)) return "[plain value, hidden]";
  if (typeof value === "string") {
    const what = credentialKind(value, { key, unknown: options.unknown, refused: options.refused });
    if (what) return `[hidden: looks like ${what}]`;
  }
  const hidden = new Set(credentialPaths(value, { key, unknown: options.unknown, refused: options.refused }).map((c) => c.path));
  const text = JSON.stringify(value, function (this: unknown, k: string, v: unknown) {
    if (v instanceof SecretValue) return secretPlaceholder;
    if (typeof v === "string" && k !== "" && (secretLikeName.test(k) || credentialKind(v, { key: k, unknown: options.unknown, refused: options.refused }))) return "[hidden]";
    return v;
  });
  if (text === undefined) return String(value);
  const shown = hidden.size > 0 && !text.includes("[hidden]") ? "[hidden]" : text;
  return shown.length > 80 ? `${shown.slice(0, 77)}...` : shown;
}

function received(input: unknown): string {
  if (input === undefined) return "nothing";
  if (input === null) return "an empty value";
  if (input instanceof SecretValue) return "a secret";
  if (Array.isArray(input)) return "a list";
  if (input === "") return "an empty value";
  if (typeof input === "string") return /^-?\d+(\.\d+)?$/.test(input) ? "a quoted number" : /^(true|false)$/.test(input) ? "a quoted true/false" : "text";
  if (typeof input === "object") return "an object";
  return typeof input === "number" ? (Number.isInteger(input) ? "a whole number" : "a fraction") : typeof input;
}

const expectedWords: Record<string, string> = {
  number: "a number",
  int: "a whole number",
  string: "text",
  boolean: "true or false",
  object: "an object (nested keys)",
  array: "a list",
  record: "an object (nested keys)",
};

/**
 * zod's issues in the admin's words, for checks whose schema gives no message of its own
 * (a type, a range, an enum). The loader appends the fix command.
 */
export function adminError(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type": {
      if (issue.input === undefined) return "is required";
      const want = expectedWords[issue.expected] ?? issue.expected;
      const unquote = typeof issue.input === "string" && (issue.expected === "number" || issue.expected === "int" || issue.expected === "boolean") ? " (write it without quotes)" : "";
      return `expected ${want}, got ${received(issue.input)}${unquote}`;
    }
    case "too_big":
      return issue.origin === "array" ? `expected at most ${String(issue.maximum)} entries` : issue.origin === "string" ? `expected at most ${String(issue.maximum)} characters` : `expected at most ${String(issue.maximum)}`;
    case "too_small":
      if (issue.origin === "array") return Number(issue.minimum) === 1 ? "expected at least one entry" : `expected at least ${String(issue.minimum)} entries`;
      if (issue.origin === "string") return Number(issue.minimum) === 1 ? "must not be empty" : `expected at least ${String(issue.minimum)} characters`;
      return `expected at least ${String(issue.minimum)}`;
    case "invalid_value":
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "invalid_format":
      return "does not have the expected format";
    case "not_multiple_of":
      return `expected a multiple of ${String(issue.divisor)}`;
    default:
      return undefined;
  }
}

/** The known key closest to a misspelt one, when it is close enough to be the one meant. */
export function closest(name: string, known: readonly string[]): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const key of known) {
    const distance = editDistance(name.toLowerCase(), key.toLowerCase());
    if (!best || distance < best.distance) best = { key, distance };
  }
  if (!best) return undefined;
  return best.distance <= Math.max(2, Math.floor(best.key.length / 5)) ? best.key : undefined;
}

/** Levenshtein distance: how many single-letter edits turn one word into the other. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}
