/**
 * The artifact validation harness: generated documents are checked against the upstream
 * projects' own schemas (JSON Schema, via ajv) and the Kubernetes API schemas (kubernetes-models),
 * and the Debian validators are wrapped in `./tools.ts`.
 *
 * The schema files live outside the repository: HOMELAB_SCHEMAS_DIR, else `../shared/schemas`
 * beside the checkout, else `.schemas-cache/` (filled by `npm run schemas -- fetch`). Every file
 * is checked against its sha256 in `schemas.lock.json` before use.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { EnvironmentError } from "../config/errors";

export const repoRoot = resolve(__dirname, "../..");
export const lockFile = join(repoRoot, "schemas.lock.json");

export interface LockEntry {
  path: string;
  url: string;
  sha256: string;
  derived?: string;
}

export function readLock(): { entries: LockEntry[] } {
  return JSON.parse(readFileSync(lockFile, "utf8")) as { entries: LockEntry[] };
}

/** Where the pinned upstream schemas are looked for, in order: the variable, ../shared next to the clone, the local cache. */
function schemaDirectoryCandidates(): string[] {
  return [process.env.HOMELAB_SCHEMAS_DIR, join(repoRoot, "../shared/schemas"), join(repoRoot, ".schemas-cache")].filter((d): d is string => typeof d === "string" && d !== "");
}

export function schemaDirectory(candidates: readonly string[] = schemaDirectoryCandidates()): string {
  const found = candidates.find((d) => existsSync(d));
  if (!found) {
    throw new EnvironmentError(
      `no schema directory: set HOMELAB_SCHEMAS_DIR to a folder with the upstream schemas (tried ${candidates.join(", ")}); with internet, run: npm run schemas -- fetch`,
    );
  }
  return found;
}

const documentCache = new Map<string, unknown>();

/** The bytes of one pinned file (path relative to the schema directory), verified against its sha256. */
export function loadPinnedFile(path: string): Buffer {
  const entry = readLock().entries.find((e) => e.path === path);
  if (!entry) throw new Error(`schema "${path}" is not pinned in schemas.lock.json; add it with: npm run schemas -- lock`);
  const full = join(schemaDirectory(), path);
  if (!existsSync(full)) throw new EnvironmentError(`schema "${path}" is missing from ${schemaDirectory()}; fix: npm run schemas -- fetch (or copy it from ${entry.url})`);
  const bytes = readFileSync(full);
  const digest = createHash("sha256").update(bytes).digest("hex");
  if (digest !== entry.sha256) throw new Error(`schema "${path}" has sha256 ${digest}, the lock pins ${entry.sha256} (${entry.url})`);
  return bytes;
}

/** Loads one pinned schema file (JSON, or YAML for a chart's values.yaml), verifying its sha256. */
export function loadSchemaFile(path: string): unknown {
  const cached = documentCache.get(path);
  if (cached !== undefined) return cached;
  const text = loadPinnedFile(path).toString("utf8");
  const document: unknown = path.endsWith(".yaml") ? parseYaml(text) : JSON.parse(text);
  documentCache.set(path, document);
  return document;
}

/** Whether a file is pinned in schemas.lock.json. */
export function isPinned(path: string): boolean {
  return readLock().entries.some((e) => e.path === path);
}

export interface SchemaIssue {
  path: string;
  message: string;
}

export class SchemaValidationError extends Error {
  constructor(
    readonly what: string,
    readonly issues: readonly SchemaIssue[],
  ) {
    super(`${what} does not match its schema:\n${issues.map((i) => `  - ${i.path || "(root)"}: ${i.message}`).join("\n")}`);
    this.name = "SchemaValidationError";
  }
}

function issuesOf(errors: readonly ErrorObject[] | null | undefined): SchemaIssue[] {
  return (errors ?? []).map((e) => ({
    path: e.instancePath,
    message: `${e.message ?? e.keyword}${e.keyword === "additionalProperties" ? ` ("${String((e.params as { additionalProperty?: string }).additionalProperty)}")` : ""}`,
  }));
}

const validators = new Map<string, ValidateFunction>();

function draftOf(schema: unknown): "2020" | "07" {
  const declared = (schema as { $schema?: string }).$schema ?? "";
  return declared.includes("2020-12") || declared.includes("2019-09") ? "2020" : "07";
}

/**
 * Kubernetes CRD schemas carry Go (RE2) patterns; the one construct JavaScript lacks there is
 * the case-insensitive flag `(?i)` (e.g. `^(?i)(abort|warn)?$`), which becomes the `i` flag.
 */
const goRegExp = Object.assign(
  (pattern: string, flags: string): RegExp => {
    const insensitive = pattern.includes("(?i)");
    return new RegExp(pattern.replaceAll("(?i)", ""), insensitive ? `${flags}i` : flags);
  },
  { code: "goRegExp" },
);

function newAjv(draft: "2020" | "07"): Ajv {
  const options = { strict: false, allErrors: true, validateFormats: true, code: { regExp: goRegExp } } as const;
  const ajv = draft === "2020" ? new Ajv2020(options) : new Ajv(options);
  addFormats(ajv);
  // Kubernetes and Helm schemas use formats ajv does not know; accept them as annotations.
  for (const format of ["int32", "int64", "float", "double", "byte", "binary", "password", "quantity", "int-or-string"]) ajv.addFormat(format, true);
  return ajv;
}

export interface SchemaOptions {
  /** Further pinned files (by path) the schema refers to by URL, keyed by that URL. */
  references?: Record<string, string>;
  /** Validate against one definition (e.g. Talos's `v1alpha1.Config`) instead of the whole oneOf. */
  definition?: string;
  /**
   * The document is an overlay that Helm merges onto the chart's own defaults before checking:
   * `required` keys are the chart's to supply, so only types and unknown keys are checked here.
   */
  overlay?: boolean;
}

function withoutRequired(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutRequired);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).filter(([k, v]) => !(k === "required" && Array.isArray(v))).map(([k, v]) => [k, withoutRequired(v)]));
  }
  return value;
}

/** Compiles the schema at `path` with its options (cached). */
export function schemaValidator(path: string, options: SchemaOptions = {}): ValidateFunction {
  const { references = {}, definition, overlay = false } = options;
  const key = `${path}|${Object.keys(references).join(",")}|${definition ?? ""}|${overlay}`;
  const cached = validators.get(key);
  if (cached) return cached;
  const load = (file: string) => (overlay ? withoutRequired(loadSchemaFile(file)) : loadSchemaFile(file)) as Record<string, unknown>;
  const schema = load(path);
  const ajv = newAjv(draftOf(schema));
  for (const [url, refPath] of Object.entries(references)) {
    const refSchema = { ...load(refPath) };
    delete refSchema.$id;
    ajv.addSchema(refSchema, url);
  }
  // The draft is chosen above; some upstreams spell the meta-schema URL in a way ajv does not
  // register (compose-spec: "https://json-schema.org/draft-07/schema"), so it is not looked up.
  const body = { ...schema };
  delete body.$schema;
  if (definition !== undefined) {
    // Validate against one definition of the schema (e.g. Talos's v1alpha1.Config), so that
    // errors name that document's fields instead of every branch of a top-level oneOf.
    const defs = (schema.$defs ?? schema.definitions) as Record<string, unknown> | undefined;
    if (!defs || !(definition in defs)) throw new Error(`${path} has no definition "${definition}"`);
    delete body.oneOf;
    delete body.anyOf;
    body.$ref = `#/${schema.$defs ? "$defs" : "definitions"}/${definition}`;
  }
  const validate = ajv.compile(body);
  validators.set(key, validate);
  return validate;
}

/** Validates `document` against the pinned schema; throws a SchemaValidationError listing every issue. */
export function assertMatchesSchema(what: string, document: unknown, path: string, options: SchemaOptions = {}): void {
  const validate = schemaValidator(path, options);
  if (!validate(document)) throw new SchemaValidationError(what, issuesOf(validate.errors));
}

/** The CRD schema of a custom resource, by apiVersion and kind (kubeconform layout). */
export function crdSchemaPath(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.split("/");
  if (!group || !version) throw new Error(`"${apiVersion}" is a core API version, not a custom resource`);
  return `crds/${group}/${kind.toLowerCase()}_${version}.json`;
}
