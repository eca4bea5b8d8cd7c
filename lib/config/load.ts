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
import { ZodObject, type z } from "zod";

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

/** Key material pasted into a plain field (a private key where a public key belongs). */
const privateKeyMaterial = /PRIVATE KEY/;

/**
 * A password written into an address, `user:password@host` (an SSH target, a restic or S3 URL):
 * the user stays visible, the password does not.
 */
const addressPassword = /([^\s:@/"]+):[^\s@/"]+@/g;
function hideAddressPasswords(text: string): string {
  return text.replace(addressPassword, "$1:[hidden]@");
}

/** The value as an error line may show it: secrets, plain values under secret-like keys, private keys and passwords in addresses stay hidden. */
function describe(value: unknown, key = ""): string {
  if (value instanceof SecretValue) return secretPlaceholder;
  if (secretLikeName.test(key) && value !== undefined) return "[plain value, hidden]";
  if (value === undefined) return "(missing)";
  if (typeof value === "string" && privateKeyMaterial.test(value)) return "[private key, hidden]";
  const text = hideAddressPasswords(JSON.stringify(value, (_k, v: unknown) => (v instanceof SecretValue ? secretPlaceholder : typeof v === "string" && privateKeyMaterial.test(v) ? "[private key, hidden]" : v)));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The schema below wrappers (default, optional, transform) that decide nothing about the shape. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema as z.ZodType & { _zod: { def: { type: string; innerType?: z.ZodType; in?: z.ZodType } } };
  for (;;) {
    const def = current._zod.def;
    if ((def.type === "default" || def.type === "optional" || def.type === "prefault" || def.type === "nullable") && def.innerType) current = def.innerType as typeof current;
    else if (def.type === "pipe" && def.in) current = def.in as typeof current;
    else return current;
  }
}

function schemaAt(root: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
  let current: z.ZodType | undefined = root;
  for (const part of path) {
    const inner: z.ZodType | undefined = current ? unwrap(current) : undefined;
    current = inner instanceof ZodObject ? (inner.shape as Record<string, z.ZodType>)[String(part)] : undefined;
  }
  return current;
}

/** The fix for a missing key: set it as a secret, set it by path, or set an object's required fields. */
function missingFix(at: string, schema: z.ZodType | undefined, secretKey: boolean): string {
  if (secretKey) return `pulumi config set --secret ${at} <value>`;
  const inner = schema ? unwrap(schema) : undefined;
  if (inner instanceof ZodObject) {
    const required = Object.entries(inner.shape as Record<string, z.ZodType>).filter(([, field]) => !field.safeParse(undefined).success).map(([name]) => name);
    if (required.length > 0) return `pulumi config set --path '${at}.${required[0]}' <value> (its required fields: ${required.join(", ")})`;
  }
  return at.includes(".") || at.includes("[") ? `pulumi config set --path '${at}' <value>` : `pulumi config set ${at} <value>`;
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
      const message = got === undefined ? `is required but missing; fix: ${missingFix(at, schemaAt(schema, issue.path), issue.message.startsWith("must be a Pulumi secret"))}` : `${issue.message}`;
      problems.push(`${at} = ${shown}: ${message}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(stack, problems);
  const config = result.data!;
  const crossProblems = crossFieldProblems(stack as StackName, config);
  if (crossProblems.length > 0) throw new ConfigError(stack, crossProblems);
  return { stack, config } as StackConfig;
}

