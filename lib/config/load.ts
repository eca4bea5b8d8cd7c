/**
 * Loading a stack's config: every raw value parsed, every problem found at once (schema, then the
 * rules that span several keys), each as one line that names the key and the fix.
 */
import { secretPlaceholder } from "../markers";
import { secretLikeName } from "../secret-names";
import { cloudStack } from "./cloud";
import { crossFieldProblems } from "./cross-field";
import { ConfigError, SecretValue, stackNames, type RawConfig, type RawConfigEntry, type StackName } from "./errors";
import { devStack, prodStack } from "./home";
import type { z } from "zod";

export const stackSchemas = { cloud: cloudStack, prod: prodStack, dev: devStack } as const;
export type CloudConfig = z.infer<typeof cloudStack>;
export type ProdConfig = z.infer<typeof prodStack>;
export type DevConfig = z.infer<typeof devStack>;
export type StackConfig =
  | { stack: "cloud"; config: CloudConfig }
  | { stack: "prod"; config: ProdConfig }
  | { stack: "dev"; config: DevConfig };

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

/** The value as an error line may show it: secrets and plain values under secret-like keys stay hidden. */
function describe(value: unknown, key = ""): string {
  if (value instanceof SecretValue) return secretPlaceholder;
  if (secretLikeName.test(key) && value !== undefined) return "[plain value, hidden]";
  if (value === undefined) return "(missing)";
  const text = JSON.stringify(value, (_k, v: unknown) => (v instanceof SecretValue ? secretPlaceholder : v));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function keyPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, part, i) => {
    if (typeof part === "number") return `${acc}[${part}]`;
    return i === 0 ? String(part) : `${acc}.${String(part)}`;
  }, "");
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const part of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

/**
 * Validates a stack's raw config and returns it typed, or throws a ConfigError listing every
 * problem, one line each.
 */
export function loadStackConfig(stack: string, raw: RawConfig): StackConfig {
  if (!(stackNames as readonly string[]).includes(stack)) {
    throw new ConfigError(stack, [`stack name "${stack}" is not one of ${stackNames.join(", ")}; fix: pulumi stack select cloud|prod|dev`]);
  }
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, entry] of Object.entries(raw)) {
    values[key] = parseValue(entry);
    if (!entry.secret && secretLikeName.test(key)) {
      problems.push(`${key} = ${describe(values[key], key)}: looks like a secret but is a plain value; fix: pulumi config set --secret ${key} <value>`);
    }
  }
  const schema = stackSchemas[stack as StackName];
  const result = schema.safeParse(values, { reportInput: true });
  if (!result.success) {
    for (const issue of result.error.issues) {
      if (issue.code === "unrecognized_keys") {
        for (const key of issue.keys) {
          const full = keyPath([...issue.path, key]);
          const hint = issue.path.length === 0 ? `; stack "${stack}" reads only: ${Object.keys(schema.shape).join(", ")}` : "";
          problems.push(`${full} = ${describe(valueAt(values, [...issue.path, key]), key)}: unknown key${hint}; fix: remove it or correct its spelling (pulumi config rm ${full.split(".")[0]})`);
        }
        continue;
      }
      const at = keyPath(issue.path);
      const got = valueAt(values, issue.path);
      const shown = describe(got, String(issue.path[issue.path.length - 1] ?? ""));
      const message = got === undefined ? `is required but missing; ${issue.message}; fix: pulumi config set ${at.split(".")[0]} …` : `${issue.message}`;
      problems.push(`${at} = ${shown}: ${message}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(stack, problems);
  const config = result.data!;
  const crossProblems = crossFieldProblems(stack as StackName, config);
  if (crossProblems.length > 0) throw new ConfigError(stack, crossProblems);
  return { stack, config } as StackConfig;
}

