/**
 * Loading a stack's config: every raw value parsed, every problem found at once (credentials in
 * plain config, the schema, then the rules that span several keys or need the catalog), each as
 * one line that names the key, shows the value only when it is safe to, and gives the fix.
 */
import { credentialPaths } from "../credentials";
import { defaultInventory, type Inventory } from "../inventory";
import { secretPlaceholder } from "../markers";
import { secretLikeName } from "../secret-names";
import { cloudStack } from "./cloud";
import { crossFieldProblems } from "./cross-field";
import { ConfigError, SecretValue, stackNames, type RawConfig, type RawConfigEntry, type StackName } from "./errors";
import { secretKeys } from "./fields";
import { devStack, prodStack } from "./home";
import { adminError, closest, describeValue, keyPath, rmCommand, setCommand, type KeyPath } from "./messages";
import { keysAt, requiredKeysAt, schemaAt } from "./schema-walk";
import { ZodArray, type z } from "zod";

export const stackSchemas = { cloud: cloudStack, prod: prodStack, dev: devStack } as const;
export type CloudConfig = z.infer<typeof cloudStack>;
export type ProdConfig = z.infer<typeof prodStack>;
export type DevConfig = z.infer<typeof devStack>;
export type StackConfig =
  | { stack: "cloud"; config: CloudConfig }
  | { stack: "prod"; config: ProdConfig }
  | { stack: "dev"; config: DevConfig };

/** Keys the program once read and no longer does, with why and what to do. */
const retiredKeys: Record<string, string> = {
  "homelab:oci.homeCidrs":
    "is no longer read: nothing at home is opened to the VCN (the CLOUD cluster reaches home through Twingate, the machines reach Omni through the tunnel)",
};

function parseValue(entry: RawConfigEntry): unknown {
  if (entry.secret) return new SecretValue(entry.value);
  const text = entry.value.trim();
  if (text.startsWith("{") || text.startsWith("[")) {
    try {
      return JSON.parse(text);
    } catch {
      return entry.value;
    }
  }
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text === "true" || text === "false") return text === "true";
  return entry.value;
}

function valueAt(root: unknown, path: KeyPath): unknown {
  let current: unknown = root;
  for (const part of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

const lastKey = (path: KeyPath) => String([...path].reverse().find((p) => typeof p === "string") ?? "");

/** Credentials pasted into plain values: under a secret-like name, or recognised by their look. */
function plainCredentialProblems(stack: StackName, values: Record<string, unknown>, raw: RawConfig, known: readonly string[], reported: Set<string>): string[] {
  const problems: string[] = [];
  const expects = (path: KeyPath) => {
    const shape = expectedShape(stackSchemas[stack], path);
    return shape ? ` (${shape})` : "";
  };
  for (const [key, entry] of Object.entries(raw)) {
    if (entry.secret) continue;
    if (secretLikeName.test(key)) {
      problems.push(`${key} = [plain value, hidden]: looks like a secret but is a plain value; fix: pulumi config set --secret ${key} <value> (and rotate it if Pulumi.${stack}.yaml was ever committed)`);
      continue;
    }
    // Unknown keys are reported once, by the schema, with their value hidden when it looks like a credential.
    if (!known.includes(key)) continue;
    const patches = key === "homelab:talosPatches";
    for (const found of credentialPaths(values[key], { key, unknown: patches })) {
      const path: KeyPath = [key, ...found.path];
      reported.add(keyPath(path));
      problems.push(
        patches
          ? `${keyPath(path)} = [hidden: looks like ${found.what}]: Talos patches from config are written into the cluster template, which is plain text (Pulumi state, Omni, omni/ in Git); fix: ${rmCommand(path)}, rotate it, and keep that credential out of the template (for example as a config patch created in Omni itself)`
          : found.what === "a password in a URL"
            ? urlPasswordLine(stack, path, values)
            : `${keyPath(path)} = [hidden: looks like ${found.what}]: a credential in plain config is stored in Git and printed by every tool; fix: ${rmCommand(path)}, rotate it, and set what this key expects${expects(path)}`,
      );
    }
  }
  return problems;
}

/**
 * A password inside an address: the address is shown with the password hidden (the user and host
 * help find it), with the field's own advice when its schema has one (a restic repository's
 * Bitwarden keys), else the generic fix.
 */
function urlPasswordLine(stack: StackName, path: KeyPath, values: Record<string, unknown>): string {
  const value = valueAt(values, path);
  const text = typeof value === "string" ? JSON.stringify(value.replace(/((?:^|[\s/"'=])[^\s/:@"']{1,256}):[^\s/@"']{1,256}@/g, "$1:[hidden]@")) : "[hidden]";
  const shown = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  // The whole schema: the field may sit inside a union (a restic destination), which schemaAt does not enter.
  const own = stackSchemas[stack].safeParse(values, { error: adminError });
  const advice = own.success ? undefined : own.error.issues.find((issue) => keyPath(issue.path) === keyPath(path))?.message;
  return advice
    ? `${keyPath(path)} = ${shown}: ${advice}${advice.includes("fix:") ? "" : `; fix: ${setCommand(path)} with the address without its user:password@ part, and change that password`}`
    : `${keyPath(path)} = ${shown}: a password in an address of plain config is stored in Git and printed by every tool; fix: ${setCommand(path)} with the address without its user:password@ part, and change that password`;
}

function unknownKeyLine(stack: StackName, schema: z.ZodType, values: Record<string, unknown>, path: KeyPath): string {
  const at = keyPath(path);
  const key = lastKey(path);
  const siblings = keysAt(schema, path.slice(0, -1));
  const meant = closest(key, siblings);
  // A misspelt secret key holds a secret, whatever its value looks like.
  const secretMeant = meant !== undefined && (secretKeys.has(meant) || secretLikeName.test(meant));
  const shown = secretMeant ? "[plain value, hidden]" : describeValue(valueAt(values, path), key, { unknown: true });
  const retired = retiredKeys[at];
  if (retired) return `${at} = ${shown}: ${retired}; fix: ${rmCommand(path)}`;
  if (path.length === 1) {
    const owners = stackNames.filter((s) => s !== stack && key in stackSchemas[s].shape);
    if (owners.length > 0) return `${at} = ${shown}: read by the ${owners.join(" and ")} stack${owners.length > 1 ? "s" : ""}, not by "${stack}"; fix: ${rmCommand(path)} (and set it on the stack that reads it)`;
  }
  const hidden = shown.startsWith("[") ? " (its value looks like a credential: rotate it if the file was ever committed)" : "";
  if (meant) return `${at} = ${shown}: unknown key, did you mean ${keyPath([...path.slice(0, -1), meant])}?${hidden}; fix: ${rmCommand(path)}, then ${setCommand([...path.slice(0, -1), meant], path.length === 1 && secretKeys.has(meant))}`;
  const known = siblings.length <= 8 ? `the keys here are ${siblings.join(", ")}` : `the ${stack} stack reads only the keys of the example Pulumi.${stack}.yaml`;
  return `${at} = ${shown}: unknown key${hidden}; ${known}; fix: ${rmCommand(path)}`;
}

/** What a missing leaf expects, in the schema's own words (its format message), when it has them. */
function expectedShape(schema: z.ZodType, path: KeyPath): string | undefined {
  const field = schemaAt(schema, path);
  if (!field || secretKeys.has(String(path[0]))) return undefined;
  if (field instanceof ZodArray) {
    const entry = expectedShape(schema, [...path, 0]);
    return entry ? `expected a list, each entry ${entry.replace(/^expected /, "")}` : "expected a list";
  }
  const probe = field.safeParse("", { error: adminError });
  const issue = probe.success ? undefined : probe.error.issues[0];
  return issue && (issue.code === "custom" || issue.code === "invalid_format") ? issue.message.split("; fix:")[0] : undefined;
}

function issueLine(stack: StackName, schema: z.ZodType, values: Record<string, unknown>, issue: z.core.$ZodIssue): string {
  const path = issue.path;
  const at = keyPath(path);
  const got = valueAt(values, path);
  // The field refused this value: whatever its key, it may be a credential pasted in the wrong place.
  const shown = describeValue(got, lastKey(path), { refused: true });
  const secret = path.length === 1 && secretKeys.has(String(path[0]));
  let message = issue.code === "invalid_union" ? (issue.errors.flat()[0]?.message ?? issue.message) : issue.message;
  const required = requiredKeysAt(schema, path);
  if (got !== undefined && required.length > 0 && (got === null || typeof got !== "object" || Array.isArray(got))) {
    // An object written as a single value: it has to be rebuilt key by key.
    return `${at} = ${shown}: ${message}; fix: ${rmCommand(path)}, then ${setCommand([...path, required[0]!])}, and likewise for ${required.slice(1).join(", ") || "the other keys"}`;
  }
  if (got === null || got === "") {
    const expected = expectedShape(schema, path);
    if (expected) message = `is empty; ${expected}`;
  }
  if (got === undefined) {
    if (required.length > 0) {
      return `${at} = (missing): is required but missing; fix: ${setCommand([...path, required[0]!])} (its required fields: ${required.join(", ")}; see the example Pulumi.${stack}.yaml)`;
    }
    if (message.startsWith("is required")) message = message.replace("is required", "is required but missing");
    else message = `is required but missing; ${message}`;
    const expected = expectedShape(schema, path);
    if (expected && !message.includes(expected)) message = message.replace("is required but missing", `is required but missing; ${expected}`);
  }
  const target = schemaAt(schema, path) instanceof ZodArray ? [...path, 0] : path;
  if (!message.includes("fix:")) message = `${message}; fix: ${setCommand(target, secret)}`;
  return `${at} = ${shown}: ${message}`;
}

/** Unknown keys of one map listed one line each; the rest are counted in one line. */
const unknownKeysShown = 20;

/**
 * Validates a stack's raw config and returns it typed, or throws a ConfigError listing every
 * problem, one line each. The inventory names what the catalog generates (secret rotation
 * counters) and what the clusters run.
 */
export function loadStackConfig(stack: string, raw: RawConfig, inventory: Inventory = defaultInventory): StackConfig {
  if (!(stackNames as readonly string[]).includes(stack)) {
    throw new ConfigError(stack, [`stack name "${stack}" is not one of ${stackNames.join(", ")}; fix: pulumi stack select cloud|prod|dev`]);
  }
  const name = stack as StackName;
  const schema = stackSchemas[name];
  const known = Object.keys(schema.shape);
  const values: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(raw)) values[key] = parseValue(entry);

  // Paths already reported as a credential: the schema's complaint about the same value would only repeat it.
  const reported = new Set<string>();
  const problems = plainCredentialProblems(name, values, raw, known, reported);
  // A secure value under a key that is plain configuration: the program could not read it, and
  // would show it or write it into documents.
  const secretWherePlain = Object.keys(raw).filter((key) => raw[key]!.secret && known.includes(key) && !secretKeys.has(key));
  for (const key of secretWherePlain) {
    // An object with one field set by `--secret --path` makes the whole key secret: name the field to set again, not the object.
    const nested = /^\s*[[{]/.test(raw[key]!.value);
    problems.push(
      nested
        ? `${key} = ${secretPlaceholder}: a field inside it is a Pulumi secret (set with --secret --path), which makes the whole object secret, but this key is plain configuration (it is shown in plans and written into documents); fix: pulumi config set --path '${key}.<field>' <value> (without --secret) for the field whose value is secure:`
        : `${key} = ${secretPlaceholder}: is a Pulumi secret, but this key is plain configuration (it is shown in plans and written into documents); fix: pulumi config set ${key} <value> (without --secret)`,
    );
  }

  const result = schema.safeParse(values, { reportInput: true, error: adminError });
  if (!result.success) {
    // A misspelt key leaves the key it meant missing: the unknown-key line says both, once.
    for (const issue of result.error.issues) {
      if (issue.code !== "unrecognized_keys") continue;
      const siblings = keysAt(schema, issue.path);
      for (const key of issue.keys) {
        const meant = closest(key, siblings);
        if (meant) reported.add(keyPath([...issue.path, meant]));
      }
    }
    for (const issue of result.error.issues) {
      if (issue.path.length > 0 && secretWherePlain.includes(String(issue.path[0]))) continue;
      if (reported.has(keyPath(issue.path))) continue;
      if (issue.code === "unrecognized_keys") {
        const shown = issue.keys.slice(0, unknownKeysShown);
        for (const key of shown) problems.push(unknownKeyLine(name, schema, values, [...issue.path, key]));
        if (issue.keys.length > shown.length) {
          // A pasted file of another tool: its keys are not worth a line each.
          const where = issue.path.length === 0 ? `Pulumi.${stack}.yaml` : keyPath(issue.path);
          problems.push(`${where}: ${issue.keys.length - shown.length} more unknown keys after the ${shown.length} above; fix: compare the file with the example Pulumi.${stack}.yaml in the repository and remove every key it does not have`);
        }
        continue;
      }
      problems.push(issueLine(name, schema, values, issue));
    }
  }
  if (problems.length > 0) {
    // The rules across keys still run on the keys that passed, so that one run lists every problem.
    const partial: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      const parsed = field.safeParse(values[key]);
      if (parsed.success && !secretWherePlain.includes(key)) partial[key] = parsed.data;
    }
    const more = crossFieldProblems(name, partial as CloudConfig | ProdConfig | DevConfig, inventory, { partial: true });
    throw new ConfigError(stack, [...new Set([...problems, ...more])]);
  }
  const config = result.data!;
  const crossProblems = crossFieldProblems(name, config, inventory);
  if (crossProblems.length > 0) throw new ConfigError(stack, crossProblems);
  return { stack, config } as StackConfig;
}
